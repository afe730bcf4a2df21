"""Publishing rights: only Publishers publish, unpublish or schedule, by any path."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from iomcms.models import PendingRevision
from iomcms.publishing import PublicationStatus, WorkflowState
from iomcms.roles import role_permissions
from news.models import NewsItem
from projects.models import Project
from tests.factories import inline_management, make_news_item, make_project
from tests.news.test_admin import item_data
from tests.projects.test_admin import project_data

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED
NEWS = "/admin/news/newsitem/"
PROJECTS = "/admin/projects/project/"
EMPTY_INLINE = {**inline_management("contact_links"), **inline_management("project_links")}
SOON = "2030-01-02 09:30:00"


def news_form(item=None, **overrides):
    data = {**item_data(**overrides), **EMPTY_INLINE}
    if item is not None:
        data["slug"] = item.slug
    return data


def group_codenames(name):
    return {
        (p.content_type.app_label, p.codename)
        for p in Group.objects.get(name=name).permissions.select_related("content_type")
    }


# -- roles --------------------------------------------------------------------------------


def test_roles_exist_with_exactly_their_permissions():
    wanted = role_permissions()
    assert group_codenames("Editors") == wanted["Editors"]
    assert group_codenames("Publishers") == wanted["Publishers"]
    assert ("news", "publish_newsitem") in wanted["Publishers"]
    assert ("projects", "publish_project") in wanted["Publishers"]
    assert not {codename for _, codename in wanted["Editors"]} & {
        "publish_newsitem",
        "publish_project",
        "delete_newsitem",
        "delete_project",
    }


def test_migrate_brings_the_roles_back_in_sync():
    editors = Group.objects.get(name="Editors")
    publishers = Group.objects.get(name="Publishers")
    publish = publishers.permissions.get(codename="publish_newsitem")
    editors.permissions.add(publish)  # granted by hand
    publishers.permissions.remove(publish)
    call_command("migrate", verbosity=0)
    assert ("news", "publish_newsitem") not in group_codenames("Editors")
    assert ("news", "publish_newsitem") in group_codenames("Publishers")


def test_roles_are_recreated_if_deleted():
    Group.objects.filter(name="Publishers").delete()
    call_command("migrate", verbosity=0)
    assert group_codenames("Publishers") == role_permissions()["Publishers"]


# -- the change and add forms ----------------------------------------------------------------


def test_editor_sees_publication_fields_read_only(editor_client, publisher_client):
    item = make_news_item(publication_status=DRAFT)
    form = editor_client.get(f"{NEWS}{item.pk}/change/").context["adminform"].form
    assert not {"publication_status", "go_live_at", "expire_at"} & set(form.fields)
    form = publisher_client.get(f"{NEWS}{item.pk}/change/").context["adminform"].form
    assert {"publication_status", "go_live_at", "expire_at"} <= set(form.fields)


def test_editor_cannot_publish_with_a_crafted_change_form_post(editor_client):
    item = make_news_item(publication_status=DRAFT, title="Draft")
    data = news_form(item, title="Edited by an editor", publication_status="published")
    data.update({"go_live_at_0": "2020-01-01", "go_live_at_1": "00:00:00"})
    response = editor_client.post(f"{NEWS}{item.pk}/change/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Edited by an editor"  # the edit itself is kept
    assert item.publication_status == DRAFT
    assert item.go_live_at is None
    assert not NewsItem.objects.published().filter(pk=item.pk).exists()


def test_editor_cannot_unpublish_or_expire_a_live_item(editor_client, client):
    item = make_news_item(publication_status=PUBLISHED)
    data = news_form(item, title="Corrected title", publication_status="draft")
    data.update({"expire_at_0": "2000-01-01", "expire_at_1": "00:00:00"})
    response = editor_client.post(f"{NEWS}{item.pk}/change/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.publication_status, item.expire_at) == (PUBLISHED, None)
    # The edit itself waits for a Publisher (iomcms/review.py), without the publication fields.
    revision = PendingRevision.objects.of(item).get()
    assert revision.data["title"] == ["Corrected title"]
    assert not {"publication_status", "expire_at_0", "expire_at_1"} & set(revision.data)
    assert client.get(item.get_absolute_url()).status_code == 200


def test_editor_creates_drafts_whatever_the_post_says(editor_client):
    data = news_form(publication_status="published")
    data.update({"go_live_at_0": "2020-01-01", "go_live_at_1": "00:00:00"})
    response = editor_client.post(f"{NEWS}add/", data)
    assert response.status_code == 302
    item = NewsItem.objects.get(slug="saved-from-the-admin")
    assert (item.publication_status, item.go_live_at) == (DRAFT, None)


def test_editor_cannot_publish_a_project_with_the_form(editor_client):
    response = editor_client.post(f"{PROJECTS}add/", project_data(publication_status="published"))
    assert response.status_code == 302
    assert Project.objects.get(project_code="AD.0001").publication_status == DRAFT


def test_publisher_publishes_and_schedules_with_the_form(publisher_client):
    item = make_news_item(publication_status=DRAFT)
    data = news_form(item, publication_status="published")
    data.update({"go_live_at_0": "2030-01-02", "go_live_at_1": "09:30:00"})
    response = publisher_client.post(f"{NEWS}{item.pk}/change/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.publication_status == PUBLISHED
    assert item.go_live_at == datetime.datetime(2030, 1, 2, 9, 30, tzinfo=datetime.UTC)
    assert item.state() == WorkflowState.SCHEDULED

    response = publisher_client.post(f"{PROJECTS}add/", project_data())
    assert response.status_code == 302
    assert Project.objects.get(project_code="AD.0001").publication_status == PUBLISHED


def test_expiry_before_go_live_is_refused_with_a_message(publisher_client):
    item = make_news_item(publication_status=DRAFT)
    data = news_form(item, publication_status="published")
    data.update({"go_live_at_0": "2030-01-02", "go_live_at_1": "09:30:00"})
    data.update({"expire_at_0": "2030-01-01", "expire_at_1": "09:30:00"})
    response = publisher_client.post(f"{NEWS}{item.pk}/change/", data)
    assert response.status_code == 200
    assert "The expiry time must be after the go-live time." in response.content.decode()
    item.refresh_from_db()
    assert item.publication_status == DRAFT


# -- bulk actions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changelist", "factory"), [(NEWS, make_news_item), (PROJECTS, make_project)]
)
def test_editor_has_no_publish_actions_and_a_crafted_action_post_does_nothing(
    editor_client, changelist, factory
):
    drafts = [factory(publication_status=DRAFT) for _ in range(2)]
    live = factory(publication_status=PUBLISHED)
    page = editor_client.get(changelist)
    assert page.status_code == 200
    # Editors' only bulk actions make translation drafts: no publish, no delete.
    offered = {value for value, _label in page.context["action_form"].fields["action"].choices}
    assert offered == {"", "translate_into_en", "translate_into_fr", "translate_into_es"}
    assert 'value="publish"' not in page.content.decode()

    for action, objs in (("publish", drafts), ("unpublish", [live])):
        editor_client.post(changelist, {"action": action, "_selected_action": [o.pk for o in objs]})
    for obj in drafts:
        obj.refresh_from_db()
        assert obj.publication_status == DRAFT
    live.refresh_from_db()
    assert live.publication_status == PUBLISHED


def test_publisher_bulk_publish_makes_live_schedules_and_revives(publisher_client):
    now = timezone.now()
    draft = make_news_item(publication_status=DRAFT)
    embargoed = make_news_item(
        publication_status=DRAFT, go_live_at=now + datetime.timedelta(days=1)
    )
    expired = make_news_item(
        publication_status=PUBLISHED, expire_at=now - datetime.timedelta(hours=1)
    )
    response = publisher_client.post(
        NEWS, {"action": "publish", "_selected_action": [draft.pk, embargoed.pk, expired.pk]}
    )
    assert response.status_code == 302
    for obj in (draft, embargoed, expired):
        obj.refresh_from_db()
    assert draft.state() == WorkflowState.LIVE
    assert embargoed.state() == WorkflowState.SCHEDULED
    assert expired.state() == WorkflowState.LIVE and expired.expire_at is None
    message = str(next(iter(publisher_client.get("/admin/").context["messages"])))
    assert message == (
        "2 items are live now; 1 item is scheduled and goes live at its go-live time."
    )


def test_bulk_publish_dates_an_undated_new_release(publisher_client):
    item = make_news_item(publication_status=DRAFT, published_on=None, legacy_key="")
    assert item.published_on is None  # drafts stay undated
    publisher_client.post(NEWS, {"action": "publish", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.published_on == timezone.localdate()


def test_bulk_actions_record_history_with_the_user(publisher_client, publisher):
    item = make_news_item(publication_status=DRAFT)
    publisher_client.post(NEWS, {"action": "publish", "_selected_action": [item.pk]})
    latest = item.history.latest()
    assert latest.publication_status == PUBLISHED
    assert latest.history_user == publisher
    assert latest.history_change_reason == "Published from the list"


def test_publishing_what_is_already_published_changes_nothing_and_says_so(publisher_client):
    live = make_news_item()
    scheduled = make_news_item(go_live_at=timezone.now() + datetime.timedelta(days=1))
    versions = live.history.count() + scheduled.history.count()
    publisher_client.post(NEWS, {"action": "publish", "_selected_action": [live.pk, scheduled.pk]})
    message = str(next(iter(publisher_client.get("/admin/").context["messages"])))
    assert message == "2 items were already published."
    assert live.history.count() + scheduled.history.count() == versions  # nothing written
    scheduled.refresh_from_db()
    assert scheduled.state() == WorkflowState.SCHEDULED
