"""Filters shared by every list: the start of the one filter vocabulary.

The same names (``q``, ``country``, ``year``) mean the same thing on every list, and later in
feeds, exports and the JSON API, which will reuse these FilterSets.
"""

import datetime

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import search

MIN_YEAR, MAX_YEAR = 1950, 2100
MAX_QUERY_LENGTH = search.MAX_QUERY_LENGTH


class FastSelect(forms.Select):
    """A <select> whose options are built in Python.

    Django renders each option through a template, which costs about 20 ms for a list of 250
    countries on every list page. Filters use flat choices only, so a plain join does the
    same job in well under a millisecond.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in selected else "", label)
                for key, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


class SearchFilter(django_filters.CharFilter):
    """``q``: the site search (``iomcms/search.py``) applied to the list.

    It only keeps the matching rows; the list view orders them by relevance (unless the reader
    chose a sort) and adds snippets. ``search_fields`` are used only for a model the search
    module has no spec for: then every word must appear in one of them (case-insensitive).
    """

    def __init__(self, *args, search_fields=(), **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return search.match(qs, value, fields=self.search_fields)


class CountryFilter(django_filters.ChoiceFilter):
    """``country``: an ISO 3166 alpha-2 code, matched in a multiple CountryField.

    A multiple CountryField stores "CO,EC,PE"; codes are two letters joined by commas, so a
    substring match on the code is exact.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", lambda: list(countries))
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("empty_label", _("Any country"))
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__contains": value})


class YearField(forms.IntegerField):
    # A text box, not <input type="number">: a bad value from a link ("?year=abc") is shown
    # back to the reader with its error, and a number input cannot hold it in valid HTML.
    widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 6})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.Filter):
    """``year``; on a date field it becomes a range, so an index on the date still serves it."""

    field_class = YearField

    def __init__(self, *args, date_field=False, **kwargs):
        self.date_field = date_field
        kwargs.setdefault("label", _("Year"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if self.date_field:
            return qs.filter(
                **{
                    f"{self.field_name}__gte": datetime.date(value, 1, 1),
                    f"{self.field_name}__lte": datetime.date(value, 12, 31),
                }
            )
        return qs.filter(**{self.field_name: value})
