"""Settings shared by every environment.

Everything that differs between machines comes from the environment (12-factor), with defaults
that make a first run work without any server: a SQLite file next to ``manage.py``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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
    "django_countries",
    "simple_history",
    "iomcms",
    "contacts",
    "news",
    "projects",
    "legacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database that refuses connections gives 503 "back soon", not 500 (iomcms/outage.py).
    # Here, below SecurityMiddleware (which adds its headers to the 503) and WhiteNoise (static
    # files need no database), above everything that may query: its process_exception runs
    # after theirs, so it sees only what no other middleware handled. A page cache's fetch half
    # goes at the end of the list: a cache hit returns before the view and outlives an outage.
    "iomcms.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on every history entry a request causes (admin edits,
    # merges, imports from the admin page).
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iomcms.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Shown in page titles, feeds and structured data.
SITE_NAME = os.environ.get("IOMCMS_SITE_NAME", "IOM Newsroom")
# The organization behind the site: the page footer, and the publisher (or its parent) in
# structured data.
ORGANIZATION_NAME = os.environ.get(
    "IOMCMS_ORGANIZATION_NAME", "International Organization for Migration"
)
# The meta description of a page that has none of its own (plain text, at most 160 characters).
SITE_DESCRIPTION = os.environ.get(
    "IOMCMS_SITE_DESCRIPTION",
    "News, press releases and projects of the International Organization for Migration.",
)

# A malformed or hostile query string must never become a 500: cap what Django parses.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
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

# Revision history (django-simple-history): change reasons name files and merged contacts,
# which can be longer than the default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Seconds a client or crawler is told to wait (Retry-After) while the database is unreachable
# and pages answer 503 (iomcms/outage.py).
IOMCMS_OUTAGE_RETRY_AFTER = env_int("IOMCMS_OUTAGE_RETRY_AFTER", 30)
# The outage's "database back" line is INFO: let it through the default WARNING level.
LOGGING.setdefault("loggers", {}).setdefault("iomcms.outage", {"level": "INFO"})
