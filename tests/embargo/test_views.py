"""The page behind an embargo link (embargo/views.py): what each address answers, to whom,
with which headers, and that nothing else unpublished shows through it."""

import datetime

import pytest
from django.core import signing
from django.utils import timezone

from embargo import tokens
from embargo.models import USER_AGENT_LENGTH, EmbargoOpening
from iomcms.publishing import PublicationStatus
from tests.factories import make_contact, make_embargo_link, make_news_item, make_project

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def address(link, prefix=""):
    return f"{prefix}/embargo/{tokens.make_token(link)}/"


def is_private_and_unstored(response):
    cache_control = response.headers.get("Cache-Control", "")
    return all(word in cache_control for word in ("private", "no-store", "no-cache", "max-age=0"))


@pytest.fixture
def scheduled():
    return make_news_item(
        title="Record numbers cross the Darién",
        body="<p>Embargoed body text.</p>",
        go_live_at=timezone.now() + datetime.timedelta(days=2),
    )


@pytest.fixture
def draft():
    return make_news_item(
        title="A draft release", body="<p>Draft body.</p>", publication_status=DRAFT
    )


# -- a valid link -------------------------------------------------------------------------------


def test_a_link_shows_the_scheduled_item_with_the_embargo_banner(client, scheduled):
    link = make_embargo_link(scheduled)
    response = client.get(address(link), headers={"user-agent": "Mozilla/5.0 " + "x" * 500})
    assert response.status_code == 200
    page = response.text
    assert "Record numbers cross the Darién" in page and "Embargoed body text." in page
    assert 'data-testid="embargo-banner"' in page
    assert "Embargoed until" in page
    assert "Reuters Geneva desk" in page
    assert "Preview – not public." not in page  # the staff banner is not the journalists'
    # The go-live moment in UTC as well, machine-readable.
    utc = scheduled.go_live_at.astimezone(datetime.UTC)
    assert f'<time datetime="{utc:%Y-%m-%dT%H:%M:%SZ}">' in page
    assert "UTC." not in page  # the site's zone is UTC: said once
    opening = EmbargoOpening.objects.get()
    assert opening.link == link
    assert opening.user_agent.startswith("Mozilla/5.0 ")
    assert len(opening.user_agent) == USER_AGENT_LENGTH


def test_the_banner_gives_the_sites_zone_and_utc(client, settings):
    settings.TIME_ZONE = "Europe/Zurich"
    go_live = datetime.datetime(2031, 1, 15, 13, 0, tzinfo=datetime.UTC)
    item = make_news_item(go_live_at=go_live)
    page = client.get(address(make_embargo_link(item))).text
    assert "Embargoed until Jan. 15, 2031, 2 p.m. (CET)." in page
    assert "That is Jan. 15, 2031, 1 p.m. UTC." in page
    page = client.get(address(make_embargo_link(item), prefix="/fr")).text
    assert "Sous embargo jusqu’au 15 janvier 2031 14:00 (CET)." in page


def test_a_draft_without_a_go_live_time_says_it_is_not_for_publication(client, draft):
    page = client.get(address(make_embargo_link(draft))).text
    assert "A draft release" in page
    assert "not for publication until the press office releases it" in page


def test_a_link_to_a_draft_project(client):
    project = make_project(title="Border posts for the Andes", publication_status=DRAFT)
    response = client.get(address(make_embargo_link(project)))
    assert response.status_code == 200
    assert "Border posts for the Andes" in response.text
    assert 'data-testid="embargo-banner"' in response.text


def test_the_page_is_private_unindexed_and_sends_no_referrer(client, scheduled):
    response = client.get(address(make_embargo_link(scheduled)))
    assert is_private_and_unstored(response)
    assert "public" not in response.headers["Cache-Control"]
    assert "s-maxage" not in response.headers["Cache-Control"]
    assert "ETag" not in response.headers
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert not response.cookies  # no session: the journalist stays a visitor


def test_the_page_is_never_served_from_the_page_cache(client, scheduled, settings):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    link = make_embargo_link(scheduled)
    for _ in range(2):
        response = client.get(address(link))
        assert response.status_code == 200
        assert is_private_and_unstored(response)
    assert link.openings.count() == 2  # the second was rendered (and recorded) too
    link.revoked_at = timezone.now()
    link.save()
    assert client.get(address(link)).status_code == 410


