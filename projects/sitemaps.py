from iomcms.sitemaps import PublishedSitemap

from .models import Project


class ProjectSitemap(PublishedSitemap):
    url_name = "projects:detail"

    def queryset(self):
        return Project.objects.published()
