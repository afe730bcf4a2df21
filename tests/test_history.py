"""Revision history: recording, the History page, comparing and restoring versions, imports."""

import datetime
import re

import pytest
from django.contrib import messages
from django.db import connection
from django.forms import MultiWidget
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from contacts.models import Contact
from iomcms import history
from iomcms.publishing import PublicationStatus
from legacy import loader
from legacy.sources import iter_sources
from news.models import NewsItem, NewsItemContact, NewsItemProject
from projects.models import Project
from tests.factories import make_contact, make_news_item, make_project, make_project_type
from tests.legacy.test_import import news_text, project_text, run, write

pytestmark = pytest.mark.django_db


# -- helpers ---------------------------------------------------------------------------------


def _field_data(form, data):
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        name = bound.html_name
        if isinstance(bound.field.widget, MultiWidget):
            parts = value if isinstance(value, list) else bound.field.widget.decompress(value)
            for n, part in enumerate(parts):
                data[f"{name}_{n}"] = "" if part is None else str(part)
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)


def form_data(response):
    """The POST data a browser would send for the admin form on ``response``, unchanged."""
    data = {}
    _field_data(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        _field_data(formset.management_form, data)
        for form in formset.forms:
            _field_data(form, data)
    return data


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def compare_url(obj, older=None, newer=None):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history_compare", args=[obj.pk])
    params = []
    if older is not None:
        params.append(f"older={older}")
    if newer is not None:
        params.append(f"newer={newer}")
    return url + ("?" + "&".join(params) if params else "")


def revert_url(obj, history_id):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, history_id]
    )


