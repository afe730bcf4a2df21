"""Full-text search on PostgreSQL: the text search configuration and the news search column.

History: the configuration is now defined by iomcms/migrations/0002_search (it belongs to the
site, not to news), which also replaced the trigger function below with one rendered from
``iomcms/search/specs.py``. This migration stays as it ran, so that a new database is built
the way the existing ones were (projects/0003 and contacts/0002 need the configuration first).

``iomcms_search`` is the ``simple`` configuration (no stemming, no stop words: the content is
English, French and Spanish) with the ``unaccent`` dictionary in front, so "Bogota" and
"Bogotá" give the same lexeme in documents, queries and ``ts_headline``. The contrib module
is created here (``unaccent`` is a trusted extension since PostgreSQL 13: the database owner
can create it).

Each searchable table gets a ``search_document`` tsvector column that Django does not know
about, filled by a trigger (title A, lead and dateline B, body C) and indexed with GIN.
``iomcms/search/`` reads it; see docs/decisions.md for why a stored column rather than an
expression index. A trigger rather than a generated column, so a later ALTER of a source
column (a longer title) still migrates. SQLite: nothing to do, its search is a fallback.
"""

from django.db import migrations

CONFIGURATION = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'iomcms_search') THEN
        CREATE TEXT SEARCH CONFIGURATION iomcms_search (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION iomcms_search
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part,
                              numword, numhword, hword_numpart
            WITH unaccent, simple;
    END IF;
END
$$;
"""

FORWARD = """
ALTER TABLE news_newsitem ADD COLUMN search_document tsvector;
-- MAIN: kept in the row (not TOASTed) up to about 8 kB, so testing a row costs no TOAST fetch.
ALTER TABLE news_newsitem ALTER COLUMN search_document SET STORAGE MAIN;

CREATE FUNCTION news_newsitem_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('iomcms_search', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('iomcms_search',
                                 coalesce(NEW.lead, '') || ' ' || coalesce(NEW.dateline, '')), 'B')
        || setweight(to_tsvector('iomcms_search', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$;

CREATE TRIGGER news_newsitem_search_document
    BEFORE INSERT OR UPDATE OF title, lead, dateline, body ON news_newsitem
    FOR EACH ROW EXECUTE FUNCTION news_newsitem_search_document();

UPDATE news_newsitem SET title = title;

CREATE INDEX news_search_idx ON news_newsitem USING gin (search_document);
"""

BACKWARD = """
DROP INDEX IF EXISTS news_search_idx;
DROP TRIGGER IF EXISTS news_newsitem_search_document ON news_newsitem;
DROP FUNCTION IF EXISTS news_newsitem_search_document();
ALTER TABLE news_newsitem DROP COLUMN IF EXISTS search_document;
DROP TEXT SEARCH CONFIGURATION IF EXISTS iomcms_search;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CONFIGURATION)
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    # The unaccent extension stays: other database objects may use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("news", "0002_public_order_index")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
