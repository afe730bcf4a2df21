"""The PostgreSQL side of a spec: the trigger that fills a table's ``search_document`` (and,
since ``iomcms/migrations/0007``, its ``search_pairs``: the document's adjacent lexemes).

A migration installs what these functions render (``iomcms/migrations/0002_search``, then
``0003_search_languages``, then ``0007_search_pairs``), from the weights it freezes;
``tests/test_search.py`` checks on PostgreSQL that the functions in the database are the ones
rendered from today's ``SPECS`` (with ``pairs``). Changing a spec's weights is therefore: edit
``SPECS``, add a migration that calls :func:`install` with the new weights, ``pairs=True``
and ``refill=True``.
"""

from .specs import CONFIG, DOCUMENT_COLUMN, PAIRS_COLUMN, PAIRS_FUNCTION, language_config_sql

# Rows recomputed per statement by refill_documents(): each batch is its own transaction when the
# migration is not atomic, so a refill of a large table holds no long lock and can resume.
REFILL_BATCH = 10000


def function_name(table):
    return f"{table}_{DOCUMENT_COLUMN}"


def _half(weights, config):
    parts = []
    for weight, names in weights:
        text = " || ' ' || ".join(f"coalesce(NEW.{name}, '')" for name in names)
        parts.append(f"setweight(to_tsvector({config}, {text}), '{weight}')")
    return parts


def document_sql(weights, language=None):
    """The tsvector of the ``NEW`` row: each weight's fields joined by spaces, weighted, read
    as written (``CONFIG``); with ``language`` (a column), first read stemmed in the row's
    language (the ``stemmed`` variable of :func:`function_body`)."""
    parts = _half(weights, f"'{CONFIG}'")
    if language:
        parts = _half(weights, "stemmed") + parts
    return "\n        || ".join(parts)


def function_body(weights, language=None, *, pairs=False):
    """The body of the trigger function, as PostgreSQL stores it (``pg_proc.prosrc``). With
    ``pairs`` (the trigger since migration 0007, whose column it fills), the document's
    adjacent lexemes too; without, as the earlier migrations installed it, before the column
    existed."""
    declare = ""
    if language:
        declare = f"\nDECLARE\n    stemmed regconfig := {language_config_sql(f'NEW.{language}')};"
    then = ""
    if pairs:
        then = f"\n    NEW.{PAIRS_COLUMN} := {PAIRS_FUNCTION}(NEW.{DOCUMENT_COLUMN});"
    return (
        f"{declare}\nBEGIN\n    NEW.{DOCUMENT_COLUMN} :=\n        "
        f"{document_sql(weights, language)};{then}\n    RETURN NEW;\nEND\n"
    )


def install_sql(table, weights, *, language=None, pairs=False):
    """Create or replace the trigger function and its trigger (on insert, and on update of
    the searched columns and the language column)."""
    function = function_name(table)
    columns = [name for _, names in weights for name in names] + ([language] if language else [])
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
        f"AS $${function_body(weights, language, pairs=pairs)}$$",
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {', '.join(columns)} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def install(schema_editor, table, weights, *, language=None, refill=False, pairs=False):
    for statement in install_sql(table, weights, language=language, pairs=pairs):
        schema_editor.execute(statement)
    if refill:
        refill_documents(schema_editor, table, weights[0][1][0])


def refill_documents(schema_editor, table, column, batch=REFILL_BATCH):
    """Recompute every row's document (an update of ``column`` to itself fires the trigger),
    ``batch`` ids at a time. Re-running it is harmless: it recomputes the same documents."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {table}")
        low, high = cursor.fetchone()
    if low is None:
        return
    for start in range(low, high + 1, batch):
        schema_editor.execute(
            f"UPDATE {table} SET {column} = {column} WHERE id >= %s AND id < %s",
            [start, start + batch],
        )
