from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iomcms.charts import Bar, column_chart
from iomcms.filters import ALL_LANGUAGES
from iomcms.languages import language_codes, language_name
from iomcms.methods import read_only
from iomcms.outputs import data_links

from .content import CountryPage, canonical_code
from .links import country_url


def list_url(name, code, **extra):
    """A list page filtered by the country, as its filter form writes it (``?country=ML``)."""
    return f"{reverse(name)}?{urlencode({'country': code, **extra})}"


@read_only
def country_detail(request, iso):
    """``/countries/<iso>/``: everything public about one country (countries/content.py).

    The address takes the lower-case alpha-2 code; any other form of a known code (``ML``,
    ``mli``) is redirected there for good (301), an unknown one is a 404 without a query. A
    country the public can see nothing about is a 404 too. Like every public page it is kept
    by the page cache (iomcms/pagecache.py): any public change, and the next go-live or
    expiry, ends its entry.
    """
    canonical = canonical_code(iso)
    if canonical is None:
        raise Http404
    if canonical != iso:
        return redirect(country_url(canonical), permanent=True)
    code = canonical.upper()
    page = CountryPage(code)
    if not page.exists:
        raise Http404
    alternates = []
    for language in language_codes():
        with translation.override(language):
            alternates.append((language, language_name(language), country_url(code)))
    context = {
        "page": page,
        "country": page.country,
        "language_alternates": alternates,
        "original_path": {c: path for c, _n, path in alternates}[settings.LANGUAGE_CODE],
        "news_url": list_url("news:list", code),
        "news_all_languages_url": list_url("news:list", code, lang=ALL_LANGUAGES),
        "projects_url": list_url("projects:list", code),
        "projects_all_languages_url": list_url("projects:list", code, lang=ALL_LANGUAGES),
        "contacts_url": list_url("contacts:list", code),
        "feed_query": urlencode({"country": code}),
        "news_data_links": data_links("news", [("country", code)], language=page.language),
        "project_data_links": data_links("projects", [("country", code)], language=page.language),
        "contact_data_links": data_links("contacts", [("country", code)]),
        "statistics_url": list_url("projects:statistics", code),
        "years": years_chart(page, code),
    }
    return render(request, "countries/country_detail.html", context)


def projects_text(count):
    return ngettext("%(count)s project", "%(count)s projects", count) % {
        "count": number_format(count, force_grouping=True)
    }


def years_chart(page, code):
    """The page's small chart: how many of the country's projects (in the page's language)
    start each year, in columns (:func:`iomcms.charts.column_chart`), with its one-sentence
    summary, its data and the CSV of the same numbers (the statistics page's, filtered by the
    country). Counts, not budgets: a project counts once wherever it benefits, so no share
    of a budget has to be read off the chart. None without a project with a start year."""
    known = [row for row in page.years if row.key.isdigit()]
    if not known:
        return None
    peak = max(known, key=lambda row: row.count)
    bars = [Bar(row.label, row.count, projects_text(row.count)) for row in page.years]
    values = {
        "first": known[0].label,
        "last": known[-1].label,
        "peak": peak.label,
        "count": projects_text(peak.count),
    }
    if len(known) == 1:
        summary = _("The projects with a start date all started in %(peak)s (%(count)s).")
    else:
        summary = _(
            "Projects starting from %(first)s to %(last)s; most started in %(peak)s (%(count)s)."
        )
    return {
        "chart": column_chart(
            bars, "country-years country-years-summary", max_text=projects_text(peak.count)
        ),
        "summary": summary % values,
        "rows": [(row.label, number_format(row.count, force_grouping=True)) for row in page.years],
        "csv": list_url("projects:statistics-csv", code, breakdown="year"),
    }
