from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

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
    }
    return render(request, "countries/country_detail.html", context)
