"""Country pages (issue 17, countries/): ``/countries/<iso>/`` through HTTP. Totals checked
against hand-computed fixtures; drafts, scheduled, expired and trashed rows never shown or
counted; 404 without public content; the canonical address; fr/es; links from the detail
pages and filtered lists; sitemap; JSON-LD; query counts; the page cache."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from contacts.models import Contact
from countries.content import canonical_code, public_country_codes
from countries.links import country_url
from iomcms import trash
from iomcms.publishing import PublicationStatus
from news.models import NewsItem
from tests.factories import (
    bulk_news_items,
    bulk_projects,
    make_contact,
    make_news_item,
    make_project,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

# Pinned (SQLite and PostgreSQL): the news counted by language, the projects counted and
# summed by language (one GROUP BY each), the press contacts; then the newest news and the
# projects (active first), each one limited query, only when the reader's language has some;
# with projects, their counts by start year for the small chart (projects.statistics).
PAGE_QUERIES = 6
# Every 404 of the site looks for an old address to redirect first (legacy/redirects.py).
NOT_FOUND_QUERIES = 1
# A country nothing public is about: the three counts, then the 404.
EMPTY_QUERIES = 3 + NOT_FOUND_QUERIES


def past(days=1):
    return timezone.now() - datetime.timedelta(days=days)


def future(days=1):
    return timezone.now() + datetime.timedelta(days=days)


def hidden_variants(make, fields):
    """A draft, a scheduled, an expired and a trashed row of ``make``: none is public."""
    make(publication_status=DRAFT, **fields(1, "draft"))
    make(go_live_at=future(), **fields(2, "scheduled"))
    make(go_live_at=past(10), expire_at=past(), **fields(3, "expired"))
    trashed = make(**fields(4, "trashed"))
    trash.trash(type(trashed), [trashed])


@pytest.fixture
def mali():
    """Mali (ML), with figures worked out by hand:

    English projects benefiting Mali that the public sees: A (active, USD 100,000), B
    (completed, also Senegal, USD 250,000: Mali's even share 125,000), C (pipeline, no
    budget), D (Niger, Mali and Senegal, USD 100,000: 33,333.33 each). So 4 projects, 1
    active, USD 258,333.33 (shown rounded, 258,333), 1 without a budget; A first (active),
    then B (2020), C (2019), D (2018). Not counted: a draft, a scheduled, an expired and a
    trashed project (USD 1,000,000 each), a Senegal-only project, and a French one (counted
    on /fr/ and as "1 more in other languages"). News: two public English items, the newer
    first, plus hidden ones.
    """
    a = make_project(
        title="Alpha shelter",
        status="active",
        year=2015,
        budget_usd=100_000,
        benefiting_states=["ML"],
    )
    b = make_project(
        title="Beta returns",
        status="completed",
        year=2020,
        budget_usd=Decimal("250000.00"),
        benefiting_states=["ML", "SN"],
    )
    c = make_project(
        title="Gamma pipeline",
        status="pipeline",
        year=2019,
        budget_usd=None,
        benefiting_states=["ML"],
    )
    d = make_project(
        title="Delta regional",
        status="completed",
        year=2018,
        budget_usd=100_000,
        benefiting_states=["NE", "ML", "SN"],
    )
    hidden_variants(
        make_project,
        fields=lambda n, state: {
            "title": f"Hidden {state} project",
            "status": "active",
            "budget_usd": 1_000_000,
            "benefiting_states": ["ML"],
        },
    )
    make_project(title="Senegal only", budget_usd=7, benefiting_states=["SN"])
    french = make_project(
        title="Projet Mopti", language="fr", budget_usd=40_000, benefiting_states=["ML"]
    )
    old = make_news_item(
        title="Older Mali release", countries=["ML"], published_on=datetime.date(2021, 1, 1)
    )
    new = make_news_item(
        title="Newer Mali release", countries=["SN", "ML"], published_on=datetime.date(2022, 5, 1)
    )
    hidden_variants(
        make_news_item,
        fields=lambda n, state: {"title": f"Hidden {state} release", "countries": ["ML"]},
    )
    make_news_item(title="Communiqué Bamako", language="fr", countries=["ML"])
    spokesperson = make_contact(name="Awa Traoré", office="IOM Mali", country="ML")
    make_contact(name="Unlisted Person", office="IOM Mali", country="ML", is_public=False)
    # Public only once a release naming them is live: here only on a draft one.
    waiting = make_contact(
        name="Waiting Person", office="IOM Mali", country="ML", is_spokesperson=False
    )
    make_news_item(
        title="Draft naming", countries=["FR"], publication_status=DRAFT, contacts=[waiting]
    )
    binned = make_contact(name="Binned Person", office="IOM Mali", country="ML")
    trash.trash(Contact, [binned])
    return {"projects": [a, b, c, d], "french": french, "news": [new, old],
            "contact": spokesperson}  # fmt: skip


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response, response.content.decode()


def section(content, heading_id):
    """The HTML of the page's <section aria-labelledby=heading_id>."""
    start = content.index(f'<section aria-labelledby="{heading_id}">')
    return content[start : content.index("</section>", start)]


