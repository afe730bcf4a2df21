"""The trash in the admin (iomcms/admin_trash.py): who may trash, restore and delete for ever,
the bulk action, the Trash page, history and the log, the reserved slug, the page cache and the
``empty_trash`` command."""

import datetime
import io

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from iomcms.publishing import PublicationStatus
from iomcms.trash import RESTORED_REASON, TRASHED_REASON, trash
from news.models import NewsItem, NewsItemContact
from projects.models import Project
from tests.factories import make_contact, make_news_item, make_project
from tests.news.test_admin import item_data
from tests.workflow.test_permissions import EMPTY_INLINE

pytestmark = pytest.mark.django_db

NEWS = "/admin/news/newsitem/"
TRASH = "/admin/trash/"
UTC = datetime.UTC


def delete_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


def restore_url(obj):
    opts = obj._meta
    return reverse("admin:trash_restore", args=[opts.app_label, opts.model_name, obj.pk])


def forever_url(obj):
    opts = obj._meta
    return reverse("admin:trash_delete", args=[opts.app_label, opts.model_name, obj.pk])


def reasons(obj):
    return [record.history_change_reason for record in obj.history.order_by("history_id")]


# -- who may ------------------------------------------------------------------------------------


def test_editors_can_neither_trash_nor_open_the_trash(editor_client):
    item = make_news_item()
    contact = make_contact()
    assert "Trash" not in editor_client.get("/admin/").content.decode()
    for obj in (item, contact):
        assert editor_client.post(delete_url(obj), {"post": "yes"}).status_code == 403
    changelist = editor_client.get(NEWS)
    assert "delete_selected" not in changelist.content.decode()
    response = editor_client.post(
        NEWS, {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"}
    )
    item.refresh_from_db()
    assert item.trashed_at is None
    assert response.status_code == 302  # "No action selected", back to the list
    trash(NewsItem, [item])
    assert editor_client.get(TRASH).status_code == 403
    assert editor_client.post(restore_url(item)).status_code == 403
    assert editor_client.get(forever_url(item)).status_code == 403
    assert editor_client.post(forever_url(item)).status_code == 403
    item.refresh_from_db()
    assert item.trashed_at is not None
    # Its history is now a deleted item's: for those who may bring it back.
    history = reverse("admin:news_newsitem_history", args=[item.pk])
    assert editor_client.get(history).status_code == 403


def test_anonymous_users_are_sent_to_sign_in():
    item = make_news_item()
    trash(NewsItem, [item])
    client = Client()
    for response in (client.get(TRASH), client.post(restore_url(item))):
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    item.refresh_from_db()
    assert item.trashed_at is not None


@pytest.mark.parametrize("who", ["publisher_client", "staff_client"])
def test_publishers_and_superusers_trash_restore_and_delete_for_ever(request, who):
    client = request.getfixturevalue(who)
    assert 'href="/admin/trash/"' in client.get("/admin/").content.decode()
    contact = make_contact(name="Rosa Trashed")
    item = make_news_item(title="Trashed release", contacts=[contact])
    project = make_project(title="Trashed project")
    for obj in (item, project, contact):
        confirmation = client.get(delete_url(obj)).content.decode()
        assert "to the trash" in confirmation
        response = client.post(delete_url(obj), {"post": "yes"}, follow=True)
        assert "was moved to the trash" in response.content.decode()
        obj.refresh_from_db()
        assert obj.trashed_at is not None
        assert obj.trashed_by.get_username() in ("publisher", "admin")
    page = client.get(TRASH).content.decode()
    for text in ("Trashed release", "Trashed project", "Rosa Trashed", "Restore"):
        assert text in page
    assert client.get(restore_url(item)).status_code == 405  # restore is a POST

    client.post(restore_url(item))
    item.refresh_from_db()
    assert item.trashed_at is None and item.trashed_by is None
    assert item.publication_status == PublicationStatus.DRAFT  # back as a draft
    assert list(item.contacts.all()) == [contact]

    assert "for ever" in client.get(forever_url(project)).content.decode()
    client.post(forever_url(project))
    assert not Project.objects.filter(pk=project.pk).exists()
    assert Project.history.filter(id=project.pk, history_type="-").exists()  # history stays

    client.post(forever_url(contact))
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not NewsItemContact.objects.filter(news_item=item).exists()


def test_trash_and_restore_are_in_the_history_and_the_log(publisher_client, publisher):
    item = make_news_item()
    publisher_client.post(delete_url(item), {"post": "yes"})
    publisher_client.post(restore_url(item))
    item.refresh_from_db()
    assert reasons(item)[-2:] == [TRASHED_REASON, RESTORED_REASON]
    *_, trashed, restored = item.history.order_by("history_id")
    assert trashed.history_user == publisher and restored.history_user == publisher
    assert trashed.publication_status == PublicationStatus.DRAFT
    messages = list(
        LogEntry.objects.filter(object_id=str(item.pk), action_flag=CHANGE)
        .order_by("pk")
        .values_list("change_message", flat=True)
    )
    assert messages == ["Moved to the trash.", "Restored from the trash."]


def test_the_admin_lists_leave_trashed_items_out(staff_client):
    kept = make_news_item(title="Still here")
    gone = make_news_item(title="In the bin")
    trash(NewsItem, [gone])
    page = staff_client.get(NEWS).content.decode()
    assert "Still here" in page and "In the bin" not in page
    change = staff_client.get(reverse("admin:news_newsitem_change", args=[gone.pk]))
    assert change.status_code == 302  # "doesn't exist. Perhaps it was deleted?"
    kept_change = reverse("admin:news_newsitem_change", args=[kept.pk])
    assert staff_client.get(kept_change).status_code == 200
    contact = make_contact(name="Binned Person")
    trash(Contact, [contact])
    found = staff_client.get(
        "/admin/autocomplete/",
        {"term": "Binned", "app_label": "news", "model_name": "newsitemcontact",
         "field_name": "contact"},
    )  # fmt: skip
    assert found.status_code == 200
    assert found.json()["results"] == []


def test_an_old_version_of_a_trashed_item_is_not_written_back(staff_client):
    item = make_news_item(title="Old version")
    version = item.history.earliest("history_id")
    trash(NewsItem, [item])
    url = reverse("admin:news_newsitem_simple_history", args=[item.pk, version.history_id])
    response = staff_client.post(url, {**item_data(), **EMPTY_INLINE})
    assert response.status_code == 302 and response["Location"] == TRASH
    item.refresh_from_db()
    assert item.trashed_at is not None


# -- the bulk action ------------------------------------------------------------------------------


def test_the_bulk_action_confirms_then_moves_to_the_trash(publisher_client):
    items = [make_news_item(title=f"Bulk {n}") for n in range(3)]
    selected = [item.pk for item in items[:2]]
    confirmation = publisher_client.post(
        NEWS, {"action": "delete_selected", "_selected_action": selected}
    )
    assert confirmation.status_code == 200
    text = confirmation.content.decode()
    assert "Move 2 selected items to the trash?" in text
    assert NewsItem.objects.in_trash().count() == 0
    response = publisher_client.post(
        NEWS, {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
        follow=True,
    )  # fmt: skip
    assert "2 items moved to the trash" in response.content.decode()
    assert set(NewsItem.objects.in_trash().values_list("pk", flat=True)) == set(selected)
    assert reasons(NewsItem.objects.get(pk=selected[0]))[-1] == TRASHED_REASON
    assert not NewsItem.objects.published().filter(pk__in=selected).exists()


# -- the Trash page -----------------------------------------------------------------------------


def test_the_trash_page_shows_who_when_and_until_when(
    publisher_client, publisher, django_assert_num_queries, settings
):
    settings.IOMCMS_TRASH_DAYS = 10
    when = datetime.datetime(2030, 1, 5, 9, 0, tzinfo=UTC)
    items = [make_news_item(title=f"Binned {n}") for n in range(5)]
    projects = [make_project() for _ in range(3)]
    with time_machine.travel(when, tick=False):
        trash(NewsItem, items, publisher)
        trash(Project, projects, publisher)
    publisher_client.get(TRASH)
    # Session, user, the user's permissions (two), then one query per model, whatever its
    # length (who trashed each item comes in the same query).
    with django_assert_num_queries(7):
        response = publisher_client.get(TRASH)
    page = response.content.decode()
    assert page.count('value="Restore"') == 8
    assert "publisher" in page
    assert 'datetime="2030-01-05T09:00:00+00:00"' in page
    [news] = [s for s in response.context["sections"] if s["opts"].model is NewsItem]
    assert news["rows"][0].trash_expires_at() == when + datetime.timedelta(days=10)


def test_a_gone_item_is_a_message_not_an_error(publisher_client):
    item = make_news_item()
    response = publisher_client.post(restore_url(item), follow=True)  # not in the trash
    assert "no longer in the trash" in response.content.decode()
    bad = reverse("admin:trash_restore", args=["news", "newsitem", "abc"])
    assert publisher_client.post(bad).status_code == 302
    unknown = reverse("admin:trash_restore", args=["auth", "user", "1"])
    assert publisher_client.post(unknown).status_code == 404


# -- uniqueness ---------------------------------------------------------------------------------


def test_a_slug_in_the_trash_stays_reserved_and_the_form_says_so(staff_client):
    item = make_news_item(title="Reserved", slug="reserved-slug")
    trash(NewsItem, [item])
    response = staff_client.post(f"{NEWS}add/", {**item_data(slug="reserved-slug"), **EMPTY_INLINE})
    assert response.status_code == 200
    assert "in the trash has this slug" in response.content.decode()


def test_the_database_refuses_a_published_row_in_the_trash():
    item = make_news_item()
    trash(NewsItem, [item])
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsItem.objects.filter(pk=item.pk).update(publication_status=PublicationStatus.PUBLISHED)


# -- page cache ------------------------------------------------------------------------------------


def test_trash_and_restore_show_at_once_through_the_page_cache(
    staff_client, settings, django_capture_on_commit_callbacks
):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    with django_capture_on_commit_callbacks(execute=True):  # committed, as the writes below
        contact = make_contact(name="Cached Spokesperson")
        item = make_news_item(title="Cached release", contacts=[contact])
    client = Client()
    assert "Cached Spokesperson" in client.get(item.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(delete_url(contact), {"post": "yes"})
    assert "Cached Spokesperson" not in client.get(item.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(restore_url(contact))
    assert "Cached Spokesperson" in client.get(item.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(delete_url(item), {"post": "yes"})
    assert client.get(item.get_absolute_url()).status_code == 404


# -- the command ----------------------------------------------------------------------------------


def test_empty_trash_deletes_what_has_been_there_longer_than_the_setting(settings):
    settings.IOMCMS_TRASH_DAYS = 30
    start = datetime.datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
    contact = make_contact()
    old = make_news_item(contacts=[contact])
    recent = make_news_item()
    project = make_project()
    with time_machine.travel(start, tick=False):
        trash(NewsItem, [old])
        trash(Contact, [contact])
        trash(Project, [project])
    with time_machine.travel(start + datetime.timedelta(days=10), tick=False):
        trash(NewsItem, [recent])

    out = io.StringIO()
    with time_machine.travel(start + datetime.timedelta(days=29), tick=False):
        call_command("empty_trash", stdout=out)
    assert "Deleted 0 items" in out.getvalue()
    assert NewsItem.objects.in_trash().count() == 2

    out = io.StringIO()
    with time_machine.travel(start + datetime.timedelta(days=31), tick=False):
        call_command("empty_trash", "--dry-run", stdout=out)
        assert "Would delete 3 items" in out.getvalue()
        assert NewsItem.objects.in_trash().count() == 2
        out = io.StringIO()
        call_command("empty_trash", "--verbosity=2", stdout=out)
    assert "Deleted 3 items trashed more than 30 days ago" in out.getvalue()
    assert "news items: 1" in out.getvalue()
    assert list(NewsItem.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Project.objects.exists() and not Contact.objects.exists()
    assert NewsItem.history.filter(id=old.pk, history_type="-").exists()


def test_empty_trash_leaves_items_outside_the_trash_alone():
    item = make_news_item(created=timezone.now() - datetime.timedelta(days=400))
    call_command("empty_trash", stdout=io.StringIO())
    assert NewsItem.objects.filter(pk=item.pk).exists()
    assert LogEntry.objects.filter(action_flag=DELETION).count() == 0


def test_the_translations_box_says_a_version_is_in_the_trash(staff_client):
    english = make_news_item(title="Shelter opens")
    french = english.draft_translation("fr", "test")
    trash(NewsItem, [french])
    page = staff_client.get(reverse("admin:news_newsitem_change", args=[english.pk]))
    text = page.content.decode()
    assert "In the trash" in text
    assert 'href="/admin/trash/"' in text
    assert f"/admin/news/newsitem/{french.pk}/change/" not in text


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", ["Corbeille", "Restaurer", "Supprimer définitivement", "La corbeille est vide."]),
     ("es", ["Papelera", "Restaurar", "Eliminar definitivamente", "La papelera está vacía."])],
)  # fmt: skip
def test_the_trash_page_in_french_and_spanish(publisher_client, language, words):
    trash(NewsItem, [make_news_item()])
    page = publisher_client.get(TRASH, headers={"accept-language": language})
    text = page.content.decode()
    for word in words:
        assert word in text


def test_restore_and_delete_for_ever_need_the_csrf_token(publisher):
    item = make_news_item()
    trash(NewsItem, [item])
    client = Client(enforce_csrf_checks=True)
    client.force_login(publisher)
    assert client.post(restore_url(item)).status_code == 403
    assert client.post(forever_url(item)).status_code == 403
    item.refresh_from_db()
    assert item.trashed_at is not None


def test_the_history_of_a_trashed_item_opens_for_a_publisher(publisher_client):
    item = make_news_item(title="History in the bin")
    trash(NewsItem, [item])
    response = publisher_client.get(reverse("admin:news_newsitem_history", args=[item.pk]))
    assert response.status_code == 200
    assert TRASHED_REASON in response.content.decode()
