"""Dates as the English, French and Spanish sites wrote them.

Numeric dates are read day first ("12.03.2019" is 12 March), the house style of an
organisation based in Geneva; only when the first number cannot be a month and the second
can ("04/17/2018") is the order swapped. Years outside 1900-2100 are treated as typos and
not read. A date that names no year (e.g. "(17/04)") is never completed by guessing.
"""

from __future__ import annotations

import datetime
import re

from .model import PartialDate

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv enero ene",
        "february feb fevrier février fevr févr febrero",
        "march mar mars marzo",
        "april apr avril avr abril abr",
        "may mai mayo",
        "june jun juin junio",
        "july jul juillet juil julio",
        "august aug aout août agosto ago",
        "september sep sept septembre septiembre setiembre set",
        "october oct octobre octubre",
        "november nov novembre noviembre",
        "december dec décembre decembre déc diciembre dic",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_WEEKDAYS = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "jueves",
    "viernes",
    "sábado",
    "sabado",
    "domingo",
]

# Longest names first so "sept" is not read as "sep" followed by junk.
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?"

_DATE_PATTERNS = [
    re.compile(p, re.I)
    for p in (
        r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?(?:T[\d:.]+Z?)?",
        r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4}|\d{2})",
        _DAY + rf"\s*(?:de\s+)?(?P<mon>{_MONTH})\.?,?\s*(?:de\s+|del\s+)?(?P<y>\d{{4}})",
        rf"(?P<mon>{_MONTH})\.?\s+" + _DAY + r",?\s+(?P<y>\d{4})",
        rf"(?P<mon>{_MONTH})\.?,?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}})",
        r"(?P<m>\d{1,2})[./](?P<y>\d{4})",
        r"(?P<y>\d{4})[./](?P<m>\d{1,2})",
        r"(?P<y>\d{4})",
    )
]
_LEADING_WEEKDAY = re.compile(rf"^(?:{_WEEKDAY})\.?,?\s+", re.I)
_TRAILING_WEEKDAY = re.compile(rf"(?:^|[,\s(])\s*(?:{_WEEKDAY})\.?,?\s*$", re.I)
_TRIM = " \t.,;:()[]"


def _build(match: re.Match[str]) -> PartialDate | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if len(groups["y"]) == 2:
        year += 2000 if year < 50 else 1900
    if not 1900 <= year <= 2100:
        return None
    month: int | None = None
    if groups.get("mon"):
        month = _MONTHS.get(groups["mon"].lower().rstrip("."))
        if month is None:
            return None
    elif groups.get("m"):
        month = int(groups["m"])
    day = int(groups["d"]) if groups.get("d") else None
    if day is not None and month is not None and month > 12 and day <= 12 and not groups.get("mon"):
        day, month = month, day
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


def parse_partial_date(text: str) -> PartialDate | None:
    """A year, a month or a full date written in English, French or Spanish; else None."""
    value = _LEADING_WEEKDAY.sub("", text.strip()).strip(_TRIM)
    if not value or len(value) > 60:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            return _build(match)
    return None


def parse_full_date(text: str) -> datetime.date | None:
    """A complete day-month-year date, or None (a bare year or month is not enough)."""
    partial = parse_partial_date(text)
    return partial.as_date() if partial else None


_FULL_DATE_PATTERNS = _DATE_PATTERNS[:4]


def match_date_prefix(text: str) -> tuple[datetime.date | None, int]:
    """A full date at the very start of ``text``: (date, characters used) or (None, 0)."""
    value = text
    offset = 0
    weekday = _LEADING_WEEKDAY.match(value)
    if weekday:
        offset = weekday.end()
        value = value[offset:]
    for pattern in _FULL_DATE_PATTERNS:
        match = pattern.match(value)
        if match and match.group("d") is not None:
            partial = _build(match)
            if partial is not None and partial.day is not None:
                return partial.as_date(), offset + match.end()
    return None, 0


def split_trailing_date(text: str) -> tuple[str, datetime.date | None]:
    """Split "San Salvador, 17 April 2018" into ("San Salvador", date(2018, 4, 17)).

    Also accepts the date in parentheses. Text without a trailing full date comes back
    unchanged with None.
    """
    for pattern in _FULL_DATE_PATTERNS:
        for match in pattern.finditer(text):
            rest = text[match.end() :].strip(" )")
            if rest or match.group("d") is None:
                continue
            partial = _build(match)
            if partial is None or partial.day is None:
                continue
            head = _TRAILING_WEEKDAY.sub("", text[: match.start()])
            return head.strip(" ,(–—-"), partial.as_date()
    return text, None
