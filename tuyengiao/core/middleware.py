from django.conf import settings
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Vietnamese unless the visitor chose another language with the switch (the language cookie).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: a cadre whose phone
    is set to English still gets the Vietnamese portal.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# Anonymous pages are cached whole for PAGE_CACHE_SECONDS (an editor's change shows within that time).
# Pages for signed-in people, the admin, the API and every form page are never cached.
# Documents and books are not cached: one made restricted must vanish at once, and each opening of a book in
# the reader is counted.
NOT_CACHED_PATHS = ("/admin/", "/api/", "/phan-hoi/", "/i18n/", "/documents/", "/van-ban/", "/thu-vien/")


def page_cacheable(request) -> bool:
    return (
        settings.CACHE_MIDDLEWARE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(NOT_CACHED_PATHS)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


class PageCacheUpdateMiddleware(UpdateCacheMiddleware):
    def _should_update_cache(self, request, response):
        return page_cacheable(request) and super()._should_update_cache(request, response)


class PageCacheFetchMiddleware(FetchFromCacheMiddleware):
    def process_request(self, request):
        if not page_cacheable(request):
            request._cache_update_cache = False
            return None
        return super().process_request(request)
