"""Settings of Tuyên giáo số, read only from environment variables (see README)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF

from config.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "Tuyên giáo số"

INSTALLED_APPS = [
    "tuyengiao.core",
    "tuyengiao.orgs",
    "tuyengiao.accounts",
    "tuyengiao.api",
    "tuyengiao.portal",
    "tuyengiao.digitise",
    "tuyengiao.documents",
    "tuyengiao.contests",
    "tuyengiao.library",
    "wagtail.contrib.forms",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "tuyengiao.accounts.apps.StaffUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tuyengiao.core.middleware.PageCacheUpdateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tuyengiao.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "tuyengiao.core.middleware.PageCacheFetchMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "tuyengiao.portal.context_processors.site_menu",
            ],
        },
    },
]

# Database: SQLite (WAL) in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # cache_size: each connection keeps up to 64 MiB of the database's pages (SQLite's default is 2 MiB), filled
    # only as pages are read. With 2 MiB, a search of many matches pushes out the pages of the full-text and narrow
    # indexes that the next search reads again (bench/documents_search.py, first asks).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, sessions and rate limits: Redis when REDIS_URL is set, else local memory and the database.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL and env("PYTEST_XDIST_WORKER", ""):
    # `make test` runs the suite in parallel processes (pytest-xdist: gw0, gw1 …). Each one gets a Redis
    # database of its own, counted down from the one REDIS_URL names, so that a test's cache.clear() (a FLUSHDB)
    # or its queue never reaches into a test of another process.
    from urllib.parse import urlsplit

    _redis = urlsplit(REDIS_URL)
    _database = int(_redis.path.strip("/") or 0) - int(env("PYTEST_XDIST_WORKER").removeprefix("gw"))
    REDIS_URL = _redis._replace(path=f"/{_database % 16}").geturl()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "tuyengiao"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Whole-page cache for anonymous visitors (core.middleware); 0 turns it off.
CACHE_MIDDLEWARE_SECONDS = envint("PAGE_CACHE_SECONDS", 0 if DEBUG else 60)
CACHE_MIDDLEWARE_KEY_PREFIX = "page"

# Background work: the database queue by default, Redis (RQ) when REDIS_URL is set.
TASKS_BACKEND = env("TASKS_BACKEND", "redis" if REDIS_URL else "database")
if TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    # RQ's own Job cannot run a django-tasks Task ("'Task' object is not callable"): every queue and every
    # `rqworker` uses django-tasks-rq's, so the deployed command line needs no --job-class.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["tuyengiao.accounts.backends.RoleBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Vietnamese first; English through the language switch.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Our own catalogue first, then our Vietnamese translation of the Wagtail admin, then of the strings of Django that
# its own Vietnamese catalogue leaves untranslated ("Null characters are not allowed.", a form's error).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-wagtail", BASE_DIR / "locale-django"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files that only some readers may get (documents' files, scans): never under MEDIA_URL, served by views
# that check access first.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "media-private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/private-files-are-served-by-views/"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATICFILES_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
# Digitisation: uploads over this size or page count are refused; OCR'd pages under the confidence go to
# the proofreading queue.
DIGITISE_MAX_BYTES = envint("DIGITISE_MAX_BYTES", 100 * 1024 * 1024)
DIGITISE_MAX_PAGES = envint("DIGITISE_MAX_PAGES", 1000)
DIGITISE_PROOFREAD_BELOW = envint("DIGITISE_PROOFREAD_BELOW", 80)
DIGITISE_OCR_WORKERS = envint("DIGITISE_OCR_WORKERS", 0)  # 0: the CPU count, at most 4
DIGITISE_OCR_TIMEOUT = envint("DIGITISE_OCR_TIMEOUT", 300)
# A document search matching more than this many documents (by PostgreSQL's estimate) shows "about N".
DOCUMENTS_EXACT_COUNT_UP_TO = envint("DOCUMENTS_EXACT_COUNT_UP_TO", 20_000)

# E-mail
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Tuyên giáo số <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. HTTPS settings follow DEBUG unless set explicitly.
SECURE_HTTPS = envbool("SECURE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", SECURE_HTTPS)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HTTPS)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
if envbool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview frames its own pages.
# security.W019: X-Frame-Options is SAMEORIGIN, not DENY, because Wagtail's preview frames our own pages.
# security.W021: HSTS preload is a decision for the operator (SECURE_HSTS_PRELOAD), not a default.
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", "security.W019,security.W021")

# Content-Security-Policy: our own files only; inline scripts need the per-request nonce.
# Wagtail's admin sets inline styles, so style-src allows them there and on the site alike.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": ["'none'"],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Rate limits (django-ratelimit) use the default cache.
RATELIMIT_USE_CACHE = "default"
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Wagtail
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

# Demo administrator created by `make run` (overridable).
ADMIN_USERNAME = env("ADMIN_USERNAME", "admin")
ADMIN_PASSWORD = env("ADMIN_PASSWORD", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Readers' feedback: words that flag a message for the moderators (folded match, comma-separated).
FEEDBACK_BANNED_WORDS = envlist("FEEDBACK_BANNED_WORDS", "địt,đụ,lồn,cặc,đéo,đĩ")
FEEDBACK_RATE = env("FEEDBACK_RATE", "5/10m")

# Online contests: attempts started per client address (django-ratelimit rate). Generous: a school or a mobile
# network puts many people behind one address; thousands of starts a minute from one are refused.
CONTESTS_START_RATE = env("CONTESTS_START_RATE", "300/m")
