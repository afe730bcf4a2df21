"""The filter vocabulary of the public lists, and the one way a list binds it.

The same names (``q``, ``country``, ``year``, ``lang``, ``sort``) mean the same thing on every
list and in every other output of the same rows (the news feeds, the site search; later
exports and the JSON API), which bind the list's own FilterSet with :func:`bind`.
"""

import datetime
import functools

import django_filters
from django import forms
from django.conf import settings
from django.core.validators import EMPTY_VALUES
from django.db.models import BooleanField, CharField, DateField, F, Func, Q, Value
from django.forms.utils import flatatt
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .languages import interface_language, language_codes
from .search import MAX_QUERY_LENGTH
from .text import comparable_text
from .validators import year_bounds


def bind(filterset_class, request, queryset, defaults=None):
    """``filterset_class`` over ``queryset``, bound to the request's query string.

    Forgiving: a value that does not validate (``?year=abc``, ``?country=ZZZ``) is recorded as
    a form error and left out, while the valid ones apply (``.qs``): a reader with one bad link
    parameter gets a corrected list, a feed URL never answers an error. Without a query string
    the form stays unbound (no errors, every row). An output that wants it strict (the JSON
    API answers 400) reads the form's errors itself.

    ``defaults``: ``{name: value}`` used where the query string gives a filter no value (the
    JSON API's ``lang=all``): the same filter and validation, another starting point.
    """
    data = request.GET
    if defaults:
        data = data.copy()
        for name, value in defaults.items():
            if not data.get(name):
                data[name] = value
    return filterset_class(data or None, queryset=queryset, request=request)


def reorders_only(filter_):
    """Whether a filter only changes the order of the rows (``sort``), not which rows."""
    return isinstance(filter_, django_filters.OrderingFilter)


class ListFilterSet(django_filters.FilterSet):
    """The filters of a public list. Besides ``.qs`` (see :func:`bind`) it tells:

    - ``applied``: ``{name: cleaned value}`` of the filters given a valid value, in the form's
      order; :meth:`selection`, the ones that choose rows (not ``sort``), as text;
      ``active_count``, how many of those differ from the default (the filter disclosure).
    - ``is_filtered``: the reader asked for a selection (valid or not), ``is_sorted``: for an
      order of their own.
    - ``search``: when ``q`` had a word to look for, the :class:`~iomcms.search.SearchResult`
      over the rows the other filters kept, ranked by relevance unless the reader sorted.
    """

    _search = None

    @property
    def qs(self):
        if not self.is_bound and not hasattr(self, "_qs"):
            # Unbound (no query string), django-filter applies no filter: the defaulted ones
            # (``lang``: the interface's language) still choose the rows.
            self._qs = self._defaults(self.queryset.all(), skip=())
        return super().qs

    def _defaults(self, queryset, skip):
        for name, filter_ in self.filters.items():
            if hasattr(filter_, "filter_default") and name not in skip:
                queryset = filter_.filter_default(queryset)
        return queryset

    def filter_queryset(self, queryset):
        self._search = None
        queryset = super().filter_queryset(queryset)  # a SearchFilter calls found()
        # A defaulted filter whose value was invalid (left out) takes its default.
        queryset = self._defaults(queryset, skip=self.form.cleaned_data)
        if self._search is not None:
            self._search = self._search.narrowed(queryset, by_relevance=not self.is_sorted)
        return queryset

    def rows_without(self, left_out):
        """The rows every filter but ``left_out`` chooses: the base of that filter's facet
        counts (:mod:`iomcms.facets`). The values are the form's cleaned ones, so a filter
        that looks a value up (a region by its slug) does not look it up again; leaving out
        ``lang`` means every language, not the interface's default. It records no search
        (``search`` stays the list's own)."""
        queryset = self.queryset.all()
        cleaned = {}
        if self.is_bound:
            self.form.is_valid()
            cleaned = self.form.cleaned_data
        saved = self._search
        try:
            for name, value in cleaned.items():
                if name != left_out and not reorders_only(self.filters[name]):
                    queryset = self.filters[name].filter(queryset, value)
        finally:
            self._search = saved
        return self._defaults(queryset, skip={*cleaned, left_out})

    def keeps_every_row(self, name):
        """Whether filter ``name``, as bound, keeps every row the other filters keep: it has no
        valid value and no default, or its value keeps all (``lang=all``). Then its facet
        counts the list's own rows (:mod:`iomcms.facets`), with no query built to compare."""
        filter_ = self.filters[name]
        value = self.applied.get(name)
        keeps_all = getattr(filter_, "keeps_all", None)
        if keeps_all is not None:
            return keeps_all(value)
        return value is None and not hasattr(filter_, "filter_default")

    def found(self, result):
        """Called by a :class:`SearchFilter` with what it found."""
        self._search = result

    @property
    def search(self):
        self.qs  # noqa: B018 (the filters run once; a search records itself on the way)
        return self._search

    @cached_property
    def applied(self):
        if not self.is_bound:
            return {}
        self.form.is_valid()  # cleaned_data keeps the valid values only
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in EMPTY_VALUES
        }

    def selection(self):
        """``[(name, text)]``: the applied filters that choose rows, each value as the form
        writes it (a region's slug, a country code in capitals)."""
        return [
            (name, str(self.form.fields[name].prepare_value(value)))
            for name, value in self.applied.items()
            if not reorders_only(self.filters[name])
        ]

    @property
    def active_count(self):
        """How many filters choose rows now ("Filter (2 active)"): the :meth:`selection`, less
        a defaulted filter given the value it takes anyway (``lang=en`` on the English
        interface, which the form sends back as shown)."""
        return sum(
            1
            for name, value in self.applied.items()
            if not reorders_only(self.filters[name])
            and not getattr(self.filters[name], "is_default", lambda value: False)(value)
        )

    @property
    def is_filtered(self):
        return any(
            self.data.get(name)
            for name, filter_ in self.filters.items()
            if not reorders_only(filter_)
        )

    @property
    def is_sorted(self):
        return any(reorders_only(self.filters[name]) for name in self.applied)


