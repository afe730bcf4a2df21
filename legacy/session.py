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
