"""Formatting for the contest pages (no logic beyond the display)."""

from django import template

register = template.Library()


@register.filter
def duration_ms(value) -> str:
    """Milliseconds as mm:ss.cc (minutes grow past 59: 75:02.31)."""
    if value is None or value == "":
        return "–"
    value = int(value)
    minutes, rest = divmod(value, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{minutes:02d}:{seconds:02d}.{millis // 10:02d}"


@register.filter
def duration_s(value) -> str:
    """Seconds as mm:ss."""
    value = int(value or 0)
    return f"{value // 60:02d}:{value % 60:02d}"
