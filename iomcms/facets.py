"""Facet counts: beside each option of a list's filters, how many public rows it would give.

A list's facets follow from its FilterSet (:mod:`iomcms.filters`): a country, year, language,
choice or related-list filter has one; the search box, budgets and ``sort`` have none. Each
facet counts the rows of the current selection with **its own filter left out** (the way
ReliefWeb and most search pages do it): on ``/news/?country=CO&kind=statement`` the countries
are counted among the statements and the kinds among Colombia's items, so every option says
what choosing it instead would give. Leaving out ``lang`` counts every language.

The options are drawn from the counts, so a select offers only what public content holds
(no Antarctica when nothing is about it); a chosen value that holds nothing is kept, with 0.
Countries come most used first, years newest first, languages in ``settings.LANGUAGES``
order, the other choices in their own order and related lists (regions, types) by name.

Cost: one query per set of counted rows (:func:`count_together`), over the public rows
(``published()`` is the list's own base queryset), whatever the number of options. The facets
whose own filter chose nothing all count the selection itself, so they share one query and one
read of the rows: ``GROUP BY GROUPING SETS`` on PostgreSQL, ``UNION ALL`` of their ``GROUP BY``
elsewhere (SQLite). Unfiltered ``/news/`` thus runs two (the language facet counts every
language), ``/projects/`` two instead of seven. With a search (``q``) the counts are
among the newest ``MAX_RESULTS + 1`` matches, the ones the list ranks and counts ("500+"),
except the language facet's: each language is counted on its own to ``MAX_RESULTS + 1``, as
the list of that language would count (:func:`_count_languages_searched`); a count past
``MAX_RESULTS`` reads "500+" beside its option.
A multiple country field (codes joined by commas) is grouped by its stored value (a few
hundred combinations) and split in Python. The counts are kept
in the page cache's store under the current generation until the next scheduled go-live or
expiry at the latest (:func:`iomcms.pagecache.remember`): an edit, a publish or an import
makes them invisible at once, and a scheduled item is counted from its go-live second.

:func:`facets` returns plain data, ``{name: [{"value", "label", "count", "selected"}]}``,
for the pages (:func:`show_counts` puts the counts in the form's selects) and any other output
of the same lists (the JSON API). An empty list in one language links to the others from its
language facet's counts (:func:`languages_elsewhere`); the site search, which has no
FilterSet, counts them with :func:`searched_language_options`.
"""

import hashlib
import json
from collections import Counter
from operator import itemgetter
from types import SimpleNamespace

import django_filters
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import DateField, F
from django.db.models.functions import ExtractYear
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import pagecache
from .filters import (
    ALL_LANGUAGES,
    CountryFilter,
    FastSelect,
    LanguageFilter,
    YearFilter,
    chosen_language,
    reorders_only,
    stored_country_codes,
)
from .languages import interface_language, language_codes, language_name, localized
from .search import results as search_results
from .search.folding import search_fold
from .search.results import count_label, filter_pks, is_capped