def edit(client, obj, **changes):
    """Submit the admin change form of ``obj`` with ``changes``; returns the response."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    data = form_data(response)
    data.update(changes)
    response = client.post(change_url(obj), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def messages_of(response):
    return [str(m) for m in messages.get_messages(response.wsgi_request)]


def versions(obj):
    """The object's history, oldest first."""
    return list(type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id"))


# -- recording -------------------------------------------------------------------------------


def test_an_edit_in_the_admin_records_who_and_what(staff_client, django_user_model):
    item = make_news_item(title="Before the edit")
    edit(staff_client, item, title="After the edit", dateline="Quito")

    created, changed = versions(item)
    assert created.history_type == "+" and changed.history_type == "~"
    assert changed.history_user == django_user_model.objects.get(username="admin")
    assert changed.title == "After the edit" and created.title == "Before the edit"
    delta = changed.diff_against(created)
    assert {"title", "dateline"} <= set(delta.changed_fields)


def test_contact_and_project_edits_are_recorded(staff_client):
    contact = make_contact(name="Ana Pérez")
    project = make_project(title="Old project title")
    edit(staff_client, contact, name="Ana Pérez Gómez")
    edit(staff_client, project, title="New project title")
    assert [v.name for v in versions(contact)] == ["Ana Pérez", "Ana Pérez Gómez"]
    assert [v.title for v in versions(project)] == ["Old project title", "New project title"]
    assert versions(project)[-1].history_user.username == "admin"


def test_deleting_keeps_the_history(staff_client):
    item = make_news_item(title="Soon gone")
    pk = item.pk
    # Deleting moves to the trash (a change); "Delete for ever" there deletes.
    response = staff_client.post(reverse("admin:news_newsitem_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    response = staff_client.post(reverse("admin:trash_delete", args=["news", "newsitem", pk]))
    assert response.status_code == 302
    assert not NewsItem.objects.filter(pk=pk).exists()
    assert [v.history_type for v in NewsItem.history.filter(id=pk).order_by("history_date")] == [
        "+",
        "~",
        "-",
    ]
    # The history page of the deleted item still opens.
    assert staff_client.get(reverse("admin:news_newsitem_history", args=[pk])).status_code == 200


# -- the History page ------------------------------------------------------------------------


def test_history_page_lists_versions_and_offers_the_compare_form(staff_client):
    item = make_news_item(title="First title")
    edit(staff_client, item, title="Second title")
    old, new = versions(item)

    response = staff_client.get(history_url(item))
    assert response.status_code == 200
    html = response.content.decode()
    form = re.search(r'<form method="get" action="([^"]+)" id="history-compare-form">', html)
    assert form and form.group(1) == compare_url(item)
    # Two newest preselected: the newest as "newer", the one before as "older".
    assert re.search(
        rf'name="newer" value="{new.history_id}" id="newer-{new.history_id}" checked', html
    )
    assert re.search(
        rf'name="older" value="{old.history_id}" id="older-{old.history_id}" checked', html
    )
    assert not re.search(rf'name="older" value="{new.history_id}"[^>]* checked', html)
    # Every radio has its label.
    for radio_id in (f"older-{old.history_id}", f"newer-{new.history_id}"):
        assert f'<label for="{radio_id}"' in html
    assert "Compare selected versions" in html
    # simple-history's "Changes" column is still there.
    assert "Changes" in html and "First title" in html and "Second title" in html


def test_history_page_with_one_version_has_no_compare_button(staff_client):
    item = make_news_item()
    html = staff_client.get(history_url(item)).content.decode()
    assert 'type="radio"' not in html and "Compare selected versions" not in html


def _history_queries(client, obj):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(history_url(obj))
    assert response.status_code == 200
    return len(queries)


def test_history_page_query_count_does_not_grow_with_versions(staff_client):
    few, many = make_news_item(), make_news_item()
    for n in range(1):
        few.title = f"Few {n}"
        few.save()
    for n in range(19):
        many.title = f"Many {n}"
        many.save()
    assert len(versions(few)) == 2 and len(versions(many)) == 20
    assert _history_queries(staff_client, few) == _history_queries(staff_client, many)

    # Projects too, whose versions name a project type (a foreign key).
    project_few, project_many = make_project(), make_project()
    for n in range(19):
        project_many.project_type = make_project_type(f"Type {n}")
        project_many.save()
    project_few.title = "Changed once"
    project_few.save()
    assert _history_queries(staff_client, project_few) == _history_queries(
        staff_client, project_many
    )


# -- comparing -------------------------------------------------------------------------------


def test_compare_shows_changed_fields_with_old_and_new_values(staff_client):
    item = make_news_item(
        title="Floods in the north",
        kind="press-release",
        countries=["CO"],
        body="<p>Families were moved to shelters.</p>",
    )
    edit(
        staff_client,
        item,
        title="Floods in the north and east",
        kind="statement",
        countries=["CO", "EC"],
        body="<p>Families were moved to safe shelters.</p>",
    )
    old, new = versions(item)
    response = staff_client.get(compare_url(item, old.history_id, new.history_id))
    assert response.status_code == 200
    changed = {row.name: row for row in response.context["changed_rows"]}
    unchanged = {row.name for row in response.context["unchanged_rows"]}
    assert {"title", "kind", "countries", "body"} <= set(changed)
    assert "dateline" in unchanged and "lead" in unchanged
    assert not {"updated", "source_hash", "created"} & (set(changed) | unchanged)
    assert str(changed["kind"].older) == "Press release"  # choice labels
    assert str(changed["kind"].newer) == "Statement"
    assert str(changed["countries"].newer) == "Colombia, Ecuador"  # country names
    # Long text: a word diff, with the stored HTML shown escaped.
    assert "<ins>safe </ins>" in str(changed["body"].newer)
    assert "&lt;p&gt;" in str(changed["body"].newer)

    html = response.content.decode()
    assert 'class="history-changed" id="field-title"' in html
    assert "Floods in the north and east" in html
    assert '<a href="#history-unchanged">' in html
    assert f'<a href="{history_url(item)}">History</a>' in html  # breadcrumbs
    assert f'<a href="{change_url(item)}">' in html
    assert html.index('id="field-title"') < html.index('id="history-unchanged"')
    assert "admin" in html  # who changed the newer version


def test_compare_escapes_stored_markup(staff_client):
    item = make_news_item(lead="Plain lead.")
    # Written past the form and the sanitizer, as an old import or a script might have.
    NewsItem.objects.filter(pk=item.pk).update(lead='<script>alert("x")</script> lead')
    stored = NewsItem.objects.get(pk=item.pk)
    stored.title = "<b>bold</b> title"
    stored.save()
    old, new = versions(item)
    html = staff_client.get(compare_url(item, old.history_id, new.history_id)).content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; title" in html


def test_compare_accepts_the_versions_in_either_order(staff_client):
    item = make_news_item(title="One")
    edit(staff_client, item, title="Two")
    old, new = versions(item)
    response = staff_client.get(compare_url(item, new.history_id, old.history_id))
    assert response.context["older"] == old and response.context["newer"] == new


def test_compare_of_a_project_shows_related_names_and_amounts(staff_client):
    project = make_project(project_type=make_project_type("Old type"))
    project.project_type = make_project_type("New type")
    project.budget_usd = 2500000
    project.save()
    old, new = versions(project)
    response = staff_client.get(compare_url(project, old.history_id, new.history_id))
    changed = {row.name: row for row in response.context["changed_rows"]}
    assert (str(changed["project_type"].older), str(changed["project_type"].newer)) == (
        "Old type",
        "New type",
    )
    assert "2500000" in str(changed["budget_usd"].newer).replace(",", "").replace(".", "")


def test_compare_shows_each_versions_media_contacts(staff_client):
    first, second = make_contact(name="Ana First"), make_contact(name="Ben Second")
    item = make_news_item(title="With contacts", contacts=[first])
    edit(staff_client, item, title="Still with contacts")
    NewsItemContact.objects.create(news_item=item, contact=second, position=1)
    item.title = "Third version"
    item.save()
    v1, _v2, v3 = versions(item)

    response = staff_client.get(compare_url(item, v1.history_id, v3.history_id))
    rows = {r.name: r for r in response.context["changed_rows"]}
    assert "Ana First" in str(rows["contacts"].older)
    assert "Ben Second" not in str(rows["contacts"].older)
    assert "Ana First" in str(rows["contacts"].newer)
    assert "Ben Second" in str(rows["contacts"].newer)
    assert "not its media contacts" in response.content.decode()  # NewsItemAdmin's note


def test_extra_compare_rows_come_from_the_model_admin_only(staff_client):
    """The compare page adds what the model admin's ``history_extra_rows`` gives: a project
    has no media contacts row and no note about them."""
    project = make_project(title="Before")
    project.title = "After"
    project.save()
    old, new = versions(project)
    response = staff_client.get(compare_url(project, old.history_id, new.history_id))
    names = {row.name for row in response.context["changed_rows"]}
    names |= {row.name for row in response.context["unchanged_rows"]}
    assert "title" in names and "contacts" not in names
    assert "media contacts" not in response.content.decode().lower()


@pytest.mark.parametrize(
    "params",
    [
        "",
        "?older=abc&newer=1",
        "?older=1",
        "?older=-3&newer=1",
        "?older=99999999999999999999999&newer=1",
        "?older=1.5&newer=2",
        "?older=%00&newer=1",
    ],
)
def test_bad_compare_parameters_redirect_with_a_message(staff_client, params):
    item = make_news_item()
    url = compare_url(item) + params
    response = staff_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == history_url(item)
    assert messages_of(response) == ["Choose two versions from the list to compare them."]


def test_the_same_version_twice_redirects_with_a_message(staff_client):
    item = make_news_item()
    (only,) = versions(item)
    response = staff_client.get(compare_url(item, only.history_id, only.history_id))
    assert response.status_code == 302 and response["Location"] == history_url(item)
    assert messages_of(response) == ["Choose two different versions to compare."]


def test_a_version_of_another_object_redirects_with_a_message(staff_client):
    item, other = make_news_item(), make_news_item()
    (mine,) = versions(item)
    (theirs,) = versions(other)
    response = staff_client.get(compare_url(item, mine.history_id, theirs.history_id))
    assert response.status_code == 302 and response["Location"] == history_url(item)
    assert "not in the history of this news item" in messages_of(response)[0]
    # A version id of another model's history is not this item's either.
    project = make_project()
    (project_version,) = versions(project)
    response = staff_client.get(compare_url(item, mine.history_id, project_version.history_id))
    assert response.status_code == 302


@pytest.mark.parametrize("object_id", ["999999", "abc"])
def test_compare_for_an_unknown_object_is_404(staff_client, object_id):
    url = reverse("admin:news_newsitem_history_compare", args=[object_id]) + "?older=1&newer=2"
    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize("version_id", ["abc", "99999999999999999999", "999999"])
def test_an_unknown_version_is_404_not_500(staff_client, version_id):
    item = make_news_item()
    url = revert_url(item, version_id)
    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url, {}).status_code == 404


def test_compare_needs_the_history_permission(client, django_user_model):
    item = make_news_item()
    edit_user = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(edit_user)
    old = versions(item)[0]
    response = client.get(compare_url(item, old.history_id, old.history_id + 1))
    assert response.status_code == 403


def test_compare_of_a_deleted_item_still_works(staff_client):
    item = make_news_item(title="Deleted later")
    pk = item.pk
    item.delete()
    created, deleted = NewsItem.history.filter(id=pk).order_by("history_date")
    url = reverse("admin:news_newsitem_history_compare", args=[pk])
    response = staff_client.get(f"{url}?older={created.history_id}&newer={deleted.history_id}")
    assert response.status_code == 200
    assert "Deleted later" in response.content.decode()


# -- restoring -------------------------------------------------------------------------------


def restore(client, obj, history_id, **changes):
    """Open the revert form of a version and submit it as shown (plus ``changes``)."""
    response = client.get(revert_url(obj, history_id))
    assert response.status_code == 200
    data = form_data(response)
    data.update(changes)
    return client.post(revert_url(obj, history_id), data)


def test_restoring_brings_back_the_old_values_and_is_recorded(staff_client, django_user_model):
    item = make_news_item(title="Original title", lead="Original lead.")
    edit(staff_client, item, title="Edited title", lead="Edited lead.")
    original = versions(item)[0]

    response = restore(staff_client, item, original.history_id)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.lead) == ("Original title", "Original lead.")

    *_, restored = versions(item)
    assert len(versions(item)) == 3
    assert restored.history_type == "~"
    assert restored.history_user == django_user_model.objects.get(username="admin")
    assert restored.history_change_reason == history.restore_reason(original)
    assert restored.history_change_reason.startswith("Restored the version of ")
    assert restored.history_change_reason.endswith(f"(#{original.history_id})")
    # And the History page shows the reason.
    assert restored.history_change_reason in staff_client.get(history_url(item)).content.decode()


def test_an_ordinary_edit_has_no_restore_reason(staff_client):
    item = make_news_item()
    edit(staff_client, item, title="Just an edit")
    assert versions(item)[-1].history_change_reason in (None, "")


def test_an_editor_restoring_a_published_version_does_not_publish(editor_client, editor):
    item = make_news_item(title="Published words", publication_status=PublicationStatus.PUBLISHED)
    published_version = versions(item)[0]
    item.title = "Draft words"
    item.publication_status = PublicationStatus.DRAFT
    item.save()

    response = restore(
        editor_client, item, published_version.history_id, publication_status="published"
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Published words"  # content restored
    assert item.publication_status == PublicationStatus.DRAFT  # state kept
    restored = versions(item)[-1]
    assert restored.publication_status == PublicationStatus.DRAFT
    assert restored.history_user == editor
    assert restored.history_change_reason == history.restore_reason(published_version)


def test_an_editor_restoring_keeps_the_current_schedule(editor_client):
    go_live = timezone.now() + datetime.timedelta(days=3)
    item = make_news_item(title="Scheduled once", go_live_at=go_live)
    first = versions(item)[0]
    item.title = "Now unscheduled draft"
    item.go_live_at = None
    item.publication_status = PublicationStatus.DRAFT
    item.save()
    assert restore(editor_client, item, first.history_id).status_code == 302
    item.refresh_from_db()
    assert item.title == "Scheduled once"
    assert item.go_live_at is None and item.publication_status == PublicationStatus.DRAFT


def test_a_publisher_restoring_gets_what_the_form_posts(publisher_client):
    item = make_news_item(title="Published words", publication_status=PublicationStatus.PUBLISHED)
    published_version = versions(item)[0]
    item.title = "Draft words"
    item.publication_status = PublicationStatus.DRAFT
    item.save()

    # As shown: the old version was published, so restoring it publishes again.
    assert restore(publisher_client, item, published_version.history_id).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.publication_status) == ("Published words", "published")

    # A publisher may also restore the words and keep it a draft.
    draft_version = versions(item)[1]
    item.title = "Third words"
    item.save()
    response = restore(publisher_client, item, draft_version.history_id, publication_status="draft")
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.publication_status) == ("Draft words", "draft")


