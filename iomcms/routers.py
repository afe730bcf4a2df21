"""The read replica: anonymous page views read from it, everything else uses the primary.

When ``DATABASE_REPLICA_URL`` is set, ``DATABASES`` has a second alias, ``replica`` (a
streaming replica of ``default``). Replicas lag a little behind, so only reads that can
afford to be a moment late go there: the GET and HEAD requests of visitors who are not signed
in, outside the admin. Staff (any request carrying a session cookie), the admin, every POST,
management commands and the importer read from the primary, so an editor always sees what
they just saved. Within a replica request, reads inside a transaction and every read after
the request's first write go to the primary too.

:class:`PublicReadsMiddleware` marks the requests (a context variable, so threads and async
tasks each keep their own); :class:`ReplicaRouter` (``DATABASE_ROUTERS``) routes by the mark.
Without a ``replica`` alias the router routes nothing and Django uses ``default`` throughout.
"""

import contextvars

from django.db import DEFAULT_DB_ALIAS, connections

from .methods import is_public_read, is_visitor

REPLICA = "replica"

_replica_reads = contextvars.ContextVar("iomcms_replica_reads", default=False)


class PublicReadsMiddleware:
    """Lets a visitor's GET or HEAD read from the replica (see the module docstring).

    Staff are recognized by the session cookie alone, not by loading the session: that would
    cost a query, on the replica, for every visitor. A visitor with a session (someone who
    opened the sign-in form and was refused) simply reads from the primary.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = is_public_read(request) and is_visitor(request)
        token = _replica_reads.set(public)
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)


def read_from_primary():
    """From now on in this request, read from the primary (a caller that needs the freshest
    rows, such as the page cache storing a page just after a change)."""
    _replica_reads.set(False)


class ReplicaRouter:
    """Sends marked reads to ``replica``; writes, migrations and the rest to ``default``."""

    def db_for_read(self, model, **hints):
        if (
            _replica_reads.get()
            and REPLICA in connections.settings
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        # What follows in this request must see this write, which the replica may not have yet.
        _replica_reads.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: an object read from either may
        # point at one read from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication; it is never migrated.
        return db == DEFAULT_DB_ALIAS
