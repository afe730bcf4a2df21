import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from iomcms.publishing import PublicationStatus
from news.models import NewsItemProject
from news.related import RELATED_COUNT
from tests.factories import make_news_item, make_project, make_project_type, make_region

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT

# Pinned query counts (the same on SQLite and PostgreSQL). List: COUNT, one page of rows (type
# and region joined), and one query per set of rows the facets count (region, country, status,
# type, coverage, year, language: iomcms/facets.py, the facet cache off in tests; the region
# and type <select>s take their options from their facets): the facets whose own filter chose
# nothing count the selection together (count_together). Unfiltered, six facets in one and the
# language's; with a country and a year, region, status, type and coverage in one, and the
# country's, the year's and the language's; with a region and a type, the region's, the
# type's, the four others' and the language's, and one lookup each to validate the slug.
UNFILTERED_LIST_QUERIES = 2 + 2
COUNTRY_AND_YEAR_LIST_QUERIES = 2 + 4
REGION_AND_TYPE_LIST_QUERIES = 2 + 4 + 2
# Detail: the project, relations joined, then its related news (news/related.py): the linked
# releases, then those sharing its countries.
DETAIL_QUERIES = 3


def rows(response):
    return list(response.context["object_list"])


def get_rows(client, **params):
    response = client.get("/projects/", params)
    assert response.status_code == 200
    assert "ignored" not in response.content.decode()
    return rows(response)


# --- List --------------------------------------------------------------------------------------


def test_list_shows_published_projects_only(client):
    published = make_project(title="Published project")
    draft = make_project(title="Draft project", publication_status=DRAFT)
    response = client.get("/projects/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Published project" in content and published.get_absolute_url() in content
    assert "Draft project" not in content and draft.get_absolute_url() not in content
    assert rows(response) == [published]


def test_list_row_shows_code_status_region_year_and_budget(client):
    make_project(
        project_code="CE.0373",
        status="completed",
        region=make_region("Middle East and North Africa"),
        year=2016,
        budget_usd=Decimal("1234567.5"),
    )
    content = client.get("/projects/").content.decode()
    for text in ["CE.0373", "Completed", "Middle East and North Africa", "2016", "1,234,567.50"]:
        assert text in content


def test_filter_q_searches_title_code_and_summary(client):
    by_title = make_project(title="Water for Turkana", summary="")
    by_code = make_project(project_code="TK.9001", title="Other", summary="")
    by_summary = make_project(title="Another", summary="Boreholes in turkana county")
    make_project(title="Schools in Garissa", summary="")
    assert set(get_rows(client, q="TURKANA")) == {by_title, by_summary}
    assert get_rows(client, q="tk.9001") == [by_code]
    assert get_rows(client, q="boreholes turkana") == [by_summary]


def test_filter_region_by_slug(client):
    africa = make_region("East and Horn of Africa")
    in_africa = make_project(region=africa)
    make_project(region=make_region("South America"))
    make_project(region=None)
    assert get_rows(client, region="east-and-horn-of-africa") == [in_africa]


def test_filter_country_matches_any_benefiting_state(client):
    both = make_project(benefiting_states=["CO", "EC"])
    ecuador = make_project(benefiting_states=["EC"])
    make_project(benefiting_states=["PE"])
    make_project(benefiting_states=[])
    assert set(get_rows(client, country="EC")) == {both, ecuador}
    assert get_rows(client, country="CO") == [both]


def test_filter_status(client):
    pipeline = make_project(status="pipeline")
    make_project(status="active")
    make_project(status="")
    assert get_rows(client, status="pipeline") == [pipeline]


def test_filter_type_by_slug(client):
    labour = make_project(project_type=make_project_type("Labour Migration"))
    make_project(project_type=make_project_type("Emergency Response"))
    make_project(project_type=None)
    assert get_rows(client, type="labour-migration") == [labour]


def test_filter_coverage(client):
    regional = make_project(coverage="regional")
    make_project(coverage="national")
    make_project(coverage="")
    assert get_rows(client, coverage="regional") == [regional]


def test_filter_year(client):
    in_2014 = make_project(year=2014)
    make_project(year=2015)
    make_project(year=None)
    assert get_rows(client, year="2014") == [in_2014]


def test_filter_budget_range_is_inclusive(client):
    small = make_project(budget_usd=Decimal("999.99"))
    exact_min = make_project(budget_usd=Decimal("1000.00"))
    middle = make_project(budget_usd=Decimal("50000"))
    exact_max = make_project(budget_usd=Decimal("100000.00"))
    large = make_project(budget_usd=Decimal("100000.01"))
    unknown = make_project(budget_usd=None)
    assert set(get_rows(client, budget_min="1000")) == {exact_min, middle, exact_max, large}
    assert set(get_rows(client, budget_max="100000")) == {small, exact_min, middle, exact_max}
    assert set(get_rows(client, budget_min="1000", budget_max="100000")) == {
        exact_min, middle, exact_max,
    }  # fmt: skip
    assert unknown not in get_rows(client, budget_min="0")


def test_filters_combine(client):
    region = make_region("Central America")
    match = make_project(region=region, status="active", year=2018, benefiting_states=["SV"])
    make_project(region=region, status="active", year=2018, benefiting_states=["GT"])
    make_project(region=region, status="completed", year=2018, benefiting_states=["SV"])
    make_project(region=region, status="active", year=2017, benefiting_states=["SV"])
    make_project(status="active", year=2018, benefiting_states=["SV"])
    params = {"region": "central-america", "status": "active", "year": "2018", "country": "SV"}
    assert get_rows(client, **params) == [match]


def test_default_order_is_newest_year_then_title(client):
    b = make_project(year=2016, title="B")
    a = make_project(year=2016, title="A")
    c = make_project(year=2020, title="C")
    assert get_rows(client) == [c, a, b]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("year", ["old", "mid", "new"]), ("-year", ["new", "mid", "old"]),
     ("budget", ["mid", "new", "old"]), ("-budget", ["old", "new", "mid"]),
     ("title", ["mid", "new", "old"]), ("-title", ["old", "new", "mid"])],
)  # fmt: skip
def test_sort(client, sort, expected):
    projects = {
        "old": make_project(title="Zeta", year=2001, budget_usd=Decimal("900")),
        "mid": make_project(title="Alpha", year=2010, budget_usd=Decimal("100")),
        "new": make_project(title="Mu", year=2020, budget_usd=Decimal("500")),
    }
    assert get_rows(client, sort=sort) == [projects[name] for name in expected]


