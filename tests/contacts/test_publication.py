"""When the public may see a press contact (``ContactQuerySet.published``).

Staff list the contact (``is_public``) and either a press release naming them is live or they
are a standing spokesperson. Every public surface asks that one rule: the directory, the
contact's page, the site search, the sitemap; a release's own page shows its listed contacts.
"""

import datetime

import pytest
import time_machine
from django.test import Client

from contacts.models import Contact
from iomcms.publishing import PublicationStatus
from tests.factories import make_contact, make_news_item
from tests.workflow.test_scheduling import AFTER, BEFORE, EXPIRY, GO_LIVE, LIVE

pytestmark = pytest.mark.django_db

NAME = "Wanjiru Quetzalcoatl"  # a word no other fixture uses, for search


def contact(**fields):
    """A contact public only through a release (not a spokesperson)."""
    fields.setdefault("name", NAME)
    return make_contact(is_spokesperson=False, **fields)


def seen_on_every_surface(client, person):
    """{surface: seen?} for the directory, the contact page, search and the sitemap."""
    url = person.get_absolute_url()
    directory = client.get("/contacts/")
    detail = client.get(url)
    search = client.get("/search/", {"q": "Quetzalcoatl"})
    listed_search = client.get("/contacts/", {"q": "Quetzalcoatl"})
    sitemap = client.get("/sitemap-contacts.xml")
    assert detail.status_code in (200, 404)
    return {
        "directory": person in directory.context["object_list"],
        "detail": detail.status_code == 200,
        "search": NAME in search.content.decode(),
        "list search": person in listed_search.context["object_list"],
        "sitemap": url in sitemap.content.decode(),
    }


def everywhere(seen):
    return dict.fromkeys(seen, True)


def nowhere(seen):
    return dict.fromkeys(seen, False)


@pytest.mark.parametrize(
    "release",
    [
        {"publication_status": PublicationStatus.DRAFT},
        {"go_live_at": GO_LIVE},  # scheduled (embargoed)
        {"go_live_at": GO_LIVE - datetime.timedelta(days=9), "expire_at": GO_LIVE},  # expired
    ],
    ids=["draft", "scheduled", "expired"],
)
def test_a_contact_named_only_on_a_release_that_is_not_live_is_nowhere(client, release):
    person = contact()
    make_news_item(contacts=[person], **release)
    # The scheduled release is looked at before its go-live, the expired one after its expiry.
    at = BEFORE if release.get("go_live_at") == GO_LIVE else LIVE
    with time_machine.travel(at, tick=False):
        seen = seen_on_every_surface(client, person)
        assert seen == nowhere(seen)
        assert not person.is_published()
        assert list(Contact.objects.published()) == []


def test_a_contact_appears_everywhere_at_the_second_their_release_goes_live(client):
    person = contact()
    make_news_item(contacts=[person], go_live_at=GO_LIVE, expire_at=EXPIRY)
    with time_machine.travel(BEFORE, tick=False):
        seen = seen_on_every_surface(client, person)
        assert seen == nowhere(seen)
    with time_machine.travel(GO_LIVE, tick=False):
        seen = seen_on_every_surface(client, person)
        assert seen == everywhere(seen)
        assert person.is_published()
    with time_machine.travel(AFTER, tick=False):
        seen = seen_on_every_surface(client, person)
        assert seen == nowhere(seen)


def test_one_live_release_is_enough(client):
    person = contact()
    make_news_item(contacts=[person], publication_status=PublicationStatus.DRAFT)
    make_news_item(contacts=[person])
    seen = seen_on_every_surface(client, person)
    assert seen == everywhere(seen)
    assert list(Contact.objects.published()) == [person]  # once, not once per release


def test_a_standing_spokesperson_with_no_release_is_public(client):
    person = make_contact(name=NAME, is_spokesperson=True)
    seen = seen_on_every_surface(client, person)
    assert seen == everywhere(seen)
    assert person.is_published()


@pytest.mark.parametrize("spokesperson", [True, False])
def test_is_public_false_always_hides(client, spokesperson):
    person = make_contact(name=NAME, is_public=False, is_spokesperson=spokesperson)
    make_news_item(contacts=[person])
    seen = seen_on_every_surface(client, person)
    assert seen == nowhere(seen)
    assert not person.is_published()


def test_a_live_release_shows_its_listed_contacts_and_its_preview_the_same(staff_client):
    client = Client()  # anonymous (staff_client is the default client, logged in)
    new = contact(name="Newly Named")
    hidden = contact(name="Hidden Person", is_public=False)
    live = make_news_item(contacts=[new, hidden])
    content = client.get(live.get_absolute_url()).content.decode()
    assert "Newly Named" in content and "Hidden Person" not in content

    other = contact(name="Embargoed Person")
    scheduled = make_news_item(contacts=[other], go_live_at=GO_LIVE)
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    # The preview shows the contacts the page will show once live.
    preview = staff_client.get(scheduled.get_absolute_url())
    assert preview.status_code == 200 and "Embargoed Person" in preview.content.decode()
    assert client.get(other.get_absolute_url()).status_code == 404


def test_a_new_release_contact_does_not_leak_through_the_release_contact_links(client):
    """The contact card on a live release links to the contact's page, which is public too."""
    person = contact()
    item = make_news_item(contacts=[person])
    content = client.get(item.get_absolute_url()).content.decode()
    assert person.get_absolute_url() in content
    assert client.get(person.get_absolute_url()).status_code == 200


LIST_QUERIES = 3  # COUNT + one page of rows + country counts, the rule a subquery of each


@pytest.mark.parametrize("rows_count", [1, 12])
def test_directory_query_count_is_constant_with_release_contacts(
    client, django_assert_num_queries, rows_count
):
    people = [contact(name=f"Officer {n}") for n in range(rows_count)]
    make_news_item(contacts=people)
    make_news_item(contacts=people)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/contacts/")
    assert len(response.context["object_list"]) == rows_count


def test_admin_change_form_says_whether_the_contact_is_public_now(staff_client):
    person = contact()
    url = f"/admin/contacts/contact/{person.pk}/change/"
    content = staff_client.get(url).content.decode()
    assert "On the public site now" in content and "icon-no.svg" in content
    make_news_item(contacts=[person])
    content = staff_client.get(url).content.decode()
    assert "icon-yes.svg" in content
    # The new field is on the form, with its help text.
    assert 'name="is_spokesperson"' in content and "standing spokesperson" in content.lower()
