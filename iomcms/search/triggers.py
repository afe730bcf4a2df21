"""The PostgreSQL side of a spec: the trigger that fills a table's ``search_document``.

A migration installs what these functions render (``iomcms/migrations/0002_search``), from
the weights it freezes; ``tests/test_search.py`` checks on PostgreSQL that the functions in
the database are the ones rendered from today's ``SPECS``. Changing a spec's weights is
therefore: edit ``SPECS``, add a migration that calls :func:`install` with the new weights and
``refill=True``.
"""

from .specs import CONFIG, DOCUMENT_COLUMN


def function_name(table):
    return f"{table}_{DOCUMENT_COLUMN}"


def document_sql(weights):
    """The tsvector of the ``NEW`` row: each weight's fields joined by spaces, weighted."""
    parts = []
    for weight, names in weights:
        text = " || ' ' || ".join(f"coalesce(NEW.{name}, '')" for name in names)
        parts.append(f"setweight(to_tsvector('{CONFIG}', {text}), '{weight}')")
    return "\n        || ".join(parts)


def function_body(weights):
    """The body of the trigger function, as PostgreSQL stores it (``pg_proc.prosrc``)."""
    return (
        f"\nBEGIN\n    NEW.{DOCUMENT_COLUMN} :=\n        {document_sql(weights)};\n"
        "    RETURN NEW;\nEND\n"
    )


def install_sql(table, weights, *, refill=False):
    """Create or replace the trigger function and its trigger (on insert, and on update of
    the searched columns); with ``refill``, recompute every row's document."""
    function = function_name(table)
    columns = ", ".join(name for _, names in weights for name in names)
    statements = [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
        f"AS $${function_body(weights)}$$",
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {columns} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]
    if refill:
        first = weights[0][1][0]
        statements.append(f"UPDATE {table} SET {first} = {first}")
    return statements


def install(schema_editor, table, weights, *, refill=False):
    for statement in install_sql(table, weights, refill=refill):
        schema_editor.execute(statement)
