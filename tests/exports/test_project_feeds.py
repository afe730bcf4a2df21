"""RSS and Atom feeds of projects (projects/feeds.py), through HTTP."""

import datetime
from decimal import Decimal

import pytest

from iomcms.publishing import PublicationStatus
from projects.models import Project
from tests.factories import bulk_projects, make_project, make_region
from tests.feedcheck import HOST, absolute, fetch, links

pytestmark = pytest.mark.django_db

RSS, ATOM = "/projects/feed/rss/", "/projects/feed/atom/"
FEEDS = pytest.mark.parametrize("url", [RSS, ATOM], ids=["rss", "atom"])
# The projects, with their type and region joined; a region or type filter adds the read of
# the slug it names (its validation), as on the list page.
FEED_QUERIES = 1


def dated(project, moment):
    Project.objects.filter(pk=project.pk).update(created=moment, updated=moment)


@FEEDS
def test_feed_entries(client, url):
    project = make_project(
        title="Border support",
        project_code="CE.0373",
        summary="Helps families.",
        benefiting_states=["CO", "EC"],
    )
    moment = datetime.datetime(2024, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    dated(project, moment)
    response, feed = fetch(client, url)
    assert response["Content-Type"].startswith(
        "application/rss+xml" if url == RSS else "application/atom+xml"
    )
    assert feed.feed.title == "IOM Newsroom – all projects"
    assert feed.feed.link == f"{HOST}/projects/"
    [entry] = feed.entries
    assert entry.title == "CE.0373 – Border support"
    assert entry.link == entry.id == absolute(project)
    assert entry.summary == "Helps families."
    assert entry.published_parsed[:6] == (2024, 3, 4, 5, 6, 7)
    assert [tag.term for tag in entry.tags] == [
        "Active",
        "Latin America and the Caribbean",
        "Colombia",
        "Ecuador",
    ]


@FEEDS
def test_newest_on_the_site_first_and_at_most_50(client, url):
    for project in bulk_projects(55):
        dated(project, datetime.datetime(2010, 1, 1, tzinfo=datetime.UTC))
    old = make_project(title="Went live long ago")
    dated(old, datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC))
    newest = make_project(
        title="Scheduled, now live",
        go_live_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1),
    )
    dated(newest, datetime.datetime(2002, 1, 1, tzinfo=datetime.UTC))
    _, feed = fetch(client, url)
    assert len(feed.entries) == 50
    assert feed.entries[0].link == absolute(newest)
    assert absolute(old) not in links(feed)


@FEEDS
def test_drafts_scheduled_and_expired_projects_never_appear(client, url):
    now = datetime.datetime.now(datetime.UTC)
    live = make_project(title="Live")
    make_project(title="Draft", publication_status=PublicationStatus.DRAFT)
    make_project(title="Scheduled", go_live_at=now + datetime.timedelta(days=1))
    make_project(title="Expired", expire_at=now - datetime.timedelta(days=1))
    _, feed = fetch(client, url)
    assert links(feed) == [absolute(live)]
    _, feed = fetch(client, url, {"q": "Draft"})
    assert feed.entries == []


@FEEDS
def test_filters_of_the_list_apply_and_are_named(client, url):
    region = make_region("Middle East and North Africa")
    wanted = make_project(
        title="Wanted", region=region, status="completed", budget_usd=Decimal("5000")
    )
    make_project(title="Other region", status="completed")
    make_project(title="Other status", region=region, status="active")
    params = {"region": region.slug, "status": "completed", "year": "2017"}
    _, feed = fetch(client, url, params)
    assert links(feed) == [absolute(wanted)]
    assert feed.feed.title == (
        "IOM Newsroom – projects – Region: Middle East and North Africa; Status: Completed; "
        "Year: 2017"
    )
    expected = f"{HOST}/projects/?region={region.slug}&status=completed&year=2017"
    assert feed.feed.link == expected


def test_feed_in_french_and_sorted(client):
    make_project(title="B", budget_usd=Decimal("900"), language="fr")
    make_project(title="A", budget_usd=Decimal("100"), language="fr")
    _, feed = fetch(client, "/fr/projects/feed/atom/", {"sort": "budget", "status": "active"})
    assert [entry.title.split(" – ")[1] for entry in feed.entries] == ["A", "B"]
    assert feed.feed.title == "Salle de presse de l’OIM – projets – Statut : En cours"


@FEEDS
@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"region": "atlantis"}, {"budget_min": "9", "budget_max": "1"}]
)
def test_invalid_filters_are_ignored(client, url, params):
    project = make_project()
    _, feed = fetch(client, url, params)
    assert links(feed) == [absolute(project)]
    assert feed.feed.title == "IOM Newsroom – all projects"


@pytest.mark.parametrize("rows_count", [1, 20])
def test_feed_query_count_is_constant(client, django_assert_num_queries, rows_count):
    bulk_projects(rows_count)
    region = make_region()
    with django_assert_num_queries(FEED_QUERIES):
        client.get(RSS, {"country": "EC", "year": "2015"})
    with django_assert_num_queries(FEED_QUERIES + 1):
        client.get(ATOM, {"region": region.slug})


def test_projects_list_head_links_to_the_feeds_of_its_filters(client):
    content = client.get("/projects/", {"status": "active", "page": "1"}).content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="IOM Newsroom – projects on '
        'this page (RSS)" href="/projects/feed/rss/?status=active">'
    ) in content
    assert 'type="application/atom+xml"' in content
    assert "/projects/feed/atom/?status=active" in content
    content = client.get("/fr/projects/").content.decode()
    assert 'href="/fr/projects/feed/rss/"' in content
    assert "tous les projets (RSS)" in content


def test_feed_is_cached_like_the_news_feeds(client, settings):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 60
    make_project()
    response = client.get(RSS)
    assert "public" in response["Cache-Control"]
    assert response["ETag"]
    assert client.get(RSS, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.post(RSS).status_code == 405
