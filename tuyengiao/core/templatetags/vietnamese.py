"""Template filters for Vietnamese dates: ``{{ article.date|dateline }}`` → "Thứ Năm, 20/10/2022 15:32'(GMT+7)"."""

from django import template
from django.utils import timezone
from django.utils.translation import pgettext

register = template.Library()


def weekday(value) -> str:
    names = [
        pgettext("weekday", "Monday"),
        pgettext("weekday", "Tuesday"),
        pgettext("weekday", "Wednesday"),
        pgettext("weekday", "Thursday"),
        pgettext("weekday", "Friday"),
        pgettext("weekday", "Saturday"),
        pgettext("weekday", "Sunday"),
    ]
    return names[value.weekday()]


@register.filter
def dateline(value) -> str:
    """The dateline of Vietnamese news sites, in Vietnam time."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{weekday(local)}, {local:%d/%m/%Y %H:%M}'(GMT+7)"
