"""Throttling of anonymous clients (every API client: there is no authentication).

DRF's ``AnonRateThrottle``, with three choices of ours:

- The rate is ``settings.IOMCMS_API_THROTTLE_RATE`` (``IOMCMS_API_THROTTLE_RATE`` in the
  environment, e.g. ``300/minute``), read per request.
- Its counters live in the configured cache (``CACHES["default"]``: Redis in production, so
  every app server counts together). The cache is never required (iomcms/cache.py): while
  Redis is away the counters read as empty and nobody is throttled.
- A client is its address as ``iomcms.signin.client_ip`` reads it (``REMOTE_ADDR``, or
  ``X-Forwarded-For`` as written by the ``IOMCMS_TRUSTED_PROXY_COUNT`` proxies of ours): the
  one rule the sign-in lockout uses, never an address a client wrote itself.

What it counts: the requests that reach the view. An answer the page cache (or a CDN) gives
costs no query and is not counted; a client walking pages with cursors, or trying filters,
reaches the view each time and is.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle

from iomcms.signin import client_ip


class AnonymousThrottle(AnonRateThrottle):
    scope = "anon"

    def __init__(self):
        self.cache = caches["default"]
        super().__init__()

    def get_rate(self):
        return settings.IOMCMS_API_THROTTLE_RATE

    def get_ident(self, request):
        return client_ip(request)
