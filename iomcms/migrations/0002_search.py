"""Site search on PostgreSQL: the text search configuration, and the trigger functions
rendered from the search specs (``iomcms/search/triggers.py``).

The configuration belongs to the site, not to one content app, so it is defined here.
``iomcms_search`` is the ``simple`` configuration (no stemming, no stop words: the content is
English, French and Spanish) with the ``unaccent`` dictionary in front, so "Bogota" and
"Bogotá" give the same lexeme in documents, queries and ``ts_headline``. Every database that
ran news/0003 already has it (that migration created it first, and stays as it was so old
databases and new ones migrate the same way); the SQL below is idempotent: it creates the
configuration only where it is missing and sets its mapping either way.

The trigger functions replace the hand-written ones of news/0003, projects/0003 and
contacts/0002 with the same SQL rendered from the weights below (a frozen copy of
``SPECS``: a later change to ``SPECS`` needs a migration of its own, and a test on
PostgreSQL compares the functions in the database with ``SPECS``). The documents are the
same, so no row is recomputed. Reversing leaves both in place: they are what the older
migrations made.
"""

from django.db import migrations

CONFIGURATION = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'iomcms_search') THEN
        CREATE TEXT SEARCH CONFIGURATION iomcms_search (COPY = pg_catalog.simple);
    END IF;
END
$$;
ALTER TEXT SEARCH CONFIGURATION iomcms_search
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part,
                      numword, numhword, hword_numpart
    WITH unaccent, simple;
"""

WEIGHTS = {
    "news.NewsItem": (("A", ("title",)), ("B", ("lead", "dateline")), ("C", ("body",))),
    "projects.Project": (
        ("A", ("title", "project_code")),
        ("B", ("summary",)),
        ("C", ("description",)),
    ),
    "contacts.Contact": (
        ("A", ("name",)),
        ("B", ("job_title", "office", "organization")),
        ("C", ("email",)),
    ),
}


def forward(apps, schema_editor):
    from iomcms.search import triggers

    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CONFIGURATION)
    for label, weights in WEIGHTS.items():
        table = apps.get_model(label)._meta.db_table
        triggers.install(schema_editor, table, weights)


class Migration(migrations.Migration):
    dependencies = [
        ("iomcms", "0001_roles"),
        ("news", "0003_search"),
        ("projects", "0003_search"),
        ("contacts", "0002_search"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