class Facet:
    """The counts of one filter's options. ``count(queryset)`` runs one query and returns
    ``[(value, count, label or None)]`` (plain data, cacheable); ``options()`` labels and
    orders them."""

    def __init__(self, name, filter_):
        self.name = name
        self.filter = filter_
        self.field_name = filter_.field_name

    def count(self, queryset):
        """One query: :func:`count_together` with this facet alone."""
        return count_together(queryset, [self])[self.name]

    def paths(self, model):
        """What :meth:`tally_groups` counts of each row: field paths or expressions for
        values_list."""
        return [self.field_name]

    def grouping(self, model):
        """What the counting query groups by: :meth:`paths`, or fewer distinct values."""
        return self.paths(model)

    def tally_groups(self, groups):
        """The counts from ``[(values, n)]``: ``values`` holds :meth:`paths` (or
        :meth:`grouping`) of ``n`` rows. A missing or empty value is not an option."""
        counts = Counter()
        for (value,), n in groups:
            if value not in (None, ""):
                counts[str(value)] += n
        return [(value, n, None) for value, n in counts.items()]

    def labels(self, field):
        """``{value: label}`` of the choices the form field knows, in their order."""
        return {}

    def label(self, value, stored_label):
        return stored_label or value

    def order(self, options, labels):
        return options

    def options(self, counted, selected, field, selected_label=None):
        """The options, labelled and ordered; ``selected`` is the chosen value as the form
        writes it ('' when none), ``selected_label`` its label if the count has none."""
        labels = self.labels(field)
        options = [
            {
                "value": value,
                "label": labels.get(value) or self.label(value, stored),
                "count": n,
                "selected": value == selected,
            }
            for value, n, stored in counted
        ]
        if selected and not any(option["selected"] for option in options):
            # Chosen, valid, and held by nothing public under the other filters: still shown.
            options.append(
                {
                    "value": selected,
                    "label": labels.get(selected) or self.label(selected, selected_label),
                    "count": 0,
                    "selected": True,
                }
            )
        return self.order(options, labels)


class ChoiceFacet(Facet):
    """A fixed list of choices (kind, status, coverage), in its own order."""

    def labels(self, field):
        return {str(key): str(label) for key, label in field.choices if key != ""}

    def options(self, counted, selected, field, selected_label=None):
        # A value no choice has (an old kind in the data) is not an option: choosing it
        # would be refused.
        known = self.labels(field)
        counted = [row for row in counted if row[0] in known]
        return super().options(counted, selected, field, selected_label)

    def order(self, options, labels):
        rank = {key: position for position, key in enumerate(labels)}
        return sorted(options, key=lambda option: rank.get(option["value"], len(rank)))


class RelatedFacet(Facet):
    """A related list (region, project type): its ``to_field_name`` (slug) and its names, read
    in the same query, labelled in the reader's language (:func:`~iomcms.languages.localized`,
    the rule :class:`~projects.models.NamedList` shows its names by)."""

    def _key_and_names(self):
        key = f"{self.field_name}__{self.filter.extra.get('to_field_name', 'pk')}"
        language = interface_language()
        names = {"name": f"{self.field_name}__name"}
        if language != settings.LANGUAGE_CODE:
            names[f"name_{language}"] = f"{self.field_name}__name_{language}"
        return key, names

    def paths(self, model):
        key, names = self._key_and_names()
        return [key, *names.values()]

    def tally_groups(self, groups):
        _key, names = self._key_and_names()
        counts, labels = Counter(), {}
        for (value, *name_values), n in groups:
            if value is None:
                continue
            counts[str(value)] += n
            named = SimpleNamespace(**dict(zip(names, name_values, strict=True)))
            labels[str(value)] = localized(named)
        return [(value, n, labels[value]) for value, n in counts.items()]

    def order(self, options, labels):
        return sorted(options, key=lambda option: search_fold(option["label"]))


class YearFacet(Facet):
    """Years, newest first: the year of a date field, or a year field itself."""

    def grouping(self, model):
        if isinstance(model._meta.get_field(self.field_name), DateField):
            return [ExtractYear(self.field_name)]  # a few dozen years, not thousands of days
        return self.paths(model)

    def tally_groups(self, groups):
        counts = Counter()
        for (value,), n in groups:
            if value is not None:
                counts[str(int(getattr(value, "year", value)))] += n
        return [(year, n, None) for year, n in counts.items()]

    def order(self, options, labels):
        return sorted(options, key=lambda option: -int(option["value"]))


class LanguageFacet(Facet):
    """Content languages, and ``all`` (every language: the sum)."""

    def options(self, counted, selected, field, selected_label=None):
        return language_options(counted, selected)


