"""/projects/statistics/ and its CSV, through HTTP, against hand-computed figures."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from countries.links import country_url
from iomcms import charts
from iomcms.publishing import PublicationStatus
from projects.statistics import budget_share
from tests.factories import make_project, make_project_type, make_region

pytestmark = pytest.mark.django_db

URL = "/projects/statistics/"
CSV_URL = "/projects/statistics.csv"
# The page: the statistics in one query (projects/statistics.py), and the options of the
# region and type <select>s of the filter form (one each); a region or type filter adds the
# lookup of its slug.
PAGE_QUERIES = 1 + 2
REGION_PAGE_QUERIES = 1 + 2 + 1
# The CSV: the statistics, and the lookup of the region's slug.
CSV_REGION_QUERIES = 1 + 1


@pytest.fixture
def portfolio():
    """Four public projects (figures in the docstrings of the tests) and four that must not
    count: a draft, a scheduled one, an expired one and one in the trash."""
    latin = make_region("Latin America and the Caribbean")
    africa = make_region("West and Central Africa")
    community = make_project_type("Community and Economic Development")
    emergency = make_project_type("Emergency response")
    make_project(
        title="Three countries",
        region=latin,
        project_type=community,
        start="2017",
        status="active",
        coverage="national",
        budget_usd=Decimal("300000.00"),
        benefiting_states=["CO", "EC", "PE"],
    )
    make_project(
        title="Colombia only",
        region=latin,
        project_type=emergency,
        start="2018-03",
        status="completed",
        coverage="regional",
        budget_usd=Decimal("100000.00"),
        benefiting_states=["CO"],
    )
    make_project(
        title="Sahel",
        region=africa,
        project_type=community,
        start="2018",
        status="active",
        coverage="national",
        budget_usd=Decimal("50000.50"),
        benefiting_states=["ML", "NE"],
    )
    make_project(
        title="Nothing stated",
        region=None,
        project_type=None,
        start="",
        end="",
        status="",
        coverage="",
        budget_usd=None,
        benefiting_states=[],
    )
    now = timezone.now()
    hidden = {
        "region": latin,
        "budget_usd": Decimal("1000000.00"),
        "benefiting_states": ["CO", "BR"],
    }
    make_project(title="Draft", publication_status=PublicationStatus.DRAFT, **hidden)
    make_project(title="Scheduled", go_live_at=now + datetime.timedelta(days=1), **hidden)
    make_project(title="Expired", expire_at=now - datetime.timedelta(days=1), **hidden)
    make_project(
        title="Trashed", publication_status=PublicationStatus.DRAFT, trashed_at=now, **hidden
    )


def table(response, name):
    """``{label: (count, budget text)}`` of the context's section ``name``."""
    for section in response.context["sections"]:
        if section["name"] == name:
            return {
                line["row"].label: (line["row"].count, line["row"].budget)
                for line in section["table"]
            }
    return None


