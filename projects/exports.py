"""The projects list as CSV (``/projects/export.csv``, ``/projects/?format=csv``): see
iomcms/exports.py."""

from iomcms.exports import (
    Column,
    CsvExportView,
    absolute_urls,
    country_codes,
    country_names,
)

from .filters import ProjectFilter
from .models import Project


def project_columns(request):
    absolute = absolute_urls(request)
    return (
        Column("url", lambda project: absolute(project)),
        Column("project_code", lambda project: project.project_code),
        Column("title", lambda project: project.title),
        Column("status", lambda project: project.status),
        Column("project_type", lambda project: project.project_type),
        Column("region", lambda project: project.region),
        Column("coverage", lambda project: project.coverage),
        Column("year", lambda project: project.year),
        Column("start", lambda project: project.start),  # ISO 8601 to the precision known
        Column("end", lambda project: project.end),
        Column("budget_usd", lambda project: project.budget_usd),
        Column("country_codes", lambda project: country_codes(project.benefiting_states)),
        Column("country_names", lambda project: country_names(project.benefiting_states)),
        Column("language", lambda project: project.language),
        Column("summary", lambda project: project.summary),
    )


class ProjectCsvView(CsvExportView):
    section = "projects"
    filterset_class = ProjectFilter

    def get_columns(self):
        return project_columns(self.request)

    def base_queryset(self):
        return Project.objects.published().for_list()