def language_options(counted, selected):
    """Each content language that holds rows (or is ``selected``), then every language (the
    sum): the language facet's options, from ``[(code, count, label)]``."""
    counts = {value: n for value, n, _label in counted if value in language_codes()}
    return [
        {
            "value": code,
            "label": language_name(code),
            "count": counts.get(code, 0),
            "selected": code == selected,
        }
        for code in language_codes()
        if counts.get(code) or code == selected
    ] + [
        {
            "value": ALL_LANGUAGES,
            "label": str(_("All languages")),
            "count": sum(counts.values()),
            "selected": selected == ALL_LANGUAGES,
        }
    ]


class CountryFacet(Facet):
    """Countries, most used first. A multiple field is split into its codes."""

    def tally_groups(self, groups):
        """A multiple field is counted by its stored value (a few hundred combinations, such
        as "CO,EC") and split here: each code counts the rows that hold it."""
        counts = Counter()
        for (value,), n in groups:
            for code in stored_country_codes(value):
                counts[code] += n
        return [(code, n, None) for code, n in counts.items()]

    def label(self, value, stored_label):
        return str(countries.name(value)) or value

    def order(self, options, labels):
        return sorted(options, key=lambda option: (-option["count"], search_fold(option["label"])))


def count_together(rows, among):
    """``{name: [(value, count, label or None)]}`` of the facets ``among`` that count the same
    ``rows``, in one query and one read of the rows: on PostgreSQL one ``GROUP BY GROUPING
    SETS``, a set per facet; elsewhere (SQLite) a ``UNION ALL`` of one ``GROUP BY`` per facet
    over the same rows. Each facet groups by its :meth:`~Facet.grouping` and counts from the
    groups (:meth:`~Facet.tally_groups`), which leave out missing and empty values."""
    model = rows.model
    columns, sets = {}, []
    for facet in among:
        aliases = []
        for path in facet.grouping(model):
            alias = f"_facet{len(columns)}"
            columns[alias] = F(path) if isinstance(path, str) else path
            aliases.append(alias)
        sets.append(aliases)
    inner = rows.order_by().annotate(**columns).values_list(*columns)
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a search with no word to look for: nothing, no query
        return {facet.name: [] for facet in among}
    connection = connections[rows.db]

    def column(alias):
        return f"picked.{connection.ops.quote_name(alias)}"

    everything = ", ".join(column(alias) for alias in columns)
    if connection.vendor == "postgresql" and len(sets) > 1:
        # GROUPING(first column of each set): set k's rows have bit k (from the left) clear.
        which = "GROUPING(" + ", ".join(column(aliases[0]) for aliases in sets) + ")"
        grouping = ", ".join(
            "(" + ", ".join(column(alias) for alias in aliases) + ")" for aliases in sets
        )
        sql = (
            f"SELECT {which}, {everything}, COUNT(*) FROM ({sql}) AS picked "
            f"GROUP BY GROUPING SETS ({grouping})"
        )
    else:
        branches = []
        for position, aliases in enumerate(sets):
            chosen = ", ".join(column(alias) if alias in aliases else "NULL" for alias in columns)
            grouped = ", ".join(column(alias) for alias in aliases)
            branches.append(
                f"SELECT {position}, {chosen}, COUNT(*) FROM ({sql}) AS picked GROUP BY {grouped}"
            )
        sql, params = " UNION ALL ".join(branches), tuple(params) * len(sets)
    starts = [list(columns).index(aliases[0]) + 1 for aliases in sets]
    groups = [[] for _ in sets]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            position = row[0]
            if connection.vendor == "postgresql" and len(sets) > 1:
                position = next(
                    k for k in range(len(sets)) if not row[0] >> (len(sets) - 1 - k) & 1
                )
            start = starts[position]
            groups[position].append((row[start : start + len(sets[position])], row[-1]))
    return {facet.name: facet.tally_groups(groups[k]) for k, facet in enumerate(among)}


