"""The anonymous page cache and the HTTP caching headers of public pages.

Every public page, feed and sitemap that an anonymous reader asks for with GET or HEAD is kept
in Django's cache (Redis in production, local memory on a laptop) and answered from there until
it may have changed. Three rules keep it from ever showing what is no longer true:

1. **A generation.** Each entry records the *generation* it was made in, a random token kept
   in the cache, and counts only while that is the current one (a hit reads both in one
   round trip). Any change that alters what the public may see (a save or
   delete of any row of the content apps, a publish or unpublish in bulk, a merge, an import,
   a restored version) sets a new token when its transaction commits
   (:func:`content_changed`): from that moment no request uses the old entries, which are
   overwritten or expire. Nothing is flushed, and a change that rolls back changes nothing.
   A request that read the generation before the change stores its page with the old token,
   which no one accepts: a page rendered from rows older than the change is never served
   after it.
2. **The next scheduled moment.** Scheduled items appear (go-live) and disappear (expiry)
   without any save. For each page, the cache asks when the next such moment is, counting from
   the time the page began to render
   (:func:`next_change`, one indexed query per generation and moment,
   :func:`iomcms.publishing.next_public_change`), and the entry is valid until then at the
   latest: a release embargoed until 14:00:00 is on every cached page from 14:00:00, and an
   expiring one is gone from every page at its second.
3. **Who and what is never cached.** Requests that carry a session or messages cookie (staff,
   whose pages can show previews and links of their own) bypass the cache both ways; so do
   the admin and the paths of ``IOMCMS_PAGE_CACHE_SKIPPED_PATHS`` (embargo links). Only
   ``200`` responses without cookies of their own and without a ``Cache-Control`` of their
   view (previews and error pages set ``no-cache`` or are not 200) are stored. Responses to
   cookie-carrying requests are marked ``private``.

Under a burst of requests for the same missing page, one request renders it and the others
wait for its entry (a lock added to the cache, :func:`_render_once`), up to
``PAGE_CACHE_WAIT`` seconds, then render it themselves.

Keys are normalized: the host, the scheme, the language, the path and the query string with
its parameters in a fixed order and without the tracking parameters listed in
``IOMCMS_PAGE_CACHE_IGNORED_PARAMETERS`` (``utm_source`` ...), which are also removed from the
request before the view sees it, so no cached page carries someone's campaign tag in its links.

The CSP nonce: a cached page holds the nonce of the request that rendered it. The entry keeps a
placeholder in its place, and each hit puts in a fresh nonce, which the CSP middleware (outside
this one) then writes into the header: no two responses share a nonce.

HTTP caching, for browsers and a CDN, on every public response (cached or not): ``Cache-Control:
public`` with ``max-age`` (``IOMCMS_BROWSER_MAX_AGE``), ``s-maxage`` (``IOMCMS_CDN_MAX_AGE``)
and ``stale-while-revalidate`` (``IOMCMS_STALE_WHILE_REVALIDATE``), each cut so that no copy
anywhere outlives the next scheduled moment; ``Vary: Cookie``; a weak ``ETag`` (a hash of the
page without its nonce) and ``Last-Modified``; and ``304 Not Modified`` for a conditional
request that matches. A 404 gets the same bounded headers (an embargoed page's 404 must not be
kept past its go-live) but is never stored here: random addresses would fill the cache.

The cache is optional, never required: if it cannot be reached, requests are rendered as if it
were empty (one warning in the log per failure).
"""

import datetime
import hashlib
import logging
import math
import secrets
import time
from email.utils import formatdate
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import parse_http_date_safe

from .methods import is_public_read, is_visitor
from .publishing import next_public_change
from .routers import read_from_primary

logger = logging.getLogger(__name__)

# The apps whose rows make up what the public sees. A save or delete of any of their models
# (but their history tables) is a public change.
CONTENT_APPS = ("news", "projects", "contacts", "pictures")

GENERATION_KEY = "pagecache:generation"
NONCE_PLACEHOLDER = b"--iomcms-csp-nonce--"
# How long a request waits for another one rendering the same page, and how often it looks.
PAGE_CACHE_WAIT = 5.0
_POLL_SECONDS = 0.02
# A lock outlives a request that died while rendering by at most this long.
_LOCK_SECONDS = 30


def _cache():
    return caches[settings.IOMCMS_PAGE_CACHE_ALIAS]


_last_warning = 0.0


def _safely(default, operation, *args):
    """Run a cache operation; on a cache failure, return ``default`` and log one line (at most
    one a minute per process: an outage of the cache must not flood the log)."""
    global _last_warning
    try:
        return operation(*args)
    except Exception as exc:  # any backend error: the cache is never required
        if time.monotonic() - _last_warning > 60:
            _last_warning = time.monotonic()
            logger.warning("page cache unavailable (%s): %s", operation.__name__, exc)
        return default


