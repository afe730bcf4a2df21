from iomcms.sitemaps import TranslatedSitemap

from .models import NewsItem


class NewsItemSitemap(TranslatedSitemap):
    url_name = "news:detail"

    def queryset(self):
        return NewsItem.objects.published()
