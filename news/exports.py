"""The news list as CSV (``/news/export.csv``, ``/news/?format=csv``): see iomcms/exports.py."""

from iomcms.exports import (
    Column,
    CsvExportView,
    absolute_urls,
    country_codes,
    country_names,
    joined,
)

from .filters import NewsItemFilter
from .models import NewsItem

# The columns the file reads (and get_absolute_url's language and slug): not the body, the
# captions or the legacy metadata, which would be read and decoded for every row.
EXPORT_FIELDS = (
    "title",
    "slug",
    "kind",
    "published_on",
    "dateline",
    "language",
    "countries",
    "lead",
)


def news_columns(request):
    absolute = absolute_urls(request)

    def contacts(item):
        return [link.contact for link in item.public_contact_links]

    return (
        Column("url", lambda item: absolute(item)),
        Column("title", lambda item: item.title),
        Column("kind", lambda item: item.kind),
        Column("published_on", lambda item: item.published_on),
        Column("dateline", lambda item: item.dateline),
        Column("language", lambda item: item.language),
        Column("country_codes", lambda item: country_codes(item.countries)),
        Column("country_names", lambda item: country_names(item.countries)),
        Column("lead", lambda item: item.lead),
        Column("contact_names", lambda item: joined(c.name for c in contacts(item))),
        Column("contact_emails", lambda item: joined(c.email for c in contacts(item) if c.email)),
        Column(
            "contact_urls",
            lambda item: joined(absolute(c) for c in contacts(item)),
        ),
    )


class NewsItemCsvView(CsvExportView):
    section = "news"
    filterset_class = NewsItemFilter

    def get_columns(self):
        return news_columns(self.request)

    def base_queryset(self):
        from .views import public_contact_links  # the views name this class

        return (
            NewsItem.objects.published()
            .only(*EXPORT_FIELDS)
            .prefetch_related(public_contact_links())
        )
