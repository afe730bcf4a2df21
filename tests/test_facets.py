"""Facet counts beside the list filters (iomcms/facets.py) and the "This list as" links
(iomcms/outputs.py), through HTTP."""

import datetime
import html
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iomcms import facets
from iomcms.filters import bind
from iomcms.publishing import PublicationStatus
from iomcms.search import results as search_results
from news.filters import NewsItemFilter
from news.models import NewsItem
from projects.models import Region
from tests.factories import (
    make_contact,
    make_news_item,
    make_project,
    make_project_type,
    make_region,
)

pytestmark = pytest.mark.django_db

NEWS_FACETS = 4  # country, year, kind, language
PROJECT_FACETS = 7  # region, country, status, type, coverage, year, language
PAGE_QUERIES = 2  # COUNT + one page of rows (tests/news/test_views.py)

NOW = datetime.datetime(2031, 3, 10, 9, 0, tzinfo=datetime.UTC)
GO_LIVE = NOW + datetime.timedelta(hours=1)


def counts(response, name):
    """``{value: count}`` of facet ``name`` as the page computed it."""
    return {option["value"]: option["count"] for option in response.context["facets"][name]}


def selected(response, name):
    return [option["value"] for option in response.context["facets"][name] if option["selected"]]


def option_texts(response, name):
    """The options of select ``name`` as rendered: [(value, text)]."""
    html = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', select)


@pytest.fixture
def news():
    """Three public English items, one French, and one each of the states never counted."""
    make_news_item(countries=["CO", "EC"], kind="press-release", published_on=date(2020))
    make_news_item(countries=["CO"], kind="statement", published_on=date(2021))
    make_news_item(countries=["PE"], kind="statement", published_on=date(2021))
    make_news_item(countries=["CO"], kind="statement", published_on=date(2021), language="fr")
    hidden = {"countries": ["AQ"], "kind": "story", "published_on": date(1999)}
    make_news_item(publication_status=PublicationStatus.DRAFT, **hidden)
    make_news_item(go_live_at=timezone.now() + datetime.timedelta(days=1), **hidden)
    make_news_item(expire_at=timezone.now() - datetime.timedelta(days=1), **hidden)


def date(year):
    return datetime.date(year, 6, 1)


# -- counts, hand-checked --------------------------------------------------------------------


def test_counts_of_the_unfiltered_news_list(client, news):
    response = client.get("/news/")
    assert counts(response, "country") == {"CO": 2, "EC": 1, "PE": 1}
    assert counts(response, "year") == {"2021": 2, "2020": 1}
    assert counts(response, "kind") == {"press-release": 1, "statement": 2}
    # The language facet leaves out its own default: every language, and all of them.
    assert counts(response, "lang") == {"en": 3, "fr": 1, "all": 4}
    assert selected(response, "lang") == ["en"]


def test_each_facet_leaves_out_its_own_filter(client, news):
    response = client.get("/news/", {"country": "CO"})
    assert [row.title for row in response.context["object_list"]] != []
    # Countries as if no country were chosen (so choosing another says what it gives) ...
    assert counts(response, "country") == {"CO": 2, "EC": 1, "PE": 1}
    assert selected(response, "country") == ["CO"]
    # ... the others among Colombia's items.
    assert counts(response, "kind") == {"press-release": 1, "statement": 1}
    assert counts(response, "year") == {"2021": 1, "2020": 1}
    assert counts(response, "lang") == {"en": 2, "fr": 1, "all": 3}

    both = client.get("/news/", {"country": "CO", "kind": "statement"})
    assert counts(both, "country") == {"CO": 1, "PE": 1}  # among the statements
    assert counts(both, "kind") == {"press-release": 1, "statement": 1}  # among Colombia's
    assert counts(both, "year") == {"2021": 1}

    french = client.get("/fr/news/", {"country": "CO"})
    assert counts(french, "kind") == {"statement": 1}
    assert counts(french, "lang") == {"en": 2, "fr": 1, "all": 3}
    assert selected(french, "lang") == ["fr"]


