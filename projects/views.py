from iomcms.views import FilteredListView, PublishableDetailView

from .exports import ProjectCsvView
from .filters import ProjectFilter
from .models import Project


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilter
    paginate_by = 20
    csv_view_class = ProjectCsvView

    def base_queryset(self):
        return Project.objects.published().for_list()


class ProjectDetailView(PublishableDetailView):
    model = Project

    def detail_queryset(self, queryset):
        return queryset.select_related("project_type", "region")
