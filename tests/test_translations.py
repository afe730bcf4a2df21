"""Translations on the public site (issue 13): item addresses under their own language, "Also
in", hreflang links (reciprocal, with x-default), JSON-LD, the page cache at a translation's
go-live, and the sitemap's alternates. The rule itself is iomcms/languages.py."""

import datetime
import json
import re

import pytest
import time_machine
from django.test import Client

from iomcms.publishing import PublicationStatus
from tests.factories import make_news_item, make_project

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2031, 3, 10, 8, 0, tzinfo=UTC)
GO_LIVE = datetime.datetime(2031, 3, 10, 9, 0, tzinfo=UTC)


def group(make, *languages, **fields):
    """One item per language, linked in one group; the first is the original (created first)."""
    items = [make(language=code, **fields) for code in languages]
    for other in items[1:]:
        items[0].link_translation(other)
    return items


def hreflangs(response):
    content = response.content.decode()
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', content))


def jsonld(response):
    content = response.content.decode()
    found = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', content, re.S)
    return json.loads(found.group(1))


def absolute(item):
    return f"http://testserver{item.get_absolute_url()}"


# --- Addresses ---------------------------------------------------------------------------------


def test_an_item_lives_under_its_own_languages_prefix(client):
    english, french, spanish = group(make_news_item, "en", "fr", "es")
    assert english.get_absolute_url() == f"/news/{english.slug}/"
    assert french.get_absolute_url() == f"/fr/news/{french.slug}/"
    assert spanish.get_absolute_url() == f"/es/news/{spanish.slug}/"
    project = make_project(language="es")
    assert project.get_absolute_url() == f"/es/projects/{project.slug}/"
    for item in (english, french, spanish, project):
        assert client.get(item.get_absolute_url()).status_code == 200


def test_reverse_in_gives_reverses_path_for_every_language_name_and_value():
    """reverse_in keeps a slug path's two halves per language, name and URLconf: every path it
    gives is the one reverse() gives; a value that is not a slug goes through reverse()."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from iomcms.languages import reverse_in

    for code in ("en", "fr", "es"):
        for name in ("news:detail", "projects:detail", "contacts:detail"):
            for slug in ("a", "flood-relief_2031", "slug-marker", "X9"):
                with translation.override(code):
                    expected = reverse(name, kwargs={"slug": slug})
                assert reverse_in(code, name, slug=slug) == expected
                assert reverse_in(code, name, slug=slug) == expected  # from the halves
    with pytest.raises(NoReverseMatch):
        reverse_in("fr", "news:detail", slug="no/slash")
    with pytest.raises(NoReverseMatch):
        reverse_in("fr", "news:detail", slug="")
    assert reverse_in("es", "news:list") == "/es/news/"  # no slug: reverse() itself


def test_an_item_read_under_another_interface_is_served_and_canonical_at_its_own(client):
    french = make_news_item(language="fr", title="Inondations dans le nord")
    response = client.get(f"/es/news/{french.slug}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="es">' in content
    assert f'<link rel="canonical" href="{absolute(french)}">' in content
    assert '<article class="wrap narrow" lang="fr">' in content
    # Under its own prefix the article needs no lang of its own: the page's is right.
    content = client.get(french.get_absolute_url()).content.decode()
    assert '<html lang="fr">' in content and '<article class="wrap narrow">' in content


def test_the_english_interface_stays_unprefixed_and_ignores_accept_language(client):
    item = make_news_item()
    response = client.get("/news/", headers={"accept-language": "fr"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert client.get(f"/en/news/{item.slug}/").status_code == 404


# --- Detail pages ----------------------------------------------------------------------------


def test_also_in_lists_the_public_translations_in_language_order(client):
    english, _spanish, french = group(make_news_item, "en", "es", "fr")
    content = client.get(english.get_absolute_url()).content.decode()
    also_in = re.search(r'<p class="also-in".*?</p>', content, re.S).group(0)
    assert re.findall(r'hreflang="(\w+)" lang="\w+">(\w+)</a>', also_in) == [
        ("fr", "Français"),
        ("es", "Español"),
    ]
    assert f'href="{french.get_absolute_url()}"' in also_in
    alone = make_news_item()
    assert "also-in" not in client.get(alone.get_absolute_url()).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_scheduled_or_draft_translation_is_not_announced(client):
    english = make_news_item()
    english.link_translation(make_news_item(language="fr", go_live_at=GO_LIVE))
    english.link_translation(
        make_news_item(language="es", publication_status=PublicationStatus.DRAFT)
    )
    response = client.get(english.get_absolute_url())
    assert response.context["language_alternates"] == [
        ("en", "English", english.get_absolute_url())
    ]
    assert "also-in" not in response.content.decode()
    assert hreflangs(response) == {}


def test_hreflang_links_are_reciprocal_with_an_x_default(client):
    english, french, spanish = group(make_news_item, "en", "fr", "es")
    expected = {
        "en": absolute(english),
        "fr": absolute(french),
        "es": absolute(spanish),
        "x-default": absolute(english),
    }
    for item in (english, french, spanish):
        assert hreflangs(client.get(item.get_absolute_url())) == expected


def test_without_an_english_version_the_first_created_is_the_default(client):
    spanish, french = group(make_project, "es", "fr")
    for item in (spanish, french):
        links = hreflangs(client.get(item.get_absolute_url()))
        assert links == {
            "fr": absolute(french),
            "es": absolute(spanish),
            "x-default": absolute(spanish),
        }


def test_jsonld_names_the_language_and_the_original(client):
    english, french, spanish = group(make_news_item, "en", "fr", "es")
    data = jsonld(client.get(english.get_absolute_url()))
    assert data["inLanguage"] == "en"
    assert [(w["@id"], w["inLanguage"]) for w in data["workTranslation"]] == [
        (absolute(french), "fr"),
        (absolute(spanish), "es"),
    ]
    assert "translationOfWork" not in data
    # Read under the English interface, a French item is still in French.
    data = jsonld(client.get(f"/news/{french.slug}/"))
    assert data["inLanguage"] == "fr"
    assert data["translationOfWork"]["@id"] == absolute(english)
    assert "workTranslation" not in data


def test_jsonld_of_an_item_alone_has_no_translation_links(client):
    item = make_news_item(language="es")
    data = jsonld(client.get(item.get_absolute_url()))
    assert data["inLanguage"] == "es"
    assert "workTranslation" not in data and "translationOfWork" not in data


@pytest.mark.parametrize(("make", "alone_queries"), [(make_news_item, 4), (make_project, 3)])
def test_translations_cost_one_query_whatever_their_number(
    client, django_assert_num_queries, make, alone_queries
):
    alone = make()
    with django_assert_num_queries(alone_queries):
        client.get(alone.get_absolute_url())
    for languages in (("en", "fr"), ("en", "fr", "es")):
        first, *_ = group(make, *languages)
        with django_assert_num_queries(alone_queries + 1):
            response = client.get(first.get_absolute_url())
        assert len(response.context["language_alternates"]) == len(languages)


# --- The page cache ------------------------------------------------------------------------


def test_the_english_page_announces_its_french_version_at_go_live(settings):
    """The page cache keeps a page until the next scheduled moment of any item
    (iomcms/pagecache.py): a translation's go-live ends the cached English page too."""
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    reader = Client()
    with time_machine.travel(NOW, tick=False):
        english = make_news_item()
        english.link_translation(make_news_item(language="fr", go_live_at=GO_LIVE))
        first = reader.get(english.get_absolute_url())
        assert "also-in" not in first.content.decode()
        assert int(re.search(r"max-age=(\d+)", first["Cache-Control"]).group(1)) <= 3600
    with time_machine.travel(GO_LIVE - datetime.timedelta(seconds=1), tick=False):
        assert "also-in" not in reader.get(english.get_absolute_url()).content.decode()
    with time_machine.travel(GO_LIVE, tick=False):
        content = reader.get(english.get_absolute_url()).content.decode()
        assert "also-in" in content and 'hreflang="fr"' in content


