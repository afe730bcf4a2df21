"""A date that may be known only to the year or the month.

Legacy project pages often say just "2017". Storing that as 2017-01-01 would invent a day
nobody gave us, so the value is kept as an ISO 8601 reduced-precision string: "2017",
"2017-03" or "2017-03-01". Those strings sort and compare in calendar order, so ordering and
range filters work with plain string comparison on every database.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def validate_partial_date(value):
    match = PARTIAL_DATE_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("Enter a year (2017), a year and month (2017-03) or a full date (2017-03-01)."),
            code="invalid",
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        # A missing month or day is checked as 1; a written "00" is not a month or a day.
        datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise ValidationError(_("%(value)s is not a real date."), params={"value": value}) from None


def partial_date_year(value):
    return int(value[:4]) if value else None


class PartialDateField(models.CharField):
    default_validators = [validate_partial_date]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "help_text", _("A year (2017), a month (2017-03) or a date (2017-03-01).")
        )
        super().__init__(*args, **kwargs)
