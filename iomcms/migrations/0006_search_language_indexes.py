"""A GIN index per content language on the search documents of news items and projects.

Each index is built on the document of the rows in one language (``CASE WHEN language = 'fr'
THEN search_document END``, :func:`iomcms.search.specs.language_document_sql`), and a search
of rows held to one language (every list by default, a language facet's count) is written
with the same expression. Two gains on PostgreSQL:

- ANALYZE gathers statistics on each index expression: how often each word occurs in that
  language. The table-wide statistics mix the languages, so a French word counted among
  English rows (where it is absent) was estimated at thousands of rows and planned as a scan
  expecting to stop early, which read all the English rows (217 ms at 100,000 items for
  ``migrante``; 0.1 ms with this index; docs/decisions.md).
- A lookup reads one language's posting lists, not every language's (``de`` is in every
  French document, in few English ones).

The table-wide index (``news_search_idx``, ``project_search_idx``) stays for searches in every
language. Built with ``CREATE INDEX CONCURRENTLY`` (no lock on writes; ``atomic = False``) and
``IF NOT EXISTS``, so an interrupted run is finished by running ``migrate`` again; an index
left invalid by an interruption is dropped and built again. Then ANALYZE, so the statistics
exist at once. Time: docs/operations.md. Nothing on SQLite.
"""

from django.db import migrations

TABLES = ["news_newsitem", "projects_project"]
CODES = ["en", "fr", "es"]  # frozen copy of iomcms.search.specs.LANGUAGE_CONFIGS' keys


def expression(code):
    # Frozen copy of iomcms.search.specs.language_document_sql (a test compares them).
    return f"(CASE WHEN language = '{code}' THEN search_document END)"


def index_name(table, code):
    return f"{table.split('_')[0]}_search_{code}_idx"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for code in CODES:
            name = index_name(table, code)
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c "
                    "ON c.oid = i.indexrelid WHERE c.relname = %s",
                    [name],
                )
                row = cursor.fetchone()
            if row and row[0]:  # left invalid by an interrupted build
                schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
                f"USING gin ({expression(code)})"
            )
        schema_editor.execute(f"ANALYZE {table}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for code in CODES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index_name(table, code)}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [
        ("iomcms", "0005_audit_admin_log_index"),
        ("news", "0018_project_link_audit_indexes"),
        ("projects", "0017_statistics_index"),
    ]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