def test_the_french_address_answers_in_french(client, scheduled):
    response = client.get(address(make_embargo_link(scheduled), prefix="/fr"))
    assert response.status_code == 200
    assert "Sous embargo jusqu’au" in response.text


def test_head_shows_nothing_and_records_nothing(client, scheduled):
    link = make_embargo_link(scheduled)
    assert client.head(address(link)).status_code == 200
    assert not link.openings.exists()


def test_other_methods_are_refused(client, scheduled):
    assert client.post(address(make_embargo_link(scheduled))).status_code == 405


def test_the_page_costs_a_fixed_number_of_queries(client, scheduled, django_assert_num_queries):
    link = make_embargo_link(scheduled)
    # The link, the item, its contacts, its public projects, related news, the opening (an
    # item without translations needs no query for them).
    with django_assert_num_queries(6):
        assert client.get(address(link)).status_code == 200


# -- nothing else shows through ----------------------------------------------------------------


def test_the_page_shows_no_other_unpublished_item_or_contact(client, scheduled):
    own = make_contact(name="Own Spokesperson Contact", is_spokesperson=False)
    hidden = make_contact(name="Contact Of Another Draft", is_spokesperson=False)
    from news.models import NewsItemContact

    NewsItemContact.objects.create(news_item=scheduled, contact=own)
    other_draft = make_news_item(title="Another secret draft", publication_status=DRAFT)
    NewsItemContact.objects.create(news_item=other_draft, contact=hidden)
    other_scheduled = make_news_item(
        title="Another scheduled release", go_live_at=timezone.now() + datetime.timedelta(days=1)
    )
    live = make_news_item(title="A live neighbour")  # same language and country: related
    page = client.get(address(make_embargo_link(scheduled))).text
    assert "A live neighbour" in page
    assert "Own Spokesperson Contact" in page  # the release's own contact, as on its page
    assert other_draft.title not in page
    assert other_scheduled.title not in page
    assert "Contact Of Another Draft" not in page
    assert live.get_absolute_url() in page


def test_the_items_public_address_is_still_not_found(client, scheduled, draft):
    client.get(address(make_embargo_link(scheduled)))
    client.get(address(make_embargo_link(draft)))
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


# -- addresses not signed here ------------------------------------------------------------------


def forged_addresses(link):
    token = tokens.make_token(link)
    payload, signature = token.rsplit(":", 1)
    other_id = signing.b64_encode(str(link.pk + 1).encode()).decode()
    return {
        "changed id": f"{other_id}:{signature}",
        "truncated signature": f"{payload}:{signature[:-4]}",
        "no signature": payload,
        "other salt": signing.Signer(salt="iomcms.other").sign_object(link.pk),
        "other key": signing.Signer(key="not-the-key", salt=tokens.SALT).sign_object(link.pk),
        "a string signed here": signing.Signer(salt=tokens.SALT).sign_object("1"),
        "garbage": "not-a-token",
    }


