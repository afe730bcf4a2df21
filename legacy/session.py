"""The database session while an import runs."""

import contextlib

from django.db import connection


@contextlib.contextmanager
def relaxed_commits(enabled=True):
    """On PostgreSQL, let this session's commits return before their WAL reaches the disk.

    Every commit waits for a disk flush, which dominates an import of thousands of pages
    (above all when a chunk falls back to one transaction per file). With
    ``synchronous_commit = off`` a crash can lose the last fraction of a second of commits,
    but never corrupts or half-writes anything, and the importer is idempotent: a re-run
    re-imports whatever was lost and ends in the records of one uninterrupted run. Other
    sessions are unaffected, and the setting is restored when the block ends: a web worker's
    connection (the admin import page) goes on serving requests whose commits must be durable.
    """
    relaxed = enabled and connection.vendor == "postgresql"
    if relaxed:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if relaxed and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


class GrowingTables:
    """Keep PostgreSQL's planner statistics in step with the tables an import fills.

    The importer looks records up in batches (``source_hash IN (...)``, ``legacy_key IN
    (...)``, ``slug IN (...)``, one query per chunk). A table filled in the same minute has no
    statistics yet (autovacuum analyses it a minute or more later), and without them the
    planner reads 250 values as a third of the table and scans all of it, for every chunk of
    this run and of a re-run started right after: import time grew with the square of the
    files, and with the width of the rows (the per-language search documents made each scan
    dearer). So, on PostgreSQL, after a chunk has been written, the columns the importer
    looks up by are analysed whenever the rows created since the last time are at least as
    many as the tables held then (and at least ``first``): about log2(N) times in a run
    that fills empty tables, never in a run that adds a little to large ones. Only those
    columns: the statistics of the search document are the dear part of an ANALYZE, and
    autovacuum still analyses every column later (a column list does not reset its count).
    """

    def __init__(self, models_and_columns, *, first=250, enabled=True):
        self._targets = [
            (model._meta.db_table, [model._meta.get_field(name).column for name in names])
            for model, names in models_and_columns
        ]
        self._first = first
        self._since = 0
        self._known = None  # rows the tables held at the last ANALYZE (planner's estimate)
        self.enabled = enabled and connection.vendor == "postgresql"
        self.analyses = 0

    def grew(self, rows):
        """Record ``rows`` new records (committed); analyse when the tables have doubled."""
        if not self.enabled or rows <= 0:
            return
        if self._known is None:
            self._known = self._estimated_rows()
        self._since += rows
        if self._since < max(self._first, self._known):
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, columns in self._targets:
                names = ", ".join(quote(column) for column in columns)
                cursor.execute(f"ANALYZE {quote(table)} ({names})")
        self._known += self._since
        self._since = 0
        self.analyses += 1

    def _estimated_rows(self):
        """What the planner believes the tables hold (reltuples; -1, never analysed, is 0)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(greatest(reltuples, 0)), 0) FROM pg_class "
                "WHERE oid = ANY(%s::regclass[])",
                [[table for table, _ in self._targets]],
            )
            return int(cursor.fetchone()[0])
