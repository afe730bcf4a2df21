"""Embargo links in the admin: who may create and withdraw them (iomcms.permissions
.can_share_embargo), the change form's panel, and the defaults."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from embargo import tokens
from embargo.models import EmbargoLink, EmbargoOpening
from iomcms.publishing import PublicationStatus
from iomcms.roles import EDITORS, PUBLISHERS
from tests.factories import make_embargo_link, make_news_item, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled():
    return make_news_item(go_live_at=timezone.now() + datetime.timedelta(days=2))


@pytest.fixture
def draft():
    return make_news_item(publication_status=PublicationStatus.DRAFT)


def change_url(item):
    return f"/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/change/"


def create_url(item):
    return f"/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/embargo-links/"


def withdraw_url(item, link):
    return f"{create_url(item)}{link.pk}/withdraw/"


# -- roles -------------------------------------------------------------------------------------


def test_publishers_share_and_editors_only_see():
    def codenames(name):
        return set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="embargo")
            .values_list("codename", flat=True)
        )

    assert codenames(PUBLISHERS) == {"share_embargolink", "view_embargolink"}
    assert codenames(EDITORS) == {"view_embargolink"}


# -- creating ------------------------------------------------------------------------------------


def test_a_publisher_creates_a_link_valid_until_go_live(publisher_client, publisher, scheduled):
    response = publisher_client.post(
        create_url(scheduled), {"recipients": "Reuters Geneva desk"}, follow=True
    )
    assert response.status_code == 200
    link = EmbargoLink.objects.get()
    assert link.news_item == scheduled and link.project is None
    assert link.recipients == "Reuters Geneva desk"
    assert link.created_by == publisher
    assert link.expires_at == scheduled.go_live_at
    address = f"http://testserver/embargo/{tokens.make_token(link)}/"
    assert any(address in str(m) for m in response.context["messages"])
    # The panel lists it with its address, and the address works.
    assert f'value="{address}"' in response.text
    assert publisher_client.get(address).status_code == 200


def test_a_drafts_link_lasts_the_configured_days(publisher_client, draft, settings):
    settings.IOMCMS_EMBARGO_LINK_DAYS = 3
    before = timezone.now()
    publisher_client.post(create_url(draft), {"recipients": "AFP"})
    link = EmbargoLink.objects.get()
    assert before + datetime.timedelta(days=3) <= link.expires_at
    assert link.expires_at <= timezone.now() + datetime.timedelta(days=3)


def test_a_chosen_expiry_is_kept(publisher_client, draft):
    publisher_client.post(
        create_url(draft), {"recipients": "AFP", "expires_at": "2031-05-01T09:30"}
    )
    assert EmbargoLink.objects.get().expires_at == datetime.datetime(
        2031, 5, 1, 9, 30, tzinfo=datetime.UTC
    )


def test_a_past_expiry_is_refused(publisher_client, draft):
    response = publisher_client.post(
        create_url(draft), {"recipients": "AFP", "expires_at": "2020-05-01T09:30"}, follow=True
    )
    assert not EmbargoLink.objects.exists()
    assert "Choose a moment in the future." in response.text


def test_no_link_to_a_live_item(publisher_client):
    live = make_news_item()
    response = publisher_client.post(create_url(live), {"recipients": "AFP"}, follow=True)
    assert not EmbargoLink.objects.exists()
    assert "Embargo links are for drafts and scheduled items" in response.text
    assert 'data-testid="embargo-create"' not in response.text


def test_a_link_needs_recipients(publisher_client, draft):
    publisher_client.post(create_url(draft), {"recipients": ""})
    assert not EmbargoLink.objects.exists()


def test_a_superuser_creates_a_link_to_a_project(staff_client):
    project = make_project(publication_status=PublicationStatus.DRAFT)
    staff_client.post(create_url(project), {"recipients": "EFE Madrid"})
    link = EmbargoLink.objects.get()
    assert link.project == project and link.news_item is None
    page = staff_client.get(change_url(project)).text
    assert 'data-testid="embargo-links"' in page and "EFE Madrid" in page
    assert f"/embargo/{tokens.make_token(link)}/" in page


def test_the_create_address_takes_only_post(publisher_client, draft):
    assert publisher_client.get(create_url(draft)).status_code == 405


# -- who may not ---------------------------------------------------------------------------------


def test_an_editor_cannot_create_or_withdraw(editor_client, draft):
    assert editor_client.post(create_url(draft), {"recipients": "AFP"}).status_code == 403
    link = make_embargo_link(draft)
    assert editor_client.post(withdraw_url(draft, link)).status_code == 403
    assert not EmbargoLink.objects.exclude(pk=link.pk).exists()
    link.refresh_from_db()
    assert link.revoked_at is None


def test_an_editor_sees_the_links_but_not_their_addresses(editor_client, draft):
    link = make_embargo_link(draft, recipients="Le Temps")
    EmbargoOpening.objects.create(link=link)
    page = editor_client.get(change_url(draft)).text
    assert 'data-testid="embargo-links"' in page
    assert "Le Temps" in page
    assert tokens.make_token(link) not in page
    assert 'data-testid="embargo-create"' not in page
    assert 'data-testid="embargo-withdraw"' not in page


def test_anonymous_is_sent_to_sign_in(client, draft):
    response = client.post(create_url(draft), {"recipients": "AFP"})
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]
    assert not EmbargoLink.objects.exists()


def test_staff_without_the_view_permission_see_no_panel(client, django_user_model, draft):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_newsitem"))
    client.force_login(user)
    make_embargo_link(draft, recipients="Le Temps")
    page = client.get(change_url(draft)).text
    assert "Le Temps" not in page and 'data-testid="embargo-links"' not in page
    assert client.post(create_url(draft), {"recipients": "AFP"}).status_code == 403


# -- withdrawing ---------------------------------------------------------------------------------


def test_a_publisher_withdraws_a_link(publisher_client, publisher, client, draft):
    link = make_embargo_link(draft)
    response = publisher_client.post(withdraw_url(draft, link), follow=True)
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == publisher
    assert "was withdrawn" in response.text
    assert client.get(f"/embargo/{tokens.make_token(link)}/").status_code == 410


def test_a_link_of_another_item_cannot_be_withdrawn_here(publisher_client, draft, scheduled):
    other = make_embargo_link(scheduled)
    assert publisher_client.post(withdraw_url(draft, other)).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


# -- the panel -----------------------------------------------------------------------------------


def test_the_panel_counts_openings_and_lists_the_latest(publisher_client, draft):
    link = make_embargo_link(draft, recipients="Reuters Geneva desk")
    for _ in range(3):
        EmbargoOpening.objects.create(link=link, user_agent="Slackbot-LinkExpanding 1.0")
    page = publisher_client.get(change_url(draft)).text
    row = re.search(r'data-testid="embargo-link-row">(.*?)</tr>', page, re.S).group(1)
    assert "<td>3<br>" in row
    assert "Slackbot-LinkExpanding 1.0" in page
    assert "Latest 3 openings" in page


def test_the_panel_costs_the_same_for_one_link_as_for_three(publisher_client, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert publisher_client.get(change_url(draft)).status_code == 200
        return len(queries)

    first = make_embargo_link(draft)
    EmbargoOpening.objects.create(link=first)
    one = cost()
    for _ in range(2):
        EmbargoOpening.objects.create(link=make_embargo_link(draft))
    assert cost() == one


def test_the_panel_is_in_french(publisher_client, draft):
    page = publisher_client.get(change_url(draft), headers={"accept-language": "fr"}).text
    assert "Liens sous embargo" in page
