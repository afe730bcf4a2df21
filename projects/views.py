from django.views.generic import DetailView

from iomcms.views import FilteredListView

from .filters import ProjectFilter
from .models import Project


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilter
    paginate_by = 20

    def base_queryset(self):
        return Project.objects.published().for_list()


class ProjectDetailView(DetailView):
    model = Project

    def get_queryset(self):
        return Project.objects.published().select_related("project_type", "region")
