"""Flat public pages: bounded pagination on every list, and the indexes the public queries need
(docs/decisions.md, "Flat public pages"). The sitemaps' id-range pages are in test_sitemaps.py,
the country filter's exactness in test_filters.py."""

import re

import pytest
from django.db import connection

from iomcms.filters import country_condition
from iomcms.pagination import LIST_CAP, CappedPaginator, count_label
from iomcms.search import MAX_RESULTS
from iomcms.search import count_label as search_count_label
from news.models import NewsItem
from news.views import NewsItemListView
from projects.models import Project
from projects.views import ProjectListView
from tests.factories import make_news_item, make_project

pytestmark = pytest.mark.django_db

PAST_CAP = "That page is past the end of this list."
NARROW = "narrow the list with the filters"


@pytest.fixture
def small_cap(monkeypatch):
    """Lists of 2 rows a page, counted to 4: 7 items are "4+", in 2 pages."""
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    monkeypatch.setattr(NewsItemListView, "paginate_by", 2)
    monkeypatch.setattr(ProjectListView, "paginate_by", 2)


def rows(response):
    return list(response.context["object_list"])


def heading(response):
    return re.search(r'class="results-count">([^<]*)<', response.content.decode())[1].strip()


def test_the_count_label_is_the_searchs_vocabulary():
    assert count_label(37, 1000) == "37"
    assert count_label(1000, 1000) == "1,000"
    assert count_label(1001, 1000) == "1,000+"
    assert LIST_CAP == MAX_RESULTS  # "500+" means the same on a list and in the search
    assert search_count_label(MAX_RESULTS + 1) == f"{MAX_RESULTS}+"
    assert LIST_CAP % 20 == 0  # the last page of a capped list is a full one


def test_a_list_within_the_cap_counts_exactly(client, small_cap):
    items = [make_news_item() for _ in range(3)]
    response = client.get("/news/")
    assert heading(response) == "3 items"
    assert response.context["paginator"].num_pages == 2
    last = client.get("/news/", {"page": "2"})
    assert rows(last) == [items[0]]
    assert NARROW not in last.content.decode()


def test_a_list_past_the_cap_counts_to_it_and_pages_through_it(client, small_cap):
    items = [make_news_item() for _ in range(7)]  # newest first: items[6] ... items[0]
    first = client.get("/news/")
    assert heading(first) == "4+ items"
    assert first.context["paginator"].num_pages == 2
    assert rows(first) == [items[6], items[5]]
    assert NARROW not in first.content.decode()
    last = client.get("/news/", {"page": "2"})
    assert rows(last) == [items[4], items[3]]
    content = last.content.decode()
    assert 'rel="next"' not in content
    assert NARROW in content and PAST_CAP not in content
    # Past the cap: the last page, and why there is no further one.
    for number in ("3", "999999"):
        past = client.get("/news/", {"page": number})
        assert past.status_code == 200
        assert rows(past) == [items[4], items[3]]
        assert PAST_CAP in past.content.decode()
    # Narrowing brings the older items within reach.
    old = make_news_item(countries=["YE"])
    assert rows(client.get("/news/", {"country": "YE"})) == [old]
    # Not a number: the first page, no message.
    assert PAST_CAP not in client.get("/news/", {"page": "x"}).content.decode()


def test_a_sorted_search_is_capped_like_a_list(client, small_cap):
    for n in range(6):
        make_project(title=f"Water project {n}")
    response = client.get("/projects/", {"q": "water", "sort": "title"})
    assert heading(response) == "4+ projects"
    assert response.context["paginator"].num_pages == 2
    past = client.get("/projects/", {"q": "water", "sort": "title", "page": "3"})
    assert [p.title for p in rows(past)] == ["Water project 2", "Water project 3"]
    assert PAST_CAP in past.content.decode()


def test_the_count_reads_no_further_than_the_cap(client, small_cap, django_assert_num_queries):
    for _ in range(7):
        make_news_item()
    # The bounded count, the facet counts (country, year and kind in one query, language in
    # its own: iomcms/facets.py), then one page of rows.
    with django_assert_num_queries(2 + 2) as captured:
        client.get("/news/", {"page": "2"})
    count_sql = captured.captured_queries[0]["sql"]
    assert "COUNT(" in count_sql.upper() and "LIMIT 5" in count_sql.upper()
    page_sql = captured.captured_queries[-1]["sql"].upper()
    assert "LIMIT 2 OFFSET 2" in page_sql


# --- The indexes (PostgreSQL) ------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the indexes exist on PostgreSQL only"
)


def plan(queryset):
    """The plan PostgreSQL picks when a scan of the table is priced out, as on a large one."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            return queryset.explain()
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on")


@postgresql_only
@pytest.mark.parametrize(
    ("model", "field", "index"),
    [(NewsItem, "countries", "news_countries_idx"),
     (Project, "benefiting_states", "project_countries_idx")],
)  # fmt: skip
def test_the_country_filter_reads_its_gin_index(model, field, index):
    rows = model.objects.filter(country_condition(model, field, "YE"))
    assert index in plan(rows.order_by().values("pk"))


@postgresql_only
@pytest.mark.parametrize(
    ("model", "index"),
    [(NewsItem, "news_public_change_idx"), (Project, "project_public_change_idx")],
)
def test_the_sitemap_lastmod_reads_the_public_change_index(model, index):
    from iomcms.sitemaps import PublishedSitemap

    class Section(PublishedSitemap):
        def queryset(self):
            # The published rows without the schedule test: on a near-empty table the planner
            # would rather read the ordering index and sort; the point is that the expression
            # and the condition match the (partial) index's.
            return model.objects.filter(publication_status="published")

    assert index in plan(Section().latest_changes()[:1])


@postgresql_only
def test_the_home_pages_projects_read_their_index():
    rows = Project.objects.published().for_list().order_by("-featured", "-year", "title")[:4]
    # Sorting priced out as well: on an empty test table another index plus a sort of no rows
    # is as cheap; what matters is that this index gives the order without one.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        try:
            found = plan(rows)
        finally:
            cursor.execute("SET LOCAL enable_sort = on")
    assert "project_home_order_idx" in found and "Sort" not in found.split("->")[0]
