"""The news table's two raw-SQL ordering indexes on SQLite, for migrations that rebuild it.

SQLite adds a NOT NULL column by rebuilding the table, which drops the indexes Django's state
does not know: the two written in raw SQL by migrations 0002 and 0007 (SQLite rejects NULLS
LAST, so they are per database). A migration that adds such a column runs
:func:`restore_sqlite_indexes` after its changes (and, backwards, after the columns are dropped
again); PostgreSQL adds columns in place and keeps its indexes. Kept in one place so each such
migration does not carry its own copy; the definitions must stay as 0002 and 0007 made them.
"""

SQLITE_INDEXES = {
    "news_public_order_idx": "publication_status, published_on DESC, id DESC",
    "news_admin_order_idx": "published_on DESC, id DESC",
}


def restore_sqlite_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, columns in SQLITE_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON news_newsitem ({columns})")
