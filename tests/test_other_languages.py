"""An empty list or search in one language shows the way to the others that hold matches
(iomcms.facets.languages_elsewhere): a French reader who searches for a word only English
releases use is offered them, with the search kept, instead of "nothing" and a link that
drops it. Through the HTTP client, on both databases."""

import datetime
import html
import re

import pytest
import time_machine

from iomcms.publishing import PublicationStatus
from tests.factories import make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2031, 3, 10, 8, 0, tzinfo=datetime.UTC)


def links(response):
    found = re.findall(
        r'<a href="([^"]*)"( hreflang="(\w+)" lang="(\w+)")?>([^<]*)</a>',
        re.search(r'<p class="elsewhere">(.*?)</p>', response.content.decode(), re.S).group(1),
    )
    for _href, _attrs, hreflang, lang, _text in found:
        assert hreflang == lang
    return [(html.unescape(href), lang or None, text) for href, _a, _h, lang, text in found]


def paragraph(response):
    return re.search(r'<p class="elsewhere">.*?</p>', response.content.decode(), re.S)


def zanzibar_news():
    english = [make_news_item(language="en", title=f"Zanzibar ferry {n}") for n in range(2)]
    spanish = make_news_item(language="es", title="Zanzibar: llegan familias")
    french = make_news_item(language="fr", title="Familles accueillies à Dakar")
    return english, spanish, french


