from django.shortcuts import render
from django.views.generic import ListView

from news.models import NewsItem
from projects.models import Project


class FilteredListView(ListView):
    """A public list page: published rows, a django-filter form, forgiving pagination.

    Subclasses set ``model``, ``filterset_class`` and ``paginate_by``, and may override
    ``base_queryset()`` to name the relations a row needs.

    A filter value that does not validate (``?year=abc``, ``?country=ZZZ``) is shown as a form
    error and left out, while the valid ones still apply: the reader gets a corrected list, not
    an error page. A page number that is not a number, or past the end, shows the nearest real
    page instead of a 404.
    """

    filterset_class = None
    paginate_by = 20

    def base_queryset(self):
        return self.model.objects.published()

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.base_queryset(), request=self.request
        )
        if not self.filterset.is_bound:
            return self.filterset.queryset
        self.filterset.is_valid()  # fills form.errors and cleaned_data (valid fields only)
        return self.filterset.filter_queryset(self.filterset.queryset)

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
        return context


def home(request):
    news = list(NewsItem.objects.published().for_list()[:6])
    projects = list(
        Project.objects.published().for_list().order_by("-featured", "-year", "title")[:4]
    )
    return render(request, "home.html", {"latest_news": news, "projects": projects})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database here: whatever broke may break this page too.
    from django.http import HttpResponseServerError
    from django.template import loader

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
