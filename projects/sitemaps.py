from iomcms.sitemaps import TranslatedSitemap

from .models import Project


class ProjectSitemap(TranslatedSitemap):
    url_name = "projects:detail"

    def queryset(self):
        return Project.objects.published()