def test_counts_are_shown_beside_the_options(client, news):
    response = client.get("/news/", {"kind": "statement"})
    assert option_texts(response, "country") == [
        ("", "Any country"),
        ("CO", "Colombia (1)"),
        ("PE", "Peru (1)"),
    ]
    assert option_texts(response, "kind") == [
        ("", "Any kind"),
        ("press-release", "Press release (1)"),
        ("statement", "Statement (2)"),
    ]
    assert '<option value="statement" selected>Statement (2)</option>' in response.text
    french = client.get("/fr/news/")
    assert ("CO", "Colombie (1)") in option_texts(french, "country")
    assert ("fr", "Français (1)") in option_texts(french, "lang")


def test_drafts_scheduled_and_expired_items_are_never_counted(client, news):
    for params in ({}, {"lang": "all"}, {"kind": "story"}, {"year": "1999"}, {"country": "AQ"}):
        response = client.get("/news/", params)
        for name in ("country", "year", "kind"):
            assert all(
                option["count"] == 0
                for option in response.context["facets"][name]
                if option["value"] in {"AQ", "1999", "story"}
            )
    assert "Antarctica" not in client.get("/news/").text


def test_options_come_from_public_content_most_used_first(client, news):
    response = client.get("/news/")
    assert [value for value, _text in option_texts(response, "country")] == ["", "CO", "EC", "PE"]
    assert "AQ" not in response.text  # no Antarctica: nothing public is about it


def test_a_chosen_value_that_holds_nothing_stays_offered_with_zero(client, news):
    response = client.get("/news/", {"country": "AQ", "year": "1985"})
    assert response.context["object_list"] == [] or not list(response.context["object_list"])
    assert ("AQ", "Antarctica (0)") in option_texts(response, "country")
    assert ("1985", "1985 (0)") in option_texts(response, "year")
    assert selected(response, "country") == ["AQ"]


def test_the_year_is_a_select_of_existing_years_newest_first(client, news):
    response = client.get("/news/")
    assert option_texts(response, "year") == [
        ("", "Any year"),
        ("2021", "2021 (2)"),
        ("2020", "2020 (1)"),
    ]
    assert '<input type="text" name="year"' not in response.text
    # ?year= keeps its meaning.
    chosen = client.get("/news/", {"year": "2020"})
    assert [item.published_on.year for item in chosen.context["object_list"]] == [2020]
    assert '<option value="2020" selected>2020 (1)</option>' in chosen.text
    # A bad year is reported and ignored, the select still offers the years.
    bad = client.get("/news/", {"year": "abc"})
    assert bad.status_code == 200 and bad.context["filter"].form.errors
    assert len(bad.context["object_list"]) == 3
    assert [v for v, _t in option_texts(bad, "year")] == ["", "2021", "2020"]


def test_project_facets(client):
    asia, americas = make_region("Asia"), make_region("Americas")
    health, borders = make_project_type("Health"), make_project_type("Borders")
    make_project(region=asia, project_type=health, benefiting_states=["BD", "NP"], year=2019)
    make_project(
        region=americas,
        project_type=borders,
        benefiting_states=["CO"],
        status="completed",
        coverage="regional",
        year=2020,
    )
    make_project(region=americas, project_type=health, benefiting_states=["CO", "EC"], year=2020)
    make_project(region=asia, publication_status=PublicationStatus.DRAFT, benefiting_states=["AQ"])
    response = client.get("/projects/", {"region": "americas"})
    assert counts(response, "region") == {"asia": 1, "americas": 2}
    assert selected(response, "region") == ["americas"]
    assert counts(response, "country") == {"CO": 2, "EC": 1}
    assert counts(response, "type") == {"health": 1, "borders": 1}
    assert counts(response, "status") == {"active": 1, "completed": 1}
    assert counts(response, "coverage") == {"national": 1, "regional": 1}
    assert counts(response, "year") == {"2020": 2}
    assert option_texts(response, "region") == [
        ("", "Any region"),
        ("americas", "Americas (2)"),
        ("asia", "Asia (1)"),
    ]
    # A region chosen that no public project is in: offered under its name, with 0.
    make_region("Europe")
    europe = client.get("/projects/", {"region": "europe"})
    assert ("europe", "Europe (0)") in option_texts(europe, "region")


