"""Search on PostgreSQL: the ``search_document`` column, ``websearch_to_tsquery``, ``ts_rank``
and ``ts_headline``.

A news item's or project's document holds its words stemmed in its own language and as
written (``iomcms_search``: ``simple`` + ``unaccent``); a contact's, as written only. A query
is read the same two ways, stemmed in the reader's language or as written (an OR of the two
readings), so an item in the reader's language matches other forms of the words ("migrants"
finds "migrant") and an item in any language matches the words as typed. Snippets are cut with
the item's own configuration. The column, its GIN index and the trigger that fills it come
from the migrations (see :mod:`iomcms.search.triggers`); Django's models do not know the column.
"""

from django.db.models import BooleanField, Expression, Field, FloatField, Func, TextField
from django.db.models.expressions import Col

from .query import parse, wants_prefix
from .snippets import START, STOP, headline_html, snippet_iterable
from .specs import CONFIG, DOCUMENT_COLUMN, language_config_sql, reader_config

HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


class _TsVectorField(Field):
    def db_type(self, connection):
        return "tsvector"


class _TsQueryField(Field):
    def db_type(self, connection):
        return "tsquery"


class _Document(Expression):
    """The hidden ``search_document`` column of the queried table."""

    output_field = _TsVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        target = _TsVectorField()
        target.set_attributes_from_name(DOCUMENT_COLUMN)
        target.model = query.model
        return Col(query.get_initial_alias(), target)


class _Sql(Expression):
    """A fixed piece of SQL over the queried table's columns, written once per search.

    The search's expressions used to be trees of ``Func`` and ``Value`` nodes, three of them a
    query (match, rank, snippet); Django resolves, copies and hashes every node of a tree each
    time it compiles a query, which cost more than PostgreSQL took to run a search that finds
    nothing. Here ``template`` names the row's columns as ``{column}`` (qualified with the
    table's alias when compiled, so it also works in a subquery) and ``q`` is a parameter.
    """

    def __init__(self, template, params=(), *, columns=(), output_field=None):
        super().__init__(output_field=output_field)
        self.template, self.params, self.columns = template, tuple(params), tuple(columns)
        self.alias = None

    def resolve_expression(self, query=None, *args, **kwargs):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias() if self.columns else None
        return resolved

    def as_sql(self, compiler, connection):
        quote = compiler.quote_name
        columns = {name: f"{quote(self.alias)}.{quote(name)}" for name in self.columns}
        return self.template.format(**columns), list(self.params)


def _config_sql(name=None, *, row_language=None):
    """SQL of a text search configuration and the columns it reads: a constant name of ours
    (never user input), or the configuration of the language in the row's ``row_language``."""
    if row_language:
        return language_config_sql("{" + row_language + "}"), (row_language,)
    return f"'{name}'::regconfig", ()


def _reading_sql(config_sql, prefix):
    """websearch_to_tsquery(config, q), q a parameter; with ``prefix``, its last lexeme is also
    a prefix.

    The prefix is added to the parsed query (``'a' & 'migra'`` -> ``'a' & 'migra':*``), so the
    user's text only ever goes through websearch_to_tsquery, which accepts any input.
    """
    sql = f"websearch_to_tsquery({config_sql}, %s)"
    if prefix:
        sql = "regexp_replace(" + sql + "::text, '''$', ''':*')::tsquery"
    return sql


def _escape_html_sql(column_sql):
    """Plain text as HTML text, so ts_headline reads "<b>" in a lead as characters, not a tag."""
    return f"replace(replace(replace({column_sql}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


