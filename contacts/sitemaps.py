from iomcms.sitemaps import PublishedSitemap

from .models import Contact


class ContactSitemap(PublishedSitemap):
    url_name = "contacts:detail"

    def queryset(self):
        return Contact.objects.published()  # public contacts only