# -- addresses ------------------------------------------------------------------------------------


def test_the_address_is_the_lower_case_alpha2_code():
    assert country_url("ML") == "/countries/ml/"
    assert [canonical_code(iso) for iso in ("ml", "ML", " Ml", "mli", "MLI")] == ["ml"] * 5
    assert [canonical_code(iso) for iso in ("zz", "xyz", "466", "m", "mali", "é1", "")] == [
        None
    ] * 7


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/countries/ML/", "/countries/ml/"),
        ("/countries/Ml/", "/countries/ml/"),
        ("/countries/mli/", "/countries/ml/"),
        ("/fr/countries/ML/", "/fr/countries/ml/"),
        ("/es/countries/MLI/", "/es/countries/ml/"),
    ],
)
def test_other_forms_of_a_code_redirect_for_good_without_a_query(
    client, django_assert_num_queries, path, target
):
    with django_assert_num_queries(0):
        response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


@pytest.mark.parametrize("path", ["/countries/zz/", "/countries/xyz/", "/countries/466/"])
def test_unknown_codes_are_a_404_without_a_query_of_the_view(
    client, django_assert_num_queries, path
):
    with django_assert_num_queries(NOT_FOUND_QUERIES):
        assert client.get(path).status_code == 404


def test_a_country_without_public_content_is_a_404(client, django_assert_num_queries):
    hidden_variants(
        make_news_item, fields=lambda n, state: {"title": f"Niger {state}", "countries": ["NE"]}
    )
    hidden_variants(
        make_project,
        fields=lambda n, state: {"title": f"Niger {state}", "benefiting_states": ["NE"]},
    )
    make_contact(name="Hidden Niger", country="NE", is_public=False)
    with django_assert_num_queries(EMPTY_QUERIES):
        assert client.get("/countries/ne/").status_code == 404
    assert client.get("/fr/countries/ne/").status_code == 404


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_news_item(countries=["NE"]),
        lambda: make_project(benefiting_states=["NE"]),
        lambda: make_contact(country="NE"),
    ],
    ids=["news", "project", "contact"],
)
def test_any_one_kind_of_public_content_gives_a_page(client, make):
    assert client.get("/countries/ne/").status_code == 404
    make()
    assert client.get("/countries/ne/").status_code == 200


# -- content and totals -------------------------------------------------------------------------


def test_totals_are_the_public_english_projects_counted_by_hand(client, mali):
    response, content = page(client, "/countries/ml/")
    totals = section(content, "projects-heading")
    assert '<tr><th scope="row">Projects</th><td>4</td></tr>' in totals
    assert '<tr><th scope="row">Active projects</th><td>1</td></tr>' in totals
    assert '<tr><th scope="row">Total budget</th><td>USD\xa0258,333</td></tr>' in totals
    assert response.context["page"].totals["budget"] == Decimal("258333.33")
    assert "shares its budget evenly among them" in totals
    assert "1 project has no budget recorded." in totals
    assert "1 more in other languages" in totals
    assert 'href="/projects/?country=ML&amp;lang=all"' in totals
    assert 'href="/projects/?country=ML">All projects in Mali (4)</a>' in totals


def test_projects_active_first_then_newest(client, mali):
    response, content = page(client, "/countries/ml/")
    assert response.context["page"].projects == mali["projects"]
    projects = section(content, "projects-heading")
    titles = re.findall(r"<h3><a [^>]*>([^<]+)</a></h3>", projects)
    assert titles == ["Alpha shelter", "Beta returns", "Gamma pipeline", "Delta regional"]


def test_news_newest_first_and_hidden_rows_never_shown(client, mali):
    response, content = page(client, "/countries/ml/")
    assert response.context["page"].news == mali["news"]
    news = section(content, "news-heading")
    assert news.index("Newer Mali release") < news.index("Older Mali release")
    assert 'href="/news/?country=ML">All news about Mali (2)</a>' in news
    assert 'href="/news/?country=ML&amp;lang=all">1 more in other languages</a>' in news
    for hidden in ("draft", "scheduled", "expired", "trashed"):
        assert f"Hidden {hidden}" not in content
    assert "Communiqué Bamako" not in content and "Projet Mopti" not in content
    assert "Senegal only" not in content