def test_contact_country_facet_counts_public_contacts_only(client):
    make_contact(country="CO")
    make_contact(country="CO")
    make_contact(country="PE")
    make_contact(country="AQ", is_public=False)
    make_contact(country="AQ", is_spokesperson=False)  # on no live release: not public
    response = client.get("/contacts/", {"office": "Colombia"})
    assert counts(response, "country") == {"CO": 2, "PE": 1}


# -- cost ------------------------------------------------------------------------------------


def test_one_query_per_set_of_counted_rows(client, news, django_assert_num_queries):
    # Unfiltered, the country, year and kind facets count the same rows (the selection: the
    # reader's language) and share one query; the language facet counts every language.
    with django_assert_num_queries(PAGE_QUERIES + 2):
        client.get("/news/")
    # Each facet's own filter chosen: four different sets of rows, four queries.
    with django_assert_num_queries(PAGE_QUERIES + NEWS_FACETS):
        client.get("/news/", {"country": "CO", "kind": "statement", "year": "2021", "lang": "all"})
    # With a search, the facets whose filter chose nothing (kind, year) count among the list's
    # candidates, their columns read with them: no query; the country and language facets
    # search again.
    with django_assert_num_queries(PAGE_QUERIES + NEWS_FACETS - 2):
        client.get("/news/", {"q": "displaced", "country": "CO"})
    with django_assert_num_queries(PAGE_QUERIES + 1):  # the language; the three others: none
        client.get("/news/", {"q": "displaced"})
    make_project()
    # Region, type and coverage count the selection together; country, status, year and
    # language leave out their own filter each.
    with django_assert_num_queries(PAGE_QUERIES + PROJECT_FACETS - 2):
        client.get("/projects/", {"country": "CO", "status": "active", "year": "2017"})
    with django_assert_num_queries(PAGE_QUERIES + 2):  # six facets together, and the language
        client.get("/projects/")


def test_every_language_chosen_the_language_facet_counts_the_selection(
    client, news, django_assert_num_queries
):
    # lang=all keeps every row, as leaving the filter out does: the four facets share a query.
    with django_assert_num_queries(PAGE_QUERIES + 1):
        response = client.get("/news/", {"lang": "all"})
    assert counts(response, "lang") == {"en": 3, "fr": 1, "all": 4}
    assert counts(response, "country") == {"CO": 3, "EC": 1, "PE": 1}
    # With a search, all four count among the list's candidates, their values read with them.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/news/", {"lang": "all", "q": "displaced"})
    candidate_reads = [q["sql"] for q in queries.captured_queries if "LIMIT 501" in q["sql"]]
    assert len(candidate_reads) == 1, candidate_reads
    assert counts(response, "lang") == {"en": 3, "fr": 1, "all": 4}
    assert counts(response, "kind") == {"press-release": 1, "statement": 3}


@pytest.mark.parametrize(
    "query",
    [
        {"q": "displaced"},
        {"q": "displaced", "lang": "all"},
        {"q": "displaced", "country": "CO"},
        {"q": "displaced families", "kind": "statement"},
    ],
)
def test_facet_columns_carried_with_the_candidates_count_as_read_apart(
    client, news, monkeypatch, query
):
    """facets.carry_facet_columns: the counts are those of a separate read of the
    candidates' values."""
    from iomcms import facets

    carried = client.get("/news/", query).context["facets"]
    monkeypatch.setattr(facets, "carry_facet_columns", lambda filterset: None)
    apart = client.get("/news/", query).context["facets"]
    assert carried == apart
    assert any(option["count"] for options in carried.values() for option in options)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"country": True, "kind": True, "year": True, "lang": False, "q": True}),
        ({"lang": "all"}, {"lang": True}),
        ({"lang": "fr"}, {"lang": False}),
        ({"lang": "xx"}, {"lang": False}),  # invalid: the default, the interface's language
        ({"country": "CO", "kind": "bogus"}, {"country": False, "kind": True}),
    ],
)
def test_which_filters_keep_every_row(query, expected):
    filterset = bind(NewsItemFilter, RequestFactory().get("/news/", query), NewsItem.objects.all())
    assert {name: filterset.keeps_every_row(name) for name in expected} == expected


