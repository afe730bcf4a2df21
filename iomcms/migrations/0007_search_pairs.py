"""Adjacent-word pairs beside each news item's and project's search document, so that a phrase
is looked up in an index.

A phrase (``"poste frontière"``) matches a document holding its words at consecutive
positions. The GIN index of the documents knows which rows hold each word, not where, so a
phrase of common words was checked row by row: a French list read about 7,300 documents
(5 kB each) to find the newest 501 matches of ``"poste frontière"``, 17-20 ms at 100,000
items (docs/decisions.md, "Phrases: an index of adjacent words").

Each news item and project now also keeps ``search_pairs``: every two lexemes of its document
at consecutive positions, each pair as a short token, the first five hexadecimal digits of
the SHA-256 of ``a~b`` (``iomcms_search_pairs``, which the trigger calls on the document it
has just computed). A phrase query's own pairs (``iomcms_phrase_pairs``) must all be there,
a condition a GIN index of the tokens answers; the document is still matched, so the rows
found are the same as before, only fewer documents are read. Tokens, not the pairs
themselves: a document of 300 words holds about 500 pairs, most of them found in no other
document, and an index of every distinct pair was 1 GB at 100,000 items; 2^20 tokens keep it
small, and a token shared by several pairs only lets a few more rows through to the
document's own test. SHA-256, not ``hashtext``: the tokens are stored, so their function
must give the same value after an upgrade of PostgreSQL (``md5`` is refused where FIPS
rules apply).

``iomcms_phrase_pairs(query, phrase)`` takes the whole query and one phrase of it, each as
``websearch_to_tsquery`` reads them (in one configuration: stemmed or as written), and gives
the phrase's tokens, ANDed. It gives NULL, no narrowing, unless the phrase is a plain chain
``'a' <-> 'b' <-> ...`` of two lexemes or more that the query holds as it is (not with a
prefix on its last word, say). Lexemes are read back from the tsquery's text, where a quote
or a backslash is written twice.

The column holds no positions and is stored out of line (TOAST): the heap rows that the
date walk reads grow by a pointer, not by the pairs. One partial GIN index per content
language (``WHERE language = 'fr'``): a search held to that language (every list by default,
a language facet's count) names it, so PostgreSQL reads that language's tokens only and
knows the language condition is met, without a bitmap of the language's rows beside. A
search of every language does not use the pairs. ``fastupdate = off``: a saved row's 500
tokens go into the index at once (a few milliseconds more per save) instead of a pending list
that every phrase search would scan until a vacuum empties it. Every row is recomputed, 10,000 ids per
statement (``atomic = False``), then the indexes are built ``CONCURRENTLY`` and the tables
analyzed; running ``migrate`` again finishes an interrupted run. Until it has finished, a
phrase search in one language misses the rows not yet recomputed: run it before the new code
serves. Time: docs/operations.md. Nothing on SQLite.
"""

from django.db import migrations

# Frozen copies (the search code may change; this migration must not).
WEIGHTS = {
    "news.NewsItem": (("A", ("title",)), ("B", ("lead", "dateline")), ("C", ("body",))),
    "projects.Project": (
        ("A", ("title", "project_code")),
        ("B", ("summary",)),
        ("C", ("description",)),
    ),
}
CODES = ["en", "fr", "es"]

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION iomcms_pair_token(a text, b text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT substr(encode(sha256(convert_to(a || '~' || b, 'UTF8')), 'hex'), 1, 5)
$$;
CREATE OR REPLACE FUNCTION iomcms_search_pairs(document tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT iomcms_pair_token(a.lexeme, b.lexeme))), '')
    FROM (SELECT lexeme, unnest(positions) AS p FROM unnest(document)) AS a
    JOIN (SELECT lexeme, unnest(positions) AS p FROM unnest(document)) AS b ON b.p = a.p + 1
$$;
CREATE OR REPLACE FUNCTION iomcms_phrase_pairs(query tsquery, phrase tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN regexp_replace(phrase::text, '''(?:[^'']|'''')*''', 'L', 'g')
                     ~ '^L( <-> L)+$'
                 AND strpos(query::text || ' ', phrase::text || ' ') > 0
           THEN (
               SELECT string_agg(iomcms_pair_token(l.lexeme, l.next), ' & ')::tsquery
               FROM (
                   SELECT lexeme, lead(lexeme) OVER (ORDER BY n) AS next
                   FROM (
                       SELECT regexp_replace(m[1], '([''\\])\1', '\1', 'g') AS lexeme, n
                       FROM regexp_matches(phrase::text, '''((?:[^'']|'''')*)''', 'g')
                            WITH ORDINALITY AS t(m, n)
                   ) AS read_back
               ) AS l
               WHERE l.next IS NOT NULL
           )
           END
$$;
"""


def index_name(table, code):
    return f"{table.split('_')[0]}_pairs_{code}_idx"


def forward(apps, schema_editor):
    from iomcms.search import triggers

    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    for label, weights in WEIGHTS.items():
        table = apps.get_model(label)._meta.db_table
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_pairs tsvector")
        triggers.install(
            schema_editor, table, weights, language="language", refill=True, pairs=True
        )
        for code in CODES:
            name = index_name(table, code)
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c "
                    "ON c.oid = i.indexrelid WHERE c.relname = %s",
                    [name],
                )
                row = cursor.fetchone()
            if row and row[0]:  # left invalid by an interrupted build
                schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
                f"USING gin (search_pairs) WITH (fastupdate = off) WHERE language = '{code}'"
            )
        schema_editor.execute(f"ANALYZE {table}")


def backward(apps, schema_editor):
    from iomcms.search import triggers

    if schema_editor.connection.vendor != "postgresql":
        return
    for label, weights in WEIGHTS.items():
        table = apps.get_model(label)._meta.db_table
        triggers.install(schema_editor, table, weights, language="language")
        for code in CODES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index_name(table, code)}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_pairs")
    schema_editor.execute("DROP FUNCTION IF EXISTS iomcms_phrase_pairs(tsquery, tsquery)")
    schema_editor.execute("DROP FUNCTION IF EXISTS iomcms_search_pairs(tsvector)")
    schema_editor.execute("DROP FUNCTION IF EXISTS iomcms_pair_token(text, text)")


class Migration(migrations.Migration):
    atomic = False  # the refill commits batch by batch; CREATE INDEX CONCURRENTLY
    dependencies = [("iomcms", "0006_search_language_indexes")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
