"""Sitemaps: the shared base for content sitemaps, and the static pages.

``/sitemap.xml`` is a sitemap index; each section (``/sitemap-news.xml`` ...) is paginated by
``limit`` URLs (``?p=2`` ...), so a million news items make 100 small files, not one huge one.

The URLconf registers the sitemap *classes*, so every request gets a fresh instance and the
per-request figures cached on it (row count, latest change) are never stale.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.functional import cached_property


class PublishedSitemap(Sitemap):
    """The published rows of one model, read as ``(slug, public_change)`` values in id order.

    Subclasses set ``url_name`` (a detail URL taking ``slug``) and ``queryset()`` (the public
    rows, e.g. ``Model.objects.published()``), whose ``with_public_change()`` says when the
    public last saw each row change (``iomcms/publishing.py``). Id order keeps every page
    stable: new rows only ever land on the last page. A section page costs two queries (count +
    latest change, then one page of rows); the index costs one per section.
    """

    limit = 5000
    url_name = None

    def queryset(self):
        raise NotImplementedError

    def _rows(self):
        return self.queryset().with_public_change()

    @cached_property
    def _stats(self):
        return self._rows().aggregate(count=Count("pk"), latest=Max("public_change"))

    def items(self):
        return self._rows().order_by("pk").values("slug", "public_change")

    @property
    def paginator(self):
        paginator = Paginator(self.items(), self.limit)
        paginator.count = self._stats["count"]  # one query for both figures
        return paginator

    def get_latest_lastmod(self):
        return self._stats["latest"]

    @cached_property
    def _location_parts(self):
        # reverse() once, not once per row (a third of the time of a 5,000-URL page). A slug
        # is [-a-zA-Z0-9_], which reverse() would not quote anyway.
        marker = "slug-marker"
        prefix, _, suffix = reverse(self.url_name, kwargs={"slug": marker}).rpartition(marker)
        return prefix, suffix

    def location(self, item):
        prefix, suffix = self._location_parts
        return f"{prefix}{item['slug']}{suffix}"

    def lastmod(self, item):
        return item["public_change"]


class StaticPagesSitemap(Sitemap):
    """The home page and the three list pages (no database)."""

    def items(self):
        return ["home", "news:list", "projects:list", "contacts:list"]

    def location(self, item):
        return reverse(item)
