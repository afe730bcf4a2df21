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
