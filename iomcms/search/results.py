"""``queryset.search(q)``: one object for what a search found, used by the lists, the search
page and (through the ``q`` filter) the feeds.

Only the newest ``MAX_RESULTS + 1`` matches in the model's natural order (the *candidates*)
are ranked and counted: a word found in 60,000 items must not rank 60,000 items.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Expression
from django.db.models.expressions import RawSQL
from django.utils import translation
from django.utils.functional import cached_property

from .. import pagination
from . import sqlite
from .postgres import PostgreSQLSearch
from .query import has_words, normalize_query, with_alternatives
from .snippets import SNIPPET_ATTR
from .specs import spec_for

# How many matches (the newest) are ranked and counted: past it, counts read "500+".
MAX_RESULTS = 500


def backend_for(queryset, q, language=None):
    """The database's search for ``q``, by a reader of ``language`` (PostgreSQL stems the
    query in it; the SQLite fallback has no stemming)."""
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return PostgreSQLSearch(q, language)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        sqlite.register_functions(connection)
    return sqlite.SQLiteSearch(q)


def is_capped(total):
    return pagination.is_capped(total, MAX_RESULTS)


def count_label(total):
    """``"37"``, ``"500+"`` (the vocabulary of every capped count: :mod:`iomcms.pagination`)."""
    return pagination.count_label(total, MAX_RESULTS)


def _natural_order(model):
    return [*(model._meta.ordering or []), "pk"]


def _same_shape(queryset):
    """A fresh queryset of ``queryset``'s model that loads rows the same way, without its
    filters (the ranked query selects by primary key from the filtered candidates)."""
    fresh = queryset.model._default_manager.all()
    fresh.query.select_related = queryset.query.select_related
    fresh.query.deferred_loading = queryset.query.deferred_loading
    if queryset._prefetch_related_lookups:
        fresh = fresh.prefetch_related(*queryset._prefetch_related_lookups)
    return fresh


class _PkAmong(Expression):
    """``pk`` among a list of primary keys, the list one parameter: ``= ANY(%s::bigint[])`` on
    PostgreSQL. ``pk__in`` writes a placeholder per key: for 501 candidates Django prepared
    each key and psycopg split a 501-placeholder statement, about 5 ms of Python a query, more
    than PostgreSQL took to read the rows (measured on bench/search.py's 100,000 items)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, pks):
        super().__init__()
        self.pks = list(pks)
        self.column = None

    def resolve_expression(self, query=None, *args, **kwargs):
        resolved = self.copy()
        resolved.column = query.model._meta.pk.get_col(query.get_initial_alias())
        return resolved

    def as_sql(self, compiler, connection):
        column_sql, params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            db_type = self.column.target.db_type(connection)
            # The array as its text form ("{1,2,3}"): psycopg dumps a list of 501 ints one
            # by one (about 0.5 ms a query); the keys are integers read from the database.
            array = "{" + ",".join(str(int(pk)) for pk in self.pks) + "}"
            return f"{column_sql} = ANY(%s::{db_type}[])", [*params, array]
        if not self.pks:
            raise EmptyResultSet
        marks = ", ".join(["%s"] * len(self.pks))
        return f"{column_sql} IN ({marks})", [*params, *self.pks]


def filter_pks(queryset, pks):
    """``queryset`` narrowed to the rows whose primary key is in ``pks`` (a list, such as a
    search's candidates): what ``filter(pk__in=pks)`` keeps, in one parameter on PostgreSQL."""
    return queryset.filter(_PkAmong(pks))


class SearchResult:
    """What a search for ``q`` found among the rows of a queryset.

    - ``query``: ``q`` as searched (:func:`normalize_query`); ``searched``: whether it has a
      letter or digit to look for.
    - ``matches``: the matching rows, a queryset in the original order, to filter further or
      to read as they are (a feed): every row when ``q`` is empty, none when it has no word.
    - ``candidates``: the primary keys of the newest ``MAX_RESULTS + 1`` matches, fetched once.
    - ``count`` (no further than ``MAX_RESULTS + 1``), ``capped``, ``count_label`` ("500+").
    - :meth:`rows`: the rows to show, each with ``rank`` and ``snippet``: the candidates most
      relevant first (ties in natural order), or, when ``by_relevance`` is off (the reader
      chose a sort), every match in ``matches``' order.
    - :meth:`top`, :meth:`paginator`: the first few rows, or a page at a time.

    ``language`` is the reader's (by default the active interface language): on PostgreSQL
    the query is also read stemmed in it.
    """

    carried = ()  # see carry()
    carried_values = None

    def __init__(self, queryset, q, *, by_relevance=True, language=None):
        self.query = normalize_query(q)
        self.searched = has_words(self.query)
        self.by_relevance = by_relevance
        self.spec = spec_for(queryset.model)
        self.backend = None
        if not self.query:
            self.matches = queryset
        elif not self.searched:
            self.matches = queryset.none()
        else:
            language = language or translation.get_language()
            searched_as = with_alternatives(self.query, language)
            self.backend = backend_for(queryset, searched_as, language)
            self.matches = queryset.filter(self.backend.condition(self.spec))

    def narrowed(self, matches, *, by_relevance=True):
        """The same search over ``matches``: its own matches, filtered or ordered further (the
        other filters of a list)."""
        result = object.__new__(SearchResult)
        result.__dict__.update(
            query=self.query,
            searched=self.searched,
            spec=self.spec,
            backend=self.backend,
            matches=matches,
            by_relevance=by_relevance,
        )
        return result

    def count_in_languages(self, codes, cap):
        """``{code: n}``: how many matches are in each language of ``codes``, no further than
        ``cap``, in one query (a capped subquery per language, :meth:`count_in_language_sql`);
        none for no code."""
        if not codes:
            return {}
        parts, params = [], []
        for code in codes:
            sql, code_params = self.count_in_language_sql(code, cap)
            parts.append(f"({sql})")
            params.extend(code_params)
        with connections[self.matches.db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            return dict(zip(codes, cursor.fetchone(), strict=True))

    def count_in_language_sql(self, code, cap):
        """SQL and parameters: how many matches are in language ``code`` (a model with a
        language, :class:`Spec`), no further than ``cap``. The database's own way when it has
        one (PostgreSQL: :meth:`~iomcms.search.postgres.PostgreSQLSearch.count_in_language_sql`),
        else a capped ``COUNT`` of ``matches.filter(language=code)``."""
        own = getattr(self.backend, "count_in_language_sql", None)
        order = _natural_order(self.matches.model)
        found = own and own(self.spec, self.matches, code, order, cap)
        if found:
            return found
        rows = self.matches.filter(**{self.spec.language: code}).order_by().values("pk")[:cap]
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:  # nothing to look for: no row
            return "SELECT 0", ()
        return f"SELECT COUNT(*) FROM ({sql}) AS one", params

    def _candidates_query(self, *, ranked=False, carried=()):
        """The newest ``MAX_RESULTS + 1`` matches' primary keys (with ``ranked``, each with its
        rank and the ``carried`` columns: ``(pk, rank, *carried)``): a queryset, or ``RawSQL``
        when the database's search finds them its own way (PostgreSQL's date walk,
        :meth:`~iomcms.search.postgres.PostgreSQLSearch.candidates_sql`)."""
        order = _natural_order(self.matches.model)
        rank = self.backend.rank(self.spec) if ranked else None
        own = getattr(self.backend, "candidates_sql", None)
        sql = own and own(
            self.spec, self.matches, order, MAX_RESULTS + 1, rank=rank, carried=carried
        )
        if sql:
            return RawSQL(*sql)
        newest = self.matches.order_by(*order)
        if ranked:
            newest = newest.annotate(_rank=rank)
            return newest.values_list("pk", "_rank", *carried)[: MAX_RESULTS + 1]
        return newest.values_list("pk", flat=True)[: MAX_RESULTS + 1]

    def carry(self, fields):
        """Read ``fields`` (the model's own columns) with the candidates, for a caller that
        would read them again in a query of its own (a list's facet counts,
        :mod:`iomcms.facets`): ``carried_values`` then holds them, a tuple per candidate in
        the candidates' order. They are the column's stored values when PostgreSQL's date walk
        found the candidates, the field's Python values when a queryset did (a multiple
        country field: its text, or a list; :func:`~iomcms.filters.stored_country_codes`
        reads both). Called after the candidates were fetched, it changes nothing."""
        if "_ranked_candidates" not in self.__dict__:
            self.carried = tuple(fields)

    @cached_property
    def _ranked_candidates(self):
        """``[(pk, rank)]`` of the candidates in natural order, read in one query: the rank
        is computed as the rows are found, so ranking reads no row a second time."""
        query = self._candidates_query(ranked=True, carried=self.carried)
        if isinstance(query, RawSQL):
            with connections[self.matches.db].cursor() as cursor:
                cursor.execute(query.sql, query.params)
                rows = cursor.fetchall()
        else:
            rows = list(query)
        if self.carried:
            self.carried_values = [tuple(row[2:]) for row in rows]
        return [(row[0], row[1]) for row in rows]

    @cached_property
    def candidates(self):
        return [pk for pk, _rank in self._ranked_candidates]

    @cached_property
    def _by_relevance(self):
        """The candidates most relevant first; ties keep the natural order (a stable sort of
        rows fetched in that order)."""
        return sorted(self._ranked_candidates, key=lambda candidate: -candidate[1])

    @cached_property
    def count(self):
        """How many rows match, no further than ``MAX_RESULTS + 1``: the number of candidates
        when they were fetched already, else a COUNT without ranking or ordering."""
        if "_ranked_candidates" in self.__dict__:
            return len(self.candidates)
        return self.matches.order_by().values("pk")[: MAX_RESULTS + 1].count()

    @property
    def capped(self):
        return is_capped(self.count)

    @property
    def count_label(self):
        return count_label(self.count)

    def _with_snippets(self, rows):
        rows = rows.annotate(**{SNIPPET_ATTR: self.backend.snippet_source(self.spec)})
        rows._iterable_class = self.backend.iterable(self.spec)
        return rows

    def rows(self):
        """The rows to show, with ``rank`` and ``snippet`` (see the class), as a queryset: by
        relevance, the candidates found in a subquery and ranked in SQL."""
        if not self.searched:
            return self.matches
        rank = self.backend.rank(self.spec)
        if self.by_relevance:
            order = _natural_order(self.matches.model)
            rows = _same_shape(self.matches).filter(pk__in=self._candidates_query())
            rows = rows.annotate(rank=rank).order_by("-rank", *order)
        else:
            rows = self.matches.annotate(rank=rank)
        return self._with_snippets(rows)

    def ranked(self, start, stop):
        """Rows ``start`` to ``stop`` of the candidates most relevant first, each with its
        ``rank`` and ``snippet``: one query for those rows alone (their snippets), the
        candidates and their ranks being fetched already (or now, first)."""
        chosen = self._by_relevance[start:stop]
        if not chosen:
            return []
        by_pk = {row.pk: row for row in self.shown_query(chosen)}
        shown = []
        for pk, rank in chosen:
            row = by_pk.get(pk)  # gone since the candidates were read: left out
            if row is not None:
                row.rank = rank
                shown.append(row)
        return shown

    def shown_query(self, chosen):
        """The queryset of the rows ``chosen`` (``[(pk, rank)]``) with their snippets, in no
        order (:meth:`ranked` orders them)."""
        rows = filter_pks(_same_shape(self.matches), [pk for pk, _rank in chosen]).order_by()
        return self._with_snippets(rows)

    def top(self, size):
        """The ``size`` first rows: the candidates with their ranks (their number is
        ``count``), then, when there are some, the ``size`` best ranked of them with their
        snippets. Two queries; the second reads ``size`` rows, not every candidate again."""
        if not self.searched:
            return []
        return self.ranked(0, size)

    def paginator(self, per_page, **kwargs):
        if self.searched and self.by_relevance:
            return SearchPaginator(self, per_page, **kwargs)
        # In the list's own order (the reader sorted): a list's bounded pagination.
        return pagination.CappedPaginator(self.rows(), per_page, **kwargs)


class _RankedRows:
    """The candidates most relevant first as a sequence a paginator slices: a slice is one
    query for those rows (:meth:`SearchResult.ranked`)."""

    def __init__(self, result):
        self.result = result

    def __len__(self):
        return len(self.result.candidates)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.result.ranked(index.start or 0, index.stop)
        return self.result.ranked(index, index + 1)[0]


class SearchPaginator(pagination.CappedPaginator):
    """Ranked rows a page at a time, in two queries: the candidates with their ranks (their
    number is the count), then the page's rows with their snippets. Its pages cover the
    ``MAX_RESULTS`` most recent matches, like its count."""

    def __init__(self, result, per_page, **kwargs):
        super().__init__(result.matches, per_page, cap=MAX_RESULTS, **kwargs)
        self.result = result

    @cached_property
    def count(self):
        return len(self.result.candidates)

    def page(self, number):
        self.object_list = _RankedRows(self.result)
        return super().page(number)


class SearchableModel:
    """A model whose rows can be search results. ``snippet`` (the matching words, marked) is
    set on the rows a search returns; elsewhere it is empty, so a template's
    ``{% if row.snippet %}`` reads an attribute instead of failing four lookups per row."""

    snippet = ""


class SearchQuerySetMixin:
    """``search(q)`` on a content queryset (its model needs a spec in ``SPECS``)."""

    def search(self, q, *, language=None):
        """What a search for ``q`` finds among these rows: a :class:`SearchResult`, for a
        reader of ``language`` (by default the active interface language)."""
        return SearchResult(self, q, language=language)