def facet_for(name, filter_):
    """The facet of a filter, or ``None`` (text, numbers, ``sort``)."""
    if reorders_only(filter_):
        return None
    if isinstance(filter_, CountryFilter):
        return CountryFacet(name, filter_)
    if isinstance(filter_, YearFilter):
        return YearFacet(name, filter_)
    if isinstance(filter_, LanguageFilter):
        return LanguageFacet(name, filter_)
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        return RelatedFacet(name, filter_)
    if isinstance(filter_, django_filters.ChoiceFilter):
        return ChoiceFacet(name, filter_)
    return None


def facets_of(filterset):
    """The facets of a bound list FilterSet, in the form's order."""
    found = [facet_for(name, filter_) for name, filter_ in filterset.filters.items()]
    return [facet for facet in found if facet is not None]


def _selected(filterset, name):
    """The applied value of filter ``name`` as the form writes it ('' when none)."""
    if isinstance(filterset.filters[name], LanguageFilter):
        return chosen_language(filterset.applied.get(name, ""))
    value = filterset.applied.get(name)
    if value is None:
        return ""
    return str(filterset.form.fields[name].prepare_value(value))


def _cache_key(filterset):
    """The selection (valid filters that choose rows), the language it defaults to and the
    interface's (search stems in it): what the counts depend on."""
    selection = {
        "model": filterset.queryset.model._meta.label_lower,
        "selection": sorted(filterset.selection()),
        "language": chosen_language(filterset.applied.get("lang", "")),
        "interface": interface_language(),
    }
    digest = hashlib.sha256(json.dumps(selection, sort_keys=True).encode()).hexdigest()
    return f"facets:{digest[:32]}"


def _counted_rows(filterset, name):
    """The rows facet ``name`` counts: the selection without its own filter. With a search,
    among the newest ``MAX_RESULTS + 1`` matches, the ones the list ranks and counts ("500+"),
    so a common word costs a bounded read, not one of every match per facet. (When the
    facet's filter keeps every row, those are the list's own candidates, tallied instead:
    :func:`_counted_among_candidates`.)"""
    search = filterset.search
    if search is None or not search.searched:
        return filterset.rows_without(name)
    rows = filterset.rows_without(name)
    # The newest matches of these rows, found as the list finds its own (the search's date
    # walk for words PostgreSQL would take for rare: iomcms/search/postgres.py).
    newest = search.narrowed(rows)._candidates_query()
    return rows.model._default_manager.filter(pk__in=newest)


def _tally_candidates(filterset, among):
    """The counts of the facets in ``among`` over the list's search candidates, which the list
    fetches anyway: their values read with the candidates when they are the model's own
    columns (:func:`carry_facet_columns`), else in one query, and counted here, instead of a
    GROUP BY per facet (at most ``MAX_RESULTS + 1`` rows)."""
    model = filterset.queryset.model
    paths = {facet.name: facet.paths(model) for facet in among}
    columns = [path for facet in among for path in paths[facet.name]]
    search = filterset.search
    candidates = search.candidates
    rows, position = [], None
    if search.carried and set(columns) <= set(search.carried):
        rows, position = search.carried_values, search.carried.index
    elif candidates:  # none: every count is 0, no query
        rows = list(
            filter_pks(model._default_manager.all(), candidates).order_by().values_list(*columns)
        )
        position = columns.index
    counts = {}
    for facet in among:
        at = [position(path) for path in paths[facet.name]] if rows else [0]
        # Each distinct value once, with its number of rows: 501 candidates hold a few dozen
        # years or country combinations, and a facet labels and splits a value per group.
        values, single = itemgetter(*at), len(at) == 1  # one position: the value, no tuple
        try:
            groups = Counter(map(values, rows))
        except TypeError:  # lists (a multiple country field loaded by a queryset)
            picked = map(values, rows)
            groups = Counter(_hashable(v) if single else tuple(map(_hashable, v)) for v in picked)
        if single:
            groups = {(value,): n for value, n in groups.items()}
        counts[facet.name] = facet.tally_groups(groups.items())
    return counts


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _languages_apart(filterset, facet):
    """Whether a searched list's language facet counts each language on its own
    (:func:`_count_languages_searched`): unless the list holds every language and all its
    matches are among its candidates, which then tell each language's count."""
    return not filterset.keeps_every_row(facet.name) or filterset.search.capped


