"""The trash on the public site: a live item moved to the trash (through the admin's delete
button) is gone from every public surface at once, and a trashed contact leaves the releases
that name them; restoring brings them back (iomcms/trash.py)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from iomcms.publishing import PublicationStatus
from news.models import NewsItem
from projects.models import Project
from tests.factories import make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

MARK = "Quokkaville"
MARKED = MARK.lower()


def admin_trash(client, obj):
    """Delete ``obj`` with the admin's delete button (a confirmed POST)."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content
    obj.refresh_from_db()
    assert obj.trashed_at is not None


def admin_restore(client, obj):
    opts = obj._meta
    url = reverse("admin:trash_restore", args=[opts.app_label, opts.model_name, obj.pk])
    response = client.post(url)
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.trashed_at is None


def body(client, url):
    response = client.get(url)
    if response.streaming:
        text = b"".join(response.streaming_content).decode()
    else:
        text = response.content.decode()
    return response.status_code, text.lower()  # addresses carry the mark in lower case


@pytest.fixture
def news():
    """A live release marked with MARK, with a contact named only there, and a sibling
    release that shows it among its related items."""
    contact = make_contact(name=f"Ana {MARK}", is_spokesperson=False, email="ana@iom.int")
    item = make_news_item(
        title=f"Floods in {MARK}",
        kind="statement",
        contacts=[contact],
        published_on=datetime.date(2024, 5, 2),
    )
    sibling = make_news_item(title="Another release", kind="statement")
    return item, sibling, contact


NEWS_SURFACES = [
    "/",
    "/news/",
    "/news/?format=csv",
    "/news/export.csv",
    "/news/feed/rss/",
    "/news/feed/atom/",
    "/search/?q=floods",
    "/sitemap-news.xml",
    "/api/v1/news/",
    "/api/v1/news/?q=floods",
    "/contacts/",
    "/contacts/export.csv",
    "/api/v1/contacts/",
    "/sitemap-contacts.xml",
]


def test_a_trashed_release_leaves_every_public_surface(news, staff_client):
    item, sibling, contact = news
    client = Client()
    for url in NEWS_SURFACES:
        assert MARKED in body(client, url)[1], url
    assert client.get(item.get_absolute_url()).status_code == 200
    assert MARKED in body(client, sibling.get_absolute_url())[1]  # related items
    assert client.get(f"/api/v1/news/{item.slug}/").status_code == 200
    assert client.get(contact.get_absolute_url()).status_code == 200
    kind_counts = client.get("/news/").context["facets"]["kind"]
    assert {o["value"]: o["count"] for o in kind_counts}["statement"] == 2

    admin_trash(staff_client, item)

    for url in NEWS_SURFACES:
        status, text = body(client, url)
        assert status == 200, url
        assert MARKED not in text, url
    assert client.get(item.get_absolute_url()).status_code == 404
    assert MARKED not in body(client, sibling.get_absolute_url())[1]
    assert client.get(f"/api/v1/news/{item.slug}/").status_code == 404
    # Named only on the trashed release: no longer public either.
    assert client.get(contact.get_absolute_url()).status_code == 404
    assert client.get(reverse("contacts:vcard", args=[contact.slug])).status_code == 404
    kind_counts = client.get("/news/").context["facets"]["kind"]
    assert {o["value"]: o["count"] for o in kind_counts}["statement"] == 1


def test_a_trashed_release_is_previewed_by_nobody(news, staff_client):
    item, _sibling, _contact = news
    assert staff_client.get(item.get_absolute_url()).status_code == 200
    admin_trash(staff_client, item)
    assert staff_client.get(item.get_absolute_url()).status_code == 404


def test_a_trashed_translation_leaves_the_other_versions_links(staff_client):
    english = make_news_item(title="Shelter opens")
    french = english.draft_translation("fr", "test")
    french.publication_status = PublicationStatus.PUBLISHED
    french.title = f"Un abri ouvre à {MARK}"
    french.save()
    client = Client()
    assert french.get_absolute_url() in body(client, english.get_absolute_url())[1]
    admin_trash(staff_client, french)
    assert french.get_absolute_url() not in body(client, english.get_absolute_url())[1]
    admin_restore(staff_client, french)
    french.refresh_from_db()
    assert french.translation_group == english.translation_group  # the link is intact
    NewsItem.objects.filter(pk=french.pk).update(publication_status=PublicationStatus.PUBLISHED)
    assert french.get_absolute_url() in body(client, english.get_absolute_url())[1]