def test_restoring_a_project_version(staff_client):
    project = make_project(title="First project title", budget_usd=1000)
    first = versions(project)[0]
    edit(staff_client, project, title="Second project title", budget_usd="2000")
    assert restore(staff_client, project, first.history_id).status_code == 302
    project.refresh_from_db()
    assert project.title == "First project title" and project.budget_usd == 1000
    assert versions(project)[-1].history_change_reason == history.restore_reason(first)


def test_the_compare_url_is_not_taken_for_a_version(staff_client):
    item = make_news_item()
    response = staff_client.get(reverse("admin:news_newsitem_history_compare", args=[item.pk]))
    assert response.status_code == 302  # our view's redirect, not simple-history's 404


# -- units -----------------------------------------------------------------------------------


def test_text_diff_marks_words_and_escapes_everything():
    old, new = history.text_diff("<p>a <b>x</b> & c</p>", "<p>a <b>y</b> & c</p>")
    assert old == "&lt;p&gt;a &lt;b&gt;<del>x</del>&lt;/b&gt; &amp; c&lt;/p&gt;"
    assert new == "&lt;p&gt;a &lt;b&gt;<ins>y</ins>&lt;/b&gt; &amp; c&lt;/p&gt;"
    old, new = history.text_diff("", "<script>")
    assert (old, new) == ("", "<ins>&lt;script&gt;</ins>")


