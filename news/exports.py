"""The news list as CSV (``/news/export.csv``, ``/news/?format=csv``): see iomcms/exports.py."""

from iomcms.exports import Column, CsvExportView, absolute_urls, joined

from .filters import NewsItemFilter
from .models import NewsItem


def news_columns(request):
    absolute = absolute_urls(request)

    def contacts(item):
        return [link.contact for link in item.public_contact_links]

    return (
        Column("url", lambda item: absolute(item.get_absolute_url())),
        Column("title", lambda item: item.title),
        Column("kind", lambda item: item.kind),
        Column("published_on", lambda item: item.published_on),
        Column("dateline", lambda item: item.dateline),
        Column("language", lambda item: item.language),
        Column("country_codes", lambda item: joined(c.code for c in item.countries)),
        Column("country_names", lambda item: joined(c.name for c in item.countries)),
        Column("lead", lambda item: item.lead),
        Column("contact_names", lambda item: joined(c.name for c in contacts(item))),
        Column("contact_emails", lambda item: joined(c.email for c in contacts(item) if c.email)),
        Column(
            "contact_urls",
            lambda item: joined(absolute(c.get_absolute_url()) for c in contacts(item)),
        ),
    )


class NewsItemCsvView(CsvExportView):
    section = "news"
    filterset_class = NewsItemFilter

    def get_columns(self):
        return news_columns(self.request)

    def base_queryset(self):
        from .views import public_contact_links  # the views name this class

        return NewsItem.objects.published().for_list().prefetch_related(public_contact_links())