def test_sort_ties_are_broken_by_primary_key_across_pages(client, page_link):
    projects = [make_project(year=2010, title="Same title") for _ in range(25)]
    first = client.get("/projects/", {"sort": "year"})
    second = client.get(page_link(first, "next"))
    assert rows(first) + rows(second) == projects


def test_pagination_keeps_the_filters(client, page_link):
    region = make_region("Europe and Central Asia")
    wanted = [make_project(region=region, status="active", year=2019) for _ in range(21)]
    make_project(region=region, status="completed", year=2019)
    make_project(status="active", year=2019)
    params = {"region": "europe-and-central-asia", "status": "active", "sort": "title"}
    first = client.get("/projects/", params)
    assert len(rows(first)) == 20
    next_url = page_link(first, "next")
    assert parse_qs(urlsplit(next_url).query) == {
        "region": ["europe-and-central-asia"], "status": ["active"], "sort": ["title"],
        "page": ["2"],
    }  # fmt: skip
    second = client.get(next_url)
    assert len(rows(second)) == 1
    assert set(rows(first)) | set(rows(second)) == set(wanted)


@pytest.mark.parametrize(
    "bad",
    [{"year": "abc"}, {"year": "99999999999"}, {"year": "1800"}, {"country": "ZZZ"},
     {"budget_min": "x"}, {"budget_min": "-5"}, {"budget_max": "NaN"},
     {"budget_max": "1e400"}, {"budget_min": "1" * 30}, {"sort": "bogus"},
     {"sort": "description"}, {"region": "nope"}, {"type": "nope"}, {"status": "lost"},
     {"coverage": "galactic"}, {"region": "a\x00b"}, {"q": "y" * 5000}],
)  # fmt: skip
def test_invalid_filter_is_shown_as_ignored_and_the_valid_one_still_applies(client, bad):
    region = make_region("Southern Africa")
    wanted = make_project(region=region, status="active")
    same_region = make_project(region=region, status="completed")
    same_status = make_project(region=make_region("West Africa"), status="active")
    valid = {"status": "active", "region": "southern-africa"}
    response = client.get("/projects/", {**valid, **bad})
    assert response.status_code == 200
    assert "ignored" in response.content.decode()
    # The bad value is dropped; whichever valid filter it did not replace still applies.
    expected = {wanted}
    if "status" in bad:
        expected.add(same_region)
    if "region" in bad:
        expected.add(same_status)
    assert set(rows(response)) == expected


# --- Detail ------------------------------------------------------------------------------------


