"""Indexes that keep the public pages' queries flat as the news grows (PostgreSQL only).

- ``news_countries_idx``: GIN over ``string_to_array(countries, ',')``, the expression
  ``iomcms.filters.CountriesHold`` filters on (``?country=``, related news), so the filter reads
  the items of one country instead of every row.
- ``news_public_change_idx``: the expression of ``iomcms.publishing.public_change_expression``,
  which the sitemaps read backwards for their ``lastmod`` (``iomcms/sitemaps.py``); over the
  published rows only, so the drafts are not in the way.

The index expressions must stay the same as the query expressions, or PostgreSQL does not use
them: tests/test_flat.py checks the plans. SQLite (development) has neither; its tables are
small.
"""

from django.db import migrations

INDEXES = {
    "news_countries_idx": "USING gin (string_to_array(countries, ','))",
    "news_public_change_idx": (
        "((GREATEST(updated, COALESCE(go_live_at, updated)))) "
        "WHERE publication_status = 'published'"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON news_newsitem {definition}"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("news", "0007_publishing_time_and_admin_order_indexes")]
    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