class FastSelect(forms.Select):
    """A <select> whose options are built in Python, once.

    Django renders each option through a template, which costs about 20 ms for a list of 250
    countries on every list page; even escaping each option with ``format_html`` costs 1.5 ms.
    Filters use flat choices only, so the escaped options are made once per set of choices
    (and language: the labels are translated) and each request only marks the selected one.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        choices = tuple((str(key), str(label)) for key, label in self.choices)
        options = "".join(
            f"{start} selected{end}" if key in selected else f"{start}{end}"
            for key, start, end in _escaped_options(choices)
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final_attrs), mark_safe(options)
        )


@functools.lru_cache(maxsize=32)
def _escaped_options(choices):
    """``(key, '<option value="key"', '>label</option>')`` for each choice, escaped."""
    return tuple(
        (key, f'<option value="{escape(key)}"', f">{escape(label)}</option>")
        for key, label in choices
    )


class LabelOrderIterator(django_filters.fields.ModelChoiceIterator):
    """The rows in the order of their labels as the reader reads them (case and accents
    ignored), after the empty choice: a row whose ``str()`` follows the interface language
    (a region's name) is listed alphabetically in every language, not in English's order."""

    def __iter__(self):
        choices = iter(super().__iter__())
        if self.field.empty_label is not None:
            yield next(choices)
        yield from sorted(choices, key=lambda choice: comparable_text(str(choice[1])))


class LabelOrderField(django_filters.fields.ModelChoiceField):
    iterator = LabelOrderIterator


class NamedListFilter(django_filters.ModelChoiceFilter):
    """A list entry (a region, a project type) by its slug, the same value in every language;
    its options show the entry's name in the reader's language, in that language's order."""

    field_class = LabelOrderField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)


class SearchFilter(django_filters.CharFilter):
    """``q``: the site search (``iomcms.search``) applied to the list.

    It keeps the matching rows; a :class:`ListFilterSet` also keeps what the search found, so
    the list can rank the rows by relevance and show snippets.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        result = qs.search(value)
        if result.searched and isinstance(self.parent, ListFilterSet):
            self.parent.found(result)
        return result.matches


class CountriesHold(Func):
    """Whether a multiple CountryField (two-letter codes joined by commas: "CO,EC,PE") holds
    one code, as a whole element: "CO" is not found in "COL" or "XCO".

    On PostgreSQL it is ``string_to_array(field, ',') @> ARRAY[code]``, the expression the GIN
    indexes of the news and project migrations are built on, so a filter by country reads the
    index instead of every row (docs/decisions.md, "Flat public pages"). Elsewhere (SQLite) it
    looks for ",CO," in ",CO,EC,PE,".
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, field_name, code):
        super().__init__(F(field_name), Value(code, output_field=CharField()))

    def _compile(self, compiler, template):
        field, code = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        code_sql, code_params = compiler.compile(code)
        return template.format(field=field_sql, code=code_sql), (*field_params, *code_params)

    def as_sql(self, compiler, connection, **extra_context):
        return self._compile(compiler, "instr(',' || {field} || ',', ',' || {code} || ',') > 0")

    def as_postgresql(self, compiler, connection, **extra_context):
        return self._compile(compiler, "string_to_array({field}, ',') @> ARRAY[{code}]::text[]")


