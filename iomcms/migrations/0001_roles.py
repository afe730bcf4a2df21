"""Create the Editors and Publishers groups (see iomcms/roles.py).

The post_migrate hook keeps them in sync afterwards; this migration makes sure they exist
as soon as the permissions they need do, e.g. for a data migration that assigns users.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from iomcms.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contacts", "0003_history_match_key"),
        ("news", "0004_scheduling_history"),
        ("projects", "0004_scheduling_history"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