# -- The generation -----------------------------------------------------------------------


def _new_token():
    """Random, so that an evicted or lost token never comes back; prefixed with its birth
    (milliseconds, hex) so that a request can tell how long ago content last changed."""
    return f"{time.time_ns() // 1_000_000:x}.{secrets.token_hex(6)}"


def _age(token):
    """Seconds since ``token`` was made (infinite for a token of unknown form)."""
    try:
        return time.time() - int(token.split(".", 1)[0], 16) / 1000
    except (ValueError, AttributeError):
        return math.inf


def generation():
    """The current generation token; a new one if the cache has none (first use, or evicted:
    a token is random, so an evicted one can never bring old entries back)."""
    cache = _cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, _new_token(), timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def _new_generation():
    _cache().set(GENERATION_KEY, _new_token(), None)
    return True


def expire_all():
    """A new generation now; False if the cache cannot be reached."""
    return _safely(False, _new_generation)


def _bump():
    expire_all()


class _BumpOnCommit:
    """One pending bump of a transaction (``ran`` once it has run)."""

    ran = False

    def __call__(self):
        self.ran = True
        _bump()


def content_changed(using=None):
    """Make every cached page invisible once the current transaction commits (at once
    outside one). Called for each saved or deleted content row (the receivers below) and by
    the bulk writers that send no signals (the admin's publish actions, the importer). Inside a
    transaction it is registered once, however many rows change (a savepoint rolled back
    takes its registration with it, and a later change registers again)."""
    conn = transaction.get_connection(using)
    pending = getattr(conn, "_pagecache_pending", None)
    if (
        conn.in_atomic_block
        and pending is not None
        and not pending.ran
        and any(func is pending for _, func, _ in conn.run_on_commit)
    ):
        return
    conn._pagecache_pending = callback = _BumpOnCommit()
    transaction.on_commit(callback, using=using)


def _is_content_model(model):
    meta = model._meta
    return meta.app_label in CONTENT_APPS and not meta.model_name.startswith("historical")


def _on_row_change(sender, using=None, **kwargs):
    if _is_content_model(sender):
        content_changed(using)


def _on_links_change(sender, action, using=None, **kwargs):
    if action.startswith("post_") and _is_content_model(kwargs["model"]):
        content_changed(using)


def _on_cache_back(sender, **kwargs):
    # A new generation written during the outage was dropped: write one now.
    if sender is _cache():
        expire_all()


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .cache import cache_back

    post_save.connect(_on_row_change, dispatch_uid="iomcms-pagecache-save")
    post_delete.connect(_on_row_change, dispatch_uid="iomcms-pagecache-delete")
    m2m_changed.connect(_on_links_change, dispatch_uid="iomcms-pagecache-m2m")
    cache_back.connect(_on_cache_back, dispatch_uid="iomcms-pagecache-cache-back")


# -- The next scheduled moment --------------------------------------------------------------


def next_change(token, now):
    """The next go-live or expiry after ``now`` (a timestamp), or ``None``: asked of the
    database once per generation, and again each time the moment it gave has passed."""
    cache = _cache()
    key = f"pagecache:{token}:next"
    known = _safely(None, cache.get, key)
    if known is not None and (known["at"] is None or known["at"] > now):
        return known["at"]
    at = _next_moment(now)
    _safely(None, cache.set, key, {"at": at}, settings.IOMCMS_PAGE_CACHE_SECONDS or 600)
    return at


def remember(key, compute):
    """``compute()``, a value drawn from public content (a list's facet counts), kept in the
    page cache's store under ``key`` by the same rules as a page: valid only in the current
    generation (any public change makes it invisible at once), never past the next scheduled
    go-live or expiry (as seen from before computing it), at most ``IOMCMS_PAGE_CACHE_SECONDS``.
    Computed each time when the page cache is off or unreachable. Unlike pages it serves
    every request, staff included: the value is the public's whatever the reader."""
    seconds = settings.IOMCMS_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    now = time.time()
    key = f"remembered:{key}"  # not "pagecache:", the prefix of page entries
    found = _safely(None, _cache().get_many, [GENERATION_KEY, key])
    token, entry = (found or {}).get(GENERATION_KEY), (found or {}).get(key)
    if token is None:
        token = _safely(None, generation)
        if token is None:
            return compute()
    if _valid(entry, now, token):
        return entry["value"]
    if _age(token) < settings.IOMCMS_REPLICA_LAG_SECONDS:
        read_from_primary()  # as for a page stored just after a change
    value = compute()
    try:
        moment = next_change(token, now)
    except DatabaseError:
        return value
    valid_until = now + seconds if moment is None else min(now + seconds, moment)
    timeout = math.ceil(valid_until - now)
    if timeout > 0:
        entry = {"token": token, "valid_until": valid_until, "value": value}
        _safely(None, _cache().set, key, entry, timeout)
    return value