def test_detail_shows_the_metadata_table(client):
    project = make_project(
        title="Strengthening border management",
        project_code="IB.0123",
        prima_id="PR123",
        status="completed",
        project_type=make_project_type("Immigration and Border Management"),
        start="2017-03-01",
        end="2018-06",
        year=2017,
        budget_usd=Decimal("100000"),
        coverage="regional",
        region=make_region("South America"),
        benefiting_states=["CO", "PE"],
        summary="A summary.",
        description="<p>Described.</p>",
    )
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()

    def link(query, text):
        return f'<a href="/projects/?{query}">{text}</a>'

    expected_rows = [
        ("Project code", "IB.0123"),
        ("Prima ID", "PR123"),
        ("Status", link("status=completed", "Completed")),
        ("Project type", link("type=immigration-and-border-management",
                              "Immigration and Border Management")),
        ("Start", "1 March 2017"),
        ("End", "June 2018"),
        ("Funding year", "2017"),
        ("Budget", "USD\xa0100,000.00"),
        ("Coverage", "Regional"),
        ("Region", link("region=south-america", "South America")),
        # Each state's name leads to its country page (countries.links.country_url).
        ("Benefiting member states",
         '<a href="/countries/co/">Colombia</a>, <a href="/countries/pe/">Peru</a>'),
    ]  # fmt: skip
    assert "<h1>Strengthening border management</h1>" in content
    for label, value in expected_rows:
        assert f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' in content, label
    assert "A summary." in content
    assert "<p>Described.</p>" in content


def test_detail_with_year_only_dates_and_missing_facts(client):
    project = make_project(
        start="2017", end="", year=None, budget_usd=None, status="", coverage="",
        region=None, project_type=None, benefiting_states=[], prima_id="",
    )  # fmt: skip
    content = client.get(project.get_absolute_url()).content.decode()
    assert '<tr><th scope="row">Start</th><td>2017</td></tr>' in content
    for label in ["End", "Funding year", "Budget", "Coverage", "Region", "Status",
                  "Project type", "Benefiting member states"]:  # fmt: skip
        assert f'<tr><th scope="row">{label}</th><td>Not recorded</td></tr>' in content


def test_detail_of_a_zero_budget_shows_zero(client):
    project = make_project(budget_usd=Decimal("0"))
    content = client.get(project.get_absolute_url()).content.decode()
    assert '<tr><th scope="row">Budget</th><td>USD\xa00.00</td></tr>' in content