def test_empty_values_show_as_an_em_dash(staff_client):
    item = make_news_item(dateline="", countries=[])
    item.dateline = "Lima"
    item.save()
    old, new = versions(item)
    rows = {r.name: r for r in history.compare_rows(NewsItem, old, new)}
    assert rows["dateline"].older == "—" and str(rows["dateline"].newer) == "Lima"
    assert rows["countries"].older == "—" and not rows["countries"].changed
    assert rows["go_live_at"].older == "—"
    assert str(rows["published_on"].older) == date_format(item.published_on, "DATE_FORMAT")


# -- the importer ----------------------------------------------------------------------------


def test_import_records_history_for_everything_it_creates(tmp_path, django_user_model):
    user = django_user_model.objects.create_user("importer", password="pw", is_staff=True)
    write(tmp_path, "herders.txt", news_text())
    write(tmp_path, "second.txt", news_text("A Second Release About Herders"))
    write(tmp_path, "project.txt", project_text())
    results = list(loader.Importer(user=user).run(iter_sources([tmp_path])))
    assert [r.outcome for r in results] == ["created"] * 3

    for model in (NewsItem, Project, Contact, NewsItemContact):
        assert model.objects.exists()
        ids = set(model.objects.values_list("pk", flat=True))
        rows = model.history.all()
        assert {row.id for row in rows} == ids, model
        assert all(row.history_type == "+" for row in rows)
        assert all(row.history_user == user for row in rows)
        assert all(
            row.history_change_reason.startswith("Imported from legacy text") for row in rows
        )
    item = NewsItem.objects.get(title__startswith="A Second")
    assert item.history.get().history_change_reason == "Imported from legacy text second.txt"
    assert Project.history.get().history_change_reason == "Imported from legacy text project.txt"


