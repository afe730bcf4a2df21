"""Search on PostgreSQL: the ``search_document`` column, ``websearch_to_tsquery``, ``ts_rank``
and ``ts_headline``, all in the ``iomcms_search`` configuration (``simple`` + ``unaccent``).

The column, its GIN index and the trigger that fills it come from the migrations (see
:mod:`iomcms.search.triggers`); Django's models do not know the column.
"""

from django.db.models import BooleanField, Expression, F, Field, FloatField, Func, TextField, Value
from django.db.models.expressions import Col

from .query import wants_prefix
from .snippets import START, STOP, headline_html, joined, snippet_iterable
from .specs import CONFIG, DOCUMENT_COLUMN

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


class _WebSearchQuery(Func):
    """websearch_to_tsquery(q); with ``prefix``, the last lexeme also matches as a prefix.

    The prefix is added to the parsed query (``'a' & 'migra'`` -> ``'a' & 'migra':*``), so
    the user's text only ever goes through websearch_to_tsquery, which accepts any input. The
    whole expression is immutable: PostgreSQL folds it to a constant before planning, so the
    GIN index and the column statistics serve it.
    """

    output_field = _TsQueryField()

    def __init__(self, q, prefix=False):
        super().__init__(Value(q))
        self.template = f"websearch_to_tsquery('{CONFIG}'::regconfig, %(expressions)s)"
        if prefix:
            self.template = f"regexp_replace({self.template}::text, '''$', ''':*')::tsquery"


class _Match(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _Headline(Func):
    template = f"ts_headline('{CONFIG}'::regconfig, %(expressions)s)"
    output_field = TextField()


class _EscapeHtml(Func):
    """Plain text as HTML text, so ts_headline reads "<b>" in a lead as characters, not a tag."""

    template = "replace(replace(replace(%(expressions)s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    output_field = TextField()


class PostgreSQLSearch:
    def __init__(self, q):
        self.tsquery = _WebSearchQuery(q, prefix=wants_prefix(q))

    def condition(self, spec):
        return _Match(_Document(), self.tsquery)

    def rank(self, spec):
        return Func(_Document(), self.tsquery, function="ts_rank", output_field=FloatField())

    def snippet_source(self, spec):
        # ts_headline reads HTML: plain fields are escaped first, so all of it is HTML text.
        fields = [F(name) if name in spec.html else _EscapeHtml(name) for name in spec.snippet]
        return _Headline(joined(fields, spec.joiner), self.tsquery, Value(HEADLINE_OPTIONS))

    def iterable(self, spec):
        return snippet_iterable(headline_html)
