"""Undated archive items (issue 12, class 6): never posing as new anywhere the public looks,
and easy for staff to find."""

import datetime
import json
import re

import feedparser
import pytest

from news.models import NewsItem
from tests.factories import make_news_item

pytestmark = pytest.mark.django_db

UNKNOWN = '<span class="date-unknown">Date unknown</span>'
CHANGELIST = "/admin/news/newsitem/"


def meta_lines(html):
    return re.findall(r'<p class="meta">.*?</p>', html, flags=re.S)


def test_list_cards_say_date_unknown_and_undated_items_come_last(client):
    undated = make_news_item(title="Undated archive release", published_on=None)
    dated = make_news_item(title="Dated release", published_on=datetime.date(2001, 5, 2))
    response = client.get("/news/")
    assert list(response.context["object_list"]) == [dated, undated]
    cards = [m for m in meta_lines(response.content.decode()) if "kind" in m]
    assert UNKNOWN in cards[1]
    assert '<time datetime="2001-05-02">2 May 2001</time>' in cards[0]
    assert UNKNOWN not in cards[0]


def test_search_results_say_date_unknown_and_rank_ties_put_undated_last(client):
    undated = make_news_item(title="Flood relief", lead="", body="", published_on=None)
    dated = make_news_item(title="Flood relief", lead="", body="",
                           published_on=datetime.date(1999, 1, 1))  # fmt: skip
    response = client.get("/search/", {"q": "flood relief"})
    news = next(s for s in response.context["sections"] if s["key"] == "news")
    assert list(news["rows"]) == [dated, undated]
    assert response.content.decode().count(UNKNOWN) == 1
    listed = client.get("/news/", {"q": "flood relief"})
    assert list(listed.context["object_list"]) == [dated, undated]
    assert UNKNOWN in listed.content.decode()


def test_detail_page_says_date_unknown_and_claims_no_publication_date(client):
    item = make_news_item(published_on=None)
    content = client.get(item.get_absolute_url()).content.decode()
    assert UNKNOWN in content
    assert "article:published_time" not in content
    [script] = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', content,
                          flags=re.S)  # fmt: skip
    data = json.loads(script)
    assert data["@type"] == "NewsArticle"
    assert "datePublished" not in data
    assert "dateModified" in data  # the last change: true whatever the publication date


def test_home_latest_news_leaves_undated_items_out(client):
    undated = make_news_item(title="Undated archive release", published_on=None)
    dated = make_news_item(title="Dated release", published_on=datetime.date(1990, 1, 1))
    response = client.get("/")
    assert response.context["latest_news"] == [dated]
    assert "Undated archive release" not in response.content.decode()
    assert undated.is_public()


@pytest.mark.parametrize("url", ["/news/feed/rss/", "/news/feed/atom/"])
def test_feeds_leave_undated_items_out(client, url):
    make_news_item(title="Undated archive release", published_on=None)
    feed = feedparser.parse(client.get(url).content)
    assert feed.entries == []


def test_sitemap_lists_undated_items_with_their_last_change(client):
    item = make_news_item(published_on=None)
    changed = datetime.datetime(2024, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    NewsItem.objects.filter(pk=item.pk).update(updated=changed)
    content = client.get("/sitemap-news.xml").content.decode()
    assert f"{item.get_absolute_url()}</loc><lastmod>2024-03-04</lastmod>" in content


def test_imported_undated_item_stays_undated_when_saved_published():
    item = make_news_item(published_on=None)
    item.save()
    item.refresh_from_db()
    assert item.published_on is None


def test_admin_date_filter_finds_undated_items(staff_client):
    undated = make_news_item(published_on=None)
    dated = make_news_item(published_on=datetime.date(2010, 1, 1))
    response = staff_client.get(CHANGELIST)
    content = response.content.decode()
    assert "?date=unknown" in content and "Date unknown" in content
    unknown = staff_client.get(CHANGELIST, {"date": "unknown"})
    assert set(unknown.context["cl"].result_list) == {undated}
    known = staff_client.get(CHANGELIST, {"date": "known"})
    assert set(known.context["cl"].result_list) == {dated}
    anything = staff_client.get(CHANGELIST, {"date": "bogus"})
    assert set(anything.context["cl"].result_list) == {undated, dated}