def test_only_public_press_contacts_of_the_country(client, mali):
    response, content = page(client, "/countries/ml/")
    assert response.context["page"].contacts == [mali["contact"]]
    contacts = section(content, "contacts-heading")
    assert "Awa Traoré" in contacts
    for hidden in ("Unlisted Person", "Waiting Person", "Binned Person"):
        assert hidden not in content
    assert "All press contacts in Mali" not in contacts  # all of them are shown


def test_news_and_projects_are_limited_and_link_to_the_lists(client):
    bulk_news_items(13, countries=["PE"])
    bulk_projects(12, benefiting_states=["PE"], budget_usd=Decimal("1000.50"))
    response, content = page(client, "/countries/pe/")
    assert len(response.context["page"].news) == 10
    assert len(response.context["page"].projects) == 10
    assert "All news about Peru (13)" in content
    assert "All projects in Peru (12)" in content
    # 12 × 1,000.50 = 12,006, summed in SQL over every project, not the 10 shown.
    assert "<td>USD\xa012,006</td>" in content


def test_a_long_list_of_contacts_links_to_the_directory(client):
    for n in range(21):
        make_contact(name=f"Officer {n:02d}", office="IOM Peru", country="PE")
    response, content = page(client, "/countries/pe/")
    assert len(response.context["page"].contacts) == 20
    assert '<a class="more" href="/contacts/?country=PE">All press contacts in Peru</a>' in content


def test_feeds_and_data_carry_the_country(client, mali):
    _, content = page(client, "/countries/ml/")
    data = section(content, "data-heading")
    for url in [
        "/news/feed/rss/?country=ML",
        "/news/feed/atom/?country=ML",
        "/news/export.csv?country=ML",
        "/api/v1/news/?country=ML&amp;lang=en",
        "/projects/feed/rss/?country=ML",
        "/projects/feed/atom/?country=ML",
        "/projects/export.csv?country=ML",
        "/api/v1/projects/?country=ML&amp;lang=en",
        "/projects/iati.xml?country=ML",
        "/contacts/export.csv?country=ML",
        "/api/v1/contacts/?country=ML",
    ]:
        assert f'href="{url}"' in data, url
    # Feed autodiscovery in the head, and each link gives the country's rows.
    assert '<link rel="alternate" type="application/rss+xml"' in content
    assert 'href="/news/feed/rss/?country=ML"' in content.split("</head>")[0]
    feed = client.get("/news/feed/rss/?country=ML").content.decode()
    assert "Newer Mali release" in feed and "Hidden draft" not in feed
    listed = client.get("/projects/?country=ML").context["paginator"].count
    assert listed == 4  # the page's total is the list's


def test_the_budget_rule_is_the_statistics_pages():
    """One home for the sharing rule: once the statistics page (projects/statistics.py, issue
    17) is merged, countries.content must use its function, not a copy."""
    from countries import content

    assert content.budget_share(Decimal("100000"), ["NE", "ML", "SN"]) == Decimal("33333.33")
    try:
        from projects import statistics
    except ImportError:
        return  # this branch alone
    assert content.budget_share is statistics.budget_share


# -- languages ----------------------------------------------------------------------------------


def test_french_and_spanish_pages_are_translated(client, mali):
    _, content = page(client, "/fr/countries/ml/")
    assert '<html lang="fr">' in content
    assert "<h1>Mali</h1>" in content
    assert "Flux et données" in content and "Projets en cours" in content
    # French readers see the French items, as the French lists show them.
    assert "Projet Mopti" in content and "Communiqué Bamako" in content
    assert "Alpha shelter" not in content
    assert '<tr><th scope="row">Budget total</th><td>40\xa0000\xa0USD</td></tr>' in content
    assert 'href="/fr/news/?country=ML"' in content
    assert "2 de plus dans d’autres langues" in section(content, "news-heading")
    assert "4 de plus dans d’autres langues" in section(content, "projects-heading")
    _, content = page(client, "/es/countries/ml/")
    assert "<h1>Malí</h1>" in content
    assert "Fuentes y datos" in content
    assert "Todavía no hay noticias sobre Malí en este idioma." in content
    assert "3 más en otros idiomas" in section(content, "news-heading")  # 2 en + 1 fr
    assert "5 más en otros idiomas" in section(content, "projects-heading")  # 4 en + 1 fr


