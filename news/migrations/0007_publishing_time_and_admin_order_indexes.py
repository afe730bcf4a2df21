"""Indexes for the admin and for the schedule.

- ``news_admin_order_idx`` (published_on DESC NULLS LAST, id DESC): the admin lists every
  item, drafts included, in the default order, so the public list's index (which starts with
  the status) cannot serve it; without this one each changelist page sorted the whole table.
  Written per database for the reason given in 0002 (SQLite rejects NULLS LAST there).
- The go-live and expiry times of published items (``iomcms.publishing.scheduling_indexes``):
  "Coming up" and ``next_public_change()`` read the next few in order.
"""

from django.db import migrations, models

INDEX = "news_admin_order_idx"
COLUMNS = {
    "postgresql": "published_on DESC NULLS LAST, id DESC",
    "sqlite": "published_on DESC, id DESC",
}


def create_index(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(f"CREATE INDEX {INDEX} ON news_newsitem ({columns})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0005_spokesperson"),
        ("news", "0006_public_order_index_schedule"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.AddIndex(
            model_name="newsitem",
            index=models.Index(
                condition=models.Q(
                    ("publication_status", "published"), ("go_live_at__isnull", False)
                ),
                fields=["go_live_at"],
                name="news_go_live_at_sched_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="newsitem",
            index=models.Index(
                condition=models.Q(
                    ("publication_status", "published"), ("expire_at__isnull", False)
                ),
                fields=["expire_at"],
                name="news_expire_at_sched_idx",
            ),
        ),
    ]
