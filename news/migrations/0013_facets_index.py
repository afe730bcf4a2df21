"""The index behind the news list's facet counts (iomcms/facets.py), PostgreSQL only.

Each facet counts the public rows of the list's selection by one column (country, year, kind,
language). Read from the table, that is every row's heap page: 600 ms a facet at 100,000 items
with the bodies cold. ``news_facets_idx`` holds, per language and status, the publication
times and the facet columns (``INCLUDE``), so each facet is an index-only scan of a few
megabytes (bench/results/facets.txt). SQLite (development) does without; its tables are small.
"""

from django.db import migrations

DEFINITION = (
    "(language, publication_status) "
    "INCLUDE (go_live_at, expire_at, published_on, kind, countries)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS news_facets_idx ON news_newsitem {DEFINITION}"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS news_facets_idx")


class Migration(migrations.Migration):
    dependencies = [("news", "0012_public_language_order_index")]
    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
