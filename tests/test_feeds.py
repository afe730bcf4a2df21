import datetime
import html
import re

import feedparser
import pytest

from iomcms.publishing import PublicationStatus
from news.models import NewsItem
from tests.factories import bulk_news_items, make_contact, make_news_item
from tests.feedcheck import absolute, fetch, links

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
RSS, ATOM = "/news/feed/rss/", "/news/feed/atom/"
FEEDS = pytest.mark.parametrize("url", [RSS, ATOM], ids=["rss", "atom"])

# Pinned: one query for the newest items (filters included), whatever the number of rows, on
# SQLite and PostgreSQL.
FEED_QUERIES = 1


@FEEDS
def test_feed_parses_and_entries_have_title_link_date_id_and_categories(client, url):
    item = make_news_item(
        title="Floods in Piura", kind="statement", countries=["PE", "EC"], lead="Families fled."
    )
    response, feed = fetch(client, url)
    assert response["Content-Type"].startswith(
        "application/rss+xml" if url == RSS else "application/atom+xml"
    )
    assert feed.version == ("rss20" if url == RSS else "atom10")
    assert feed.feed.title == "IOM Newsroom – all news"
    assert feed.feed.link == "http://testserver/news/"
    [entry] = feed.entries
    assert entry.title == "Floods in Piura"
    assert entry.link == absolute(item)
    assert entry.id == absolute(item)
    assert entry.published_parsed[:6] == (*item.published_on.timetuple()[:3], 0, 0, 0)
    assert [tag.term for tag in entry.tags] == ["Statement", "Ecuador", "Peru"]  # stored sorted
    assert entry.summary == "Families fled."
    assert entry.author == "IOM Newsroom"


def test_atom_entry_updated_is_the_items_last_change(client):
    item = make_news_item()
    changed = datetime.datetime(2024, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    NewsItem.objects.filter(pk=item.pk).update(updated=changed)
    _, feed = fetch(client, ATOM)
    assert feed.entries[0].updated_parsed[:6] == (2024, 3, 4, 5, 6, 7)


@FEEDS
def test_undated_items_are_left_out(client, url):
    # An undated archive item dated with its import time would pose as today's news.
    undated = make_news_item(published_on=None)
    dated = make_news_item(published_on=datetime.date(2001, 1, 1))
    _, feed = fetch(client, url)
    assert links(feed) == [absolute(dated)]
    assert absolute(undated) not in links(feed)


@FEEDS
def test_feed_holds_the_50_newest_published_items_newest_first(client, url):
    undated = make_news_item(published_on=None)
    bulk_news_items(60)
    newest = make_news_item(published_on=datetime.date(2030, 1, 1))
    _, feed = fetch(client, url)
    expected = [absolute(item) for item in NewsItem.objects.published()[:50]]
    assert len(feed.entries) == 50
    assert links(feed) == expected
    assert links(feed)[0] == absolute(newest)
    assert absolute(undated) not in links(feed)  # undated items come last, as on the list
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)


@FEEDS
@pytest.mark.parametrize("params", [{}, {"country": "CO"}, {"kind": "press-release"}])
def test_drafts_never_appear(client, url, params):
    published = make_news_item(title="Published story", countries=["CO"])
    draft = make_news_item(
        title="Secret draft", countries=["CO"], published_on=datetime.date(2031, 1, 1),
        publication_status=DRAFT,
    )  # fmt: skip
    response, feed = fetch(client, url, params)
    assert links(feed) == [absolute(published)]
    assert absolute(draft) not in response.content.decode()
    assert b"Secret draft" not in response.content


@FEEDS
def test_a_search_for_a_draft_finds_nothing(client, url):
    make_news_item(title="Secret draft", publication_status=DRAFT)
    make_news_item(title="Published story")
    _, feed = fetch(client, url, {"q": "secret"})
    assert feed.entries == []
    assert feed.feed.title == "IOM Newsroom – news matching “secret”"


