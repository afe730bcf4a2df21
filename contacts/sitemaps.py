from iomcms.sitemaps import PublishedSitemap

from .models import Contact


class ContactSitemap(PublishedSitemap):
    url_name = "contacts:detail"

    def queryset(self):
        return Contact.objects.published()  # public contacts only

    def get_latest_lastmod(self):
        return Contact.objects.latest_public_change()
