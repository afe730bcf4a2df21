from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from contacts.models import Contact
from news.models import NewsItem
from projects.models import Project

from . import outage
from . import search as sitesearch
from .filters import SearchFilter
from .permissions import can_preview


class SearchPaginator(Paginator):
    """Ranked search results, a page at a time, in two queries: the first finds the
    candidates (the newest ``MAX_RESULTS + 1`` matches, whose number is the count), the second
    ranks them and fetches one page with its snippets (``iomcms/search.py``)."""

    def __init__(self, matches, q, per_page, **kwargs):
        super().__init__(matches, per_page, **kwargs)
        self.matches, self.q = matches, q

    @cached_property
    def candidates(self):
        return sitesearch.candidates(self.matches)

    @cached_property
    def count(self):
        return len(self.candidates)

    def page(self, number):
        self.object_list = sitesearch.results(self.matches, self.q, candidates=self.candidates)
        return super().page(number)


class FilteredListView(ListView):
    """A public list page: published rows, a django-filter form, forgiving pagination.

    Subclasses set ``model``, ``filterset_class`` and ``paginate_by``, and may override
    ``base_queryset()`` to name the relations a row needs.

    A filter value that does not validate (``?year=abc``, ``?country=ZZZ``) is shown as a form
    error and left out, while the valid ones still apply: the reader gets a corrected list, not
    an error page. A page number that is not a number, or past the end, shows the nearest real
    page instead of a 404.

    With a ``q`` (a :class:`SearchFilter`), the matching rows come most relevant first, unless
    the reader chose a ``sort``, and each has a ``snippet`` (see ``iomcms/search.py``).
    """

    filterset_class = None
    paginate_by = 20
    search_query = ""  # the normalized q when the list is searched
    search_ranked = False

    def base_queryset(self):
        return self.model.objects.published()

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.base_queryset(), request=self.request
        )
        if not self.filterset.is_bound:
            return self.filterset.queryset
        self.filterset.is_valid()  # fills form.errors and cleaned_data (valid fields only)
        return self.search_results(self.filterset.filter_queryset(self.filterset.queryset))

    def search_results(self, queryset):
        """The filtered rows, ranked by relevance and with snippets when ``q`` was searched."""
        cleaned = self.filterset.form.cleaned_data
        if not isinstance(self.filterset.filters.get("q"), SearchFilter):
            return queryset
        self.search_query = sitesearch.normalize_query(cleaned.get("q"))
        if not sitesearch.has_words(self.search_query):
            return queryset
        self.search_ranked = not cleaned.get("sort")
        self.search_matches = queryset
        return sitesearch.results(queryset, self.search_query, by_relevance=self.search_ranked)

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.search_ranked:
            return SearchPaginator(self.search_matches, self.search_query, per_page, **kwargs)
        return super().get_paginator(queryset, per_page, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        context["filter"] = self.filterset
        # Pagination links keep every filter: "?<querystring>&page=N".
        context["querystring"] = query.urlencode()
        context["is_filtered"] = any(v for k, v in query.items() if k != "sort")
        context["search_query"] = self.search_query
        context["search_ranked"] = self.search_ranked
        if self.search_ranked:
            total = context["paginator"].count
            context["search_capped"] = sitesearch.is_capped(total)
            context["search_count_label"] = sitesearch.count_label(total)
        return context


def home(request):
    news = list(NewsItem.objects.published().for_list()[:6])
    projects = list(
        Project.objects.published().for_list().order_by("-featured", "-year", "title")[:4]
    )
    return render(request, "home.html", {"latest_news": news, "projects": projects})


SEARCH_TYPES = {
    "news": (_("News"), lambda: NewsItem.objects.published().for_list()),
    "projects": (_("Projects"), lambda: Project.objects.published().for_list()),
    "contacts": (_("Press contacts"), lambda: Contact.objects.published()),
}
SEARCH_PREVIEW = 5  # results per type on the first search page
SEARCH_PAGE_SIZE = 20  # results per page when one type is shown (?type=news)


def search(request):
    """``/search/?q=...``: news, projects and press contacts matching ``q``, grouped by type.

    Without ``type``: the ``SEARCH_PREVIEW`` most relevant of each type and how many there are
    (one query per type: the count comes with the rows). With ``type=news`` (``projects``,
    ``contacts``): that type alone, paginated, and the count of the others. The number of
    queries does not grow with the number of matches; a query with no letter or digit runs
    none.
    """
    q = sitesearch.normalize_query(request.GET.get("q", ""))
    active = request.GET.get("type", "")
    active = active if active in SEARCH_TYPES else ""
    searched = sitesearch.has_words(q)
    sections = [search_section(request, q, key, active) for key in SEARCH_TYPES if searched]
    context = {
        "q": q,
        "searched": searched,
        "active_type": active,
        "sections": sections,
        "all_querystring": urlencode({"q": q}),
    }
    return render(request, "search.html", context)


def search_section(request, q, key, active):
    """One type of results on the search page: its count and rows (none if another type is
    the active one)."""
    label, base_queryset = SEARCH_TYPES[key]
    matches = sitesearch.match(base_queryset(), q)
    section = {"key": key, "label": label, "querystring": urlencode({"q": q, "type": key})}
    if key == active:
        paginator = SearchPaginator(matches, q, SEARCH_PAGE_SIZE, allow_empty_first_page=True)
        page = paginator.get_page(request.GET.get("page"))
        section.update(total=paginator.count, rows=page.object_list, page=page)
    elif active:
        section.update(total=sitesearch.count(matches), rows=[])
    else:
        ranked = sitesearch.with_total(sitesearch.results(matches, q))
        rows = list(ranked[:SEARCH_PREVIEW])
        total = getattr(rows[0], sitesearch.TOTAL_ATTR) if rows else 0
        section.update(total=total, rows=rows)
    section["count_label"] = sitesearch.count_label(section["total"])
    section["capped"] = sitesearch.is_capped(section["total"])
    return section


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database here: whatever broke may break this page too.
    import sys

    from django.http import HttpResponseServerError
    from django.template import loader

    # Django calls this handler while handling the exception. A middleware that could not
    # reach the database (a session saved on the way out) lands here, not in the outage
    # middleware's process_exception: it gets the same 503.
    unavailable = outage.failure_response(sys.exc_info()[1])
    if unavailable is not None:
        return unavailable
    return HttpResponseServerError(loader.get_template("500.html").render())


def robots_txt(request):
    """Crawl everything public, not the admin; point crawlers at the sitemap index."""
    from django.http import HttpResponse
    from django.urls import reverse

    lines = [
        "User-agent: *",
        "Allow: /",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class PublishableDetailView(DetailView):
    """The public page of one published item; staff may preview any item at the same URL.

    Anonymous visitors, and staff without the model's view permission, get the 404 the public
    gets. A preview is marked in the page (``preview`` in the context: a banner and a noindex
    tag) and in the response (never cached, ``X-Robots-Tag: noindex``), so no proxy or CDN
    keeps it. The public path touches no session: only a request that already carries a
    session cookie and misses the published rows asks who the user is.
    """

    preview = False

    def detail_queryset(self, queryset):
        """Add the joins and prefetches the page needs to ``queryset``."""
        return queryset

    def get_queryset(self):
        return self.detail_queryset(self.model.objects.published())

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if not self.can_preview():
                raise
        obj = super().get_object(self.detail_queryset(self.model.objects.all()))
        self.preview = True
        return obj

    def can_preview(self):
        if settings.SESSION_COOKIE_NAME not in self.request.COOKIES:
            return False
        user = self.request.user
        return can_preview(user, self.model)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.preview:
            context["preview"] = True
            context["preview_state"] = self.object.state()
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.preview:
            add_never_cache_headers(response)
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
