"""The site's URLs plus one view that fails, for the 500 handler tests (tests/test_errors.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from iomcms.urls import handler404, handler500
from iomcms.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


class DeliberateError(Exception):
    pass


def broken_view(request):
    raise DeliberateError("raised on purpose by tests/urls_raising.py")


urlpatterns = [
    path("broken/", broken_view),
    *site_urlpatterns,
    # /fr/broken-page/ and /es/broken-page/: the 500 page in an interface language.
    *i18n_patterns(path("broken-page/", broken_view), prefix_default_language=False),
]
