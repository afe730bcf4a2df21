from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from . import facets, outage
from .filters import bind
from .languages import TranslatableModel, language_name, original_of
from .methods import ReadOnlyViewMixin, read_only
from .outputs import list_data_links
from .pagination import CappedPaginator
from .permissions import can_preview


class FilteredListView(ReadOnlyViewMixin, ListView):
    """A public list page: published rows, a django-filter form, forgiving pagination.

    Subclasses set ``model``, ``filterset_class`` (a ``ListFilterSet``) and ``paginate_by``,
    and may override ``base_queryset()`` to name the relations a row needs.

    The filters bind as :func:`iomcms.filters.bind` says: invalid values are shown as form
    errors and left out, the valid ones apply. Pagination is bounded (:mod:`iomcms.pagination`):
    the count stops past ``LIST_CAP`` rows and the pages cover those. A page number that is not
    a number, or past the end, shows the nearest real page instead of a 404; past the cap, the
    page says how to narrow the list (``past_cap``). Each filter's options come with their
    counts (``facets``, :mod:`iomcms.facets`), and ``data_links`` lists the same rows in other
    formats (:mod:`iomcms.outputs`). With a ``q``, the rows and the paginator
    come from the filterset's search result: most relevant first unless the reader chose a
    ``sort``, each row with a ``snippet``. It answers GET and HEAD only (:mod:`iomcms.methods`).
    ``?format=csv`` answers the list's CSV (``csv_view_class``, :mod:`iomcms.exports`).
    """

    filterset_class = None
    paginate_by = 20
    paginator_class = CappedPaginator
    # The list's CSV (an iomcms.exports.CsvExportView), also answered at ?format=csv.
    csv_view_class = None

    def get(self, request, *args, **kwargs):
        if self.csv_view_class is not None and request.GET.get("format") == "csv":
            return self.csv_view_class.as_view()(request, *args, **kwargs)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return self.model.objects.published()

    def get_queryset(self):
        self.filterset = bind(self.filterset_class, self.request, self.base_queryset())
        facets.carry_facet_columns(self.filterset)
        search = self.filterset.search
        return search.rows() if search else self.filterset.qs

    def get_paginator(self, queryset, per_page, **kwargs):
        search = self.filterset.search
        if search:
            return search.paginator(per_page, **kwargs)
        return super().get_paginator(queryset, per_page, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        number = self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(number)
        self.past_cap = paginator.is_past_cap(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        context["filter"] = self.filterset
        # Pagination links keep every filter: "?<querystring>&page=N".
        context["querystring"] = query.urlencode()
        context["is_filtered"] = self.filterset.is_filtered
        context["search"] = self.filterset.search
        context["past_cap"] = self.past_cap
        # Counts beside the filters' options (iomcms/facets.py), and the list's other formats.
        context["facets"] = facets.facets(self.filterset)
        facets.show_counts(self.filterset.form, context["facets"])
        context["data_links"] = list_data_links(self.model._meta.app_label, self.filterset)
        language = facets.language_facet_name(self.filterset)
        if not context["object_list"] and language in context["facets"]:
            # Nothing in this language: the others that hold rows, with this selection.
            context["languages_elsewhere"] = facets.languages_elsewhere(
                context["facets"][language], query, language
            )
        return context


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database here: whatever broke may break this page too. Only
    # the CSP nonce is passed, so the page's inline style is allowed.
    import sys

    from django.http import HttpResponseServerError
    from django.middleware.csp import get_nonce
    from django.template import loader
    from django.utils.csp import CONTEXT_KEY

    # Django calls this handler while handling the exception. A middleware that could not
    # reach the database (a session saved on the way out) lands here, not in the outage
    # middleware's process_exception: it gets the same 503.
    unavailable = outage.failure_response(sys.exc_info()[1])
    if unavailable is not None:
        return unavailable
    context = {CONTEXT_KEY: get_nonce(request)}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


@read_only
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


class PublishableDetailView(ReadOnlyViewMixin, DetailView):
    """The public page of one published item; staff may preview any item at the same URL.

    Anonymous visitors, and staff without the model's view permission, get the 404 the public
    gets; so does everyone for an item in the trash. A preview is marked in the page
    (``preview`` in the context: a banner and a noindex tag) and in the response (never
    cached, ``X-Robots-Tag: noindex``), so no proxy or CDN keeps it. The public path touches
    no session: only a request that already carries a session cookie and misses the
    published rows asks who the user is. Like every public page it answers GET and HEAD only
    (:mod:`iomcms.methods`).
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
        # Any item but those in the trash: deleted, it is previewed nowhere (the Trash page
        # lists it).
        obj = super().get_object(self.detail_queryset(self.model.objects.outside_trash()))
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
        if isinstance(self.object, TranslatableModel):
            context.update(self.language_context())
        return context

    def language_context(self):
        """``language_alternates``: (code, name, path) for the item and each public
        translation, in settings.LANGUAGES order (the head's hreflang links, "Also in" and
        the header's language switcher read it) and ``also_in``, the same without the item;
        ``language_versions``, the same items;
        ``original_path``, the original's page (hreflang x-default, :func:`original_of`); and
        ``canonical_path``, under the item's own language whatever the interface's."""
        versions = self.object.public_versions()
        alternates = [
            (version.language, language_name(version.language), version.get_absolute_url())
            for version in versions
        ]
        return {
            "language_alternates": alternates,
            "also_in": [row for row in alternates if row[0] != self.object.language],
            "original_path": original_of(versions).get_absolute_url(),
            "language_versions": versions,
            "canonical_path": self.object.get_absolute_url(),
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.preview:
            add_never_cache_headers(response)
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
