"""An index on the admin log's time, for the audit page (iomcms/audit.py).

The audit page reads the admin log's newest rows (``ORDER BY action_time DESC LIMIT 501``);
Django indexes the log's user and content type only, so without this PostgreSQL sorts the
whole log on every page. The log is contrib.admin's table: the index is created in SQL (the
same statement on SQLite and PostgreSQL) and is not part of any model's state.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("iomcms", "0004_review"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS iomcms_admin_log_time_idx "
            "ON django_admin_log (action_time)",
            "DROP INDEX IF EXISTS iomcms_admin_log_time_idx",
        ),
    ]