def _count_languages_searched(filterset, facet):
    """The language facet of a searched list: each language's matches counted on their own,
    no further than ``MAX_RESULTS + 1`` ("500+"), as the list counts its own. (Counted among
    the newest matches of every language, the languages shared one cap: "Français (130)"
    beside a French list of "500+".) The list's own language takes the number of its
    candidates, fetched already; the others are counted in one query, a capped subquery per
    language. Each is held to its language, so on PostgreSQL it reads that language's GIN
    index with that language's statistics and is matched the way that language's rows are
    (:meth:`~iomcms.search.postgres.PostgreSQLSearch.match_sql`)."""
    rows = filterset.rows_without(facet.name)
    search = filterset.search.narrowed(rows)
    listed = chosen_language(filterset.applied.get(facet.name, ""))
    others = [code for code in language_codes() if code != listed]
    counts = search.count_in_languages(others, search_results.MAX_RESULTS + 1)
    if listed in language_codes():
        counts[listed] = len(filterset.search.candidates)
    return [(code, counts[code], None) for code in language_codes() if counts.get(code)]


def _counted_among_candidates(filterset, facet):
    """Whether a searched list counts facet ``facet`` among its candidates
    (:func:`_tally_candidates`): its own filter keeps every row
    (:meth:`~iomcms.filters.ListFilterSet.keeps_every_row`, a rule, not a comparison of SQL),
    so it counts the list's own matches, and it is not a language facet counting each
    language apart."""
    if isinstance(facet, LanguageFacet) and _languages_apart(filterset, facet):
        return False
    return filterset.keeps_every_row(facet.name)


def carry_facet_columns(filterset):
    """Before a searched list fetches its candidates: have them carry the columns its facets
    would read of them again (:meth:`~iomcms.search.SearchResult.carry`), one query less, when
    those are the model's own columns. A facet on a related list (a project's region, read
    through a join) keeps its query: a join in the date walk could change its plan. (Whether
    the language facet counts each language apart depends on the candidates' number, not yet
    read: its column is carried whenever its filter keeps every row.)"""
    search = filterset.search
    if search is None or not search.searched:
        return
    model = filterset.queryset.model
    own = {field.name for field in model._meta.concrete_fields}
    among = [facet for facet in facets_of(filterset) if filterset.keeps_every_row(facet.name)]
    columns = [path for facet in among for path in facet.paths(model)]
    if columns and all(isinstance(path, str) and path in own for path in columns):
        search.carry(columns)


def counted(filterset):
    """``{name: [(value, count, label or None)]}``: one query per set of counted rows (the
    facets whose own filter chose nothing share one, :func:`count_together`; those counted
    among a search's candidates share one too), or none when the page cache's store holds
    the counts of this selection (:mod:`iomcms.pagecache`)."""

    def compute():
        found, among_candidates, by_rows = {}, [], {}
        searched = filterset.search is not None and filterset.search.searched
        for facet in facets_of(filterset):
            if searched and isinstance(facet, LanguageFacet) and _languages_apart(filterset, facet):
                found[facet.name] = _count_languages_searched(filterset, facet)
                continue
            if searched and _counted_among_candidates(filterset, facet):
                among_candidates.append(facet)
                continue
            # Facets whose own filter keeps every row count the same rows: one query.
            same = None if filterset.keeps_every_row(facet.name) else facet.name
            if same in by_rows:
                by_rows[same][1].append(facet)
                continue
            by_rows[same] = (_counted_rows(filterset, facet.name), [facet])
        for rows, among in by_rows.values():
            found.update(count_together(rows, among))
        if among_candidates:
            found.update(_tally_candidates(filterset, among_candidates))
        return {facet.name: found[facet.name] for facet in facets_of(filterset)}

    return pagecache.remember(_cache_key(filterset), compute)


