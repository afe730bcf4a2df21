"""WHAT IS RELATED: the news a release page and a project page show beside their item, and
the projects a release page shows.

The one home of the rule and of its count; the news detail view and the project detail view
(``projects.views``, which may import news: the projects app already builds on it) both ask
it. Only ``published()`` rows, whatever the reader: a preview of a draft lists the public
content it would list once live, and a draft or scheduled release linked to a project stays
off the project's page until it goes live. The query counts are fixed whatever the number
of countries or links (pinned in the detail pages' tests).
"""

import datetime

from django.db.models import Prefetch

from iomcms.filters import any_country_condition

from .models import NewsItem, NewsItemProject

# How many related items a page shows.
RELATED_COUNT = 3

# A project's related news are those dated from January of the year before it starts to
# December of the year after it ends: releases announce a project and report on it later.
PROJECT_MARGIN_YEARS = 1


def related_news(item):
    """Public news in the item's language sharing any of its countries (else its kind),
    newest first, at most :data:`RELATED_COUNT`, the item left out."""
    related = (
        NewsItem.objects.published().for_list().filter(language=item.language).exclude(pk=item.pk)
    )
    codes = [country.code for country in item.countries]
    if codes:
        related = related.filter(any_country_condition(NewsItem, "countries", codes))
    else:
        related = related.filter(kind=item.kind)
    return list(related[:RELATED_COUNT])


def public_project_links():
    """The prefetch of a release's public projects, in the order they were linked
    (``item.public_project_links``, each with its ``project`` and the region its card shows):
    one query."""
    project_model = NewsItemProject._meta.get_field("project").related_model
    return Prefetch(
        "project_links",
        queryset=NewsItemProject.objects.filter(
            project__in=project_model.objects.published()
        ).select_related("project__region"),  # the card shows the region
        to_attr="public_project_links",
    )


def project_window(project):
    """(first day, last day) a project's related news may be dated, either end None when the
    project does not say: its start (else its funding year) and its end, widened by
    :data:`PROJECT_MARGIN_YEARS`."""
    start_year = int(project.start[:4]) if project.start else project.year
    end_year = int(project.end[:4]) if project.end else None
    first = datetime.date(start_year - PROJECT_MARGIN_YEARS, 1, 1) if start_year else None
    last = datetime.date(end_year + PROJECT_MARGIN_YEARS, 12, 31) if end_year else None
    return first, last


def news_about_project(project):
    """A project page's related news: the public releases staff (or the importer) linked to
    it, newest first, then public news in its language sharing any of its benefiting
    countries and dated within :func:`project_window`, newest first; each once, at most
    :data:`RELATED_COUNT` in all. Two queries at most (none for the second when the links
    fill the list or the project names no country)."""
    rows = NewsItem.objects.published().for_list()
    chosen = list(rows.filter(project_links__project=project)[:RELATED_COUNT])
    codes = [country.code for country in project.benefiting_states]
    room = RELATED_COUNT - len(chosen)
    if not codes or room <= 0:
        return chosen
    shared = rows.filter(
        any_country_condition(NewsItem, "countries", codes), language=project.language
    ).exclude(pk__in=[item.pk for item in chosen])
    first, last = project_window(project)
    if first:
        shared = shared.filter(published_on__gte=first)
    if last:
        shared = shared.filter(published_on__lte=last)
    return chosen + list(shared[:room])
