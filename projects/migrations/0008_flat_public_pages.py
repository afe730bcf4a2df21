"""Indexes that keep the public pages' queries flat as the projects grow.

- ``project_home_order_idx``: the home page's order (featured first, newest year, title) among
  the published projects, so it reads four index entries instead of sorting every project.
- PostgreSQL only, as in news migration 0007: ``project_countries_idx`` (GIN over the
  expression ``iomcms.filters.CountriesHold`` filters on, for ``?country=``) and
  ``project_public_change_idx`` (the sitemap's ``lastmod``, see ``iomcms/sitemaps.py``).
"""

from django.db import migrations, models

INDEXES = {
    "project_countries_idx": "USING gin (string_to_array(benefiting_states, ','))",
    "project_public_change_idx": (
        "((GREATEST(updated, COALESCE(go_live_at, updated)))) "
        "WHERE publication_status = 'published'"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON projects_project {definition}"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_publishing_time_and_admin_indexes")]
    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["publication_status", "-featured", "-year", "title"],
                name="project_home_order_idx",
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