def facets(filterset):
    """``{name: [{"value", "label", "count", "selected"}]}`` for each facet of ``filterset``
    (a bound :class:`~iomcms.filters.ListFilterSet` over public rows)."""
    by_name = {facet.name: facet for facet in facets_of(filterset)}
    found = {
        name: by_name[name].options(
            rows,
            _selected(filterset, name),
            filterset.form.fields[name],
            selected_label=str(filterset.applied.get(name, "")) or None,
        )
        for name, rows in counted(filterset).items()
    }
    if filterset.search is not None and filterset.search.searched:
        for options in found.values():
            _mark_capped(options)
    return found


def _mark_capped(options):
    # A search counts no further than MAX_RESULTS + 1, its facets neither: past it an option
    # reads "500+", as the list's own count does.
    for option in options:
        if is_capped(option["count"]):
            option.update(count=search_results.MAX_RESULTS + 1, capped=True)
    return options


def searched_language_options(result, listed):
    """The language facet's options (:func:`facets`) beside an empty list in language
    ``listed``: for ``result``, a search over rows of every language, each other language's
    matches counted no further than ``MAX_RESULTS + 1``, in one query. For a page that
    searches without a FilterSet (the site search)."""
    others = [code for code in language_codes() if code != listed]
    counts = result.count_in_languages(others, search_results.MAX_RESULTS + 1)
    counted = [(code, n, None) for code, n in counts.items() if n]
    return _mark_capped(language_options(counted, listed))


def languages_elsewhere(options, query, name="lang"):
    """When a list in one language found nothing, where else to look: for each other
    language that holds matching rows, and for every language, ``{"label": "English (3)",
    "lang": code or None, "querystring": query with name=code}``. ``options`` are the
    language facet's (:func:`facets`), ``query`` the list's parameters (a QueryDict, without
    its page). Empty when the list holds every language or no other language has a row: a
    reader who searched in French for an English word is shown the way to it, instead of
    "nothing" and a link that drops the search."""
    listed = next((option for option in options if option["selected"]), None)
    if listed is None or listed["value"] == ALL_LANGUAGES:
        return []
    links = []
    for option in options:
        if option["selected"] or not option["count"]:
            continue
        code = option["value"]
        elsewhere = query.copy()
        elsewhere[name] = code
        links.append(
            {
                "label": option_label(option),
                "lang": code if code in language_codes() else None,
                "querystring": elsewhere.urlencode(),
            }
        )
    return links


def language_facet_name(filterset):
    """The name of ``filterset``'s language filter (``lang``), or None when it has none."""
    return next(
        (facet.name for facet in facets_of(filterset) if isinstance(facet, LanguageFacet)), None
    )


def option_label(option):
    """ "Colombia (12)", "English (500+)": an option's label with its count."""
    count = option["count"]
    return _("%(label)s (%(count)s)") % {
        "label": option["label"],
        "count": count_label(count)
        if option.get("capped")
        else number_format(count, force_grouping=True),
    }


def show_counts(form, facet_options):
    """Give the form's selects the options of ``facet_options`` (:func:`facets`), each with
    its count: only values public content holds. The fields still accept any valid value (a
    link to a country nothing is about yet gives an empty list, not an error); a year box
    becomes a select of the years that exist."""
    for name, options in facet_options.items():
        field = form.fields[name]
        choices = [(option["value"], option_label(option)) for option in options]
        if isinstance(field.widget, FastSelect):
            empty_label = getattr(field, "empty_label", None)
            empty = [] if empty_label is None else [("", empty_label)]
            field.widget.choices = empty + choices
        else:  # the year: a select of existing years instead of a text box
            field.widget = FastSelect(choices=[("", _("Any year")), *choices])
    return form