def test_linking_a_live_translation_refreshes_the_cached_page(
    settings, django_capture_on_commit_callbacks
):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    reader = Client()
    with django_capture_on_commit_callbacks(execute=True):
        english = make_news_item()
        french = make_news_item(language="fr")
    assert "also-in" not in reader.get(english.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        english.link_translation(french)
    assert "also-in" in reader.get(english.get_absolute_url()).content.decode()


# --- The sitemap -------------------------------------------------------------------------------

XHTML = "{http://www.w3.org/1999/xhtml}link"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_alternates(client, section):
    """``{loc: {hreflang: href}}`` of a sitemap section."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(client.get(f"/sitemap-{section}.xml").content)
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.iter(XHTML)
        }
        for url in root.iter(f"{SITEMAP}url")
    }


@time_machine.travel(NOW, tick=False)
def test_the_sitemap_carries_the_public_alternates_of_each_version(client):
    english, french = group(make_news_item, "en", "fr")
    scheduled = make_news_item(language="es", go_live_at=GO_LIVE)
    english.link_translation(scheduled)
    alone = make_news_item(language="fr")
    expected = {"en": absolute(english), "fr": absolute(french), "x-default": absolute(english)}
    assert sitemap_alternates(client, "news") == {
        absolute(english): expected,
        absolute(french): expected,
        absolute(alone): {},
    }
    spanish, french_project = group(make_project, "es", "fr")
    expected = {
        "fr": absolute(french_project),
        "es": absolute(spanish),
        "x-default": absolute(spanish),
    }
    assert sitemap_alternates(client, "projects") == {
        absolute(spanish): expected,
        absolute(french_project): expected,
    }


@pytest.mark.parametrize("groups", [1, 15])
def test_the_sitemaps_alternates_cost_one_query_per_page(client, django_assert_num_queries, groups):
    from tests.test_sitemaps import SECTION_QUERIES

    make_news_item()
    with django_assert_num_queries(SECTION_QUERIES):
        client.get("/sitemap-news.xml")
    for _ in range(groups):
        group(make_news_item, "en", "fr", "es")
    with django_assert_num_queries(SECTION_QUERIES + 1):
        response = client.get("/sitemap-news.xml")
    assert response.content.count(b"<xhtml:link") == groups * 3 * 4


# --- lang on lists, feeds and search -----------------------------------------------------------


def titles(response):
    return {str(row) for row in response.context["object_list"]}


def feed_titles(response):
    import feedparser

    return {entry.title for entry in feedparser.parse(response.content).entries}


@pytest.fixture
def three_languages(db):
    make_news_item(title="Floods in the north", lead="floods")
    make_news_item(title="Inondations dans le nord", lead="floods", language="fr")
    make_news_item(title="Inundaciones en el norte", lead="floods", language="es")
    make_project(title="Border support")
    make_project(title="Appui aux frontières", language="fr")


def test_a_list_shows_the_interfaces_language_by_default(client, three_languages):
    assert titles(client.get("/news/")) == {"Floods in the north"}
    assert titles(client.get("/fr/news/")) == {"Inondations dans le nord"}
    assert titles(client.get("/es/news/")) == {"Inundaciones en el norte"}
    assert {p.title for p in client.get("/fr/projects/").context["object_list"]} == {
        "Appui aux frontières"
    }


def test_lang_chooses_one_language_or_all(client, three_languages):
    assert titles(client.get("/news/", {"lang": "es"})) == {"Inundaciones en el norte"}
    assert len(titles(client.get("/fr/news/", {"lang": "all"}))) == 3
    # A bad value is the default, not an error; the form says the choice was not used.
    response = client.get("/fr/news/", {"lang": "de"})
    assert titles(response) == {"Inondations dans le nord"}
    assert response.context["filter"].form.errors
    # With a search and another filter the language still applies.
    assert titles(client.get("/news/", {"q": "floods", "lang": "fr", "country": "CO"})) == {
        "Inondations dans le nord"
    }


def test_the_form_shows_the_language_in_use(client, three_languages):
    content = client.get("/fr/news/").content.decode()
    assert '<option value="fr" selected>Français (1)</option>' in content
    content = client.get("/fr/news/?lang=all").content.decode()
    assert '<option value="all" selected>' in content


def test_feeds_take_lang(client, three_languages):
    assert feed_titles(client.get("/news/feed/rss/")) == {"Floods in the north"}
    assert feed_titles(client.get("/news/feed/rss/", {"lang": "es"})) == {
        "Inundaciones en el norte"
    }
    assert feed_titles(client.get("/fr/news/feed/atom/")) == {"Inondations dans le nord"}
    assert len(feed_titles(client.get("/news/feed/atom/", {"lang": "all"}))) == 3


def test_the_site_search_takes_lang(client, three_languages):
    def found(url, **params):
        response = client.get(url, {"q": "floods", **params})
        news = next(s for s in response.context["sections"] if s["key"] == "news")
        return {row.title for row in news["rows"]}

    assert found("/search/") == {"Floods in the north"}
    assert found("/es/search/") == {"Inundaciones en el norte"}
    assert len(found("/search/", lang="all")) == 3
    assert found("/search/", lang="fr", type="news") == {"Inondations dans le nord"}


def test_the_language_filter_costs_no_query(client, django_assert_num_queries, three_languages):
    from tests.news.test_views import UNFILTERED_LIST_QUERIES

    # With every language chosen, the language facet counts the same rows as the three others
    # and shares their query (iomcms/facets.py, count_together).
    for url, queries in (
        ("/news/", UNFILTERED_LIST_QUERIES),
        ("/fr/news/?lang=all", UNFILTERED_LIST_QUERIES - 1),
        ("/es/news/?lang=xx", UNFILTERED_LIST_QUERIES),
    ):
        with django_assert_num_queries(queries):
            client.get(url)


def test_a_card_in_another_language_says_so(client, three_languages):
    content = client.get("/news/", {"lang": "all"}).content.decode()
    assert '<h3 lang="fr"><a href="/fr/news/' in content
    assert '<h3><a href="/news/' in content  # English under the English interface
    content = client.get("/fr/projects/", {"lang": "all"}).content.decode()
    assert 'lang="en">Border support</a>' in content


def test_the_home_page_and_related_news_keep_to_one_language(client, three_languages):
    home = client.get("/fr/")
    assert [item.title for item in home.context["latest_news"]] == ["Inondations dans le nord"]
    assert [project.title for project in home.context["projects"]] == ["Appui aux frontières"]
    french = make_news_item(title="Autre nouvelle", language="fr")
    related = client.get(french.get_absolute_url()).context["related_news"]
    assert [item.title for item in related] == ["Inondations dans le nord"]


def test_a_feed_for_one_language_says_so(client, three_languages):
    import feedparser

    feed = feedparser.parse(client.get("/news/feed/rss/", {"lang": "es"}).content).feed
    assert feed.title.endswith("news in Español")
    assert feed.link.endswith("/news/?lang=es")
    feed = feedparser.parse(client.get("/news/feed/rss/", {"lang": "all"}).content).feed
    assert feed.title.endswith("– news")
