from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from contacts.sitemaps import ContactSitemap
from countries.sitemaps import CountrySitemap
from news.sitemaps import NewsItemSitemap
from projects.sitemaps import ProjectSitemap

from . import views
from .methods import read_only
from .sitemaps import StaticPagesSitemap
from .sitemaps import section as sitemap_section

# Classes, not instances: each request gets a fresh sitemap (see iomcms/sitemaps.py).
SITEMAPS = {
    "pages": StaticPagesSitemap,
    "news": NewsItemSitemap,
    "projects": ProjectSitemap,
    "contacts": ContactSitemap,
    "countries": CountrySitemap,
}

urlpatterns = [
    # Before admin.site.urls, whose catch-all would answer it; admin_view requires staff.
    path("admin/import-legacy/", include("legacy.urls")),
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        read_only(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        read_only(sitemap_section),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    # The JSON API: one address for every client, no language prefix (api/urls.py).
    path("api/", include("api.urls")),
]

# Every public page, feed and search in each interface language: English unprefixed (/news/),
# French and Spanish under /fr/ and /es/ with the same path words (iomcms/i18n.py). The admin,
# sitemaps and robots.txt above stay outside: one address each.
urlpatterns += i18n_patterns(
    path("", include("pages.urls")),  # the home page and /search/
    path("news/", include("news.urls")),
    path("projects/", include("projects.urls")),
    path("contacts/", include("contacts.urls")),
    path("countries/", include("countries.urls")),
    # Signed links to unpublished items for named journalists (embargo/views.py).
    path("embargo/", include("embargo.urls")),
    prefix_default_language=False,
)

# Uploaded pictures, served by Django while DEBUG is on only (static() returns nothing
# otherwise, or when MEDIA_URL is on another host); production: docs/operations.md.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "iomcms.views.page_not_found"
handler500 = "iomcms.views.server_error"