# -- Requests and keys ----------------------------------------------------------------------


def _drop_ignored_parameters(request):
    """Remove the tracking parameters from the request; return the normalized query string."""
    ignored = settings.IOMCMS_PAGE_CACHE_IGNORED_PARAMETERS
    query = request.META.get("QUERY_STRING", "")
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if name.lower() not in ignored]
    if len(kept) != len(pairs):
        request.META["QUERY_STRING"] = urlencode(kept)
        request.GET = QueryDict(request.META["QUERY_STRING"])
    # A stable sort: the values of a repeated parameter keep their order, which can matter.
    return urlencode(sorted(kept, key=lambda pair: pair[0]))


def _entry_key(request, query):
    """The page's key. The generation is not in it but in the entry, so that a hit is one
    round trip (the generation and the entry read together); an entry of an older generation
    is a miss and is overwritten."""
    scheme = "https" if request.is_secure() else "http"
    address = f"{scheme}://{request.get_host()}{request.path}?{query}"
    language = translation.get_language() or ""
    digest = hashlib.sha256(f"{language} {address}".encode()).hexdigest()[:40]
    return f"pagecache:page:{digest}"


def is_skipped(request):
    """Whether the path is one of ``IOMCMS_PAGE_CACHE_SKIPPED_PATHS`` (pages for one reader,
    such as an embargo link's: neither stored, looked up, nor given public headers here)."""
    path = request.path_info
    language = translation.get_language_from_path(path)
    if language:
        path = path[len(language) + 1 :]
    return path.startswith(tuple(settings.IOMCMS_PAGE_CACHE_SKIPPED_PATHS))


# -- Entries ---------------------------------------------------------------------------------


def _etag(body):
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def _nonce(request):
    nonce = getattr(request, "_csp_nonce", None)
    return str(nonce).encode() if nonce else None  # falsy: never used by this response


def _without_nonce(body, request):
    nonce = _nonce(request)
    return body.replace(nonce, NONCE_PLACEHOLDER) if nonce else body


def _entry_from(response, request, *, token, now, valid_until, moment):
    body = _without_nonce(response.content, request)
    headers = dict(response.headers)
    headers.setdefault("Last-Modified", formatdate(now, usegmt=True))
    headers["ETag"] = _etag(body)
    return {
        "status": response.status_code,
        "headers": headers,
        "body": body,
        "token": token,
        "valid_until": valid_until,
        "moment": moment,
    }


def _response_from(entry, request):
    body = entry["body"]
    if NONCE_PLACEHOLDER in body:
        body = body.replace(NONCE_PLACEHOLDER, str(request._csp_nonce).encode())
    response = HttpResponse(body, status=entry["status"])
    for name, value in entry["headers"].items():
        response.headers[name] = value
    return response


def _storable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response
        and len(response.content) <= settings.IOMCMS_PAGE_CACHE_MAX_BYTES
    )


def _valid(entry, now, token):
    return entry is not None and entry["token"] == token and now < entry["valid_until"]


# -- The middleware --------------------------------------------------------------------------