def country_condition(model, field_name, code):
    """The rows whose country field holds ``code``: equal to it for a single CountryField;
    one of the codes for a multiple one (:class:`CountriesHold`)."""
    if getattr(model._meta.get_field(field_name), "multiple", False):
        return Q(CountriesHold(field_name, code))
    return Q(**{field_name: code})


def stored_country_codes(value):
    """The codes of a multiple country field's value as grouped in SQL ("CO,EC", the stored
    text) or as loaded (a list of countries): the one way a grouped value is split (facet
    counts, project statistics, country pages)."""
    codes = value if isinstance(value, (list, tuple)) else str(value or "").split(",")
    return [str(code) for code in codes if str(code)]


def any_country_condition(model, field_name, codes):
    """The rows whose country field holds at least one of ``codes`` (related content): one
    :func:`country_condition` per code, ORed, so each still reads the GIN index on PostgreSQL
    (a BitmapOr); no row for no codes."""
    condition = Q(pk__in=[])
    for code in codes:
        condition |= country_condition(model, field_name, code)
    return condition


class CountryCodeField(django_filters.fields.ChoiceField):
    """An ISO 3166 alpha-2 code in any case: ``co`` is Colombia, shown selected as ``CO``."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def prepare_value(self, value):
        return value.strip().upper() if isinstance(value, str) else value


class CountryFilter(django_filters.ChoiceFilter):
    """``country``: an ISO 3166 alpha-2 code, in a single or a multiple CountryField."""

    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", lambda: list(countries))
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("empty_label", _("Any country"))
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(country_condition(self.model, self.field_name, value))


class YearField(forms.IntegerField):
    # A text box, not <input type="number">: a bad value from a link ("?year=abc") is shown
    # back to the reader with its error, and a number input cannot hold it in valid HTML.
    widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 6})


class YearFilter(django_filters.Filter):
    """``year``, within the bounds of the model field (its validators, else the plausible
    years). On a date field it becomes a range, so an index on the date still serves it."""

    field_class = YearField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Year"))
        super().__init__(*args, **kwargs)

    def model_field(self):
        return self.model._meta.get_field(self.field_name)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            low, high = year_bounds(self.model_field())
            self.extra.setdefault("min_value", low)
            self.extra.setdefault("max_value", high)
        return super().field

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        if isinstance(self.model_field(), DateField):
            return qs.filter(
                **{
                    f"{self.field_name}__gte": datetime.date(value, 1, 1),
                    f"{self.field_name}__lte": datetime.date(value, 12, 31),
                }
            )
        return qs.filter(**{self.field_name: value})


ALL_LANGUAGES = "all"


def chosen_language(value):
    """What ``lang=value`` asks for: a content language, ``ALL_LANGUAGES``, or (empty or
    unknown) the interface's language, the default (docs/decisions.md, "Three languages")."""
    if value == ALL_LANGUAGES or value in language_codes():
        return value
    return interface_language()


def language_condition(value, field_name="language"):
    """The rows ``lang=value`` keeps (:func:`chosen_language`), as a ``Q``."""
    language = chosen_language(value)
    return Q() if language == ALL_LANGUAGES else Q(**{field_name: language})


class LanguageField(django_filters.fields.ChoiceField):
    """Shows the interface's language selected when the reader chose none."""

    def prepare_value(self, value):
        return value or interface_language()


class LanguageFilter(django_filters.ChoiceFilter):
    """``lang``: items in one language (``en``, ``fr``, ``es``) or in all (``all``). Without a
    valid value, the interface's language: a filter, not an order, so each list keeps
    reading its ordering index (docs/decisions.md, "Three languages")."""

    field_class = LanguageField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "language")
        kwargs.setdefault(
            "choices", lambda: [*settings.LANGUAGES, (ALL_LANGUAGES, _("All languages"))]
        )
        kwargs.setdefault("label", _("Language"))
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(language_condition(value, self.field_name))

    def filter_default(self, qs):
        return self.filter(qs, "")

    def keeps_all(self, value):
        """Whether ``value`` (None: none given) keeps every language."""
        return chosen_language(value or "") == ALL_LANGUAGES

    def is_default(self, value):
        """Whether ``value`` keeps the rows the default keeps (the interface's language)."""
        return chosen_language(value) == chosen_language("")


class SortFilter(django_filters.OrderingFilter):
    """``sort``: an order the reader chose. It only reorders: it is left out of canonical URLs
    and does not make a list "filtered". The primary key ends the order, so a page boundary
    never repeats or skips a row."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FastSelect)
        kwargs.setdefault("label", _("Sort by"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        ordered = super().filter(qs, value)
        if ordered is qs:
            return qs
        return ordered.order_by(*ordered.query.order_by, "pk")
