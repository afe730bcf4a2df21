"""Search on PostgreSQL: the ``search_document`` column, ``websearch_to_tsquery`` and
``ts_rank``.

A news item's or project's document holds its words stemmed in its own language and as
written (``iomcms_search``: ``simple`` + ``unaccent``); a contact's, as written only. A query
is read the same two ways, stemmed in the reader's language or as written. An item in the
reader's language matches either reading ("migrants" finds "migrant"); an item in another
language matches the words as typed only (:meth:`PostgreSQLSearch.match_sql`, the one home of
that rule): another language's stemmer cut its words, so a French stem of the query says
nothing about them ("postes" must not find an English "posted" because both stems are
"post"). Snippets mark the words the item's own configuration reads as the query's
(:class:`~iomcms.search.snippets.StemMarks`). The column, its GIN index and
the trigger that fills it come from the migrations (see :mod:`iomcms.search.triggers`);
Django's models do not know the column.
"""

from django.db.models import BooleanField, Expression, F, Field, FloatField
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.sql.where import WhereNode

from .folding import word_runs
from .query import parse, prefix_word, wanted_terms
from .snippets import (
    FIELD_SEPARATOR,
    StemMarks,
    cut_snippet,
    snippet_iterable,
    snippet_source,
    snippet_text,
)
from .specs import (
    CONFIG,
    DOCUMENT_COLUMN,
    LANGUAGE_CONFIGS,
    PAIRS_COLUMN,
    PHRASE_PAIRS_FUNCTION,
    language_config,
    language_document_sql,
    reader_config,
)


class _TsVectorField(Field):
    def db_type(self, connection):
        return "tsvector"


class _Document(Expression):
    """The hidden ``search_document`` column of the queried table."""

    output_field = _TsVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        target = _TsVectorField()
        target.set_attributes_from_name(DOCUMENT_COLUMN)
        target.model = query.model
        return Col(query.get_initial_alias(), target)


def _config_sql(name):
    """SQL of a text search configuration: a constant name of ours (never user input)."""
    return f"'{name}'::regconfig"


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


def pinned_language(query, column):
    """The one value ``column`` of ``query``'s table is held to by the top-level AND terms of
    its WHERE (``language = 'fr'``, a list's language filter), else None."""
    alias = query.get_initial_alias()

    def walk(node):
        if node.connector != "AND" or node.negated:
            return None
        for child in node.children:
            if isinstance(child, WhereNode):
                found = walk(child)
            elif (
                isinstance(child, Exact)
                and isinstance(child.lhs, Col)
                and child.lhs.alias == alias
                and child.lhs.target.column == column
                and isinstance(child.rhs, str)
            ):
                found = child.rhs
            else:
                found = None
            if found is not None:
                return found
        return None

    return walk(query.where)


class _SearchSql(Expression):
    """A search's match (``doc @@ query``) or rank, written when the query is compiled: then
    the rows' language is known when the query's WHERE holds it to one value (a list's
    language filter), and only that language's reading is written
    (:meth:`PostgreSQLSearch.match_sql`)."""

    def __init__(self, search, spec, kind, output_field, pinned=None):
        super().__init__(output_field=output_field)
        self.search, self.spec, self.kind, self.pinned = search, spec, kind, pinned
        self.alias = None

    def resolve_expression(self, query=None, *args, **kwargs):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def as_sql(self, compiler, connection):
        quote = compiler.quote_name
        document = f"{quote(self.alias)}.{quote(DOCUMENT_COLUMN)}"
        pairs = f"{quote(self.alias)}.{quote(PAIRS_COLUMN)}" if self.kind == "match" else None
        language_sql, pinned = None, None
        if self.spec.language:
            language_sql = f"{quote(self.alias)}.{quote(self.spec.language)}"
            pinned = self.pinned or pinned_language(compiler.query, self.spec.language)
        return self.search.match_sql(
            self.spec,
            document,
            language_sql,
            pinned=pinned,
            rank=self.kind == "rank",
            language_term=self.pinned is None,
            pairs=pairs,
        )


class _Match(_SearchSql):
    conditional = True

    def __init__(self, search, spec, pinned=None):
        super().__init__(search, spec, "match", BooleanField(), pinned)