def get(client, url=URL, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert "\r\n" in body
    return list(csv.DictReader(io.StringIO(body[1:])))


# --- The figures ----------------------------------------------------------------------------


def test_totals_count_public_projects_only(client, portfolio):
    """4 public projects, USD 450,000.50 (one gives no budget); the draft, scheduled, expired
    and trashed projects (USD 1,000,000 each, Brazil among their countries) count nowhere."""
    response = get(client)
    stats = response.context["stats"]
    assert (stats.count, stats.budget, stats.without_budget) == (4, Decimal("450000.50"), 1)
    content = response.content.decode()
    assert "4 projects: USD\xa0450,001" in content
    figures = content[content.index('class="stats"') :]  # the filter form lists every country
    assert "Brazil" not in figures and country_url("BR") not in content
    assert "1 project gives no budget" in content


def test_breakdowns_by_region_year_type_status_coverage(client, portfolio):
    response = get(client)
    assert table(response, "region") == {
        "Latin America and the Caribbean": (2, Decimal("400000.00")),
        "West and Central Africa": (1, Decimal("50000.50")),
        "Not stated": (1, Decimal("0.00")),
    }
    assert table(response, "year") == {
        "2017": (1, Decimal("300000.00")),
        "2018": (2, Decimal("150000.50")),
        "Not stated": (1, Decimal("0.00")),
    }
    assert table(response, "type") == {
        "Community and Economic Development": (2, Decimal("350000.50")),
        "Emergency response": (1, Decimal("100000.00")),
        "Not stated": (1, Decimal("0.00")),
    }
    assert table(response, "status") == {
        "Active": (2, Decimal("350000.50")),
        "Completed": (1, Decimal("100000.00")),
        "Not stated": (1, Decimal("0.00")),
    }
    assert table(response, "coverage") == {
        "National": (2, Decimal("350000.50")),
        "Regional": (1, Decimal("100000.00")),
        "Not stated": (1, Decimal("0.00")),
    }
    # The rows of each chart, in its order: the largest budget first, "Not stated" last.
    labels = [line["row"].label for line in response.context["sections"][0]["table"]]
    assert labels == ["Latin America and the Caribbean", "West and Central Africa", "Not stated"]


def test_countries_share_the_budget_evenly_and_count_each_project_once(client, portfolio):
    """Colombia: 300,000 / 3 + 100,000 = 200,000 over 2 projects; Ecuador and Peru 100,000;
    Mali and Niger 50,000.50 / 2 = 25,000.25 each. They add up to the total budget."""
    response = get(client)
    countries = table(response, "country")
    assert countries == {
        "Colombia": (2, Decimal("200000.00")),
        "Ecuador": (1, Decimal("100000.00")),
        "Peru": (1, Decimal("100000.00")),
        "Mali": (1, Decimal("25000.25")),
        "Niger": (1, Decimal("25000.25")),
    }
    assert sum(budget for _count, budget in countries.values()) == Decimal("450000.50")
    assert response.context["stats"].without_country == 1
    assert "shares its budget evenly" in response.content.decode()


def test_budget_share_is_even_to_the_cent():
    assert budget_share(Decimal("100"), ["CO", "EC", "PE"]) == Decimal("33.33")
    assert budget_share(Decimal("50000.50"), ["ML", "NE"]) == Decimal("25000.25")


def test_years_without_projects_between_two_are_zero_columns(client, portfolio):
    make_project(start="2021", budget_usd=Decimal("10.00"))
    years = table(get(client), "year")
    assert list(years) == ["2017", "2018", "2019", "2020", "2021", "Not stated"]
    assert years["2019"] == (0, Decimal("0.00"))


def test_top_countries_are_fifteen(client):
    codes = ["AR", "BO", "BR", "CL", "CO", "EC", "PE", "PY", "UY", "VE"]
    codes += ["ML", "NE", "TD", "SN", "GH", "NG", "KE"]
    for n, code in enumerate(codes):
        make_project(benefiting_states=[code], budget_usd=Decimal(1000 * (n + 1)))
    response = get(client)
    assert len(table(response, "country")) == 15
    assert "Argentina" not in table(response, "country")  # the smallest two
    assert len(response.context["map_countries"]) == 17


# --- Filters --------------------------------------------------------------------------------


def test_filters_change_the_figures(client, portfolio):
    stats = get(client, region="west-and-central-africa").context["stats"]
    assert (stats.count, stats.budget) == (1, Decimal("50000.50"))
    response = get(client, country="co")
    stats = response.context["stats"]
    assert (stats.count, stats.budget) == (2, Decimal("400000.00"))
    assert table(response, "country")["Colombia"] == (2, Decimal("200000.00"))
    stats = get(client, status="active", coverage="national").context["stats"]
    assert (stats.count, stats.budget) == (2, Decimal("350000.50"))
    stats = get(client, q="Sahel").context["stats"]
    assert stats.count == 1


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"region": "nowhere"},
        {"status": "bogus"},
        {"country": "ZZ"},
        {"budget_min": "-5"},
        {"budget_min": "9", "budget_max": "1"},
        {"page": "x", "sort": "nonsense"},
        {"breakdown": "<script>"},
        {"q": "\x00"},
    ],
)
def test_bad_values_are_ignored_as_the_list_ignores_them(client, portfolio, params):
    response = get(client, **params)
    list_response = client.get("/projects/", params)
    assert list_response.status_code == 200
    listed = list_response.context["paginator"].count
    assert response.context["stats"].count == listed
    csv_response = client.get(CSV_URL, params)
    assert csv_response.status_code == 200