class PageCacheMiddleware:
    """Serve anonymous public reads from the page cache; give public responses their HTTP
    caching headers (see the module docstring). It goes last in ``MIDDLEWARE``: a hit skips
    only the view, and the middleware above it (security headers, CSP with a fresh nonce)
    treat a cached page like a rendered one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_read(request) or is_skipped(request):
            return self.get_response(request)
        if not is_visitor(request):
            response = self.get_response(request)
            patch_vary_headers(response, ["Cookie"])
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_cache=True)
            return response

        try:
            query = _drop_ignored_parameters(request)
        except ValueError:  # more parameters than Django parses: let it answer (400)
            return self.get_response(request)
        now = time.time()
        token, entry, key = None, None, None
        if settings.IOMCMS_PAGE_CACHE_SECONDS > 0:
            # One round trip for a hit: the generation and the page's entry together.
            key = _entry_key(request, query)
            found = _safely(None, _cache().get_many, [GENERATION_KEY, key])
            if found is None:  # the cache is away: render, store nothing
                key = None
            else:
                token, entry = found.get(GENERATION_KEY), found.get(key)
        if token is None:
            token = _safely(None, generation)
            key = key if token is not None else None
        if _valid(entry, now, token):
            response = _response_from(entry, request)
            moment = entry["moment"]
        else:
            response, entry, moment = self._render(request, key, token, now)
        return self._finish(request, response, entry, moment, time.time())

    def _render(self, request, key, token, now):
        """(response, entry, moment): render the page, or take the entry another request
        rendered while this one waited; store what may be stored.

        The next scheduled moment is asked for after rendering, and only for a response that
        needs it, but as seen from ``now``, the time before rendering: a go-live passing while
        the page renders still ends the entry's life (the page may predate it).
        """
        if key is None or request.method != "GET":  # only a GET's page is stored
            response = self.get_response(request)
            return response, None, _moment_for(response, token, now)
        cache = _cache()
        lock = f"{key}:lock"
        if not _safely(True, cache.add, lock, 1, _LOCK_SECONDS):
            entry = self._wait_for(key, lock, token)
            if entry is not None:
                return _response_from(entry, request), entry, entry["moment"]
        try:
            if _age(token) < settings.IOMCMS_REPLICA_LAG_SECONDS:
                # Content changed moments ago: a read replica may not have the change yet, and
                # this page will be stored for everyone.
                read_from_primary()
            response = self.get_response(request)
            moment = _moment_for(response, token, now)
            entry = None
            if moment is not _UNKNOWN and _storable(response):
                valid_until = now + settings.IOMCMS_PAGE_CACHE_SECONDS
                if moment is not None:
                    valid_until = min(valid_until, moment)
                entry = _entry_from(
                    response,
                    request,
                    token=token,
                    now=now,
                    valid_until=valid_until,
                    moment=moment,
                )
                timeout = math.ceil(valid_until - now)
                if timeout > 0:
                    _safely(None, cache.set, key, entry, timeout)
            return response, entry, moment
        finally:
            _safely(None, cache.delete, lock)

    def _wait_for(self, key, lock, token):
        """The entry another request is rendering, once stored; ``None`` if it finished
        without storing one (a 404, a page too big) or took longer than ``PAGE_CACHE_WAIT``."""
        cache = _cache()
        deadline = time.monotonic() + PAGE_CACHE_WAIT
        while time.monotonic() < deadline:
            time.sleep(_POLL_SECONDS)
            found = _safely({}, cache.get_many, [key, lock])
            if _valid(found.get(key), time.time(), token):
                return found[key]
            if lock not in found:
                return None
        return None

    def _finish(self, request, response, entry, moment, now):
        if not _gets_http_caching(response) or moment is _UNKNOWN:
            return response
        _add_http_caching(response, moment, now)
        if response.status_code != 200:
            return response
        if entry is not None:
            response.headers["ETag"] = entry["headers"]["ETag"]
            response.headers["Last-Modified"] = entry["headers"]["Last-Modified"]
        elif not response.streaming:
            response.headers["ETag"] = _etag(_without_nonce(response.content, request))
            response.headers.setdefault("Last-Modified", formatdate(now, usegmt=True))
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )


# The next scheduled moment could not be learnt (the database is unreachable): no headers
# that let anyone keep the page, and nothing stored.
_UNKNOWN = object()


def _gets_http_caching(response):
    """A page (200) or a "not found" (404) whose view said nothing about caching."""
    return response.status_code in (200, 404) and "Cache-Control" not in response


def _moment_for(response, token, now):
    if not _gets_http_caching(response):
        return None
    try:
        return next_change(token, now) if token else _next_moment(now)
    except DatabaseError:
        return _UNKNOWN


def _next_moment(now):
    """:func:`iomcms.publishing.next_public_change` after the timestamp ``now``, as one."""
    moment = next_public_change(datetime.datetime.fromtimestamp(now, datetime.UTC))
    return moment.timestamp() if moment else None


def _add_http_caching(response, moment, now):
    """``Cache-Control`` for browsers and a CDN, none of them past the next scheduled moment,
    and ``Vary: Cookie`` (a signed-in request may get another page at the same address)."""
    remaining = math.inf if moment is None else max(0, math.floor(moment - now))
    max_age = min(settings.IOMCMS_BROWSER_MAX_AGE, remaining)
    s_maxage = min(settings.IOMCMS_CDN_MAX_AGE, remaining)
    stale = min(settings.IOMCMS_STALE_WHILE_REVALIDATE, max(0, remaining - s_maxage))
    directives = {"public": True, "max_age": max_age, "s_maxage": s_maxage}
    if stale:
        directives["stale_while_revalidate"] = stale
    patch_cache_control(response, **directives)
    patch_vary_headers(response, ["Cookie"])