@FEEDS
def test_filter_by_country(client, url):
    colombia = make_news_item(countries=["CO"])
    both = make_news_item(countries=["CO", "EC"])
    make_news_item(countries=["EC"])
    _, feed = fetch(client, url, {"country": "CO"})
    assert links(feed) == [absolute(both), absolute(colombia)]
    assert feed.feed.title == "IOM Newsroom – news about Colombia"
    assert feed.feed.link == "http://testserver/news/?country=CO"


@FEEDS
def test_filter_by_kind(client, url):
    statement = make_news_item(kind="statement")
    make_news_item(kind="press-release")
    _, feed = fetch(client, url, {"kind": "statement"})
    assert links(feed) == [absolute(statement)]
    assert feed.feed.title == "IOM Newsroom – statements"
    assert feed.feed.link == "http://testserver/news/?kind=statement"


def test_title_and_links_name_every_valid_filter(client):
    make_news_item(
        kind="press-release",
        countries=["CO"],
        title="Floods in Chocó",
        published_on=datetime.date(2020, 5, 1),
    )
    make_news_item(
        kind="press-release",
        countries=["CO"],
        title="Floods in Cali",
        published_on=datetime.date(2021, 5, 1),
    )
    _, feed = fetch(
        client, ATOM, {"kind": "press-release", "country": "CO", "year": "2020", "q": "floods"}
    )
    assert feed.feed.title == (
        "IOM Newsroom – press releases about Colombia from 2020 matching “floods”"
    )
    query = "?q=floods&country=CO&year=2020&kind=press-release"
    assert feed.feed.link == f"http://testserver/news/{query}"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"http://testserver/news/feed/atom/{query}"]
    assert len(feed.entries) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"country": "EC"},
        {"kind": "statement"},
        {"year": "2021"},
        {"q": "piura floods"},
        {"q": "piura", "country": "PE", "year": "2021"},
        {"country": "ZZ", "year": "abc"},  # invalid: ignored, as on the list
        {"country": "PE", "kind": "nonsense", "page": "3"},
    ],
)
def test_feed_shows_what_the_list_page_shows(client, params):
    make_news_item(
        title="Floods in Piura", countries=["PE"], published_on=datetime.date(2021, 2, 1)
    )
    make_news_item(title="Piura floods response", kind="statement", countries=["PE", "EC"],
                   published_on=datetime.date(2021, 3, 1))  # fmt: skip
    make_news_item(title="Quito office opens", kind="story", countries=["EC"],
                   published_on=datetime.date(2022, 1, 1))  # fmt: skip
    make_news_item(title="Undated floods in Piura", countries=["PE"], published_on=None)
    listed = client.get("/news/", params).context["object_list"]
    _, feed = fetch(client, RSS, params)
    assert feed.entries
    # The same rows in the same order, but for the undated ones (left out of feeds).
    assert links(feed) == [absolute(item) for item in listed if item.published_on]


@FEEDS
@pytest.mark.parametrize(
    "params",
    [
        {"country": "ZZ"},
        {"year": "abc"},
        {"year": "99999"},
        {"kind": "<script>"},
        {"q": "x" * 500},
        {"q": "a\x00b"},
        {"page": "-1"},
    ],
)
def test_invalid_filters_are_ignored_and_the_feed_stays_valid(client, url, params):
    item = make_news_item(countries=["CO"])
    _, feed = fetch(client, url, params)
    assert links(feed) == [absolute(item)]
    assert feed.feed.title == "IOM Newsroom – all news"


@FEEDS
def test_control_characters_in_the_query_do_not_break_the_feed(client, url):
    # XML 1.0 cannot hold them; Django refuses to write them. They are dropped from the title.
    item = make_news_item(title="Floods")
    _, feed = fetch(client, url, {"q": "\x01floods\x02"})
    assert feed.feed.title == "IOM Newsroom – news matching “floods”"
    # The search module drops control characters too, exactly as on the list page.
    assert links(feed) == [absolute(item)]