def test_ignored_filter_is_shown(client, portfolio):
    response = get(client, year="abc", region="latin-america-and-the-caribbean")
    content = response.content.decode()
    assert "Some filters could not be used and were ignored" in content
    assert response.context["stats"].count == 2  # the region still applies


def test_nothing_matches(client, portfolio):
    response = get(client, region="west-and-central-africa", status="completed")
    assert response.context["stats"].count == 0
    assert "No project matches these filters." in response.content.decode()


def test_links_carry_the_filters_both_ways(client, portfolio):
    content = get(client, "/projects/", region="west-and-central-africa").content.decode()
    assert 'href="/projects/statistics/?region=west-and-central-africa"' in content
    content = get(client, region="west-and-central-africa", page="2").content.decode()
    assert 'href="/projects/?region=west-and-central-africa"' in content
    assert 'href="/projects/statistics.csv?region=west-and-central-africa"' in content
    assert "/projects/statistics.csv?region=west-and-central-africa&amp;breakdown=year" in content
    # A line of a table links to the list with its value added to the filters.
    assert "/projects/?region=west-and-central-africa&amp;status=active" in content
    content = get(client, "/projects/").content.decode()
    assert 'href="/projects/statistics/"' in content


def test_only_get_and_head(client, portfolio):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405
    assert client.post(CSV_URL).status_code == 405


# --- Charts, map, CSV -----------------------------------------------------------------------


def test_each_chart_has_title_summary_data_and_csv(client, portfolio):
    content = get(client).content.decode()
    for name in ("region", "year", "type", "status", "coverage", "country"):
        assert f'<h3 id="stats-{name}">' in content
        assert f'aria-labelledby="stats-{name} stats-{name}-summary"' in content
        assert f"breakdown={name}" in content
    assert content.count("<summary>Show data</summary>") == 6
    assert (
        "Latin America and the Caribbean has the largest budget: USD\xa0400,000, 89% of the total."
        in content
    )
    assert "those starting in 2017 have the largest budget, USD\xa0300,000" in content
    assert "<script" not in content.split("<main", 1)[-1].split("</main>")[0]


def test_a_single_start_year_is_said_as_such(client, portfolio):
    response = client.get(URL, {"q": "Three countries"})
    content = response.content.decode()
    assert "The projects with a start date all start in 2017, with a budget of USD" in content


def test_map_links_each_country_to_its_page(client, portfolio):
    response = get(client)
    content = response.content.decode()
    svg = content[content.index('<svg class="chart map"') :]
    svg = svg[: svg.index("</svg>")]
    linked = set(re.findall(r'<a href="([^"]+)" tabindex="-1">', svg))
    assert linked == {country_url(code) for code in ("CO", "EC", "PE", "ML", "NE")}
    assert "<title>Colombia: USD\xa0200,000 · 2 projects</title>" in svg
    # The list beside it: the same countries, reachable with the keyboard.
    for code in ("CO", "EC", "PE", "ML", "NE"):
        assert f'<li><a href="{country_url(code)}">' in content
    assert "Natural Earth" in content
    assert len(response.context["map_legend"]) >= 2


