"""What a request tells about where it came from."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address; behind TRUSTED_PROXY_COUNT proxies, taken from X-Forwarded-For."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def ratelimit_ip_key(group, request) -> str:
    """Key function for django-ratelimit that honours TRUSTED_PROXY_COUNT."""
    return client_ip(request) or "unknown"
