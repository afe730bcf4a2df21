"""The pages that belong to no content app: the home page and the site search."""

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from iomcms import facets
from iomcms.filters import ALL_LANGUAGES, chosen_language, language_condition
from iomcms.languages import TranslatableModel
from iomcms.methods import read_only
from iomcms.outputs import data_links
from iomcms.search import has_words, normalize_query
from news.models import NewsItem
from projects.models import Project


@read_only
def home(request):
    # "Latest" means dated: an undated archive item is old news whose day nobody knows.
    # In the interface's language, as the lists are by default (iomcms.filters.LanguageFilter).
    language = language_condition("")
    dated = NewsItem.objects.published().filter(language, published_on__isnull=False)
    news = list(dated.for_list()[:6])
    projects = list(
        Project.objects.published()
        .filter(language)
        .for_list()
        .order_by("-featured", "-year", "title")[:4]
    )
    return render(request, "pages/home.html", {"latest_news": news, "projects": projects})


SEARCH_TYPES = {
    "news": (_("News"), lambda: NewsItem.objects.published().for_list()),
    "projects": (_("Projects"), lambda: Project.objects.published().for_list()),
    "contacts": (_("Press contacts"), lambda: Contact.objects.published()),
}
SEARCH_PREVIEW = 5  # results per type on the first search page
SEARCH_PAGE_SIZE = 20  # results per page when one type is shown (?type=news)


@read_only
def search(request):
    """``/search/?q=...``: news, projects and press contacts matching ``q``, grouped by type.

    Without ``type``: the ``SEARCH_PREVIEW`` most relevant of each type and how many there are
    (two queries per type: the candidates, whose number is the count, then the best ranked
    among them; for a type without matches, one). When no news or project shown matches in
    the language of ``lang``, one more per type counts the other languages' matches, to link
    to them (:func:`show_languages_elsewhere`). With ``type=news``
    (``projects``, ``contacts``): that type alone, paginated, and the count of the others.
    The number of queries does not grow with the number of matches; a query with no letter
    or digit runs none. ``lang`` chooses the language of the news and projects as on their
    lists (default: the interface's; ``all``), press contacts have none.
    """
    q = normalize_query(request.GET.get("q", ""))
    active = request.GET.get("type", "")
    active = active if active in SEARCH_TYPES else ""
    searched = has_words(q)
    language = chosen_language(request.GET.get("lang", ""))
    sections = [search_section(request, q, key, active) for key in SEARCH_TYPES if searched]
    show_languages_elsewhere(q, sections, active, language)
    context = {
        "q": q,
        "searched": searched,
        "active_type": active,
        "sections": sections,
        "all_querystring": urlencode({"q": q, **_lang(request)}),
        "lang": language,
        "lang_choices": [*settings.LANGUAGES, (ALL_LANGUAGES, _("All languages"))],
    }
    return render(request, "pages/search.html", context)


def _lang(request):
    return {"lang": request.GET["lang"]} if "lang" in request.GET else {}


def search_section(request, q, key, active):
    """One type of results on the search page: its count and rows (none if another type is
    the active one)."""
    label, base_queryset = SEARCH_TYPES[key]
    rows = base_queryset()
    query = {"q": q, "type": key}
    translatable = issubclass(rows.model, TranslatableModel)
    if translatable:
        rows = rows.filter(language_condition(request.GET.get("lang", "")))
        query.update(_lang(request))
    result = rows.search(q)
    section = {"key": key, "label": label, "querystring": urlencode(query)}
    if key == active:
        paginator = result.paginator(SEARCH_PAGE_SIZE, allow_empty_first_page=True)
        page = paginator.get_page(request.GET.get("page"))
        section.update(rows=page.object_list, page=page)
    elif active:
        section.update(rows=[])
    else:
        section.update(rows=result.top(SEARCH_PREVIEW))
    section.update(total=result.count, count_label=result.count_label, capped=result.capped)
    section["translatable"] = translatable
    section["data_links"] = search_data_links(request, q, key, rows.model)
    return section


def show_languages_elsewhere(q, sections, active, listed):
    """When none of the news and project sections shown found anything in ``listed``, the
    reader's language, give each the other languages that hold matches
    (``languages_elsewhere``, :func:`iomcms.facets.languages_elsewhere`): one more query per
    section, paid only where the page would otherwise end the search. (A section that is
    empty beside another with results gets none: the reader has results, and the count would
    cost every such search a query.)"""
    shown = [s for s in sections if s["translatable"] and active in ("", s["key"])]
    if listed == ALL_LANGUAGES or not shown or any(section["total"] for section in shown):
        return
    for section in shown:
        elsewhere = QueryDict(mutable=True)
        elsewhere.update({"q": q, "type": section["key"]})
        every_language = SEARCH_TYPES[section["key"]][1]().search(q)
        options = facets.searched_language_options(every_language, listed)
        section["languages_elsewhere"] = facets.languages_elsewhere(options, elsewhere)


def search_data_links(request, q, key, model):
    """The type's other formats with the same search (``q``, and ``lang`` when valid): news
    and projects as feeds, CSV and JSON (projects as IATI too), contacts as CSV and JSON."""
    parameters = [("q", q)]
    language = None
    if issubclass(model, TranslatableModel):
        raw = request.GET.get("lang", "")
        if raw and chosen_language(raw) == raw:
            parameters.append(("lang", raw))
        language = chosen_language(raw)
    return data_links(key, parameters, language=language)