def test_the_import_command_records_history_with_the_reason(tmp_path):
    write(tmp_path, "one.txt", news_text())
    _, _, error = run(tmp_path)
    assert error is None
    (row,) = NewsItem.history.all()
    assert row.history_change_reason == "Imported from legacy text one.txt"
    assert row.history_user is None
    assert NewsItemContact.history.count() == Contact.history.count() == 1


def test_a_changed_file_records_the_update_and_the_relinking(tmp_path):
    write(tmp_path, "one.txt", news_text())
    run(tmp_path)
    write(tmp_path, "one.txt", news_text(body=["Lodwar – A different text this time."]))
    out, _, error = run(tmp_path)
    assert error is None and "1 updated" in out
    item = NewsItem.objects.get()
    _created, updated = versions(item)
    assert updated.history_type == "~"
    assert updated.history_change_reason == "Updated from legacy text one.txt"
    link_rows = list(NewsItemContact.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in link_rows] == ["+", "-", "+"]
    assert [r.history_change_reason for r in link_rows] == [
        "Imported from legacy text one.txt",
        "Updated from legacy text one.txt",
        "Updated from legacy text one.txt",
    ]


def test_a_dry_run_writes_no_history(tmp_path):
    write(tmp_path, "n.txt", news_text())
    write(tmp_path, "p.txt", project_text())
    out, _, error = run(tmp_path, dry_run=True)
    assert error is None and "2 created" in out
    for model in (NewsItem, Project, Contact, NewsItemContact):
        assert not model.history.exists()


