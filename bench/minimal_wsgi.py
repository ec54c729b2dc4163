"""The baseline of bench/news_rps.py: the same Django stack and settings, serving one minimal view."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.minimal_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
