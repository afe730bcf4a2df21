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

from django.db.models import BooleanField, Expression, F, Field, FloatField, Func, TextField, Value
from django.db.models.expressions import Col

from .query import wants_prefix
from .snippets import START, STOP, headline_html, joined, snippet_iterable
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


class _Config(Func):
    """A text search configuration: a constant name, or the configuration of the language
    held in a row's column (``row_language``)."""

    output_field = Field()

    def __init__(self, name=None, *, row_language=None):
        if row_language:
            super().__init__(F(row_language))
            self.template = language_config_sql("%(expressions)s")
        else:
            super().__init__(Value(name))
            self.template = "%(expressions)s::regconfig"


class _Reading(Func):
    """websearch_to_tsquery(config, q); with ``prefix``, its last lexeme is also a prefix.

    The prefix is added to the parsed query (``'a' & 'migra'`` -> ``'a' & 'migra':*``), so
    the user's text only ever goes through websearch_to_tsquery, which accepts any input.
    """

    output_field = _TsQueryField()

    def __init__(self, config, q, prefix=False):
        super().__init__(config, Value(q))
        self.template = "websearch_to_tsquery(%(expressions)s)"
        if prefix:
            self.template = f"regexp_replace({self.template}::text, '''$', ''':*')::tsquery"


class _WebSearchQuery(Func):
    """``q`` read with each of ``configs`` (:class:`_Config`), the readings ORed.

    With constant configurations the whole expression is immutable: PostgreSQL folds it to a
    constant before planning, so the GIN index and the column statistics serve it.
    """

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = _TsQueryField()

    def __init__(self, q, configs, prefix=False):
        super().__init__(*[_Reading(config, q, prefix) for config in configs])


class _Match(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _Headline(Func):
    function = "ts_headline"
    output_field = TextField()


class _EscapeHtml(Func):
    """Plain text as HTML text, so ts_headline reads "<b>" in a lead as characters, not a tag."""

    template = "replace(replace(replace(%(expressions)s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    output_field = TextField()


class PostgreSQLSearch:
    """A search for ``q`` by a reader whose interface is in ``language``."""

    def __init__(self, q, language=None):
        self.q = q
        self.prefix = wants_prefix(q)
        self.reader_config = reader_config(language)

    def tsquery(self, spec):
        """What documents are matched and ranked with: ``q`` as written, ORed, for a model with
        a language, with ``q`` stemmed in the reader's language."""
        configs = [_Config(CONFIG)]
        if spec.language and self.reader_config != CONFIG:
            configs.insert(0, _Config(self.reader_config))
        return _WebSearchQuery(self.q, configs, prefix=self.prefix)

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
        fields = [F(name) if name in spec.html else _EscapeHtml(name) for name in spec.snippet]
        config = _Config(row_language=spec.language) if spec.language else _Config(CONFIG)
        query = _Reading(config, self.q, self.prefix)
        return _Headline(config, joined(fields, spec.joiner), query, Value(HEADLINE_OPTIONS))

    def iterable(self, spec):
        return snippet_iterable(headline_html)
