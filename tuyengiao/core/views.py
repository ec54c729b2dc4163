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
