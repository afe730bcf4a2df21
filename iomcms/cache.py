"""The cache backend: Django's Redis cache, degraded to "always a miss" while Redis is away.

``CACHES`` comes from ``CACHE_URL`` or ``REDIS_URL`` (:func:`caches_from_environment`, read by
``iomcms/settings/base.py``). Without either the cache is Django's local-memory cache, so
``bin/serve`` and the tests need no server; production refuses that (every worker would keep
its own copy, and a change seen by one would not reach the others: docs/decisions.md).

The cache only ever makes pages faster, so a Redis that refuses connections, times out or
answers garbage must not turn a page into a 500. :class:`ResilientRedisCache` catches the
client's errors: a read is a miss, a write is dropped. After a failure it does not try Redis
again for :data:`RETRY_AFTER_SECONDS`, so a Redis that hangs costs a request one connect
timeout at most, not one per cache call. One WARNING line starts an outage and one INFO line
ends it, per process (like the database outage in ``iomcms/outage.py``).
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# While Redis is failing, each process tries it again at most this often.
RETRY_AFTER_SECONDS = 5.0
# Connecting to, and waiting on, Redis: short, because a slow cache is worse than none.
CONNECT_TIMEOUT_SECONDS = 0.25
SOCKET_TIMEOUT_SECONDS = 0.5

_MISSING = object()

# Sent (sender: the cache backend) when this process reaches Redis again after an outage:
# writes made meanwhile were dropped, and whoever relies on one having landed (the page
# cache's new generation) can make it again.
cache_back = Signal()


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per connection pool. Django's makes a new
    one for every cache call, and building one (its table of reply callbacks) costs more than
    the round trip of a page-cache hit. A ``redis.Redis`` is safe to share between threads: it
    takes a connection from the pool for each command."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose failures read as misses and drop writes instead of raising."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._lock = threading.Lock()
        self._down_until = None  # time.monotonic() before which Redis is not tried again

    def _attempt(self, method, fallback, *args, **kwargs):
        down_until = self._down_until
        if down_until is not None and time.monotonic() < down_until:
            return fallback
        try:
            result = method(*args, **kwargs)
        except self._cache._lib.exceptions.RedisError as exc:
            self._note_failure(exc)
            return fallback
        if down_until is not None:
            self._note_back()
        return result

    def _note_failure(self, exc):
        with self._lock:
            first = self._down_until is None
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
        if first:
            logger.warning(
                "Cache unavailable (%s: %s); serving without it, retrying every %.0f s.",
                type(exc).__name__,
                str(exc).strip() or "no detail",
                RETRY_AFTER_SECONDS,
            )

    def _note_back(self):
        with self._lock:
            was_down, self._down_until = self._down_until is not None, None
        if was_down:
            logger.info("Cache back; using it again.")
            cache_back.send(sender=self)

    # Reads: a failure is a miss.
    def get(self, key, default=None, version=None):
        return self._attempt(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._attempt(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(super().has_key, False, key, version)

    # Writes: a failure stores nothing (add and touch report it, as for a key they skip).
    def set(self, key, value, timeout=_MISSING, version=None):
        timeout = self.default_timeout if timeout is _MISSING else timeout
        return self._attempt(super().set, None, key, value, timeout, version)

    def add(self, key, value, timeout=_MISSING, version=None):
        timeout = self.default_timeout if timeout is _MISSING else timeout
        return self._attempt(super().add, False, key, value, timeout, version)

    def touch(self, key, timeout=_MISSING, version=None):
        timeout = self.default_timeout if timeout is _MISSING else timeout
        return self._attempt(super().touch, False, key, timeout, version)

    def set_many(self, data, timeout=_MISSING, version=None):
        timeout = self.default_timeout if timeout is _MISSING else timeout
        return self._attempt(super().set_many, list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._attempt(super().delete_many, None, keys, version)

    def clear(self):
        return self._attempt(super().clear, False)

    def incr(self, key, delta=1, version=None):
        # No number to give back: the caller (a generation counter) must know it failed.
        result = self._attempt(super().incr, _MISSING, key, delta, version)
        if result is _MISSING:
            raise ValueError(f"Key {key!r} could not be incremented: the cache is unavailable.")
        return result


def caches_from_environment(cache_url, key_prefix):
    """``CACHES`` for a cache URL: ``redis://``/``rediss://``, ``locmem://``, ``dummy://`` or ""."""
    scheme = urlsplit(cache_url).scheme.lower() if cache_url else "locmem"
    if scheme in {"redis", "rediss", "unix"}:
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        default = {
            "BACKEND": "iomcms.cache.ResilientRedisCache",
            "LOCATION": cache_url,
            "OPTIONS": {
                "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "socket_timeout": SOCKET_TIMEOUT_SECONDS,
                # redis-py retries a failed command three times with backoff by default: on an
                # outage that is latency for every request. One try; the breaker above waits.
                "retry": Retry(NoBackoff(), 0),
                "health_check_interval": 30,
            },
        }
    elif scheme == "locmem":
        default = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "iomcms",
        }
    elif scheme == "dummy":
        default = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    else:
        raise ImproperlyConfigured(
            # The scheme only: the rest of the URL may hold a password.
            "CACHE_URL must start with redis://, rediss://, unix://, locmem:// or dummy:// "
            f"(got {scheme or 'no scheme'!r})."
        )
    # Several sites (or staging next to production) may share one Redis: their keys differ.
    default["KEY_PREFIX"] = key_prefix
    return {"default": default}
