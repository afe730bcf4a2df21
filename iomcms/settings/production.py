"""Production: every secret and host comes from the environment, HTTPS everywhere.

Run with ``DJANGO_SETTINGS_MODULE=iomcms.settings.production``. A missing ``DJANGO_SECRET_KEY``,
``DJANGO_ALLOWED_HOSTS``, ``DATABASE_URL`` or cache (``CACHE_URL``/``REDIS_URL``) stops start-up
with a message saying which one.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_int

DEBUG = env_bool("DJANGO_DEBUG", False)

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Production needs a long random secret, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. Give the site's host names, comma-separated."
    )
# base.py falls back to a SQLite file next to manage.py, which is right for a first run and
# wrong for a server: each machine would have a database of its own.
if not os.environ.get("DATABASE_URL", "").strip():
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Production needs the PostgreSQL database as a URL, e.g. "
        "postgres://USER:PASSWORD@HOST:5432/iomcms."
    )
# Every worker of every app server must see the same cache: with one cache per process, a
# change that one worker makes visible (or invisible) would not reach the others' copies.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":  # noqa: F405
    raise ImproperlyConfigured(
        "CACHE_URL (or REDIS_URL) is not set. Production needs a cache every app server "
        "shares, e.g. redis://HOST:6379/0, or CACHE_URL=dummy:// to run without a cache."
    )

# The app servers sit behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Publishers and superusers sign in with a one-time code as well (docs/operations.md, "Admin
# sign-in"); they set up their authenticator app at their first sign-in after this is on.
IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS = env_bool("IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS", True)