def test_facets_counted_together_count_rows_another_facet_leaves_out(client):
    """A row with no value for one facet (no country, no region) is still counted by the
    others of the same query: one GROUP BY per facet over the shared rows, no row dropped by
    another facet's condition or join."""
    make_news_item(countries=[], kind="statement", published_on=date(2021))
    make_news_item(countries=["CO"], kind="", published_on=date(2020))
    response = client.get("/news/")
    assert counts(response, "country") == {"CO": 1}
    assert counts(response, "kind") == {"statement": 1}
    assert counts(response, "year") == {"2021": 1, "2020": 1}
    make_project(region=None, project_type=None, benefiting_states=[], year=2019)
    make_project(region=make_region("Asia"), benefiting_states=["BD", "NP"], year=None)
    response = client.get("/projects/")
    assert counts(response, "region") == {"asia": 1}
    assert counts(response, "country") == {"BD": 1, "NP": 1}
    assert counts(response, "year") == {"2019": 1}
    assert sum(counts(response, "status").values()) == 2
    assert sum(counts(response, "coverage").values()) == 2


def test_with_a_search_the_counts_are_among_the_matches_the_list_ranks(client, news, monkeypatch):
    assert counts(client.get("/news/", {"q": "displaced"}), "country") == {
        "CO": 2,
        "EC": 1,
        "PE": 1,
    }
    # The list ranks the newest MAX_RESULTS + 1 matches ("500+"): the counts are among them.
    monkeypatch.setattr(search_results, "MAX_RESULTS", 1)
    assert counts(client.get("/news/", {"q": "displaced"}), "country") == {"CO": 1, "PE": 1}
    # With a country chosen, the country facet (its own filter left out) searches again.
    assert counts(client.get("/news/", {"q": "displaced", "country": "EC"}), "country") == {
        "CO": 1,
        "PE": 1,
        "EC": 0,
    }


def test_with_a_search_each_language_is_counted_on_its_own(client, news, monkeypatch):
    assert counts(client.get("/news/", {"q": "displaced"}), "lang") == {
        "en": 3,
        "fr": 1,
        "all": 4,
    }
    # Each language is counted as far as the list counts ("500+"): the English list's count
    # and its option agree, whatever the other languages hold (here the cap is 1).
    monkeypatch.setattr(search_results, "MAX_RESULTS", 1)
    response = client.get("/news/", {"q": "displaced"})
    assert response.context["search"].count_label == "1+"
    assert dict(option_texts(response, "lang")) == {
        "en": "English (1+)",
        "fr": "Français (1)",
        "all": "All languages (1+)",
    }
    response = client.get("/news/", {"q": "displaced", "lang": "fr"})
    assert dict(option_texts(response, "lang"))["en"] == "English (1+)"
    assert response.context["search"].count_label == "1"


def test_with_a_search_a_count_past_the_cap_reads_as_the_lists_does(client, news, monkeypatch):
    # The counts are among the newest MAX_RESULTS + 1 matches: a count past MAX_RESULTS reads
    # "500+" beside an option, as the list's own count does (here the cap is 1).
    monkeypatch.setattr(search_results, "MAX_RESULTS", 1)
    response = client.get("/news/", {"q": "displaced", "lang": "all"})
    assert response.context["search"].count_label == "1+"
    assert dict(option_texts(response, "lang"))["all"] == "All languages (1+)"
    assert dict(option_texts(response, "kind"))["statement"] == "Statement (1+)"
    assert counts(response, "lang")["all"] == 2  # MAX_RESULTS + 1, as the list counts
    # Without a search the counts are exact, whatever the cap.
    response = client.get("/news/", {"lang": "all"})
    assert dict(option_texts(response, "lang"))["all"] == "All languages (4)"


