from iomcms.sitemaps import PublishedSitemap

from .models import NewsItem


class NewsItemSitemap(PublishedSitemap):
    url_name = "news:detail"

    def queryset(self):
        return NewsItem.objects.published()
