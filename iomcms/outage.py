"""A database that refuses connections: 503 "back soon" pages and one log line per outage.

While the database cannot be reached, every page answers 503 with ``Retry-After`` and
``templates/503.html``, instead of a 500 and a traceback per request. Two hooks catch the
failure wherever a request meets it:

- :class:`DatabaseOutageMiddleware` (``process_exception``): the view, including a lazy
  queryset that fails while its template renders and the admin's ``request.user`` lookup.
- ``iomcms.views.server_error`` (handler500) asks :func:`failure_response` for failures
  raised by middleware (a session saved on the way out), which Django turns into a 500
  before any outer middleware sees the exception.

The 503 page is rendered from the template alone: no request context, so no context processor
and no session or user lookup can touch the database.

Logging: the first failure logs one WARNING ("database unavailable"), later failures log
nothing, and the first connection that succeeds afterwards logs one INFO ("database back").
The state is per process; each gunicorn worker process logs its own pair.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Frames of a Django database backend that run only while a connection is being opened: an
# error raised under one of them means the database could not be reached at all.
_CONNECTING = {"connect", "get_new_connection", "init_connection_state"}

_lock = threading.Lock()
_down_since = None  # time.monotonic() of the outage's first failure; None while all is well


def is_connection_failure(exc):
    """Whether ``exc`` (or an exception it was raised from) means "the database is unreachable".

    That is an ``OperationalError`` or ``InterfaceError`` raised while a connection was being
    opened (refused, unknown host, a missing SQLite folder), or one after which the connection
    is closed (the server went away mid-request). Other database errors (a deadlock, a
    timeout, a bad query) remain server errors.
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (OperationalError, InterfaceError)):
            return _raised_while_connecting(exc) or _a_connection_is_closed()
        exc = exc.__cause__ or exc.__context__
    return False


def _raised_while_connecting(exc):
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        module = tb.tb_frame.f_globals.get("__name__", "")
        if code.co_name in _CONNECTING and module.startswith("django.db.backends."):
            return True
        tb = tb.tb_next
    return False


def _a_connection_is_closed():
    from django.db import connections

    for wrapper in connections.all(initialized_only=True):
        raw = wrapper.connection
        # psycopg's ``closed`` (SQLite's connection has none): asking costs no query.
        if raw is not None and getattr(raw, "closed", False):
            return True
    return False


def note_failure(exc):
    """Record a failure; the first of an outage logs one warning line."""
    global _down_since
    with _lock:
        if _down_since is not None:
            return
        _down_since = time.monotonic()
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    logger.warning(
        "Database unavailable (%s: %s); answering 503 until a connection succeeds.",
        type(exc).__name__,
        detail,
    )


@receiver(connection_created, dispatch_uid="iomcms-outage-back")
def note_connected(sender, connection, **kwargs):
    """A new connection succeeded: if an outage was going on, it is over (one info line)."""
    global _down_since
    if _down_since is None:  # the common case: no lock taken
        return
    with _lock:
        started, _down_since = _down_since, None
    if started is not None:
        logger.info("Database back after %.0f s; serving pages again.", time.monotonic() - started)


def is_down():
    return _down_since is not None


def unavailable_response():
    """The 503 "back soon" page, rendered without a request (so without the database)."""
    retry_after = settings.IOMCMS_OUTAGE_RETRY_AFTER
    content = loader.get_template("503.html").render({"retry_after": retry_after})
    response = HttpResponse(content, status=503)
    response.headers["Retry-After"] = str(retry_after)
    response.headers["X-Robots-Tag"] = "noindex"
    # no-store: a CDN or browser must not keep the outage page once the site is back.
    add_never_cache_headers(response)
    # Django logs every 5xx response once more ("Service Unavailable: /path") unless it was
    # logged already; the outage has its own single line (note_failure).
    response._has_been_logged = True
    return response


def failure_response(exc):
    """The 503 response when ``exc`` is a connection failure, else None."""
    if not is_connection_failure(exc):
        return None
    note_failure(exc)
    return unavailable_response()


class DatabaseOutageMiddleware:
    """Answers 503 instead of 500 when a view (or its template) cannot reach the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return failure_response(exception)
