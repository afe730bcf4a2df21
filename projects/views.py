from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from iomcms.filters import bind
from iomcms.methods import read_only
from iomcms.views import FilteredListView, PublishableDetailView
from news.related import news_about_project

from .exports import ProjectCsvView
from .filters import ProjectFilter
from .iati import ACTIVITY_FIELDS, write_activities
from .models import Project

IATI_CONTENT_TYPE = "application/xml; charset=utf-8"
# Rows fetched from the database cursor at a time by the IATI export.
IATI_CHUNK_ROWS = 500


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_news"] = news_about_project(self.object)
        return context


def iati_rows(queryset):
    return queryset.select_related("region").only(*ACTIVITY_FIELDS)


def ignored_filters(filterset):
    """What the list page would show as "ignored": ``(names, lines)``, the parameters whose
    value was left out and one "Label: reason" line each."""
    form = filterset.form
    if not filterset.is_bound or form.is_valid():
        return [], []
    names, lines = [], []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        names.append(name)
        lines += [f"{field.label}: {error}" if field else str(error) for error in errors]
    return names, lines


def iati_file_name(filterset):
    """``projects-iati.xml``, or with the filters that chose the rows:
    ``projects-iati-country-co-year-2019.xml``."""
    words = ["projects", "iati", *(f"{name}-{value}" for name, value in filterset.selection())]
    return f"{slugify('-'.join(words))[:120].rstrip('-')}.xml"


@read_only
def iati_list(request):
    """``/projects/iati.xml``: the published projects the list's filters choose (the same
    query string as ``/projects/``, bound the same way), as IATI activities, streamed."""
    filterset = bind(ProjectFilter, request, Project.objects.published())
    names, lines = ignored_filters(filterset)
    comments = [_("Some filters could not be used and were ignored:"), *lines] if lines else []
    rows = iati_rows(filterset.qs).iterator(chunk_size=IATI_CHUNK_ROWS)
    response = StreamingHttpResponse(
        write_activities(rows, site=request.build_absolute_uri("/"), comments=comments),
        content_type=IATI_CONTENT_TYPE,
    )
    response.headers["Content-Disposition"] = f'inline; filename="{iati_file_name(filterset)}"'
    if names:
        response.headers["X-Ignored-Filters"] = ", ".join(names)
    return response


@read_only
def iati_detail(request, slug):
    """``/projects/<slug>/iati.xml``: one published project as an IATI document."""
    project = get_object_or_404(iati_rows(Project.objects.published()), slug=slug)
    body = b"".join(write_activities([project], site=request.build_absolute_uri("/")))
    response = HttpResponse(body, content_type=IATI_CONTENT_TYPE)
    name = slugify(f"{project.slug}-iati")[:120]
    response.headers["Content-Disposition"] = f'inline; filename="{name}.xml"'
    return response