def test_canonical_and_hreflang_alternates(client, mali):
    for prefix in ("", "/fr", "/es"):
        _, content = page(client, f"{prefix}/countries/ml/?utm_source=x")
        assert f'<link rel="canonical" href="http://testserver{prefix}/countries/ml/">' in content
        links = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', content)
        )
        assert links == {
            "en": "http://testserver/countries/ml/",
            "fr": "http://testserver/fr/countries/ml/",
            "es": "http://testserver/es/countries/ml/",
            "x-default": "http://testserver/countries/ml/",
        }


# -- links to the page --------------------------------------------------------------------------


def test_detail_pages_link_each_country_to_its_page(client, mali):
    _, news = page(client, mali["news"][0].get_absolute_url())
    assert '<a href="/countries/sn/">Senegal</a>' in news
    assert '<a href="/countries/ml/">Mali</a>' in news
    _, project = page(client, mali["projects"][1].get_absolute_url())
    assert '<a href="/countries/ml/">Mali</a>, <a href="/countries/sn/">Senegal</a>' in project
    _, contact = page(client, mali["contact"].get_absolute_url())
    assert 'Country: <a href="/countries/ml/">Mali</a>' in contact
    _, french = page(client, "/fr" + mali["contact"].get_absolute_url())
    assert 'Pays : <a href="/fr/countries/ml/">Mali</a>' in french
    # Each of them leads to a page.
    for path in ("/countries/ml/", "/countries/sn/"):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("section_path", ["/news/", "/projects/", "/contacts/"])
def test_lists_filtered_by_a_country_link_to_its_page(client, mali, section_path):
    _, content = page(client, f"{section_path}?country=ml")
    assert '<p class="country-page-link"><a href="/countries/ml/">' in content
    _, unfiltered = page(client, section_path)
    assert "country-page-link" not in unfiltered
    _, empty = page(client, f"{section_path}?country=BJ")  # nothing: no page to link to
    assert "country-page-link" not in empty


# -- sitemap and JSON-LD -------------------------------------------------------------------------


def test_sitemap_lists_the_countries_with_public_content_in_each_language(
    client, mali, django_assert_num_queries
):
    make_news_item(title="Niger draft", countries=["NE"], publication_status=DRAFT)
    make_contact(country="KE")
    bulk_news_items(1, countries=["QZ", "KE"])  # a code no country has (an old import's)
    with django_assert_num_queries(1):
        response = client.get("/sitemap-countries.xml")
    root = ET.fromstring(response.content)
    locations = [url.findtext("sm:loc", namespaces=NS) for url in root.findall("sm:url", NS)]
    expected = []
    for code in ("ke", "ml", "ne", "sn"):
        for prefix in ("", "/fr", "/es"):
            expected.append(f"http://testserver{prefix}/countries/{code}/")
    assert sorted(locations) == sorted(expected)
    assert public_country_codes() == ["KE", "ML", "NE", "SN"]
    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-countries.xml" in index


def test_json_ld_is_a_country_with_the_items_shown(client, mali):
    _, content = page(client, "/countries/ml/")
    scripts = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', content)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    country, *others = data["@graph"]
    assert country["@type"] == "Country"
    assert country["identifier"] == "ML" and country["name"] == "Mali"
    assert country["url"] == "http://testserver/countries/ml/"
    assert [news["headline"] for news in country["subjectOf"]] == [
        "Newer Mali release",
        "Older Mali release",
    ]
    projects = [node for node in others if node["@type"] == "Project"]
    assert [project["name"] for project in projects] == [
        "Alpha shelter",
        "Beta returns",
        "Gamma pipeline",
        "Delta regional",
    ]
    assert all(project["areaServed"] == {"@id": country["@id"]} for project in projects)
    people = [node for node in others if node["@type"] == "Person"]
    assert [person["name"] for person in people] == ["Awa Traoré"]


# -- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 30])
def test_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries, rows):
    bulk_news_items(rows, countries=["PE", "CO"])
    bulk_projects(rows, benefiting_states=["PE"])
    for n in range(min(rows, 3)):
        make_contact(name=f"Officer {n}", country="PE")
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get("/countries/pe/")
    assert response.status_code == 200
    assert len(response.context["page"].news) == min(rows, 10)


def test_a_language_without_items_skips_their_queries(client, django_assert_num_queries):
    make_contact(country="PE")
    with django_assert_num_queries(PAGE_QUERIES - 3):
        assert client.get("/countries/pe/").status_code == 200


