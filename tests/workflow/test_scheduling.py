"""Scheduled publishing: an embargoed item appears everywhere the public looks, on the second
its go-live time passes, and leaves everywhere at its expiry, with no job to run."""

import datetime

import pytest
import time_machine

from iomcms.publishing import PublicationStatus, WorkflowState
from news.models import NewsItem
from projects.models import Project
from tests.factories import make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
GO_LIVE = datetime.datetime(2031, 3, 10, 9, 0, tzinfo=UTC)
EXPIRY = datetime.datetime(2031, 3, 20, 18, 0, tzinfo=UTC)
BEFORE = GO_LIVE - datetime.timedelta(seconds=1)
LIVE = GO_LIVE + datetime.timedelta(seconds=1)
AFTER = EXPIRY + datetime.timedelta(seconds=1)
TITLE = "Embargoed floods appeal Zanzibar"  # a word no other fixture uses, for search


@pytest.fixture
def embargoed():
    """A live neighbour (so lists are not empty), a contact, and the scheduled items."""
    contact = make_contact(name="Amina Juma")
    with time_machine.travel(GO_LIVE - datetime.timedelta(days=7), tick=False):
        make_news_item(title="Already public", countries=["TZ"], contacts=[contact])
        item = make_news_item(
            title=TITLE,
            lead="Zanzibar appeal lead.",
            countries=["TZ"],
            kind="press-release",
            published_on=None,
            legacy_key="",
            go_live_at=GO_LIVE,
            expire_at=EXPIRY,
            contacts=[contact],
        )
        project = make_project(
            title="Zanzibar resilience programme",
            benefiting_states=["TZ"],
            go_live_at=GO_LIVE,
            expire_at=EXPIRY,
        )
    return item, project, contact


def public_surfaces(item, project, contact):
    """Every public URL the items can appear on, with the text that shows they are there."""
    return {
        "news list": ("/news/", TITLE),
        "news list filtered": ("/news/?country=TZ&kind=press-release", TITLE),
        "news search": ("/news/?q=zanzibar", TITLE),
        "site search": ("/search/?q=zanzibar", TITLE),
        "home": ("/", TITLE),
        "news detail": (item.get_absolute_url(), TITLE),
        "related news": ("/news/already-public/", TITLE),
        "contact page": (contact.get_absolute_url(), TITLE),
        "rss": ("/news/feed/rss/", TITLE),
        "atom": ("/news/feed/atom/?country=TZ", TITLE),
        "news sitemap": ("/sitemap-news.xml", item.get_absolute_url()),
        "projects list": ("/projects/", "Zanzibar resilience programme"),
        "projects search": ("/projects/?q=zanzibar", "Zanzibar resilience programme"),
        "site search, projects": ("/search/?q=resilience", "Zanzibar resilience programme"),
        "home, projects": ("/", "Zanzibar resilience programme"),
        "project detail": (project.get_absolute_url(), "Zanzibar resilience programme"),
        "projects sitemap": ("/sitemap-projects.xml", project.get_absolute_url()),
        # The country's page (countries/) lists both; its neighbour keeps it from being a 404.
        "country page": ("/countries/tz/", TITLE),
        "country page, projects": ("/countries/tz/", "Zanzibar resilience programme"),
    }


def visible_on(client, surfaces):
    seen = set()
    for name, (url, marker) in surfaces.items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        if response.status_code == 200 and marker in response.content.decode():
            seen.add(name)
    return seen


def test_a_scheduled_item_appears_everywhere_exactly_at_go_live_and_leaves_at_expiry(
    client, embargoed
):
    item, project, contact = embargoed
    surfaces = public_surfaces(item, project, contact)

    with time_machine.travel(BEFORE, tick=False):
        assert visible_on(client, surfaces) == set()
        assert client.get(item.get_absolute_url()).status_code == 404
        assert client.get(project.get_absolute_url()).status_code == 404
        assert item.state() == WorkflowState.SCHEDULED

    with time_machine.travel(GO_LIVE, tick=False):  # the very second
        assert visible_on(client, surfaces) == set(surfaces)
        assert item.state() == WorkflowState.LIVE

    with time_machine.travel(LIVE, tick=False):
        assert visible_on(client, surfaces) == set(surfaces)

    with time_machine.travel(AFTER, tick=False):
        assert visible_on(client, surfaces) == set()
        assert item.state() == WorkflowState.EXPIRED


def test_published_and_state_agree_at_the_boundaries(embargoed):
    item, project, _contact = embargoed
    for moment, state in (
        (BEFORE, WorkflowState.SCHEDULED),
        (GO_LIVE, WorkflowState.LIVE),
        (EXPIRY - datetime.timedelta(seconds=1), WorkflowState.LIVE),
        (EXPIRY, WorkflowState.EXPIRED),
    ):
        for obj in (item, project):
            model = type(obj)
            assert obj.state(moment) == state
            assert model.objects.published(at=moment).filter(pk=obj.pk).exists() == (
                state == WorkflowState.LIVE
            )
            assert list(model.objects.in_state(state, at=moment).filter(pk=obj.pk)) == [obj]
            # ... and in no other state: the four states split the items.
            matching = [
                s for s in WorkflowState if model.objects.in_state(s, at=moment).filter(pk=obj.pk)
            ]
            assert matching == [state]


def test_a_scheduled_release_without_a_date_is_dated_on_its_go_live_day(embargoed):
    item, _project, _contact = embargoed
    assert item.published_on == GO_LIVE.date()


