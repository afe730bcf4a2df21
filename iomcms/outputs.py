"""The other formats of a public list: "This list as: RSS · Atom · CSV · JSON" (and IATI for
projects), each link carrying the list's current selection.

``DATA_OUTPUTS`` is the one table of where each list's formats live. The links carry exactly
the filters the list applied (the valid, bound parameters as the form writes them, ``sort``
included, never ``page``), so each format gives the rows the page lists, by the same FilterSet.
Page-like outputs (feeds, CSV, IATI) are under the interface language's prefix like the page
(``/fr/news/feed/rss/``); the JSON API has one address for every language, so its link names
the list's language (``lang=fr``) when the reader did not, to give the same rows.
"""

from django.conf import settings
from django.urls import get_script_prefix
from django.utils.http import urlencode

from .filters import LanguageFilter, chosen_language
from .languages import interface_language

RSS = ("RSS", "application/rss+xml")
ATOM = ("Atom", "application/atom+xml")
CSV = ("CSV", "text/csv")
JSON = ("JSON", "application/json")
IATI = ("IATI", "application/xml")

# {list: [(format, path)]}: paths as written for English; API paths start with API_PREFIX.
DATA_OUTPUTS = {
    "news": [
        (RSS, "/news/feed/rss/"),
        (ATOM, "/news/feed/atom/"),
        (CSV, "/news/export.csv"),
        (JSON, "/api/v1/news/"),
    ],
    "projects": [
        (RSS, "/projects/feed/rss/"),
        (ATOM, "/projects/feed/atom/"),
        (CSV, "/projects/export.csv"),
        (JSON, "/api/v1/projects/"),
        (IATI, "/projects/iati.xml"),
    ],
    "contacts": [
        (CSV, "/contacts/export.csv"),
        (JSON, "/api/v1/contacts/"),
    ],
}
API_PREFIX = "/api/"


def filter_parameters(filterset):
    """``[(name, value)]``: the filters ``filterset`` applied, each as its form writes it."""
    fields = filterset.form.fields
    parameters = []
    for name, value in filterset.applied.items():
        value = fields[name].prepare_value(value)
        if isinstance(value, (list, tuple)):  # sort: "-budget,title"
            value = ",".join(str(part) for part in value)
        parameters.append((name, str(value)))
    return parameters


def data_links(section, parameters, *, language=None):
    """``[{"label", "url", "type"}]``: list ``section``'s formats with ``parameters`` (pairs).
    ``language``: the content language the list shows when ``lang`` is not among them (for
    the API link), ``None`` for a list without languages."""
    prefix = get_script_prefix().rstrip("/")
    code = interface_language()
    language_prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
    parameters = [(name, value) for name, value in parameters if name != "page"]
    named = {name for name, _value in parameters}
    links = []
    for (label, content_type), path in DATA_OUTPUTS[section]:
        query = parameters
        if path.startswith(API_PREFIX):
            if language and "lang" not in named:
                query = [*parameters, ("lang", language)]
        else:
            path = language_prefix + path
        url = prefix + path + (f"?{urlencode(query)}" if query else "")
        links.append({"label": label, "url": url, "type": content_type})
    return links


def list_data_links(section, filterset):
    """:func:`data_links` of a list page: its applied filters, its language by default."""
    has_language = any(isinstance(f, LanguageFilter) for f in filterset.filters.values())
    return data_links(
        section,
        filter_parameters(filterset),
        language=chosen_language("") if has_language else None,
    )