PROJECT_SURFACES = [
    "/",
    "/projects/",
    "/projects/?format=csv",
    "/projects/export.csv",
    "/projects/feed/rss/",
    "/projects/feed/atom/",
    "/projects/iati.xml",
    "/search/?q=water",
    "/sitemap-projects.xml",
    "/api/v1/projects/",
]


def test_a_trashed_project_leaves_every_public_surface(staff_client):
    project = make_project(title=f"Water for {MARK}", featured=True)
    client = Client()
    for url in PROJECT_SURFACES:
        assert MARKED in body(client, url)[1], url
    for url in (project.get_absolute_url(), f"/api/v1/projects/{project.slug}/"):
        assert client.get(url).status_code == 200
    iati = reverse("projects:detail-iati", args=[project.slug])
    assert client.get(iati).status_code == 200

    admin_trash(staff_client, project)

    for url in PROJECT_SURFACES:
        status, text = body(client, url)
        assert status == 200, url
        assert MARKED not in text, url
    for url in (project.get_absolute_url(), f"/api/v1/projects/{project.slug}/", iati):
        assert client.get(url).status_code == 404, url


CONTACT_SURFACES = [
    "/contacts/",
    "/contacts/export.csv",
    "/contacts/?format=csv",
    "/search/?q=luis",
    "/sitemap-contacts.xml",
    "/api/v1/contacts/",
]


def test_a_trashed_contact_leaves_the_site_and_comes_back_on_their_releases(staff_client):
    contact = make_contact(name=f"Luis {MARK}", is_spokesperson=True)
    release = make_news_item(title="Relief convoy arrives", contacts=[contact])
    client = Client()
    for url in [*CONTACT_SURFACES, release.get_absolute_url(), f"/api/v1/news/{release.slug}/"]:
        assert MARKED in body(client, url)[1], url

    admin_trash(staff_client, contact)

    for url in [*CONTACT_SURFACES, release.get_absolute_url(), f"/api/v1/news/{release.slug}/"]:
        status, text = body(client, url)
        assert status == 200, url
        assert MARKED not in text, url
    for url in (
        contact.get_absolute_url(),
        reverse("contacts:vcard", args=[contact.slug]),
        f"/api/v1/contacts/{contact.slug}/",
    ):
        assert client.get(url).status_code == 404, url
    assert release.contact_links.filter(contact=contact).exists()  # the link is kept

    admin_restore(staff_client, contact)
    assert MARKED in body(client, release.get_absolute_url())[1]
    assert client.get(contact.get_absolute_url()).status_code == 200


def test_expired_trash_is_still_hidden_without_the_command(news, staff_client, settings):
    item, _sibling, _contact = news
    admin_trash(staff_client, item)
    NewsItem.objects.filter(pk=item.pk).update(
        trashed_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert Client().get(item.get_absolute_url()).status_code == 404
    assert not NewsItem.objects.published().filter(pk=item.pk).exists()


def test_the_published_rules_leave_trashed_rows_out():
    item = make_news_item()
    project = make_project()
    contact = make_contact()
    for obj in (item, project, contact):
        obj.move_to_trash()
        obj.save()
    assert not NewsItem.objects.published().exists()
    assert not Project.objects.published().exists()
    assert not Contact.objects.published().exists()
    assert not Contact.objects.listed().exists()


def test_a_contact_page_stops_listing_a_trashed_release(staff_client):
    contact = make_contact(name="Standing Spokesperson", is_spokesperson=True)
    kept = make_news_item(title="Release that stays", contacts=[contact])
    gone = make_news_item(title=f"Release from {MARK}", contacts=[contact])
    client = Client()
    page = body(client, contact.get_absolute_url())[1]
    assert MARKED in page and "release that stays" in page
    admin_trash(staff_client, gone)
    page = body(client, contact.get_absolute_url())[1]
    assert MARKED not in page and "release that stays" in page
    assert kept.contact_links.exists()
