"""The news table's raw-SQL ordering indexes on SQLite, for migrations that rebuild it.

SQLite adds a NOT NULL column by rebuilding the table, which drops the indexes Django's state
does not know: those written in raw SQL by migrations 0002, 0007 and 0012 (SQLite rejects
NULLS LAST, so they are per database). A migration that adds such a column runs
:func:`restore_sqlite_indexes` after its changes (and, backwards, after the columns are dropped
again); PostgreSQL adds columns in place and keeps its indexes. Kept in one place so each such
migration does not carry its own copy; the definitions must stay as 0002, 0007 and 0012 made
them (0012 creates its index only if a rebuild before it has not already).
"""

SQLITE_INDEXES = {
    "news_public_order_idx": "publication_status, published_on DESC, id DESC",
    "news_admin_order_idx": "published_on DESC, id DESC",
    "news_public_language_order_idx": "publication_status, language, published_on DESC, id DESC",
}


def restore_sqlite_indexes(apps, schema_editor):
    """Create each index whose columns the table has at this point of the migrations (an
    index added by a later migration waits for its columns, and for that migration)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pragma_table_info('news_newsitem')")
        present = {name for (name,) in cursor.fetchall()}
    for name, columns in SQLITE_INDEXES.items():
        if {column.split()[0] for column in columns.split(", ")} <= present:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON news_newsitem ({columns})")
