"""`{{ when|short_date }}`: "16 Oct 2026" in the reader's language (`kollega.web.dates`)."""

from django import template

from kollega.web import dates

register = template.Library()


@register.filter(expects_localtime=True)
def short_date(value, year: bool = True) -> str:
    if not value:
        return ""
    return dates.short_date(value, year=year)
