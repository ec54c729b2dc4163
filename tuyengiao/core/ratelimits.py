"""The one rate-limit helper: django-ratelimit on the default cache (Redis in production).

Use ``@rate_limit("5/m")`` on a view (key: client address) or ``rate_limit("10/h", key="post:phone")``.
A request over the limit gets a 429 with a Vietnamese message (core.views.rate_limited), and the
view is not run.
"""

from functools import wraps

from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from tuyengiao.core.requests import ratelimit_ip_key
from tuyengiao.core.views import rate_limited

IP_KEY = "tuyengiao.core.requests.ratelimit_ip_key"


def rate_limit(rate: str, *, key: str = IP_KEY, method=ratelimit.UNSAFE, group: str | None = None):
    """Decorator: refuse a caller over `rate` (e.g. "5/m") with a 429 page (or JSON under /api/)."""

    def decorator(view):
        view_group = group or f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if is_ratelimited(request, group=view_group, key=key, rate=rate, method=method, increment=True):
                return rate_limited(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def rate_limit_hit(request, *, group: str, rate: str, key: str = IP_KEY, increment: bool = True) -> bool:
    """Count one try against `group` and tell whether the caller is over `rate` (for use inside a view)."""
    return is_ratelimited(request, group=group, key=key, rate=rate, method=ratelimit.ALL, increment=increment)


__all__ = ["rate_limit", "rate_limit_hit", "ratelimit_ip_key"]
