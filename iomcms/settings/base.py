"""Settings shared by every environment.

Everything that differs between machines comes from the environment (12-factor), with defaults
that make a first run work without any server: a SQLite file next to ``manage.py``.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from iomcms.cache import caches_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {value!r}).")


def env_int(name, default, minimum=1):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number >= {minimum} (got {value!r}).")
    return number


def env_time_zone(name, default="UTC"):
    import zoneinfo

    value = os.environ.get(name, "").strip() or default
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as Europe/Zurich (got {value!r})."
        ) from None
    return value


def env_list(name, default=()):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "iomcms.apps.NewsroomAdminConfig",  # django.contrib.admin with the site in iomcms/admin.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_countries",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "iomcms",
    "contacts",
    "news",
    "projects",
    "pictures",
    "pages",
    "legacy",
    "api",
    "embargo",
    "countries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS for /api/ only: answers preflights at once, lets any origin read (api/cors.py).
    "api.cors.ApiCorsMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (see "Headers" below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "iomcms.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Marks the GET and HEAD requests of visitors who are not signed in, whose reads may go to
    # the read replica (iomcms/routers.py). Above everything that may query.
    "iomcms.routers.PublicReadsMiddleware",
    # A database that refuses connections gives 503 "back soon", not 500 (iomcms/outage.py).
    # Here, below SecurityMiddleware (which adds its headers to the 503) and WhiteNoise (static
    # files need no database), above everything that may query: its process_exception runs
    # after theirs, so it sees only what no other middleware handled. A page cache's fetch half
    # goes at the end of the list: a cache hit returns before the view and outlives an outage.
    "iomcms.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language, from the address's /fr/ or /es/ prefix (iomcms/i18n.py): above
    # CommonMiddleware, whose slash-appending resolves prefixed paths in that language, and
    # above the page cache, whose keys carry it.
    "iomcms.i18n.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a one-time password.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on every history entry a request causes (admin edits,
    # merges, imports from the admin page).
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes asks to be last but for the page cache: it turns its refusal of a locked-out
    # sign-in into the lockout page (the admin, which the page cache never touches).
    "axes.middleware.AxesMiddleware",
    # Turns a 404 at an imported page's old address into a 301 to the page; only a 404, so it
    # costs nothing elsewhere. Above the page cache, whose Cache-Control it takes, and below
    # CommonMiddleware (legacy/redirects.py).
    "legacy.redirects.OldAddressMiddleware",
    # Innermost: a hit skips only the view, so every middleware above treats a cached page like
    # a rendered one (a fresh CSP nonce, the security headers). See iomcms/pagecache.py.
    "iomcms.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "iomcms.urls"
WSGI_APPLICATION = "iomcms.wsgi.application"
ASGI_APPLICATION = "iomcms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, for <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iomcms.context_processors.site",
                "django.template.context_processors.csp",  # csp_nonce, for inline scripts
            ],
        },
    },
]

# --- Database, read replica, cache and sessions (docs/operations.md, "Several app servers") ---
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
# An optional streaming replica of the primary: anonymous page views read from it, staff,
# the admin, writes and migrations use the primary (iomcms/routers.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # Test runs read the replica's rows from the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["iomcms.routers.ReplicaRouter"]

# The cache: Redis when CACHE_URL (or REDIS_URL) names one, shared by every app server and
# worker; otherwise this process's memory, so a first run needs no server (iomcms/cache.py).
# Production refuses the local-memory cache (iomcms/settings/production.py).
CACHE_URL = os.environ.get("CACHE_URL", "").strip() or os.environ.get("REDIS_URL", "").strip()
CACHES = caches_from_environment(
    CACHE_URL, key_prefix=os.environ.get("IOMCMS_CACHE_KEY_PREFIX", "iomcms").strip()
)

# Sessions stay in the database (Django's default engine): shared by every app server already,
# and a Redis outage does not sign the newsroom out (docs/decisions.md). django-axes counts
# failed sign-ins in the database as well (its default handler), so a lockout holds on every
# server.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out sign-in before any password is checked, and
# counts the failures of the backends after it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
# The zone admin times (go-live, expiry) are entered and shown in; stored in UTC regardless.
TIME_ZONE = env_time_zone("DJANGO_TIME_ZONE")
USE_I18N = True
# Dates and numbers are written as the interface language writes them (Django's format files,
# with the few departures in iomcms/formats/); see iomcms/i18n.py.
FORMAT_MODULE_PATH = ["iomcms.formats"]
# The French and Spanish catalogues of our own strings (docs/translations.md); Django's and the
# third-party apps' come with them.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (pictures): a directory on local disk by default, served by Django only while
# DEBUG is on (iomcms/urls.py). In production the proxy serves MEDIA_ROOT at MEDIA_URL, or
# STORAGES["default"] names a bucket (docs/operations.md, "Pictures and media files"). An
# absolute MEDIA_URL (https://media.example.org/) is also allowed by the CSP's img-src below.
MEDIA_ROOT = Path(os.environ.get("IOMCMS_MEDIA_ROOT", "").strip() or BASE_DIR / "media")
MEDIA_URL = os.environ.get("IOMCMS_MEDIA_URL", "").strip() or "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def gettext_noop(message):
    """Marks a default for the catalogues (makemessages knows the name). Django's own would
    import django.utils.translation here, which reads the settings while they are being made:
    a bad value would then leave half-made settings instead of stopping start-up."""
    return message


# Shown in page titles, feeds and structured data. These three are shown translated when the
# catalogues have their text (the defaults do; iomcms.context_processors.site).
SITE_NAME = os.environ.get("IOMCMS_SITE_NAME", gettext_noop("IOM Newsroom"))
# The organization behind the site: the page footer, and the publisher (or its parent) in
# structured data.
ORGANIZATION_NAME = os.environ.get(
    "IOMCMS_ORGANIZATION_NAME", gettext_noop("International Organization for Migration")
)
# The organization's IATI organisation identifier and organisation type (IATI codelists
# OrganisationIdentifier and OrganisationType: XM-DAC-47066 is IOM's OECD DAC channel code, 40
# "Multilateral"): the reporting-org of the IATI export and the prefix of each activity's
# iati-identifier (projects/iati.py, docs/iati.md).
IATI_REPORTING_ORG_REF = os.environ.get("IOMCMS_IATI_REPORTING_ORG_REF", "XM-DAC-47066")
IATI_REPORTING_ORG_TYPE = os.environ.get("IOMCMS_IATI_REPORTING_ORG_TYPE", "40")
# The organization's mark in the page header: a path under the static files (an SVG or a PNG
# drawn for the blue header band, e.g. "img/iom-logo.svg"), shown before SITE_NAME; empty for
# the name alone. The default is a neutral placeholder (docs/operations.md, "The logo").
IOMCMS_LOGO = os.environ.get("IOMCMS_LOGO", "img/logo-placeholder.svg").strip()
# The meta description of a page that has none of its own (plain text, at most 160 characters).
SITE_DESCRIPTION = os.environ.get(
    "IOMCMS_SITE_DESCRIPTION",
    gettext_noop(
        "News, press releases and projects of the International Organization for Migration."
    ),
)

# --- Headers: Content-Security-Policy and Permissions-Policy (docs/operations.md, Security) ---
# Everything the site loads comes from its own origin; no inline script or style runs unless
# it carries the request's nonce ({% csp_nonce_attr %}, or csp_nonce in the context), and
# nothing is eval'd. The site embeds nothing and may be framed by no one.
IOMCMS_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Plus the media host when MEDIA_URL names one (below).
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
_media_origin = re.match(r"^https://[\w.:-]+(?=/)", MEDIA_URL)
if re.search(r"[\s;,'\"]", MEDIA_URL) or not (MEDIA_URL.startswith("/") or _media_origin):
    raise ImproperlyConfigured(
        "IOMCMS_MEDIA_URL must be a path such as /media/ or an https:// URL ending in / "
        f"(got {MEDIA_URL!r})."
    )
if _media_origin:
    IOMCMS_CSP["img-src"].append(_media_origin.group(0))
# Where browsers send violation reports (a URL or a path); none by default.
IOMCMS_CSP_REPORT_URI = os.environ.get("IOMCMS_CSP_REPORT_URI", "").strip()
if IOMCMS_CSP_REPORT_URI:
    if any(char.isspace() or char in ";," for char in IOMCMS_CSP_REPORT_URI):
        raise ImproperlyConfigured(
            "IOMCMS_CSP_REPORT_URI must be one URL without spaces, ';' or ',' "
            f"(got {IOMCMS_CSP_REPORT_URI!r})."
        )
    IOMCMS_CSP["report-uri"] = [IOMCMS_CSP_REPORT_URI]
# Report-only: browsers send the same policy's violations but block nothing, to try a change.
IOMCMS_CSP_REPORT_ONLY = env_bool("IOMCMS_CSP_REPORT_ONLY", False)
SECURE_CSP = {} if IOMCMS_CSP_REPORT_ONLY else IOMCMS_CSP
SECURE_CSP_REPORT_ONLY = IOMCMS_CSP if IOMCMS_CSP_REPORT_ONLY else {}
# Browser features no page of the site uses, turned off for it and anything it might embed:
# Permissions-Policy "feature=()" (iomcms/headers.py). browsing-topics replaces interest-cohort.
IOMCMS_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# A malformed or hostile query string must never become a 500: cap what Django parses.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
# One line per record on the console (stderr): level, logger, message. A refused request (a
# 4xx on django.request, anything on django.security.*: a disallowed Host, a CSRF failure) is
# one line without the traceback Django attaches; a 500 keeps its traceback
# (iomcms/logfilters.py, docs/operations.md "What is logged").
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "filters": {"one_line_refusals": {"()": "iomcms.logfilters.OneLineRefusals"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["one_line_refusals"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "level": "INFO",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own default handlers on "django" (a debug-only console that prints
        # tracebacks, and mail_admins, unused: no ADMINS) are replaced: its records go to the
        # console above.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # Configuring "django" resets its children, so runserver's request lines (Django's
        # default for this logger) are set again.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# The largest legacy text (one old-site page) that import_legacy and the admin page accept.
IOMCMS_IMPORT_MAX_FILE_BYTES = env_int("IOMCMS_IMPORT_MAX_FILE_BYTES", 5 * 1024 * 1024)
# The admin's "Import legacy texts" page (legacy/admin_views.py, docs/import_legacy.md): limits
# on one upload. Anything bigger is imported with manage.py import_legacy. The request body is
# refused unread above MAX_BYTES; the front web server should cap request bodies too.
IOMCMS_ADMIN_IMPORT_MAX_BYTES = env_int("IOMCMS_ADMIN_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Files chosen in one upload; at most DATA_UPLOAD_MAX_NUMBER_FILES (Django's, default 100).
IOMCMS_ADMIN_IMPORT_MAX_FILES = env_int("IOMCMS_ADMIN_IMPORT_MAX_FILES", 100)
# Entries in the upload's zip archives, together.
IOMCMS_ADMIN_IMPORT_MAX_ZIP_MEMBERS = env_int("IOMCMS_ADMIN_IMPORT_MAX_ZIP_MEMBERS", 5000)
# What the archives' entries declare they unpack to, together (the zip-bomb guard).
IOMCMS_ADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int(
    "IOMCMS_ADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024
)

# Pictures (pictures/images.py): the largest upload accepted, in bytes and in pixels (width
# times height; bigger pictures, and "decompression bombs" that claim a huge size in a small
# file, are refused before they are decoded), and the widths of the renditions the pages use.
IOMCMS_PICTURE_MAX_BYTES = env_int("IOMCMS_PICTURE_MAX_BYTES", 10 * 1024 * 1024)
IOMCMS_PICTURE_MAX_PIXELS = env_int("IOMCMS_PICTURE_MAX_PIXELS", 40_000_000)
IOMCMS_PICTURE_WIDTHS = (480, 800, 1200)

# Revision history (django-simple-history): change reasons name files and merged contacts,
# which can be longer than the default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# -- Admin sign-in: lockout and one-time passwords (docs/operations.md, "Admin sign-in") ----------
# After this many failed sign-ins for one user name, or from one address, further attempts
# for that name, or from that address, are refused for the cool-off period (django-axes).
AXES_FAILURE_LIMIT = env_int("IOMCMS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("IOMCMS_LOGIN_COOLOFF_MINUTES", 15))
# Two separate counters, either of which locks: the name (guesses at one account from many
# addresses) and the address (one client trying many names). docs/decisions.md says why.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The cool-off runs from the lockout; further guesses do not extend it, so an attacker who
# keeps trying cannot keep the real user out for longer than one period at a time.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The lockout page: 429 with Retry-After (iomcms/signin.py, templates/admin/iomcms/lockout.html).
AXES_LOCKOUT_CALLABLE = "iomcms.signin.lockout_response"
# Failures and lockouts are logged (one line each) with the address but not the typed user
# name, which is sometimes a password typed into the wrong box.
AXES_SENSITIVE_PARAMETERS = ["username"]
# The client's address: REMOTE_ADDR, or X-Forwarded-For as written by our own proxies.
AXES_CLIENT_IP_CALLABLE = "iomcms.signin.client_ip"
# How many proxies of ours stand in front of the app and append to X-Forwarded-For. 0 (the
# default): the header is ignored, as any client can send it; the address is REMOTE_ADDR.
IOMCMS_TRUSTED_PROXY_COUNT = env_int("IOMCMS_TRUSTED_PROXY_COUNT", 0, minimum=0)

# Staff may set up time-based one-time passwords (django-otp); once set up, the admin sign-in
# asks for one. With this on, Publishers and superusers must use them before any admin page
# (iomcms.permissions.must_use_otp). Off by default for development; turn it on in production.
IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS = env_bool("IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS", False)

# -- E-mail (review before live, iomcms/review.py; docs/operations.md "E-mail") ------------
# Django 6.1's MAILERS. SMTP unless EMAIL_BACKEND names another backend; the SMTP server from
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS. dev.py prints
# mails to the console; the tests keep them in django.core.mail.outbox.
SMTP_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mailers_from_environment(default_backend=SMTP_EMAIL_BACKEND):
    backend = os.environ.get("EMAIL_BACKEND", "").strip() or default_backend
    mailer = {"BACKEND": backend}
    if backend == SMTP_EMAIL_BACKEND:
        mailer["OPTIONS"] = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        }
    return {"default": mailer}


MAILERS = mailers_from_environment()
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
# The name authenticator apps show next to the account.
OTP_TOTP_ISSUER = SITE_NAME
# The device admin (superusers: delete a lost phone's device) shows no secret keys or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Seconds a client or crawler is told to wait (Retry-After) while the database is unreachable
# and pages answer 503 (iomcms/outage.py).
IOMCMS_OUTAGE_RETRY_AFTER = env_int("IOMCMS_OUTAGE_RETRY_AFTER", 30)
# The outage's "database back" line is INFO: let it through the default WARNING level.
LOGGING.setdefault("loggers", {}).setdefault("iomcms.outage", {"level": "INFO"})

# -- Page cache and HTTP caching (iomcms/pagecache.py, docs/operations.md "Page cache and CDN") --
# The cache (an alias of CACHES) that keeps anonymous public pages.
IOMCMS_PAGE_CACHE_ALIAS = "default"
# Seconds a cached page may live at most (it is invisible at once after any public change, and
# never outlives the next scheduled go-live or expiry); 0 turns the page cache off.
IOMCMS_PAGE_CACHE_SECONDS = env_int("IOMCMS_PAGE_CACHE_SECONDS", 600, minimum=0)
# A page bigger than this is rendered each time, not kept.
IOMCMS_PAGE_CACHE_MAX_BYTES = 2 * 1024 * 1024
# Query parameters that never change a page (campaign and click tags): left out of the cache
# key and removed from the request before the view reads it.
IOMCMS_PAGE_CACHE_IGNORED_PARAMETERS = frozenset(
    name.lower()
    for name in env_list(
        "IOMCMS_PAGE_CACHE_IGNORED_PARAMETERS",
        (
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_term",
            "utm_content",
            "utm_id",
            "fbclid",
            "gclid",
            "dclid",
            "msclkid",
            "mc_cid",
            "mc_eid",
            "_ga",
        ),
    )
)
# Paths (after the /fr/ or /es/ prefix, if any) the page cache never touches: pages meant for one
# reader, which set their own Cache-Control (embargo links, embargo/views.py).
IOMCMS_PAGE_CACHE_SKIPPED_PATHS = ("/embargo/",)
# With a read replica: for this many seconds after a change, pages stored in the page cache are
# rendered from the primary (the replica may lag behind the change). Keep it above the
# replica's worst replay lag.
IOMCMS_REPLICA_LAG_SECONDS = env_int("IOMCMS_REPLICA_LAG_SECONDS", 10, minimum=0)
# Cache-Control of public pages: seconds a browser (max-age) and a CDN (s-maxage) may keep a
# page, and may go on serving it while fetching a new copy (stale-while-revalidate). Each is
# cut to end at the next scheduled go-live or expiry, so embargoes stay exact behind a CDN.
IOMCMS_BROWSER_MAX_AGE = env_int("IOMCMS_BROWSER_MAX_AGE", 60, minimum=0)
IOMCMS_CDN_MAX_AGE = env_int("IOMCMS_CDN_MAX_AGE", 60, minimum=0)
IOMCMS_STALE_WHILE_REVALIDATE = env_int("IOMCMS_STALE_WHILE_REVALIDATE", 30, minimum=0)

# -- Embargo links (embargo/; docs/architecture.md "Embargo links") ----------------------------
# Days an embargo link stays valid by default when its item has no go-live time (a scheduled
# item's links default to its go-live moment).
IOMCMS_EMBARGO_LINK_DAYS = env_int("IOMCMS_EMBARGO_LINK_DAYS", 7)

# -- JSON API (/api/v1/, api/; docs/architecture.md "API") ---------------------------------------
# Requests per client address that reach the API's views (page-cache hits are not counted), as
# DRF writes a rate: "<number>/<second|minute|hour|day>". Counted in the default cache.
IOMCMS_API_THROTTLE_RATE = os.environ.get("IOMCMS_API_THROTTLE_RATE", "").strip() or "300/minute"
_rate_number, _, _rate_period = IOMCMS_API_THROTTLE_RATE.partition("/")
if not (_rate_number.isdigit() and _rate_period[:1] in ("s", "m", "h", "d")):
    raise ImproperlyConfigured(
        "IOMCMS_API_THROTTLE_RATE must be a number of requests per second, minute, hour or "
        f"day, e.g. 300/minute (got {IOMCMS_API_THROTTLE_RATE!r})."
    )
REST_FRAMEWORK = {
    # JSON only: the browsable API would need inline scripts the CSP refuses.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # No authentication, so no session or user is ever read (a visitor's request, cacheable).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Dates and times as ISO 8601 (DRF's default, said out loud), decimals as strings.
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IOM Newsroom API",
    "DESCRIPTION": (
        "Read-only JSON of the public news items, projects and press contacts: what the "
        "pages show, with the list pages' filters. Lists are paged with a cursor (follow "
        "`next`); a parameter that cannot be used is a 400 naming it and why."
    ),
    "VERSION": "v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

# Deleted news items, projects and contacts stay this many days in the admin's Trash, from
# where they can be restored, before the daily ``empty_trash`` command deletes them for ever
# (iomcms/trash.py; docs/operations.md, "Trash").
IOMCMS_TRASH_DAYS = env_int("IOMCMS_TRASH_DAYS", 30)
