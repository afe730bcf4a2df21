import csv
import io
import json

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from countries.links import country_url
from iomcms.charts import Bar, bar_chart, column_chart, map_legend, world_map
from iomcms.exports import BOM, IGNORED_HEADER, export_filename, safe_cell
from iomcms.exports import ignored_filters as exports_ignored
from iomcms.filters import bind
from iomcms.methods import ReadOnlyViewMixin, read_only
from iomcms.search.folding import search_fold
from iomcms.templatetags.locale_tags import budget
from iomcms.views import FilteredListView, PublishableDetailView
from news.related import news_about_project

from .exports import ProjectCsvView
from .filters import ProjectFilter
from .iati import ACTIVITY_FIELDS, write_activities
from .models import Project
from .statistics import BREAKDOWNS, project_statistics

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


# --- Statistics ----------------------------------------------------------------------------


def _statistics_query(request):
    """The reader's query string without what is not a filter (``page``, ``breakdown``,
    ``format``): carried by the links between the list, the statistics and their CSV."""
    query = request.GET.copy()
    for name in ("page", "breakdown", "format"):
        query.pop(name, None)
    return query


def _filtered_link(path, query, name, value):
    """``path`` with ``query`` and ``name=value`` (replacing any ``name`` already there)."""
    query = query.copy()
    query[name] = value
    query.pop("sort", None)
    return f"{path}?{query.urlencode()}"


class ProjectStatisticsView(ReadOnlyViewMixin, TemplateView):
    """``/projects/statistics/``: the published projects the list's filters choose (the same
    FilterSet, bound the same way: :func:`iomcms.filters.bind`), in figures, charts and a map
    (:mod:`projects.statistics` counts, :mod:`iomcms.charts` draws). GET and HEAD only."""

    template_name = "projects/project_statistics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = bind(ProjectFilter, self.request, Project.objects.published())
        stats = project_statistics(filterset.qs)
        query = _statistics_query(self.request)
        list_path = reverse("projects:list")
        csv_path = reverse("projects:statistics-csv")
        sections = []
        for name, title, heading in BREAKDOWNS:
            rows = stats.breakdowns[name]
            if name == "country":
                rows = stats.top_countries()
            if not rows:
                continue
            section = chart_section(name, title, rows, stats, query, list_path, csv_path)
            sections.append(section | {"heading": heading})
        shaded = {
            row.key: Bar(row.label, row.budget, amount_and_count(row), country_url(row.key))
            for row in stats.breakdowns["country"]
        }
        context.update(
            {
                "filter": filterset,
                "is_filtered": filterset.is_filtered,
                "stats": stats,
                "total_budget": budget(stats.budget),
                "count_label": number_format(stats.count, force_grouping=True),
                "sections": sections,
                "querystring": query.urlencode(),
                "map": world_map(shaded) if shaded else "",
                "map_legend": map_legend(shaded, text=budget),
                "map_countries": [
                    {"row": row, "url": country_url(row.key), "text": amount_and_count(row)}
                    for row in sorted(
                        stats.breakdowns["country"], key=lambda row: search_fold(row.label)
                    )
                ],
                "csv_all": f"{csv_path}?{query.urlencode()}" if query else csv_path,
            }
        )
        return context


def amount_and_count(row):
    """ "USD 1,250,000 · 3 projects"."""
    projects = ngettext("%(count)s project", "%(count)s projects", row.count) % {
        "count": number_format(row.count, force_grouping=True)
    }
    return f"{budget(row.budget)} · {projects}"


def share_text(part, whole):
    """ "35%": ``part`` of ``whole``, rounded, as the locale writes a percentage."""
    percent = round(part * 100 / whole) if whole else 0
    return _("%(percent)s%%") % {"percent": percent}


def chart_summary(name, rows, stats):
    """The one sentence that says what a chart shows."""
    if not stats.budget:
        return _("No project in this selection gives a budget.")
    if name == "year":
        known = [row for row in rows if row.key]
        if not known:
            return _("No project in this selection gives a start date.")
        peak = max(known, key=lambda row: row.budget)
        if len(known) == 1:
            return _(
                "The projects with a start date all start in %(peak)s, with a budget of %(amount)s."
            ) % {"peak": peak.label, "amount": budget(peak.budget)}
        return _(
            "Projects starting from %(first)s to %(last)s; those starting in %(peak)s have the "
            "largest budget, %(amount)s."
        ) % {
            "first": known[0].label,
            "last": known[-1].label,
            "peak": peak.label,
            "amount": budget(peak.budget),
        }
    largest = max(rows, key=lambda row: row.budget)
    return _("%(label)s has the largest budget: %(amount)s, %(share)s of the total.") % {
        "label": largest.label,
        "amount": budget(largest.budget),
        "share": share_text(largest.budget, stats.budget),
    }


def chart_section(name, title, rows, stats, query, list_path, csv_path):
    """What the template writes for one breakdown: its title, summary, chart, table, CSV."""
    bars = [Bar(row.label, row.budget, amount_and_count(row)) for row in rows]
    labelledby = f"stats-{name} stats-{name}-summary"
    if name == "year":
        largest = max((row.budget for row in rows), default=0)
        chart = column_chart(bars, labelledby, max_text=budget(largest))
    else:
        chart = bar_chart(bars, labelledby)
    table = []
    for row in rows:
        if name == "country":
            link = country_url(row.key)
        elif name in ("region", "type", "status", "coverage") and row.key:
            link = _filtered_link(list_path, query, name, row.key)
        else:
            link = ""
        table.append(
            {
                "row": row,
                "link": link,
                "count": number_format(row.count, force_grouping=True),
                "budget": budget(row.budget),
                "share": share_text(row.budget, stats.budget),
            }
        )
    return {
        "name": name,
        "title": title,
        "summary": chart_summary(name, rows, stats),
        "chart": chart,
        "table": table,
        "csv": _filtered_link(csv_path, query, "breakdown", name),
    }


@read_only
def statistics_csv(request):
    """``/projects/statistics.csv``: the numbers of ``/projects/statistics/`` (the same query
    string), one row per line of each breakdown: ``breakdown,key,label,projects,budget_usd``,
    the first row the total (``total``). ``?breakdown=region`` (``year``, ``type``, ``status``,
    ``coverage``, ``country``) keeps that breakdown only (another value: every breakdown);
    ``country`` lists every country, not only the page's top 15, budgets shared as the page
    says (:func:`projects.statistics.budget_share`). UTF-8 with a BOM, CRLF, cells made safe
    for spreadsheets, ignored filters in ``X-Ignored-Filters``: as the list's CSV
    (:mod:`iomcms.exports`)."""
    filterset = bind(ProjectFilter, request, Project.objects.published())
    stats = project_statistics(filterset.qs)
    chosen = request.GET.get("breakdown", "")
    names = [name for name, *_titles in BREAKDOWNS]
    names = [chosen] if chosen in names else names
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["breakdown", "key", "label", "projects", "budget_usd"])
    writer.writerow(["total", "", "", stats.count, stats.budget])
    for name in names:
        for row in stats.breakdowns[name]:
            writer.writerow([name, safe_cell(row.key), safe_cell(row.label), row.count, row.budget])
    response = HttpResponse(
        (BOM + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8; header=present"
    )
    filename = export_filename("project-statistics", filterset)
    if len(names) == 1:
        filename = filename.replace(".csv", f"_breakdown-{names[0]}.csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if ignored := exports_ignored(filterset):
        response.headers[IGNORED_HEADER] = json.dumps(ignored, ensure_ascii=True)
    return response
