"""The pagination under every list (templates/includes/pagination.html, iomcms/pagination.py):
"Showing 21–40 of 500+", the numbered pages around the current one, rel="prev"/"next",
aria-current, the filters kept. The bounded count itself is in test_flat.py."""

import html
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.utils import translation

from contacts.views import ContactListView
from iomcms.pagination import CappedPaginator, count_label, page_url
from news.models import NewsItem
from news.views import NewsItemListView
from pages import views as pages_views
from projects.views import ProjectListView
from tests.factories import bulk_contacts, bulk_news_items, bulk_projects

pytestmark = pytest.mark.django_db


def paginator(count, per_page=20, cap=10_000):
    """A paginator that believes it counted ``count`` rows (no query)."""
    pages = CappedPaginator(NewsItem.objects.none(), per_page, cap=cap)
    pages.count = count
    return pages


# --- The rules (iomcms/pagination.py) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("num_pages", "number", "window"),
    [
        (1, 1, [1]),
        (2, 1, [1, 2]),
        (2, 2, [1, 2]),
        (6, 1, [1, 2, 3, 4, 5, 6]),  # no ellipsis would hide anything worth hiding
        (7, 1, [1, 2, 3, None, 7]),
        (7, 4, [1, 2, 3, 4, 5, 6, 7]),
        (7, 5, [1, 2, 3, 4, 5, 6, 7]),  # an ellipsis never stands for a single page
        (7, 6, [1, None, 4, 5, 6, 7]),
        (7, 7, [1, None, 5, 6, 7]),
        (333, 6, [1, None, 4, 5, 6, 7, 8, None, 333]),
        (333, 1, [1, 2, 3, None, 333]),
        (333, 333, [1, None, 331, 332, 333]),
    ],
)
def test_the_window_shows_the_ends_and_two_pages_each_side(num_pages, number, window):
    assert paginator(num_pages * 20).window(number) == window
    assert paginator(num_pages * 20).page(number).window == window


def test_a_capped_list_ends_at_its_last_reachable_page():
    pages = paginator(501, cap=500)  # counted to the cap + 1: "500+"
    assert pages.num_pages == 25
    last = pages.page(25)
    assert last.window == [1, None, 23, 24, 25]
    assert (last.start_index(), last.end_index()) == (481, 500)  # not 501
    assert pages.count_label == "500+"
    assert not last.has_next()


def test_numbers_are_grouped_as_the_readers_language_groups_them():
    pages = paginator(6654, cap=10_000)
    page = pages.page(333)
    assert (page.start_label, page.end_label, pages.count_label) == ("6,641", "6,654", "6,654")
    with translation.override("fr"):
        assert (page.start_label, pages.count_label) == ("6\xa0641", "6\xa0654")
        assert count_label(10_001, 10_000) == "10\xa0000+"
    with translation.override("es"):
        assert paginator(6654, cap=10_000).count_label == "6\xa0654"


def test_a_page_link_keeps_the_other_parameters():
    assert page_url("", 2) == "?page=2"
    assert page_url("country=KE&kind=story", 3) == "?country=KE&kind=story&page=3"


# --- Every list, through HTTP ------------------------------------------------------------------


def news_rows(count):
    bulk_news_items(count, kind="story")
    bulk_news_items(3, kind="news")  # filtered out


def project_rows(count):
    bulk_projects(count, status="completed")
    bulk_projects(3, status="ongoing")


def contact_rows(count):
    bulk_contacts(count, country="EC")
    bulk_contacts(3, country="PE")


def search_rows(count):
    bulk_news_items(count, title="Floods bulletin")
    bulk_news_items(3, title="Drought bulletin")


LISTS = {
    "news": ("/news/", {"kind": "story"}, news_rows),
    "projects": ("/projects/", {"status": "completed"}, project_rows),
    "contacts": ("/contacts/", {"country": "EC"}, contact_rows),
    "search": ("/search/", {"q": "floods", "type": "news"}, search_rows),
}


@pytest.fixture
def two_a_page(monkeypatch):
    for view in (NewsItemListView, ProjectListView, ContactListView):
        monkeypatch.setattr(view, "paginate_by", 2)
    monkeypatch.setattr(pages_views, "SEARCH_PAGE_SIZE", 2)