# The date walk before the GIN index (:meth:`PostgreSQLSearch.candidates_sql`): the newest
# PROBE_ROWS rows of the list are tested first; when at least WALK_DENSITY of them match, the
# newest matches are found by walking the list in its order (at most WALK_ROWS rows).
# 10%: 501 matches are then expected within about 5,000 rows, inside the walk's bound; at 25%
# a search of every language (where the reader's words are 10-20% of the rows) fell to the GIN
# index and sorted 17,000 matches (100 ms; docs/decisions.md, "Walk density 25% -> 10%").
PROBE_ROWS = 200
WALK_DENSITY = 0.1
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


def _walk_and_probe(walked, fields, db):
    """SQL and parameters of the date walk over ``walked`` (the list without its search
    condition, in its order): its ``fields`` for at most ``WALK_ROWS`` rows, and the probe,
    its first ``PROBE_ROWS`` rows (one query compiled, not two). Then how many of the probe's
    rows must match for the walk to be tried."""
    walk_sql, walk_params = walked.values(*fields)[:WALK_ROWS].query.get_compiler(db).as_sql()
    probe_sql = f"SELECT * FROM ({walk_sql}) AS first_rows LIMIT {PROBE_ROWS}"
    need = max(1, round(PROBE_ROWS * WALK_DENSITY))
    return (walk_sql, walk_params), (probe_sql, walk_params), need


