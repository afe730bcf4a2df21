"""Local development: debug on, an insecure but fixed secret, localhost only."""

from .base import *  # noqa: F403
from .base import env_bool, mailers_from_environment

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]  # noqa: F405
# Review e-mails (iomcms/review.py) are printed where runserver runs, unless EMAIL_BACKEND says.
MAILERS = mailers_from_environment("django.core.mail.backends.console.EmailBackend")
