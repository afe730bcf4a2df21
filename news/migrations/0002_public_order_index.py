"""The index that serves the public news list: published items, newest first, undated last.

PostgreSQL needs ``NULLS LAST`` in the index for ``ORDER BY published_on DESC NULLS LAST`` to
use it; SQLite rejects that clause in CREATE INDEX but already sorts NULLs last when
descending. Django's ``Meta.indexes`` cannot say "this clause on one database only", hence
the hand-written SQL per vendor.
"""

from django.db import migrations

INDEX = "news_public_order_idx"
COLUMNS = {
    "postgresql": "publication_status, published_on DESC NULLS LAST, id DESC",
    "sqlite": "publication_status, published_on DESC, id DESC",
}


def create_index(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(f"CREATE INDEX {INDEX} ON news_newsitem ({columns})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
