"""Sitemaps: the shared base for content sitemaps, and the static pages.

``/sitemap.xml`` is a sitemap index; each section (``/sitemap-news.xml`` ...) is paginated by
``limit`` URLs (``?p=2`` ...), so a million news items make 200 small files, not one huge one.

The URLconf registers the sitemap *classes*, so every request gets a fresh instance and the
per-request figures cached on it (last id, latest change) are never stale.
"""

import math

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import escape

from .languages import in_language_order, original_of, slug_path


class IdRangePaginator(Paginator):
    """Pages by primary key range: page ``p`` holds the rows whose id is in
    ``((p - 1) * per_page, p * per_page]``, in id order.

    Neither a count nor an ``OFFSET`` (both read every row before the page: seconds at a
    million items); a page reads its id range through the primary key index. The number of
    pages comes from the last id (``last_id``); a page whose ids are all deleted or hidden is
    an empty list, not an error, and every row is on exactly one page. New rows only ever land
    on the last page.
    """

    def __init__(self, rows, per_page, last_id):
        super().__init__(rows, per_page)
        self.last_id = last_id or 0

    @cached_property
    def num_pages(self):
        return max(1, math.ceil(self.last_id / self.per_page))

    def page(self, number):
        number = self.validate_number(number)
        low = (number - 1) * self.per_page
        rows = self.object_list.filter(pk__gt=low, pk__lte=low + self.per_page)
        return self._get_page(rows, number, self)


class PublishedSitemap(Sitemap):
    """The published rows of one model, read as ``(slug, public_change)`` values in id order.

    Subclasses set ``url_name`` (a detail URL taking ``slug``) and ``queryset()`` (the public
    rows, e.g. ``Model.objects.published()``), whose ``with_public_change()`` says when the
    public last saw each row change (``iomcms/publishing.py``). Pages are id ranges
    (:class:`IdRangePaginator`). A section page costs two queries (the last public id, then its
    rows); the index costs two per section (the latest change, the last public id). Each reads
    an index, never the whole table (docs/decisions.md, "Flat public pages").
    """

    limit = 5000
    url_name = None

    def queryset(self):
        raise NotImplementedError

    def _rows(self):
        return self.queryset().with_public_change()

    def items(self):
        return self._rows().order_by("pk").values("slug", "public_change")

    @cached_property
    def paginator(self):
        last_id = self.queryset().order_by("-pk").values_list("pk", flat=True).first()
        return IdRangePaginator(self.items(), self.limit, last_id)

    def latest_changes(self):
        """The public rows' ``public_change`` values, latest first, read backwards from the
        index on the public-change expression. A public row changed no later than now (it is
        live, so any go-live time has passed): saying so lets the scan start at now, past the
        scheduled items whose go-live time is still ahead."""
        return (
            self._rows()
            .filter(public_change__lte=timezone.now())
            .order_by("-public_change")
            .values_list("public_change", flat=True)
        )

    def get_latest_lastmod(self):
        return self.latest_changes().first()

    @cached_property
    def _slug_paths(self):
        return {}

    def _path(self, language, slug):
        """An item's path: its URL's halves once per language and page (``slug_path``), not
        reverse() once per row (a third of the time of a 5,000-URL page). A slug is
        [-a-zA-Z0-9_]: nothing to quote."""
        if language not in self._slug_paths:
            self._slug_paths[language] = slug_path(language, self.url_name)
        prefix, suffix = self._slug_paths[language]
        return f"{prefix}{slug}{suffix}"

    def location(self, item):
        return self._path(translation.get_language(), item["slug"])  # the active language

    def lastmod(self, item):
        return item["public_change"]


class _Version:
    """A row of a translation group as the sitemap reads it (``original_of`` and
    ``in_language_order`` ask for ``pk`` and ``language``)."""

    def __init__(self, row):
        self.pk, self.language, self.slug = row["pk"], row["language"], row["slug"]


class TranslatedSitemap(PublishedSitemap):
    """The published rows of a translatable model (``iomcms/languages.py``), each at its own
    language's address, with an ``xhtml:link rel="alternate" hreflang`` for each public
    version of its group and ``x-default`` for the original, as the detail page's head has
    them (reciprocal: every version lists the same set).

    Django's own sitemap alternates (``i18n``, ``alternates``) describe one object shown in
    every language; here each language is another row, so :meth:`_urls` fills the alternates
    from one query per sitemap page (the public rows of the groups the page's rows belong to,
    read by the ``translation_group`` index), made only when a row of the page has a group.
    """

    def items(self):
        return (
            self._rows()
            .order_by("pk")
            .values("pk", "slug", "public_change", "language", "translation_group")
        )

    def location(self, item):
        return self._path(item["language"], item["slug"])

    def _groups(self, page_rows):
        """``{group: [_Version, ...]}``: the public versions of the groups of ``page_rows``."""
        groups = page_rows.filter(translation_group__isnull=False).values("translation_group")
        rows = (
            self.queryset()
            .filter(translation_group__in=Subquery(groups))
            .values("pk", "slug", "language", "translation_group")
        )
        found = {}
        for row in rows:
            found.setdefault(row["translation_group"], []).append(_Version(row))
        return {group: in_language_order(versions) for group, versions in found.items()}

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        if not any(url["item"]["translation_group"] for url in urls):
            return urls
        groups = self._groups(self.paginator.page(page).object_list)
        for url in urls:
            versions = groups.get(url["item"]["translation_group"], [])
            if len(versions) < 2:
                continue
            url["alternates"] = [
                {"location": self._address(protocol, domain, v), "lang_code": v.language}
                for v in versions
            ]
            original = original_of(versions)
            url["alternates"].append(
                {"location": self._address(protocol, domain, original), "lang_code": "x-default"}
            )
        return urls

    def _address(self, protocol, domain, version):
        return f"{protocol}://{domain}{self.location(vars(version))}"


class StaticPagesSitemap(Sitemap):
    """The home page, the three list pages and the project statistics (no database), in each
    interface language (``/``, ``/fr/``, ``/es/``...), each entry listing the others as
    ``xhtml:link`` alternates, English as ``x-default`` (iomcms/i18n.py)."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["home", "news:list", "projects:list", "projects:statistics", "contacts:list"]

    def location(self, item):
        return reverse(item)


def section(request, **kwargs):
    """Django's sitemap view, with the ``<urlset>`` written in Python instead of through its
    template: the template costs 120 ms of CPU for a page of 5,000 URLs, this about 5 ms. The
    XML is the same as the template's, whitespace between tags aside."""
    from django.contrib.sitemaps import views

    response = views.sitemap(request, **kwargs)
    if getattr(response, "is_rendered", True):
        return response
    response.content = urlset_xml(response.context_data["urlset"])
    return response


def urlset_xml(urlset):
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    ]
    for url in urlset:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url.get("lastmod"):
            parts.append(f"<lastmod>{url['lastmod']:%Y-%m-%d}</lastmod>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{escape(str(url['priority']))}</priority>")
        for alternate in url.get("alternates") or ():
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                f'href="{escape(alternate["location"])}"/>'
            )
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)