def test_an_unchanged_rerun_writes_no_history(tmp_path):
    write(tmp_path, "n.txt", news_text())
    run(tmp_path)
    before = NewsItem.history.count(), NewsItemContact.history.count(), Contact.history.count()
    run(tmp_path)
    after = NewsItem.history.count(), NewsItemContact.history.count(), Contact.history.count()
    assert before == after == (1, 1, 1)


def test_populate_history_gives_rows_from_before_history_a_first_version():
    """The deploy step in docs/operations.md: rows written without history get one version."""
    from django.core.management import call_command

    from tests.factories import bulk_contacts, bulk_news_items

    items = bulk_news_items(3)  # bulk_create: no history rows
    contacts = bulk_contacts(2)
    assert not NewsItem.history.exists() and not Contact.history.exists()
    call_command("populate_history", auto=True, verbosity=0)
    assert sorted(NewsItem.history.values_list("id", flat=True)) == sorted(i.pk for i in items)
    assert sorted(Contact.history.values_list("id", flat=True)) == sorted(c.pk for c in contacts)
    call_command("populate_history", auto=True, verbosity=0)  # safe to re-run
    assert NewsItem.history.count() == 3


# -- links between releases and projects (news.NewsItemProject) ------------------------------


def test_a_project_linked_in_either_form_is_in_both_histories(staff_client):
    project = make_project(title="Border support", project_code="CE.0373")
    item = make_news_item(title="Launch")
    edit(staff_client, item, **{"project_links-0-project": str(project.pk)})
    other = make_news_item(title="Second release")
    edit(staff_client, project, **{"news_links-1-news_item": str(other.pk)})  # 0: "Launch"
    assert set(NewsItemProject.objects.values_list("news_item__title", flat=True)) == {
        "Launch", "Second release",
    }  # fmt: skip
    link = NewsItemProject.history.filter(news_item=other).get()
    assert link.history_user is not None  # who linked it, as for every admin change

    v1, v2 = versions(item)
    response = staff_client.get(compare_url(item, v1.history_id, v2.history_id))
    rows = {r.name: r for r in response.context["changed_rows"]}
    assert "CE.0373 – Border support" not in str(rows["projects"].older)
    assert "CE.0373 – Border support" in str(rows["projects"].newer)

    p1, p2 = versions(project)
    response = staff_client.get(compare_url(project, p1.history_id, p2.history_id))
    rows = {r.name: r for r in response.context["changed_rows"]}
    # A link made from the release's form counts from the project's version before it.
    assert "Launch" in str(rows["news"].older) and "Second release" not in str(rows["news"].older)
    assert "Second release" in str(rows["news"].newer)
    assert "not its news items" in response.content.decode()
