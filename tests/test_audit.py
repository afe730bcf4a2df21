"""The admin's audit page (iomcms/audit.py): who did what, when, on which item."""

import csv
import datetime
import io

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from contacts.merge import merge_contacts
from contacts.models import Contact
from iomcms import audit
from legacy import loader
from legacy.sources import iter_sources
from news.models import NewsItem, NewsItemContact
from projects.models import Project, Region
from tests.factories import make_contact, make_news_item, make_project
from tests.legacy.test_import import project_text, write
from tests.test_history import form_data

pytestmark = pytest.mark.django_db

URL = "/admin/audit/"


def rows(response):
    return list(response.context["page"].object_list)


def labels(response):
    return [(e.user.username if e.user else None, e.action, e.label) for e in rows(response)]


def _backdate(model, pk, when):
    model.history.filter(**{model._meta.pk.attname: pk}).update(history_date=when)


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# -- who may open it -------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ["editor_client", "publisher_client"])
def test_editors_and_publishers_get_403_and_no_link(request, role):
    client = request.getfixturevalue(role)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}?format=csv").status_code == 403
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert URL not in index.content.decode()


def test_superuser_sees_the_link_and_the_page(admin_client):
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert f'href="{URL}"' in index
    assert admin_client.get(URL).status_code == 200


def test_the_page_in_french(admin_client):
    make_news_item(title="Inondations")
    html = admin_client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Journal d’audit" in html
    assert "Création" in html
    assert "Télécharger en CSV" in html


def test_the_log_entry_view_permission_opens_it(client, editor):
    editor.user_permissions.add(Permission.objects.get(codename="view_logentry"))
    client.force_login(editor)
    assert client.get(URL).status_code == 200
    assert f'href="{URL}"' in client.get(reverse("admin:index")).content.decode()


# -- what it lists ---------------------------------------------------------------------------


def test_admin_edit_publish_action_import_and_merge_are_listed_newest_first(
    admin_client, publisher_client, publisher, admin_user, tmp_path
):
    # An edit through the change form, by the superuser.
    item = make_news_item(title="Floods in the north", publication_status="draft")
    change_url = reverse("admin:news_newsitem_change", args=[item.pk])
    data = form_data(admin_client.get(change_url))
    data["title"] = "Floods in the far north"
    assert admin_client.post(change_url, data).status_code == 302
    # Published through the list's action, by a Publisher.
    response = publisher_client.post(
        reverse("admin:news_newsitem_changelist"),
        {"action": "publish", "_selected_action": [item.pk]},
    )
    assert response.status_code == 302
    # An import, by the superuser.
    write(tmp_path, "project.txt", project_text(code="XB.0042"))
    list(loader.Importer(user=admin_user).run(iter_sources([tmp_path])))
    # A merge, by the Publisher.
    keep, twin = make_contact(name="Ana Ruiz"), make_contact(name="Ana  Ruiz")
    merge_contacts(keep, [twin], user=publisher)
    # A region added through the admin: no history, so the admin log.
    response = admin_client.post(
        reverse("admin:projects_region_add"), {"name": "Oceania", "slug": "oceania"}
    )
    assert response.status_code == 302

    listed = labels(admin_client.get(URL))
    assert listed[0] == ("admin", "created", "Oceania")
    assert ("publisher", "deleted", str(twin)) in listed
    assert ("publisher", "changed", "Floods in the far north") in listed
    assert ("admin", "changed", "Floods in the far north") in listed
    project = Project.objects.get(project_code="XB.0042")
    assert ("admin", "created", str(project)) in listed
    # Newest first: the publication after the edit.
    assert listed.index(("publisher", "changed", "Floods in the far north")) < listed.index(
        ("admin", "changed", "Floods in the far north")
    )
    # Items with a history are not listed twice (their admin log rows are left out).
    assert LogEntry.objects.filter(object_id=str(item.pk)).exists()
    assert listed.count(("admin", "changed", "Floods in the far north")) == 1

    entries = {}
    for e in rows(admin_client.get(URL)):
        entries.setdefault((e.action, e.label), e)  # the newest of each
    published = entries[("changed", "Floods in the far north")]
    assert published.detail == "Published from the list"
    assert published.url == reverse("admin:news_newsitem_history", args=[item.pk])
    region = Region.objects.get(slug="oceania")
    assert entries[("created", "Oceania")].url == reverse(
        "admin:projects_region_change", args=[region.pk]
    )
    imported = entries[("created", str(project))]
    assert imported.detail.startswith("Imported from legacy text")


def test_a_media_contact_links_to_its_release_history(admin_client):
    contact = make_contact(name="Luis Gómez", office="")
    item = make_news_item(title="Drought response", contacts=[contact])
    kind = str(NewsItemContact._meta.verbose_name).capitalize()
    link = next(e for e in rows(admin_client.get(URL)) if e.kind == kind)
    assert link.label == "Luis Gómez on Drought response"
    assert link.url == reverse("admin:news_newsitem_history", args=[item.pk])
    html = admin_client.get(URL).content.decode()
    assert f'href="{link.url}"' in html


def test_stored_text_is_escaped(admin_client):
    make_news_item(title="<script>alert(1)</script>")
    html = admin_client.get(URL).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


# -- filters ---------------------------------------------------------------------------------


