"""The index behind the public news list in one language (the ``lang`` filter, on by default:
``/fr/news/`` lists the French items).

The list asks ``publication_status = 'published' AND language = 'fr'`` plus the schedule test,
ordered by ``published_on DESC NULLS LAST, id DESC``: with the language between the status and
the order, the first page reads 20 index entries instead of walking the public order until it
has met 20 French ones, and the paginator's count is an index-only range of one language (the
schedule columns are INCLUDEd, as in migration 0006). Written per database like 0002 (SQLite
rejects NULLS LAST and INCLUDE); :mod:`news.sqlite_indexes` restores it after a table rebuild.
"""

from django.db import migrations

from news.sqlite_indexes import SQLITE_INDEXES

INDEX = "news_public_language_order_idx"
POSTGRESQL = (
    "publication_status, language, published_on DESC NULLS LAST, id DESC"
    ") INCLUDE (go_live_at, expire_at"
)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    columns = {"postgresql": POSTGRESQL, "sqlite": SQLITE_INDEXES[INDEX]}.get(vendor)
    if columns:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON news_newsitem ({columns})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("news", "0011_language_from_metadata")]
    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