def pagination(response):
    """The pagination's status line, and its links as (text, query, attributes)."""
    content = response.content.decode()
    nav = re.search(r'<nav class="pagination".*?</nav>', content, re.S)
    assert nav, "no pagination on the page"
    nav = nav[0]
    status = re.search(r'<p class="pagination-status">(.*?)</p>', nav, re.S)[1]
    links = []
    for attrs, text in re.findall(r"<a ([^>]*)>(.*?)</a>", nav, re.S):
        href = html.unescape(re.search(r'href="([^"]*)"', attrs)[1])
        url = urljoin(response.wsgi_request.path, href)
        text = re.sub(r"<[^>]+>|\s+", " ", text).split()
        links.append((" ".join(text), parse_qs(urlsplit(url).query), attrs))
    return html.unescape(status), links, nav


def numbered(links):
    return [text.removeprefix("Page ") for text, _, attrs in links if "rel=" not in attrs]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_numbers_its_pages_and_keeps_its_filters(client, two_a_page, name):
    path, filters, make = LISTS[name]
    make(21)  # 11 pages of 2
    response = client.get(path, {**filters, "page": "6"})
    assert response.status_code == 200
    status, links, nav = pagination(response)
    assert status == "Showing 11–12 of 21"
    assert numbered(links) == ["1", "4", "5", "6", "7", "8", "11"]
    assert nav.count('<li class="page-gap">…</li>') == 2  # 1 … 4 5 [6] 7 8 … 11
    pages = {text: query for text, query, attrs in links}
    assert pages["Page 1"]["page"] == ["1"] and pages["Page 11"]["page"] == ["11"]
    # Every link keeps the filters and names one page.
    for _text, query, _attrs in links:
        assert {key: value for key, value in query.items() if key != "page"} == {
            key: [value] for key, value in filters.items()
        }
        assert len(query["page"]) == 1
    rels = {re.search(r'rel="(\w+)"', attrs)[1]: query["page"] for _, query, attrs in links
            if "rel=" in attrs}  # fmt: skip
    assert rels == {"prev": ["5"], "next": ["7"]}
    current = [text for text, _, attrs in links if 'aria-current="page"' in attrs]
    assert current == ["Page 6"]


@pytest.mark.parametrize("name", LISTS)
def test_the_first_and_last_pages_have_no_link_beyond_them(client, two_a_page, name):
    path, filters, make = LISTS[name]
    make(5)  # 3 pages
    _status, links, _nav = pagination(client.get(path, filters))
    assert [text for text, _, attrs in links if "rel=" in attrs] == ["Next page ›"]
    assert numbered(links) == ["1", "2", "3"]
    # Past the end: the last page, as before.
    response = client.get(path, {**filters, "page": "99"})
    assert response.status_code == 200
    status, links, _nav = pagination(response)
    assert status == "Showing 5–5 of 5"
    assert [text for text, _, attrs in links if "rel=" in attrs] == ["‹ Previous page"]
    assert [text for text, _, attrs in links if 'aria-current="page"' in attrs] == ["Page 3"]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_of_one_page_has_no_pagination(client, two_a_page, name):
    path, filters, make = LISTS[name]
    make(2)
    assert '<nav class="pagination"' not in client.get(path, filters).content.decode()


def test_a_capped_list_shows_its_cap_and_its_last_reachable_page(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    monkeypatch.setattr(NewsItemListView, "paginate_by", 2)
    bulk_news_items(7)
    status, links, _nav = pagination(client.get("/news/", {"page": "2"}))
    assert status == "Showing 3–4 of 4+"  # not "3–5": the count is the cap + 1
    assert numbered(links) == ["1", "2"]
    assert [text for text, _, attrs in links if "rel=" in attrs] == ["‹ Previous page"]


def test_the_pagination_speaks_the_readers_language(client, two_a_page):
    bulk_news_items(5, kind="story")
    status, links, _nav = pagination(
        client.get("/fr/news/", {"kind": "story", "lang": "all", "page": "2"})
    )
    assert status == "Résultats 3 à 4 sur 5"
    assert [text for text, _, _ in links] == [
        "‹ Page Précédente", "Page 1", "Page 2", "Page 3", "Page Suivante ›",
    ]  # fmt: skip
    status, _links, _nav = pagination(
        client.get("/es/news/", {"kind": "story", "lang": "all", "page": "2"})
    )
    assert status == "Resultados 3 a 4 de 5"