def test_draft_detail_is_404(client):
    draft = make_project(publication_status=DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("rows_count", [1, 25])
def test_list_query_count_is_constant(client, django_assert_num_queries, rows_count):
    region, project_type = make_region("Asia"), make_project_type("Health")
    for _ in range(rows_count):
        make_project(region=region, project_type=project_type)
    with django_assert_num_queries(UNFILTERED_LIST_QUERIES):
        response = client.get("/projects/")
    assert len(rows(response)) == min(rows_count, 20)
    with django_assert_num_queries(COUNTRY_AND_YEAR_LIST_QUERIES):
        client.get("/projects/", {"country": "CO", "sort": "-budget", "year": "2017"})
    with django_assert_num_queries(REGION_AND_TYPE_LIST_QUERIES):
        response = client.get("/projects/", {"region": "asia", "type": "health", "page": "2"})
    assert len(rows(response)) == (5 if rows_count == 25 else 1)


def test_detail_query_count(client, django_assert_num_queries):
    project = make_project(benefiting_states=["CO", "EC", "PE"])
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200


# --- Region and project type names in the reader's language ---------------------------------


@pytest.fixture
def named_project():
    region = make_region("West and Central Africa")
    region.name_fr = "Afrique de l'Ouest et du Centre"
    region.name_es = "África Occidental y Central"
    region.save()
    kind = make_project_type("Migration Health")
    kind.name_fr = "Migration et santé"  # no Spanish name: the English one is shown
    kind.save()
    asia = make_region("Asia and the Pacific")  # untranslated: English in every language
    # A public project there, so the region is among the options (drawn from content).
    make_project(project_code="CE.0901", title="Santé en Asie", language="fr", region=asia)
    return make_project(
        project_code="CE.0900", title="Santé aux frontières", language="fr",
        region=region, project_type=kind,
    )  # fmt: skip


def test_list_and_filters_name_regions_and_types_in_the_readers_language(
    client, named_project, django_assert_num_queries
):
    with django_assert_num_queries(UNFILTERED_LIST_QUERIES):
        response = client.get("/fr/projects/")
    content = response.content.decode()
    assert "Afrique de l&#x27;Ouest et du Centre" in content  # the row and the option
    assert "West and Central Africa" not in content
    assert '<option value="migration-health">Migration et santé (1)</option>' in content
    # The options in French order (accents ignored), not the English names' order.
    assert content.index(">Afrique de l&#x27;Ouest") < content.index(">Asia and the Pacific")
    spanish = client.get("/es/projects/", {"lang": "fr"}).content.decode()
    assert "África Occidental y Central" in spanish
    assert '<option value="migration-health">Migration Health (1)</option>' in spanish


def test_filters_by_region_and_type_take_the_same_slugs_in_every_language(client, named_project):
    for prefix in ("", "/fr", "/es"):
        response = client.get(
            f"{prefix}/projects/",
            {"region": "west-and-central-africa", "type": "migration-health", "lang": "all"},
        )
        assert response.status_code == 200
        assert rows(response) == [named_project], prefix
        assert 'value="west-and-central-africa" selected' in response.content.decode()


def test_detail_and_json_ld_name_the_region_in_the_pages_language(client, named_project):
    content = client.get(named_project.get_absolute_url()).content.decode()
    assert named_project.get_absolute_url().startswith("/fr/")
    assert '?region=west-and-central-africa">Afrique de l&#x27;Ouest et du Centre</a>' in content
    assert '"value":"Afrique de l\'Ouest et du Centre"' in content  # JSON-LD
    assert '"value":"Migration et santé"' in content


# --- Related news (news/related.py) ----------------------------------------------------------


def related(client, project):
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    return response.context["related_news"]


def link(project, **fields):
    item = make_news_item(**fields)
    NewsItemProject.objects.create(news_item=item, project=project)
    return item


def test_related_news_linked_first_then_sharing_a_country_within_the_dates(client):
    # Project 2017–2018: news from 2016-01-01 to 2019-12-31 about one of its countries.
    project = make_project(benefiting_states=["VE", "CO"], start="2017-03", end="2018")
    chosen = link(
        project, title="Chosen by staff", countries=["FR"], published_on=datetime.date(2010, 1, 1)
    )
    inside = make_news_item(
        title="Inside", countries=["CO"], published_on=datetime.date(2019, 12, 31)
    )
    early = make_news_item(title="Early", countries=["VE"], published_on=datetime.date(2016, 1, 1))
    make_news_item(title="Too early", countries=["CO"], published_on=datetime.date(2015, 12, 31))
    make_news_item(title="Too late", countries=["CO"], published_on=datetime.date(2020, 1, 1))
    make_news_item(title="Elsewhere", countries=["PE"], published_on=datetime.date(2017, 6, 1))
    make_news_item(title="In French", countries=["CO"], language="fr",
                   published_on=datetime.date(2017, 6, 1))  # fmt: skip
    make_news_item(title="Undated", countries=["CO"], published_on=None)
    assert related(client, project) == [chosen, inside, early]
    content = client.get(project.get_absolute_url()).content.decode()
    assert "Related news" in content and "Chosen by staff" in content


def test_a_chosen_release_is_listed_once_and_the_list_is_capped(client):
    project = make_project(benefiting_states=["CO"], start="2017", end="")
    chosen = link(project, countries=["CO"], published_on=datetime.date(2018, 1, 1))
    others = [
        make_news_item(countries=["CO"], published_on=datetime.date(2019, 1, day))
        for day in range(1, 6)
    ]
    assert related(client, project) == [chosen, *others[::-1][: RELATED_COUNT - 1]]


def test_drafts_and_scheduled_releases_never_show_even_when_linked(client):
    project = make_project(benefiting_states=["CO"])
    scheduled = link(
        project,
        title="Launch of the project",
        go_live_at=timezone.now() + datetime.timedelta(hours=2),
        published_on=datetime.date(2017, 5, 1),
    )
    link(project, title="Draft launch", publication_status=DRAFT)
    make_news_item(title="Draft about Colombia", publication_status=DRAFT,
                   published_on=datetime.date(2017, 5, 1))  # fmt: skip
    assert related(client, project) == []
    assert "Launch of the project" not in client.get(project.get_absolute_url()).text
    scheduled.go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.save()
    assert related(client, project) == [scheduled]


def test_a_project_without_countries_shows_only_its_linked_releases(client):
    project = make_project(benefiting_states=[])
    chosen = link(project, countries=["CO"])
    make_news_item(countries=["CO"])
    assert related(client, project) == [chosen]


@pytest.mark.parametrize("linked", [0, 2, RELATED_COUNT])
def test_detail_query_count_with_related_news(client, django_assert_num_queries, linked):
    project = make_project(benefiting_states=["CO", "EC", "PE"], start="2019", end="2021")
    for _ in range(linked):
        link(project, published_on=datetime.date(2020, 1, 1))
    for _ in range(4):
        make_news_item(countries=["PE"], published_on=datetime.date(2020, 2, 1))
    # The second query only when the links leave room.
    with django_assert_num_queries(DETAIL_QUERIES - (linked == RELATED_COUNT)):
        response = client.get(project.get_absolute_url())
    assert len(response.context["related_news"]) == RELATED_COUNT