def test_csv_has_the_same_numbers(client, portfolio, django_assert_num_queries):
    with django_assert_num_queries(CSV_REGION_QUERIES):
        response = client.get(CSV_URL, {"region": "latin-america-and-the-caribbean"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == {
        "breakdown": "total",
        "key": "",
        "label": "",
        "projects": "2",
        "budget_usd": "400000.00",
    }
    countries = {row["key"]: row for row in rows if row["breakdown"] == "country"}
    assert countries["CO"]["budget_usd"] == "200000.00"
    assert countries["CO"]["label"] == "Colombia"
    assert set(countries) == {"CO", "EC", "PE"}
    breakdowns = {row["breakdown"] for row in rows}
    assert breakdowns == {"total", "region", "year", "type", "status", "coverage", "country"}


def test_csv_one_breakdown(client, portfolio):
    response = client.get(CSV_URL, {"breakdown": "year"})
    rows = read_csv(response)
    assert [(row["breakdown"], row["key"], row["projects"], row["budget_usd"]) for row in rows] == [
        ("total", "", "4", "450000.50"),
        ("year", "2017", "1", "300000.00"),
        ("year", "2018", "2", "150000.50"),
        ("year", "", "1", "0.00"),
    ]
    assert "breakdown-year" in response["Content-Disposition"]
    ignored = client.get(CSV_URL, {"year": "abc"})
    assert "year" in ignored["X-Ignored-Filters"]


def test_french_page(client, portfolio):
    response = client.get("/fr/projects/statistics/", {"lang": "en"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Statistiques des projets" in content
    assert "4 projets : 450\xa0001\xa0USD" in content
    assert "Montrer les données" in content
    assert "Amérique latine" not in content  # no French name given: the English one
    spanish = client.get("/es/projects/statistics/", {"lang": "en"}).content.decode()
    assert "Estadísticas de los proyectos" in spanish


def test_query_counts(client, portfolio, django_assert_num_queries):
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL, {"country": "CO", "status": "active"}).status_code == 200
    with django_assert_num_queries(REGION_PAGE_QUERIES):
        assert client.get(URL, {"region": "latin-america-and-the-caribbean"}).status_code == 200


def test_empty_site(client, django_assert_num_queries):
    response = get(client)
    assert response.context["stats"].count == 0
    assert response.context["map"] == ""
    rows = read_csv(client.get(CSV_URL))
    assert rows == [
        {"breakdown": "total", "key": "", "label": "", "projects": "0", "budget_usd": "0.00"}
    ]


# --- The chart module -----------------------------------------------------------------------


def test_charts_escape_labels_and_scale_bars():
    bars = [charts.Bar("<b>A</b>", 10, "ten"), charts.Bar("B", 5, "five")]
    svg = str(charts.bar_chart(bars, "t s"))
    assert "&lt;b&gt;A&lt;/b&gt;" in svg and "<b>" not in svg
    assert 'role="img" aria-labelledby="t s"' in svg
    widths = [
        float(w) for w in re.findall(r'class="chart-bar" x="0" y="\d+" width="([\d.]+)"', svg)
    ]
    assert widths[0] == pytest.approx(2 * widths[1])
    columns = str(charts.column_chart(bars, "t", max_text="ten"))
    assert columns.count("<rect") == 2 and "<title>B: five</title>" in columns
    # Few columns keep a column's width (MAX_SLOT), many share the chart's width.
    assert re.findall(r'class="chart-bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', columns) == [
        "44.8",
        "44.8",
    ]
    many = str(charts.column_chart([charts.Bar(str(n), 1, "one") for n in range(40)], "t"))
    assert 'width="11.2"' in many
    assert str(charts.bar_chart([], "t")).startswith("<svg")


def test_map_data_is_shipped_and_keyed_by_alpha2():
    shapes = charts.map_shapes()
    assert {"CO", "ML", "FR", "US", "AU"} <= set(shapes["countries"])
    assert "AQ" not in shapes["countries"]
    assert all(path.startswith("M") for path in shapes["countries"].values())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL only")
def test_the_facets_index_covers_every_column_the_statistics_read(client, portfolio):
    """The statistics query names only columns of project_facets_idx
    (projects/migrations/0017_statistics_index.py), so PostgreSQL can read the index alone
    (bench/results/statistics.txt shows the index-only scan at 20,000 projects)."""
    with CaptureQueriesContext(connection) as captured:
        client.get(CSV_URL, {"country": "CO", "status": "active", "budget_min": "10"})
    (sql,) = [q["sql"] for q in captured.captured_queries if "GROUPING SETS" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'project_facets_idx'")
        (definition,) = cursor.fetchone()
    covered = set(re.findall(r"\w+", definition.split(" USING ", 1)[1]))
    columns = set(re.findall(r'"projects_project"\."(\w+)"', sql))
    assert "start" in columns and columns <= covered, columns - covered


# --- The page cache (iomcms/pagecache.py) ---------------------------------------------------


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_cached_like_every_public_page_and_dropped_on_a_change(
    client, settings, django_capture_on_commit_callbacks, django_assert_num_queries, url
):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    with django_capture_on_commit_callbacks(execute=True):
        make_project(budget_usd=Decimal("1000.00"))
    first = client.get(url, {"status": "active"})
    with django_assert_num_queries(0):
        again = client.get(url, {"status": "active"})
    assert again.content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        make_project(budget_usd=Decimal("2000.00"))
    changed = client.get(url, {"status": "active"})
    assert changed.content != first.content
    assert "3,000" in changed.content.decode() or "3000.00" in changed.content.decode()