def test_the_small_chart_counts_the_projects_by_start_year(client):
    """Public projects in the page's language, once each, by the year of their start date;
    years between with none are zero columns; the data and the CSV are given too."""
    make_project(title="One", start="2015-03-01", budget_usd=10, benefiting_states=["PE"])
    make_project(title="Two", start="2018", budget_usd=20, benefiting_states=["PE", "CO"])
    make_project(title="Three", start="2018-06", budget_usd=None, benefiting_states=["PE"])
    make_project(title="Draft", start="2016", publication_status=DRAFT, benefiting_states=["PE"])
    make_project(title="Pérou", start="2014", language="fr", benefiting_states=["PE"])
    response, content = page(client, "/countries/pe/")
    years = response.context["years"]
    assert years["rows"] == [("2015", "1"), ("2016", "0"), ("2017", "0"), ("2018", "2")]
    assert "Projects starting from 2015 to 2018; most started in 2018 (2 projects)." in content
    start = content.index('<div class="chart-block" id="country-years-block">')
    block = content[start : content.index('<ul class="cards">', start)]
    assert "<svg" in block and 'aria-labelledby="country-years country-years-summary"' in block
    assert 'href="/projects/statistics.csv?country=PE&amp;breakdown=year"' in block
    assert 'href="/projects/statistics/?country=PE"' in block
    csv = client.get("/projects/statistics.csv?country=PE&breakdown=year").content.decode()
    assert "year,2018,2018,2," in csv


def test_the_chart_of_a_single_start_year_says_so(client):
    make_project(title="One", start="2022-01", benefiting_states=["PE"])
    make_project(title="Undated", start="", benefiting_states=["PE"])
    response, content = page(client, "/countries/pe/")
    assert response.context["years"]["rows"] == [("2022", "1"), ("Not stated", "1")]
    assert "The projects with a start date all started in 2022 (1 project)." in content


def test_no_chart_without_a_start_year(client):
    make_project(title="Undated", start="", benefiting_states=["PE"])
    response, content = page(client, "/countries/pe/")
    assert response.context["years"] is None
    assert "country-years" not in content


# -- the page cache -----------------------------------------------------------------------------


@pytest.fixture
def page_cache_on(settings):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_page_is_cached_and_a_change_shows_at_once(
    client, page_cache_on, committed, django_assert_num_queries
):
    with committed():
        item = make_news_item(title="First Chad release", countries=["TD"])
        project = make_project(title="Chad project", benefiting_states=["TD"])
        contact = make_contact(name="Chad Officer", country="TD")
    assert "First Chad release" in client.get("/countries/td/").content.decode()
    with django_assert_num_queries(0):
        assert client.get("/countries/td/").status_code == 200
    with committed():
        item.title = "Edited Chad release"
        item.save()
    assert "Edited Chad release" in client.get("/countries/td/").content.decode()
    with committed():
        project.unpublish()
        project.save()
    assert "Chad project" not in client.get("/countries/td/").content.decode()
    with committed():
        contact.is_public = False
        contact.save()
    assert "Chad Officer" not in client.get("/countries/td/").content.decode()
    with committed():
        NewsItem.objects.get(pk=item.pk).delete()
    assert client.get("/countries/td/").status_code == 404


def test_a_scheduled_item_appears_on_the_cached_page_on_the_second(
    client, page_cache_on, committed
):
    now = datetime.datetime(2031, 3, 10, 8, 0, tzinfo=datetime.UTC)
    go_live = now + datetime.timedelta(hours=1)
    with time_machine.travel(now, tick=False), committed():
        make_news_item(title="Already public Chad", countries=["TD"])
        make_news_item(title="Embargoed Chad appeal", countries=["TD"], go_live_at=go_live,
                       published_on=datetime.date(2031, 3, 10))  # fmt: skip
        make_project(title="Embargoed Chad project", benefiting_states=["TD"],
                     go_live_at=go_live, budget_usd=5)  # fmt: skip
        # Burkina Faso: nothing public before the go-live.
        make_project(title="Embargoed Burkina project", benefiting_states=["BF"],
                     go_live_at=go_live)  # fmt: skip
    for moment, shown in [
        (go_live - datetime.timedelta(minutes=30), False),
        (go_live - datetime.timedelta(seconds=1), False),  # cached, still true
        (go_live, True),
    ]:
        with time_machine.travel(moment, tick=False):
            content = client.get("/countries/td/").content.decode()
        assert ("Embargoed Chad appeal" in content) is shown, moment
        assert ("Embargoed Chad project" in content) is shown, moment
        with time_machine.travel(moment, tick=False):
            status = client.get("/countries/bf/").status_code
            sitemap = client.get("/sitemap-countries.xml").content.decode()
        assert status == (200 if shown else 404), moment
        assert ("/countries/bf/" in sitemap) is shown, moment