class PostgreSQLSearch:
    """A search for ``q`` by a reader whose interface is in ``language``."""

    def __init__(self, q, language=None):
        self.q = q
        self.prefix_word = prefix_word(q)
        self.prefix = self.prefix_word is not None
        self.reader_config = reader_config(language)
        # The content language whose rows are read stemmed (the one with the reader's
        # configuration), None when the reader's language has none.
        self.reader_language = next(
            (code for code, config in LANGUAGE_CONFIGS.items() if config == self.reader_config),
            None,
        )
        # Several words that must all appear, no phrase, no alternative: the query whose number
        # of matches PostgreSQL underestimates (see candidates_sql).
        self.groups = groups = parse(q)
        self.walk_first = (
            len(groups) == 1
            and sum(not term.negated for term in groups[0]) >= 2
            and not any(" " in term.text for term in groups[0])
        )
        # The phrases of two words or more that every match holds (no alternative, not
        # excluded): their adjacent words narrow the rows by an index (phrase_pairs_sql), and
        # a list in one language may walk its date order for them (candidates_sql).
        self.phrases = [
            term.phrase
            for term in (groups[0] if len(groups) == 1 else [])
            if term.phrase is not None and not term.negated and len(word_runs(term.text)) >= 2
        ]

    def _tsquery_sql(self, configs):
        """SQL and parameters of ``q`` read with each of ``configs``, ORed.

        The configurations are constants, so the whole expression is immutable: PostgreSQL
        folds it to a constant before planning, so the GIN index and the column statistics
        serve it.
        """
        readings = [_reading_sql(_config_sql(config), self.prefix) for config in configs]
        return "(" + " || ".join(readings) + ")", [self.q] * len(readings)

    def phrase_pairs_sql(self, configs):
        """SQL and parameters: the pair tokens (the ``search_pairs`` column of
        iomcms/migrations/0007) that a row matching this query read with one of ``configs``
        holds: in each configuration, those of every phrase the query requires, ANDed; the
        configurations ORed. None when the query requires no phrase of two words. The value
        is NULL when a reading yields no pair to require (``iomcms_phrase_pairs``): the
        caller writes ``(pairs IS NULL OR ...)``. Every part is a constant, so PostgreSQL
        computes it before planning and reads the tokens' GIN index."""
        if not self.phrases:
            return None
        readings, params = [], []
        for config in configs:
            reading = _reading_sql(_config_sql(config), self.prefix)
            parts = []
            for phrase in self.phrases:
                parts.append(
                    f"{PHRASE_PAIRS_FUNCTION}({reading}, "
                    f"websearch_to_tsquery({_config_sql(config)}, %s))"
                )
                params += [self.q, f'"{phrase}"']
            readings.append("(" + " && ".join(parts) + ")")
        return "(" + " || ".join(readings) + ")", params

    def _narrowed_by_pairs(self, match, narrowing, configs):
        """``match`` (SQL and parameters) and, with ``narrowing`` (the SQL of the row's
        language column and pairs column, and the language's code), the pair tokens of the
        query's phrases in the readings of ``configs``, held to that language: its partial
        GIN index finds the few rows that hold them, knowing the language condition met,
        and only their documents are read."""
        found = narrowing and self.phrase_pairs_sql(configs)
        if not found:
            return match
        (sql, params), (pairs_sql, pairs_params) = match, found
        language, pairs, code = narrowing
        return (
            f"({sql} AND ({pairs_sql} IS NULL OR ({language} = %s AND {pairs} @@ {pairs_sql})))",
            [*params, *pairs_params, code, *pairs_params],
        )

    def match_sql(
        self,
        spec,
        document,
        language=None,
        *,
        pinned=None,
        rank=False,
        language_term=False,
        pairs=None,
    ):
        """SQL and parameters matching (with ``rank``: ranking) the row whose document is the
        SQL ``document`` and whose language is the SQL ``language``, or the code ``pinned``
        when every row is in that language.

        The rule: a row in the reader's language is matched and ranked with ``q`` stemmed in
        that language or as written; any other row (or a model without a language) with ``q``
        as written. When the language is pinned only the reading that applies is written, so
        a list in one language keeps the plain ``document @@ query`` its indexes serve; when
        it is not, ``(language = reader AND document @@ both) OR document @@ as_written``,
        which PostgreSQL reads as a BitmapOr of the GIN index.

        Pinned to another language than the reader's, or with no ``language = code`` term
        beside it (``language_term`` false: a count of one language), the document is that
        language's (:func:`~iomcms.search.specs.language_document_sql`): its own GIN index
        and statistics, so a word of the reader's language, absent there, is estimated absent
        instead of at its frequency in every language (then planned as a scan that stops
        early, which reads every row). Not in the reader's own language beside a
        ``language = code`` term: PostgreSQL multiplies the two estimates as if independent
        and takes a common word for rare (``salud``, 29 ms instead of 2 ms: a bitmap of 7,755
        rows sorted, where the date walk stops at 501).

        A match of a row's own columns (``pairs``, the SQL of its pairs column, given) held to
        one language also requires the pair tokens of the query's phrases in the same
        readings (:meth:`_narrowed_by_pairs`); a search of every language does not (its
        tokens have no index).
        """
        written_sql, written_params = self._tsquery_sql([CONFIG])
        stems = spec.language and self.reader_config != CONFIG
        # The pairs narrow a match held to one language with an index of its own.
        narrowing = None
        if pairs and spec.pairs and self.phrases and language and pinned in LANGUAGE_CONFIGS:
            narrowing = (language, pairs, pinned)
        # Narrowed by the pairs, the document only confirms the rows their index found: as a
        # function call, which no index serves, PostgreSQL does not AND the documents' GIN
        # index into the bitmap (a phrase's bitmap is lossy: every row's pairs, stored out of
        # line, would then be read again to recheck it).
        test = "ts_match_vq({}, {})" if narrowing else "{} @@ {}"
        if spec.language and pinned is not None:
            stems = stems and language_config(pinned) == self.reader_config
            own_document = not language_term or not stems
            if language is not None and pinned in LANGUAGE_CONFIGS and own_document:
                # That language's document: its own GIN index and statistics (specs).
                document = language_document_sql(language, pinned, document)
            language = None
        if not stems:
            if rank:
                return f"ts_rank({document}, {written_sql})", written_params
            match = test.format(document, written_sql), written_params
            return self._narrowed_by_pairs(match, narrowing, [CONFIG])
        readings = [self.reader_config, CONFIG]
        both_sql, both_params = self._tsquery_sql(readings)
        if language is None:  # pinned to the reader's language
            if rank:
                return f"ts_rank({document}, {both_sql})", both_params
            return self._narrowed_by_pairs(
                (test.format(document, both_sql), both_params), narrowing, readings
            )
        code = self.reader_language
        if rank:
            return (
                f"ts_rank({document}, CASE WHEN {language} = %s THEN {both_sql} "
                f"ELSE {written_sql} END)",
                [code, *both_params, *written_params],
            )
        return (
            f"(({language} = %s AND {document} @@ {both_sql}) OR {document} @@ {written_sql})",
            [code, *both_params, *written_params],
        )

    def condition(self, spec):
        return _Match(self, spec)

    def rank(self, spec):
        return _SearchSql(self, spec, "rank", FloatField())

    def count_in_language_sql(self, spec, matches, code, order, cap):
        """SQL and parameters counting the rows of ``matches`` (a queryset holding this
        search's condition) in language ``code``, no further than ``cap``; None when the
        condition cannot be rewritten (the caller filters and counts).

        Two ways in one statement, chosen as the candidates' walk is
        (:meth:`candidates_sql`): when ``WALK_DENSITY`` of the language's newest
        ``PROBE_ROWS`` rows match, the language is walked in ``order`` (its date index) and
        the count stops at ``cap``: a common word costs a few hundred rows. Otherwise, or
        when the walk found fewer than ``cap``, the matches are counted on the language's own
        document (:func:`~iomcms.search.specs.language_document_sql`) without a
        ``language = code`` term: its own GIN index and statistics, which a word of another
        language, absent here, makes a lookup of nothing. (Written with ``language = code``,
        PostgreSQL multiplied the word's frequency in the language by the language's share
        as if independent; a count of ``migrants`` among French rows read 15,000 matches
        through the index, 16 ms.)"""
        stripped = _strip_match(matches.query)
        if not spec.language or stripped is None or code not in LANGUAGE_CONFIGS:
            return None
        base = matches._chain()
        base.query = stripped
        plain = base.filter(_Match(self, spec, pinned=code)).order_by().values("pk")[:cap]
        plain_sql, plain_params = plain.query.get_compiler(matches.db).as_sql()
        walked = (
            base.filter(**{spec.language: code})
            .order_by(*order)
            .annotate(_search_document=_Document())
        )
        (walk_sql, walk_params), (probe_sql, probe_params), need = _walk_and_probe(
            walked, ["_search_document"], matches.db
        )
        probe_match, probe_match_params = self.match_sql(spec, "p.doc", pinned=code)
        walk_match, walk_match_params = self.match_sql(spec, "w.doc", pinned=code)
        sql = (
            f"SELECT CASE WHEN walk.n >= {cap} THEN walk.n "
            f"ELSE (SELECT count(*) FROM ({plain_sql}) c) END FROM ("
            f"SELECT count(*) AS n FROM (SELECT 1 FROM ({walk_sql}) w(doc) "
            f"WHERE (SELECT count(*) FROM ({probe_sql}) p(doc) WHERE {probe_match}) >= {need} "
            f"AND {walk_match} LIMIT {cap}) x) walk"
        )
        params = (
            *plain_params, *walk_params, *probe_params, *probe_match_params,
            *walk_match_params,
        )  # fmt: skip
        return sql, params

    def snippet_source(self, spec):
        return snippet_source(spec, language=bool(spec.language))

    def iterable(self, spec):
        """Snippets that mark what the row's configuration reads as the query's words
        (:class:`~iomcms.search.snippets.StemMarks`): an item is marked in its own language
        whichever reader found it ("réfugiés" in a French item; in an English one found by a
        French reader, the words as English reads them)."""
        words = [word for text in wanted_terms(self.groups) for word in word_runs(text)]
        marks = {}

        def make_snippet(raw):
            config = CONFIG
            if spec.language:
                language, _, raw = (raw or "").partition(FIELD_SEPARATOR)
                config = language_config(language)
            if config not in marks:
                marks[config] = StemMarks(words, self.prefix_word, config)
            text = snippet_text(spec, raw)
            return cut_snippet(text, marks[config].spans(text))

        return snippet_iterable(make_snippet)

    def candidates_sql(self, spec, matches, order, limit, rank=None, carried=()):
        """SQL for the primary keys of the newest ``limit`` rows of ``matches`` (a queryset
        holding this search's condition) in ``order``, when a date walk should be tried before
        the GIN index; None to run the plain query. With ``rank`` (this search's
        :meth:`rank`), each key comes with its rank and the ``carried`` columns (the model's
        own): ``(id, rank, *carried)``.

        PostgreSQL multiplies the frequencies of a query's words as if they were independent,
        so words that go together (``travailleurs de santé``: 9,200 of 25,000 French items,
        900 expected) are taken for rare: it reads every match through the GIN index and sorts
        them, where walking the list's date index would stop after about 1,400 rows. For a
        query of several words, one statement tests the newest ``PROBE_ROWS`` rows first; at
        ``WALK_DENSITY`` or more matching, it walks the list in its order, at most
        ``WALK_ROWS`` rows, and stops at ``limit`` matches. Whenever that walk did not find
        ``limit`` matches (too few rows matched, or the walk was not tried), the plain query
        runs instead, so the rows are always the same as the plain query's.

        A required phrase in a list of one language is tried the same way: the plain query
        then reads its pair tokens' index (:meth:`_narrowed_by_pairs`), every row that holds
        them, which for a phrase in most rows ("de la") costs more than the walk.
        """
        if not self.walk_first and not self.phrases:
            return None
        stripped = _strip_match(matches.query)
        if stripped is None:
            return None
        pinned = spec.language and pinned_language(matches.query, spec.language)
        if not self.walk_first and not (spec.pairs and pinned in LANGUAGE_CONFIGS):
            # A phrase is walked where its pairs serve the plain query, the few rows that hold
            # them; elsewhere the plain query's own plan walks the date order already.
            return None
        base = matches._chain()
        base.query = stripped
        base = base.order_by(*order).annotate(_search_document=_Document())
        plain = matches.order_by(*order)
        # Each carried column under an alias of its own: values() would fold a column the walk
        # reads already (the language) into that one, and the UNION's columns would not align.
        carried = {
            f"_carried_{n}": F(name) for n, name in enumerate(carried if rank is not None else ())
        }
        if rank is None:
            plain = plain.values("pk")
        else:
            plain = plain.annotate(_rank=rank, **carried).values("pk", "_rank", *carried)
        plain_sql, plain_params = plain[:limit].query.get_compiler(matches.db).as_sql()
        # The walked rows' language, when the rule needs it (match_sql): the WHERE does not
        # hold it to one value.
        read = ["_search_document"]
        if spec.language and not pinned:
            read.append(spec.language)
        names = "doc, lang" if len(read) == 2 else "doc"
        # The carried columns ride along the walk, after the ones the probe names.
        extra = [f"c{n}" for n in range(len(carried))]
        (walk_sql, walk_params), (probe_sql, probe_params), need = _walk_and_probe(
            base.annotate(**carried), ["pk", *read, *carried], matches.db
        )

        def rule(prefix, *, ranked=False):
            language = f"{prefix}.lang" if len(read) == 2 else None
            return self.match_sql(
                spec, f"{prefix}.doc", language, pinned=pinned or None, rank=ranked
            )

        probe_match, probe_match_params = rule("p")
        walk_match, walk_match_params = rule("w")
        # The rank of a walked row is read from the document the walk holds already.
        walked, rank_params, columns = "w.id", (), "id"
        if rank is not None:
            rank_sql, rank_params = rule("w", ranked=True)
            walked = ", ".join([f"w.id, {rank_sql} AS rank", *(f"w.{c}" for c in extra)])
            columns = ", ".join(["id, rank", *extra])
        walk_names = ", ".join([names, *extra])
        sql = (
            f"WITH probe AS MATERIALIZED (SELECT count(*) AS n FROM ({probe_sql}) p(id, {names}) "
            f"WHERE {probe_match}), "
            f"walk AS MATERIALIZED (SELECT {walked} FROM ({walk_sql}) w(id, {walk_names}) "
            f"WHERE (SELECT n FROM probe) >= {need} AND {walk_match} LIMIT {limit}) "
            f"SELECT {columns} FROM walk WHERE (SELECT count(*) FROM walk) >= {limit} "
            f"UNION ALL "
            f"SELECT {columns} FROM ({plain_sql}) c({columns}) "
            f"WHERE (SELECT count(*) FROM walk) < {limit}"
        )
        params = (
            *probe_params, *probe_match_params, *rank_params, *walk_params, *walk_match_params,
            *plain_params,
        )  # fmt: skip
        return sql, params