@pytest.mark.parametrize(
    "kind",
    [
        "changed id",
        "truncated signature",
        "no signature",
        "other salt",
        "other key",
        "a string signed here",
        "garbage",
    ],
)
def test_a_forged_address_is_not_found_and_reveals_nothing(client, scheduled, kind):
    link = make_embargo_link(scheduled)
    make_embargo_link(scheduled)  # the "changed id" points at a real link
    response = client.get(f"/embargo/{forged_addresses(link)[kind]}/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert scheduled.title not in response.text
    assert is_private_and_unstored(response)
    assert not EmbargoOpening.objects.exists()


def test_a_forged_address_costs_no_query_of_its_own(client, django_assert_num_queries):
    # Only the old-address lookup every 404 gets (legacy/redirects.py).
    with django_assert_num_queries(1):
        assert client.get("/embargo/MQ:forged/").status_code == 404


# -- expired, withdrawn, deleted, live -----------------------------------------------------------


def test_an_expired_link_says_so_and_shows_nothing(client, scheduled):
    link = make_embargo_link(scheduled, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(address(link))
    assert response.status_code == 410
    assert "This embargo link has expired" in response.text
    assert "contact the press office" in response.text
    assert scheduled.title not in response.text and "Embargoed body text." not in response.text
    assert is_private_and_unstored(response)


def test_a_link_expires_on_the_second(client, scheduled, time_machine):
    expires = timezone.now() + datetime.timedelta(hours=1)
    link = make_embargo_link(scheduled, expires_at=expires)
    time_machine.move_to(expires - datetime.timedelta(seconds=1))
    assert client.get(address(link)).status_code == 200
    time_machine.move_to(expires)
    assert client.get(address(link)).status_code == 410


def test_a_withdrawn_link_says_so_and_shows_nothing(client, scheduled):
    link = make_embargo_link(scheduled, revoked_at=timezone.now())
    response = client.get(address(link))
    assert response.status_code == 410
    assert "This embargo link was withdrawn" in response.text
    assert scheduled.title not in response.text
    assert is_private_and_unstored(response)
    assert not link.openings.exists()


def test_the_gone_page_is_translated(client, scheduled):
    link = make_embargo_link(scheduled, revoked_at=timezone.now())
    response = client.get(address(link, prefix="/es"))
    assert response.status_code == 410
    assert "Este enlace bajo embargo fue retirado" in response.text


def test_a_link_to_a_deleted_item_is_withdrawn(client, scheduled):
    link = make_embargo_link(scheduled)
    url = address(link)
    scheduled.delete()
    response = client.get(url)
    assert response.status_code == 410
    assert "was withdrawn" in response.text


def test_a_link_to_an_item_in_the_trash_is_withdrawn(client, scheduled):
    from iomcms import trash

    link = make_embargo_link(scheduled)
    trash.trash(type(scheduled), [scheduled])
    response = client.get(address(link))
    assert response.status_code == 410
    assert "was withdrawn" in response.text
    assert scheduled.title not in response.text
    assert not link.openings.exists()


def test_once_live_the_link_leads_to_the_public_page(client, scheduled, time_machine):
    link = make_embargo_link(scheduled)
    time_machine.move_to(scheduled.go_live_at + datetime.timedelta(seconds=1))
    response = client.get(address(link))
    assert response.status_code == 302
    assert response.headers["Location"] == scheduled.get_absolute_url()
    assert is_private_and_unstored(response)
    assert link.openings.count() == 1
    assert client.get(response.headers["Location"]).status_code == 200


def test_once_live_even_an_expired_link_leads_to_the_public_page(client, scheduled, time_machine):
    link = make_embargo_link(scheduled, expires_at=scheduled.go_live_at)
    time_machine.move_to(scheduled.go_live_at)
    assert client.get(address(link)).status_code == 302


def test_a_withdrawn_link_stays_withdrawn_after_go_live(client, scheduled, time_machine):
    link = make_embargo_link(scheduled, revoked_at=timezone.now())
    time_machine.move_to(scheduled.go_live_at + datetime.timedelta(seconds=1))
    assert client.get(address(link)).status_code == 410


def test_an_item_taken_off_the_site_is_withdrawn(client):
    expired = make_news_item(expire_at=timezone.now() - datetime.timedelta(days=1))
    response = client.get(address(make_embargo_link(expired)))
    assert response.status_code == 410
    assert expired.title not in response.text


def test_a_signed_in_editor_reads_the_same_page(editor_client, scheduled):
    """Staff opening a link see the journalists' page (not the preview), never cached."""
    response = editor_client.get(address(make_embargo_link(scheduled)))
    assert response.status_code == 200
    assert 'data-testid="embargo-banner"' in response.text
    assert is_private_and_unstored(response)


@pytest.mark.parametrize(
    ("path", "skipped"),
    [
        ("/embargo/MQ:x/", True),
        ("/fr/embargo/MQ:x/", True),
        ("/es/embargo/MQ:x/", True),
        ("/news/", False),
        ("/fr/news/embargo/", False),
        ("/news/embargo-on-aid/", False),
    ],
)
def test_the_page_cache_skips_embargo_paths_in_every_language(rf, path, skipped):
    from iomcms.pagecache import is_skipped

    assert is_skipped(rf.get(path)) is skipped
