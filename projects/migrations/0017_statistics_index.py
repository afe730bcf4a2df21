"""The project facets index (0014_facets_index.py) also covers ``start``, PostgreSQL only.

The statistics page (projects/statistics.py) groups the projects the list's filters choose by
region, start year, type, status, coverage and benefiting countries and sums their budgets, in
one query: with ``start`` in the index as well, that query reads the index alone (an index-only
scan of a few hundred pages) instead of every row of the table (bench/results/statistics.txt).
The same name, one index: the list's facet counts read it as before.
"""

from django.db import migrations

OLD = (
    "(language, publication_status) "
    "INCLUDE (go_live_at, expire_at, year, status, coverage, region_id, project_type_id, "
    "benefiting_states, budget_usd)"
)
NEW = (
    "(language, publication_status) "
    "INCLUDE (go_live_at, expire_at, year, status, coverage, region_id, project_type_id, "
    "benefiting_states, budget_usd, start)"
)


def recreate(definition):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP INDEX IF EXISTS project_facets_idx")
            schema_editor.execute(
                f"CREATE INDEX project_facets_idx ON projects_project {definition}"
            )

    return operation


class Migration(migrations.Migration):
    dependencies = [("projects", "0016_audit_indexes")]
    operations = [migrations.RunPython(recreate(NEW), recreate(OLD), elidable=False)]
