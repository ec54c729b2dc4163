from django.shortcuts import render
from django.utils.translation import gettext as _


def rate_limited(request, exception=None):
    """Shown to a caller who sent too many requests (RATELIMIT_VIEW)."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            {"code": "rate_limited", "message": _("Too many requests. Please wait a minute and try again.")},
            status=429,
        )
    return render(request, "core/rate_limited.html", status=429)


def language_switch(request):
    """Change the interface language (GET, so that pages carrying the switch can be cached whole)."""
    from django.conf import settings
    from django.http import HttpResponseRedirect
    from django.utils.http import url_has_allowed_host_and_scheme

    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