class _Match(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


# The date walk before the GIN index (:meth:`PostgreSQLSearch.candidates_sql`): the newest
# PROBE_ROWS rows of the list are tested first; when at least WALK_DENSITY of them match, the
# newest matches are found by walking the list in its order (at most WALK_ROWS rows).
PROBE_ROWS = 200
WALK_DENSITY = 0.25
WALK_ROWS = 6000


def _strip_match(query):
    """A copy of ``query`` without its search condition, or None when the condition is not one
    of the WHERE's top-level AND terms (then nothing is rewritten)."""
    if query.where.connector != "AND" or query.where.negated:
        return None
    # A filter on an expression is stored as ``Exact(expression, True)``.
    kept = [c for c in query.where.children if not isinstance(getattr(c, "lhs", None), _Match)]
    if len(kept) != len(query.where.children) - 1:
        return None
    query = query.clone()
    query.where.children = kept
    return query


class PostgreSQLSearch:
    """A search for ``q`` by a reader whose interface is in ``language``."""

    def __init__(self, q, language=None):
        self.q = q
        self.prefix = wants_prefix(q)
        self.reader_config = reader_config(language)
        # Several words that must all appear, no phrase, no alternative: the query whose number
        # of matches PostgreSQL underestimates (see candidates_sql).
        groups = parse(q)
        self.walk_first = (
            len(groups) == 1
            and sum(not term.negated for term in groups[0]) >= 2
            and not any(" " in term.text for term in groups[0])
        )

    def tsquery(self, spec):
        """What documents are matched and ranked with: ``q`` as written, ORed, for a model with
        a language, with ``q`` stemmed in the reader's language.

        The configurations are constants, so the whole expression is immutable: PostgreSQL
        folds it to a constant before planning, so the GIN index and the column statistics
        serve it.
        """
        configs = [CONFIG]
        if spec.language and self.reader_config != CONFIG:
            configs.insert(0, self.reader_config)
        readings = [_reading_sql(_config_sql(config)[0], self.prefix) for config in configs]
        sql = "(" + " || ".join(readings) + ")"
        return _Sql(sql, [self.q] * len(readings), output_field=_TsQueryField())

    def condition(self, spec):
        return _Match(_Document(), self.tsquery(spec))

    def rank(self, spec):
        return Func(_Document(), self.tsquery(spec), function="ts_rank", output_field=FloatField())

    def snippet_source(self, spec):
        # ts_headline reads HTML: plain fields are escaped first, so all of it is HTML text.
        # It reads the text with the row's own configuration and marks the words that match
        # q read that way (with the prefix): the words that made the row match, in most cases.
        # Not also q as written: the text is parsed the row's way, so that reading marked next
        # to nothing more, and ORed in, it made the search for the fragments about three times
        # as long when a query word is common ("de", "the"; docs/decisions.md).
        parts, params = [], []
        for name in spec.snippet:
            if parts:
                parts.append("%s")
                params.append(spec.joiner)
            column = "{" + name + "}"
            text = column if name in spec.html else _escape_html_sql(column)
            parts.append(f"coalesce({text}, '')")
        if spec.language:
            config_sql, config_columns = _config_sql(row_language=spec.language)
        else:
            config_sql, config_columns = _config_sql(CONFIG)
        reading = _reading_sql(config_sql, self.prefix)
        sql = f"ts_headline({config_sql}, {' || '.join(parts)}, {reading}, %s)"
        return _Sql(
            sql,
            [*params, self.q, HEADLINE_OPTIONS],
            columns=(*spec.snippet, *config_columns),
            output_field=TextField(),
        )

    def iterable(self, spec):
        return snippet_iterable(headline_html)

    def candidates_sql(self, spec, matches, order, limit, rank=None):
        """SQL for the primary keys of the newest ``limit`` rows of ``matches`` (a queryset
        holding this search's condition) in ``order``, when a date walk should be tried before
        the GIN index; None to run the plain query. With ``rank`` (this search's
        :meth:`rank`), each key comes with its rank: ``(id, rank)``.

        PostgreSQL multiplies the frequencies of a query's words as if they were independent,
        so words that go together (``travailleurs de santé``: 9,200 of 25,000 French items,
        900 expected) are taken for rare: it reads every match through the GIN index and sorts
        them, where walking the list's date index would stop after about 1,400 rows. For a
        query of several words, one statement tests the newest ``PROBE_ROWS`` rows first; at
        ``WALK_DENSITY`` or more matching, it walks the list in its order, at most
        ``WALK_ROWS`` rows, and stops at ``limit`` matches. Whenever that walk did not find
        ``limit`` matches (too few rows matched, or the walk was not tried), the plain query
        runs instead, so the rows are always the same as the plain query's.
        """
        if not self.walk_first:
            return None
        stripped = _strip_match(matches.query)
        if stripped is None:
            return None
        base = matches._chain()
        base.query = stripped
        base = base.order_by(*order).annotate(_search_document=_Document())
        plain = matches.order_by(*order)
        if rank is None:
            plain = plain.values("pk")
        else:
            plain = plain.annotate(_rank=rank).values("pk", "_rank")
        plain_sql, plain_params = plain[:limit].query.get_compiler(matches.db).as_sql()
        probe_sql, probe_params = (
            base.values("_search_document")[:PROBE_ROWS].query.get_compiler(matches.db).as_sql()
        )
        walk_sql, walk_params = (
            base.values("pk", "_search_document")[:WALK_ROWS]
            .query.get_compiler(matches.db)
            .as_sql()
        )
        compiler = base.query.get_compiler(matches.db)
        tsquery_sql, tsquery_params = compiler.compile(
            self.tsquery(spec).resolve_expression(base.query)
        )
        need = max(1, round(PROBE_ROWS * WALK_DENSITY))
        # The rank of a walked row is read from the document the walk holds already.
        walked, rank_params, columns = "w.id", (), "id"
        if rank is not None:
            walked, rank_params, columns = (
                f"w.id, ts_rank(w.doc, {tsquery_sql}) AS rank",
                tsquery_params,
                "id, rank",
            )
        sql = (
            f"WITH probe AS MATERIALIZED (SELECT count(*) AS n FROM ({probe_sql}) p(doc) "
            f"WHERE p.doc @@ {tsquery_sql}), "
            f"walk AS MATERIALIZED (SELECT {walked} FROM ({walk_sql}) w(id, doc) "
            f"WHERE (SELECT n FROM probe) >= {need} AND w.doc @@ {tsquery_sql} LIMIT {limit}) "
            f"SELECT {columns} FROM walk WHERE (SELECT count(*) FROM walk) >= {limit} "
            f"UNION ALL "
            f"SELECT {columns} FROM ({plain_sql}) c({columns}) "
            f"WHERE (SELECT count(*) FROM walk) < {limit}"
        )
        params = (
            *probe_params, *tsquery_params, *rank_params, *walk_params, *tsquery_params,
            *plain_params,
        )  # fmt: skip
        return sql, params