def test_a_draft_with_a_go_live_time_stays_hidden_after_it(client):
    item = make_news_item(
        publication_status=PublicationStatus.DRAFT, go_live_at=GO_LIVE, title="Held back"
    )
    with time_machine.travel(LIVE, tick=False):
        assert item.state() == WorkflowState.DRAFT
        assert not NewsItem.objects.published().filter(pk=item.pk).exists()
        assert client.get(item.get_absolute_url()).status_code == 404


def test_the_sitemap_and_feed_date_the_change_at_go_live(client, embargoed):
    item, _project, _contact = embargoed
    with time_machine.travel(LIVE, tick=False):
        sitemap = client.get("/sitemap-news.xml").content.decode()
        entry = sitemap[sitemap.index(item.get_absolute_url()) :]
        assert entry.split("</url>")[0].endswith("<lastmod>2031-03-10</lastmod>")
        atom = client.get("/news/feed/atom/?country=TZ").content.decode()
        assert "<updated>2031-03-10T09:00:00+00:00</updated>" in atom
        assert "<published>2031-03-10T09:00:00+00:00</published>" in atom  # not 00:00


def test_admin_lists_show_and_filter_by_state(staff_client, django_user_model):
    now = datetime.datetime(2031, 3, 15, 12, 0, tzinfo=UTC)
    with time_machine.travel(now - datetime.timedelta(days=30), tick=False):
        items = {
            WorkflowState.DRAFT: make_news_item(publication_status=PublicationStatus.DRAFT),
            WorkflowState.SCHEDULED: make_news_item(go_live_at=EXPIRY),
            WorkflowState.LIVE: make_news_item(go_live_at=GO_LIVE),
            WorkflowState.EXPIRED: make_news_item(expire_at=GO_LIVE),
        }
        projects = {
            WorkflowState.SCHEDULED: make_project(go_live_at=EXPIRY),
            WorkflowState.LIVE: make_project(),
        }
    with time_machine.travel(now, tick=False):
        staff_client.force_login(django_user_model.objects.get(username="admin"))  # fresh session
        page = staff_client.get("/admin/news/newsitem/").content.decode()
        for state in WorkflowState:
            assert f'class="state-badge state-{state.value}">{state.label}<' in page
        for state, item in items.items():
            response = staff_client.get("/admin/news/newsitem/", {"state": state.value})
            assert list(response.context["cl"].result_list) == [item]
        for state, project in projects.items():
            response = staff_client.get("/admin/projects/project/", {"state": state.value})
            assert list(response.context["cl"].result_list) == [project]
        # An unknown state value is ignored, not an error.
        response = staff_client.get("/admin/news/newsitem/", {"state": "bogus"})
        assert response.status_code in (200, 302)


def test_publication_fields_in_the_model_are_the_guarded_ones():
    assert NewsItem.PUBLICATION_FIELDS == Project.PUBLICATION_FIELDS
    assert set(NewsItem.PUBLICATION_FIELDS) == {"publication_status", "go_live_at", "expire_at"}


@pytest.mark.parametrize(
    "go_live_at",
    [None, GO_LIVE - datetime.timedelta(days=30), GO_LIVE + datetime.timedelta(days=30)],
    ids=["no go-live", "go-live before the last edit", "go-live after the last edit"],
)
def test_last_public_change_and_with_public_change_agree(go_live_at):
    """The model's method (feeds) and the queryset annotation (sitemaps) are one rule."""
    with time_machine.travel(GO_LIVE, tick=False):
        item = make_news_item(go_live_at=go_live_at)
        project = make_project(go_live_at=go_live_at)
    for obj in (item, project):
        annotated = type(obj).objects.with_public_change().get(pk=obj.pk)
        assert annotated.public_change == obj.last_public_change()
        assert obj.last_public_change() == max(obj.updated, go_live_at or obj.updated)


def test_expiring_is_the_published_items_whose_expiry_is_ahead(embargoed):
    item, project, _contact = embargoed
    make_news_item(expire_at=BEFORE - datetime.timedelta(days=1), title="Expired before")
    make_news_item(publication_status=PublicationStatus.DRAFT, expire_at=EXPIRY)
    for moment, expected in ((BEFORE, True), (LIVE, True), (EXPIRY, False), (AFTER, False)):
        for obj in (item, project):
            found = list(type(obj).objects.expiring(at=moment))
            assert found == ([obj] if expected else [])


def test_publish_and_unpublish_are_the_models_transitions():
    """What the bulk actions do to each item, on the model (no save: the caller saves)."""
    draft = make_news_item(publication_status=PublicationStatus.DRAFT, go_live_at=GO_LIVE)
    assert draft.publish(at=BEFORE) == ["publication_status"]
    assert draft.state(BEFORE) == WorkflowState.SCHEDULED  # its embargo holds
    expired = make_project(go_live_at=BEFORE, expire_at=GO_LIVE)
    assert expired.publish(at=LIVE) == ["publication_status", "expire_at"]
    assert expired.expire_at is None and expired.state(LIVE) == WorkflowState.LIVE
    undated = make_news_item(
        publication_status=PublicationStatus.DRAFT, published_on=None, legacy_key=""
    )
    with time_machine.travel(LIVE, tick=False):
        assert undated.publish() == ["publication_status", "published_on"]
    assert undated.published_on == LIVE.date()
    assert expired.unpublish() == ["publication_status"]
    assert expired.state(LIVE) == WorkflowState.DRAFT
    assert type(expired).objects.get(pk=expired.pk).expire_at == GO_LIVE  # nothing saved