@FEEDS
def test_text_is_escaped_once_and_control_characters_dropped(client, url):
    make_news_item(title="Families & <children>", lead="Help\x0c for <b> & more", dateline="")
    _, feed = fetch(client, url)
    entry = feed.entries[0]
    assert entry.title == "Families & <children>"
    # The description is HTML: the plain-text lead arrives escaped exactly once.
    assert html.unescape(entry.summary) == "Help for <b> & more"


def test_feed_has_a_last_modified_header(client):
    item = make_news_item(published_on=datetime.date(2020, 1, 1))
    response = client.get(RSS)
    item.refresh_from_db()
    assert response["Last-Modified"] == item.updated.strftime("%a, %d %b %Y %H:%M:%S GMT")


@FEEDS
@pytest.mark.parametrize("rows_count", [1, 60])
def test_feed_query_count_is_constant(client, django_assert_num_queries, url, rows_count):
    contacts = [make_contact(), make_contact()]
    bulk_news_items(rows_count, contacts=contacts, countries=["EC", "PE"])
    with django_assert_num_queries(FEED_QUERIES) as captured:
        response = client.get(url, {"country": "EC", "year": "abc"})
    assert '"body"' not in captured.captured_queries[0]["sql"]  # the body is never read
    assert len(feedparser.parse(response.content).entries) == min(rows_count, 50)


# --- Autodiscovery -----------------------------------------------------------------------------


def alternate_links(response):
    """``{type: href}`` of the <link rel="alternate"> tags in the page's <head>."""
    head = response.content.decode().split("</head>")[0]
    found = re.findall(
        r'<link rel="alternate" type="(application/(?:rss|atom)\+xml)" title="[^"]+" '
        r'href="([^"]+)">',
        head,
    )
    return {kind: html.unescape(href) for kind, href in found}


def test_news_list_head_links_to_the_feeds_of_its_current_filters(client):
    make_news_item(countries=["CO"], kind="statement")
    make_news_item(countries=["EC"])
    response = client.get("/news/", {"country": "CO", "kind": "statement", "page": "2"})
    found = alternate_links(response)
    assert found == {
        "application/rss+xml": "/news/feed/rss/?country=CO&kind=statement",
        "application/atom+xml": "/news/feed/atom/?country=CO&kind=statement",
    }
    # Following the link gives the same selection.
    _, feed = fetch(client, found["application/rss+xml"])
    assert feed.feed.title == "IOM Newsroom – statements about Colombia"
    assert len(feed.entries) == 1


def test_news_list_has_visible_feed_links(client):
    content = client.get("/news/", {"country": "CO"}).content.decode()
    body = content.split("<body>")[1]
    assert re.search(
        r'This list as: <a href="/news/feed/rss/\?country=CO"[^>]*>RSS</a> · '
        r'<a href="/news/feed/atom/\?country=CO"[^>]*>Atom</a>',
        body,
    )
    unfiltered = client.get("/news/").content.decode()
    assert re.search(r'This list as: <a href="/news/feed/rss/"[^>]*>RSS</a>', unfiltered)


def test_unfiltered_news_list_links_to_the_site_wide_feeds(client):
    assert alternate_links(client.get("/news/")) == {
        "application/rss+xml": "/news/feed/rss/",
        "application/atom+xml": "/news/feed/atom/",
    }


def test_news_detail_and_home_link_to_the_site_wide_feeds(client):
    item = make_news_item(countries=["CO"])
    site_wide = {
        "application/rss+xml": "/news/feed/rss/",
        "application/atom+xml": "/news/feed/atom/",
    }
    assert alternate_links(client.get(item.get_absolute_url())) == site_wide
    assert alternate_links(client.get("/")) == site_wide


def test_feed_dates_use_utc_midnight_for_dated_items(client):
    make_news_item(published_on=datetime.date(2023, 8, 9))
    response = client.get(RSS)
    assert b"<pubDate>Wed, 09 Aug 2023 00:00:00 +0000</pubDate>" in response.content
