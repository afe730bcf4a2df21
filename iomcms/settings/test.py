"""Test runs: fast hashing, plain static storage (no collectstatic needed), no debug."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collectstatic in tests: WhiteNoise finds files through the finders instead.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Client.login() authenticates without a request, which django-axes refuses with an exception;
# the first backend lets that one case through (tests/auth.py), the sign-in form is unchanged.
AUTHENTICATION_BACKENDS = [
    "tests.auth.RequestOptionalAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The page cache is off in tests: a test's rows live in a transaction that never commits, so
# the generation (bumped on commit) would not move between tests. tests/test_pagecache.py turns
# it on and runs the commit callbacks; the HTTP caching headers are sent either way.
IOMCMS_PAGE_CACHE_SECONDS = 0