def test_an_empty_searched_list_links_to_each_language_that_holds_matches(client):
    english, spanish, _french = zanzibar_news()
    response = client.get("/fr/news/", {"q": "zanzibar"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert "Dans d’autres langues\u00a0:" in response.content.decode()
    assert links(response) == [
        ("?q=zanzibar&lang=en", "en", "English (2)"),
        ("?q=zanzibar&lang=es", "es", "Español (1)"),
        ("?q=zanzibar&lang=all", None, "Toutes les langues (3)"),
    ]
    # Each link lands on a list that holds what it announced, the search kept.
    english_list = client.get("/fr/news/?q=zanzibar&lang=en")
    assert set(english_list.context["object_list"]) == set(english)
    every = client.get("/fr/news/?q=zanzibar&lang=all")
    assert set(every.context["object_list"]) == {*english, spanish}


def test_the_links_keep_every_other_filter_and_drop_the_page(client):
    make_project(language="en", status="active", benefiting_states=["KE"])
    make_project(language="en", status="completed", benefiting_states=["KE"])  # another status
    make_project(language="es", status="active", benefiting_states=["CO"])  # another country
    response = client.get("/es/projects/", {"country": "KE", "status": "active", "page": "3"})
    assert list(response.context["object_list"]) == []
    assert "En otros idiomas:" in response.content.decode()
    assert links(response) == [
        ("?country=KE&status=active&lang=en", "en", "English (1)"),
        ("?country=KE&status=active&lang=all", None, "Todos los idiomas (1)"),
    ]


def test_an_english_reader_is_offered_french_and_spanish(client):
    make_news_item(language="fr", title="Zanzibar : arrivée des familles")
    response = client.get("/news/", {"q": "zanzibar"})
    assert links(response) == [
        ("?q=zanzibar&lang=fr", "fr", "Français (1)"),
        ("?q=zanzibar&lang=all", None, "All languages (1)"),
    ]


def test_no_links_when_the_list_has_rows_holds_every_language_or_nothing_elsewhere(client):
    zanzibar_news()
    # Rows in the reader's language: the list itself, no detour.
    assert paragraph(client.get("/es/news/", {"q": "zanzibar"})) is None
    # Every language already.
    empty_everywhere = client.get("/fr/news/", {"q": "zanzibar", "lang": "all", "year": "1999"})
    assert list(empty_everywhere.context["object_list"]) == []
    assert paragraph(empty_everywhere) is None
    # No other language matches either.
    nothing = client.get("/fr/news/", {"q": "tombouctou"})
    assert list(nothing.context["object_list"]) == []
    assert paragraph(nothing) is None
    # Contacts have no language.
    assert paragraph(client.get("/fr/contacts/", {"q": "zanzibar"})) is None


def test_drafts_and_scheduled_items_in_other_languages_are_not_announced(client):
    make_news_item(
        language="en", title="Zanzibar draft", publication_status=PublicationStatus.DRAFT
    )
    make_news_item(
        language="es", title="Zanzibar programado", go_live_at=NOW + datetime.timedelta(hours=1)
    )
    make_project(
        language="en", title="Zanzibar draft project", publication_status=PublicationStatus.DRAFT
    )
    with time_machine.travel(NOW, tick=False):
        for url in ("/fr/news/", "/fr/projects/", "/fr/search/"):
            response = client.get(url, {"q": "zanzibar"})
            assert response.status_code == 200
            assert paragraph(response) is None, url
            assert "Zanzibar" not in response.content.decode().replace("zanzibar", "")


def test_the_search_page_links_each_empty_type_to_the_languages_that_hold_matches(
    client, django_assert_num_queries
):
    zanzibar_news()
    make_project(language="en", title="Zanzibar port support")
    make_contact(name="Zanzibar Officer")  # contacts have no language: always found
    # Per type with a match elsewhere only: the candidates, then the other languages' counts.
    with django_assert_num_queries(2 + 2 + 2):
        response = client.get("/fr/search/", {"q": "zanzibar"})
    sections = {section["key"]: section for section in response.context["sections"]}
    assert sections["news"]["total"] == sections["projects"]["total"] == 0
    assert sections["contacts"]["total"] == 1
    content = response.content.decode()
    found = re.findall(r'<p class="elsewhere">(.*?)</p>', content, re.S)
    assert len(found) == 2  # news and projects, not contacts
    assert (
        'href="?q=zanzibar&amp;type=news&amp;lang=en" hreflang="en" lang="en">English (2)'
        in (found[0])
    )
    assert (
        'href="?q=zanzibar&amp;type=news&amp;lang=es" hreflang="es" lang="es">Español (1)'
        in (found[0])
    )
    assert 'href="?q=zanzibar&amp;type=news&amp;lang=all">Toutes les langues (3)' in found[0]
    assert 'href="?q=zanzibar&amp;type=projects&amp;lang=en"' in found[1]
    assert "Español" not in found[1]
    # The link shows that type's matches in that language.
    followed = client.get("/fr/search/?q=zanzibar&type=news&lang=en")
    assert sections_of(followed)["news"]["total"] == 2
    assert paragraph(followed) is None


def test_the_search_page_offers_nothing_when_every_language_is_searched_or_none_matches(
    client, django_assert_num_queries
):
    zanzibar_news()
    response = client.get("/fr/search/", {"q": "zanzibar", "lang": "all"})
    assert sections_of(response)["news"]["total"] == 3
    assert paragraph(response) is None
    # Nothing anywhere: the other languages are counted (one query per type), nothing shown.
    with django_assert_num_queries(2 + 2 + 1):
        response = client.get("/fr/search/", {"q": "tombouctou"})
    assert paragraph(response) is None
    # With one type shown, the others are counted in the reader's language only: news's and
    # projects' counts, then the contacts' candidates (none, so no page to read).
    with django_assert_num_queries(1 + 1 + 1):
        response = client.get("/fr/search/", {"q": "zanzibar", "type": "contacts"})
    assert paragraph(response) is None


def test_the_search_page_counts_other_languages_only_when_the_reader_has_no_result(
    client, django_assert_num_queries
):
    zanzibar_news()
    make_news_item(language="fr", title="Zanzibar : arrivée des familles")
    make_project(language="en", title="Zanzibar port support")
    # French news found: the empty projects section is not counted elsewhere, no query more
    # (news: candidates and top; projects and contacts: candidates).
    with django_assert_num_queries(2 + 1 + 1):
        response = client.get("/fr/search/", {"q": "zanzibar"})
    assert sections_of(response)["news"]["total"] == 1
    assert sections_of(response)["projects"]["total"] == 0
    assert paragraph(response) is None
    # The projects alone: none in French, so the English one is offered.
    response = client.get("/fr/search/", {"q": "zanzibar", "type": "projects"})
    assert links(response) == [
        ("?q=zanzibar&type=projects&lang=en", "en", "English (1)"),
        ("?q=zanzibar&type=projects&lang=all", None, "Toutes les langues (1)"),
    ]


def sections_of(response):
    return {section["key"]: section for section in response.context["sections"]}
