"""Settings for bench/serving.py: production's, served over plain HTTP on 127.0.0.1, with the
one-line reference view (bench/reference_urls.py) beside the site's URLs.

``DJANGO_SECRET_KEY`` must come from the environment (bench/serving.py makes a throwaway one for
each run; none is ever committed). ``DJANGO_SETTINGS_MODULE=bench.settings_http``, with the
project's root on the path.
"""

import os

# Production refuses to start without hosts; these are the only ones the benchmark uses.
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from iomcms.settings.production import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.reference_urls"
# wrk speaks plain HTTP to the app server, as a TLS-terminating proxy would.
SECURE_SSL_REDIRECT = False