def test_with_a_search_facets_without_their_filter_count_the_lists_candidates(
    client, news, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/news/", {"q": "displaced", "kind": "statement"})
    assert counts(response, "country") == {"CO": 1, "PE": 1}
    candidate_reads = [q["sql"] for q in queries.captured_queries if "LIMIT 501" in q["sql"]]
    # The list's candidates, the kind facet's (its filter left out) and the language facet's
    # (every language): the country and year facets count among the list's candidates.
    assert len(candidate_reads) == 3, candidate_reads


def test_the_facet_function_returns_plain_data(news):
    request = RequestFactory().get("/news/", {"country": "CO"})
    filterset = bind(NewsItemFilter, request, NewsItem.objects.published())
    data = facets.facets(filterset)
    assert set(data) == {"country", "year", "kind", "lang"}
    assert json.loads(json.dumps(data)) == data
    assert data["country"][0] == {"value": "CO", "label": "Colombia", "count": 2, "selected": True}


# -- the cache -------------------------------------------------------------------------------


@pytest.fixture
def cache_on(settings):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600


def test_cached_counts_cost_no_query_and_change_with_content(
    client, cache_on, django_assert_num_queries, django_capture_on_commit_callbacks
):
    committed = django_capture_on_commit_callbacks  # run what a commit would (page cache)
    with committed(execute=True):
        make_news_item(countries=["CO"], kind="statement")
        make_news_item(countries=["CO", "EC"])
    client.get("/news/", {"page": "1"})  # counts the facets, asks for the next go-live
    # Another page of the same selection (another page-cache entry): the counts are kept.
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get("/news/", {"page": "2"})
    assert counts(response, "country") == {"CO": 2, "EC": 1}
    # Another selection has counts of its own.
    assert counts(client.get("/news/", {"kind": "statement"}), "country") == {"CO": 1}
    # A public change makes them invisible at once (on commit, like the page cache).
    with committed(execute=True):
        make_news_item(countries=["CO"])
    assert counts(client.get("/news/", {"page": "3"}), "country") == {"CO": 3, "EC": 1}


def test_a_scheduled_item_is_counted_from_its_go_live_second(client, cache_on):
    with time_machine.travel(NOW, tick=False):
        make_news_item(countries=["CO"])
        make_news_item(countries=["CO"], go_live_at=GO_LIVE)
        assert counts(client.get("/news/", {"page": "1"}), "country") == {"CO": 1}
    with time_machine.travel(GO_LIVE - datetime.timedelta(seconds=1), tick=False):
        assert counts(client.get("/news/", {"page": "2"}), "country") == {"CO": 1}
    with time_machine.travel(GO_LIVE, tick=False):
        assert counts(client.get("/news/", {"page": "3"}), "country") == {"CO": 2}


def test_an_expiring_item_stops_being_counted_on_its_second(client, cache_on):
    expiry = NOW + datetime.timedelta(minutes=10)
    with time_machine.travel(NOW, tick=False):
        make_news_item(countries=["CO"], expire_at=expiry)
        assert counts(client.get("/news/", {"page": "1"}), "country") == {"CO": 1}
    with time_machine.travel(expiry, tick=False):
        assert counts(client.get("/news/", {"page": "2"}), "country") == {}


# -- "This list as" ----------------------------------------------------------------------------


def data_links(response):
    nav = re.search(
        r'<nav class="data-links" aria-label="[^"]+">(.*?)</nav>',
        response.content.decode(),
        re.S,
    )
    return {
        label: url.replace("&amp;", "&")
        for url, label in re.findall(r'<a href="([^"]+)" type="[^"]+">([^<]+)</a>', nav.group(1))
    }


def test_news_links_carry_exactly_the_valid_filters(client, news):
    response = client.get(
        "/news/", {"country": "co", "kind": "statement", "year": "abc", "page": "2", "x": "1"}
    )
    assert data_links(response) == {
        "RSS": "/news/feed/rss/?country=CO&kind=statement",
        "Atom": "/news/feed/atom/?country=CO&kind=statement",
        "CSV": "/news/export.csv?country=CO&kind=statement",
        "JSON": "/api/v1/news/?country=CO&kind=statement&lang=en",
    }
    unfiltered = client.get("/news/")
    assert data_links(unfiltered)["RSS"] == "/news/feed/rss/"
    assert '<nav class="data-links" aria-label="This list in other formats">' in unfiltered.text


def test_links_are_under_the_interface_language_but_the_api(client):
    response = client.get("/fr/projects/", {"status": "active", "sort": "-budget"})
    assert data_links(response) == {
        "RSS": "/fr/projects/feed/rss/?status=active&sort=-budget",
        "Atom": "/fr/projects/feed/atom/?status=active&sort=-budget",
        "CSV": "/fr/projects/export.csv?status=active&sort=-budget",
        "JSON": "/api/v1/projects/?status=active&sort=-budget&lang=fr",
        "IATI": "/fr/projects/iati.xml?status=active&sort=-budget",
    }
    chosen = client.get("/es/projects/", {"lang": "all"})
    assert data_links(chosen)["JSON"] == "/api/v1/projects/?lang=all"
    assert data_links(chosen)["CSV"] == "/es/projects/export.csv?lang=all"
    assert "Cette liste en :" in response.text
    assert 'aria-label="Cette liste dans d’autres formats"' in response.text


def test_contacts_have_csv_and_json_only(client):
    make_contact(country="CO")
    assert data_links(client.get("/contacts/", {"country": "CO"})) == {
        "CSV": "/contacts/export.csv?country=CO",
        "JSON": "/api/v1/contacts/?country=CO",
    }


def test_each_search_section_offers_its_type_as_data(client, news):
    make_project(title="Displaced families project")
    make_contact(name="Displaced Desk")
    html = client.get("/search/", {"q": "displaced", "lang": "all"}).content.decode()
    navs = re.findall(r'<nav class="data-links" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    labels = [label for label, _body in navs]
    assert labels == [
        "News results in other formats",
        "Projects results in other formats",
        "Press contacts results in other formats",
    ]  # one landmark each, each named differently
    news_links = navs[0][1].replace("&amp;", "&")
    assert 'href="/news/feed/rss/?q=displaced&lang=all"' in news_links
    assert 'href="/api/v1/news/?q=displaced&lang=all"' in news_links
    assert 'href="/projects/iati.xml?q=displaced&lang=all"' in navs[1][1].replace("&amp;", "&")
    assert 'href="/contacts/export.csv?q=displaced"' in navs[2][1]


# -- the index (PostgreSQL) --------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL only")
@pytest.mark.parametrize(
    ("url", "table", "index"),
    [
        ("/news/", "news_newsitem", "news_facets_idx"),
        ("/projects/", "projects_project", "project_facets_idx"),
    ],
)
def test_the_facets_index_covers_every_column_a_facet_reads(client, url, table, index):
    """Every column of the table a facet query names is in the facets index, so PostgreSQL
    can count from the index alone (an index-only scan: bench/results/facets.txt shows the
    plans at 100,000 items; a test table is too small for the planner to choose one)."""
    make_news_item()
    make_project()
    with CaptureQueriesContext(connection) as captured:
        client.get(url, {"country": "CO", "year": "2017"})
    facet_queries = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    # One per set of counted rows (test_one_query_per_set_of_counted_rows).
    assert len(facet_queries) == 4  # country, year and language each; the others together
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
        (definition,) = cursor.fetchone()
    covered = set(re.findall(r"\w+", definition.split(" USING ", 1)[1]))
    for sql in facet_queries:
        columns = set(re.findall(rf'"{table}"\."(\w+)"', sql))
        assert columns and columns <= covered, (columns - covered, sql)


def test_region_and_type_options_are_named_in_the_readers_language(client):
    africa = make_region("West and Central Africa")
    Region.objects.filter(pk=africa.pk).update(
        name_fr="Afrique de l'Ouest et du Centre", name_es="África Occidental y Central"
    )
    untranslated = make_region("Asia")
    make_project(region=africa, benefiting_states=["SN"], year=2020, language="fr")
    make_project(region=untranslated, benefiting_states=["NP"], year=2020, language="fr")
    french = [
        (value, html.unescape(text))
        for value, text in option_texts(client.get("/fr/projects/", {"lang": "fr"}), "region")
    ]
    assert ("west-and-central-africa", "Afrique de l'Ouest et du Centre (1)") in french
    assert ("asia", "Asia (1)") in french  # no French name: the English one
    spanish = option_texts(client.get("/es/projects/", {"lang": "fr"}), "region")
    assert ("west-and-central-africa", "África Occidental y Central (1)") in spanish
    english = option_texts(client.get("/projects/", {"lang": "fr"}), "region")
    assert ("west-and-central-africa", "West and Central Africa (1)") in english
