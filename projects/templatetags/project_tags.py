import datetime

from django import template
from django.utils.formats import date_format

from projects.fields import PARTIAL_DATE_RE

register = template.Library()


@register.filter
def partial_date(value):
    """ "2017" -> "2017", "2017-03" -> "March 2017", "2017-03-01" -> "1 March 2017", as the
    active language writes them ("1 mars 2017", "1 de marzo de 2017")."""
    match = PARTIAL_DATE_RE.match(value or "")
    if not match:
        return value or ""
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day:
            return date_format(datetime.date(year, month, day), "DATE_FORMAT")
        if month:
            return date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
    except ValueError:
        return value
    return str(year)
