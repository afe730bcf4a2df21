"""The index behind the project list's facet counts (iomcms/facets.py), PostgreSQL only.

As news/migrations/0013_facets_index.py: per language and status, the publication times, the
facet columns (region, benefiting countries, status, type, coverage, year) and the budget the
list also filters by, so each facet is an index-only scan instead of a read of every project.
"""

from django.db import migrations

DEFINITION = (
    "(language, publication_status) "
    "INCLUDE (go_live_at, expire_at, year, status, coverage, region_id, project_type_id, "
    "benefiting_states, budget_usd)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS project_facets_idx ON projects_project {DEFINITION}"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_facets_idx")


class Migration(migrations.Migration):
    dependencies = [("projects", "0013_language_from_metadata")]
    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