@pytest.fixture
def history_of_three(admin_user, editor):
    """A news item by the editor in 2024, a project by admin in 2025, a contact by no one."""
    old = make_news_item(title="Old release")
    NewsItem.history.filter(id=old.pk).update(history_user=editor)
    _backdate(NewsItem, old.pk, timezone.make_aware(datetime.datetime(2024, 5, 1, 12)))
    project = make_project(title="Mid project", project_code="")
    Project.history.filter(id=project.pk).update(history_user=admin_user)
    _backdate(Project, project.pk, timezone.make_aware(datetime.datetime(2025, 2, 1, 12)))
    contact = make_contact(name="New Contact", office="")
    old.title = "Old release, edited"
    old._history_user = editor
    old.save()
    return old, project, contact


def test_filters_by_user(admin_client, editor, history_of_three):
    listed = labels(admin_client.get(URL, {"user": editor.pk}))
    assert listed == [
        ("editor", "changed", "Old release, edited"),
        ("editor", "created", "Old release"),
    ]


def test_filters_by_dates(admin_client, history_of_three):
    listed = labels(admin_client.get(URL, {"since": "2024-01-01", "until": "2025-02-01"}))
    assert listed == [("admin", "created", "Mid project"), ("editor", "created", "Old release")]
    listed = labels(admin_client.get(URL, {"until": "2024-12-31"}))
    assert listed == [("editor", "created", "Old release")]


def test_filters_by_records_and_action(admin_client, history_of_three):
    listed = labels(admin_client.get(URL, {"model": "news.newsitem", "action": "changed"}))
    assert listed == [("editor", "changed", "Old release, edited")]
    listed = labels(admin_client.get(URL, {"model": "contacts.contact"}))
    assert listed == [(None, "created", "New Contact")]


def test_bad_filters_are_ignored_and_said(admin_client, history_of_three):
    response = admin_client.get(
        URL, {"user": "999999", "since": "2025-13-45", "model": "nope", "page": "x"}
    )
    assert response.status_code == 200
    assert len(rows(response)) == 4
    form = response.context["form"]
    assert set(form.errors) == {"user", "since", "model"}
    response = admin_client.get(URL, {"since": "2025-01-01", "until": "2024-01-01"})
    assert response.status_code == 200
    assert len(rows(response)) == 4  # the dates, contradicting each other, are ignored
    assert "The end date comes before the start date." in response.content.decode()


def test_csv_download(admin_client, history_of_three):
    make_news_item(title="=HYPERLINK(1)")
    response = admin_client.get(URL, {"format": "csv", "model": "news.newsitem"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == list(audit.CSV_COLUMNS)
    assert [row[5] for row in table[1:]] == ["'=HYPERLINK(1)", "Old release, edited", "Old release"]
    assert table[2][1] == "editor"


# -- pages and queries -----------------------------------------------------------------------


def test_pages_are_capped_and_merged_in_order(admin_client, monkeypatch):
    monkeypatch.setattr(audit, "PER_PAGE", 3)
    monkeypatch.setattr(audit.AuditPaginator, "cap", 7)
    base = timezone.make_aware(datetime.datetime(2025, 1, 1))
    for n in range(5):
        item = make_news_item(title=f"Item {n}")
        _backdate(NewsItem, item.pk, base + datetime.timedelta(hours=2 * n))
        contact = make_contact(name=f"Contact {n}", office="")
        _backdate(Contact, contact.pk, base + datetime.timedelta(hours=2 * n + 1))
    expected = [f"{kind} {n}" for n in reversed(range(5)) for kind in ("Contact", "Item")]

    first = admin_client.get(URL)
    assert first.context["paginator"].count_label == "7+"
    assert [e.label for e in rows(first)] == expected[:3]
    second = admin_client.get(URL, {"page": 2})
    assert [e.label for e in rows(second)] == expected[3:6]
    last = admin_client.get(URL, {"page": 9})
    assert [e.label for e in rows(last)] == expected[6:7]
    assert "audit-narrow" in last.content.decode()
    assert 'href="?page=2"' in first.content.decode()


def test_query_count_is_fixed(admin_client, admin_user, django_assert_num_queries):
    for n in range(5):
        make_news_item(title=f"Item {n}", contacts=[make_contact(office="")])
        make_project()
    LogEntry.objects.log_actions(
        admin_user.pk,
        [Region.objects.create(name=f"R{n}", slug=f"r{n}") for n in range(3)],
        ADDITION,
    )
    admin_client.get(URL)  # warm the content type cache
    sources = len(audit.sources())
    # news items, their media contacts and projects, projects, contacts, review requests; the
    # admin log
    assert sources == 7
    # session + user; the keys of each source, then the rows of each source with rows on this
    # page (5: no project link or review request); the user filter's choices
    with django_assert_num_queries(2 + sources + 5 + 1):
        response = admin_client.get(URL)
    assert len(rows(response)) == 5 + 5 + 5 + 5 + 3
    # A source chosen: its keys only (no row to read), the user looked up for the filter and
    # the filter's choices.
    with django_assert_num_queries(2 + 1 + 1 + 1):
        response = admin_client.get(URL, {"model": "projects.project", "user": admin_user.pk})
    assert rows(response) == []  # the projects were made by no one


def test_a_deep_page_reads_its_rows_only(admin_client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(audit, "PER_PAGE", 2)
    for n in range(6):
        make_news_item(title=f"Item {n}")
    admin_client.get(URL)
    # Page 3 holds two news items: keys of each source, then the news items' rows only.
    with django_assert_num_queries(2 + len(audit.sources()) + 1 + 1):
        response = admin_client.get(URL, {"page": 3})
    assert [e.label for e in rows(response)] == ["Item 1", "Item 0"]
