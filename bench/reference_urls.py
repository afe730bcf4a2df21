"""The site's URLs plus the benchmarks' yardstick: a one-line Django view at /__reference__/.

Only the benchmarks load this URLconf (``override_settings(ROOT_URLCONF="reference_urls")``);
the site never serves the reference view.
"""

from django.http import HttpResponse
from django.urls import path

from iomcms.urls import handler404, handler500, urlpatterns  # noqa: F401 (the same handlers)

urlpatterns = [path("__reference__/", lambda request: HttpResponse("ok")), *urlpatterns]
