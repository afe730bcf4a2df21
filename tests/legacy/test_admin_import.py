"""The admin page "Import legacy texts" (legacy/admin_views.py), through the test client."""

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import multipartparser
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import escape

from contacts.models import Contact
from iomcms.publishing import PublicationStatus
from legacy import admin_views
from legacy.forms import ImportLegacyForm
from legacy.sources import max_file_bytes
from news.models import NewsItem
from projects.models import Project

from .test_import import news_text, project_text

pytestmark = pytest.mark.django_db

URL = "/admin/import-legacy/"
FIXTURES = Path(__file__).parent / "fixtures"
GOOD = ("news_spanish.txt", "news_french.txt", "project_french.txt", "project_spanish.txt")


def fixture(name):
    return (FIXTURES / name).read_bytes()


def make_zip(members, name="batch.zip"):
    """An uploaded .zip holding ``members`` ({member path: bytes or str})."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            archive.writestr(path, data)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def good_zip(name="batch.zip", **replace):
    members = {f"pages/{n}": fixture(n) for n in GOOD}
    members.update(replace)
    return make_zip(members, name)


def txt(name, data):
    data = data.encode() if isinstance(data, str) else data
    return SimpleUploadedFile(name, data, content_type="text/plain")


def upload(client, *files, dry_run=False):
    data = {"files": list(files)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(URL, data)


def rows(response):
    """{file path: outcome label} from the report table."""
    html = response.content.decode()
    found = re.findall(
        r'<tr class="outcome-(\w+)">\s*<th scope="row"><code>([^<]+)</code></th>', html
    )
    return {path: outcome for outcome, path in found}


def counts():
    return (NewsItem.objects.count(), Project.objects.count(), Contact.objects.count())


def summary(response):
    html = response.content.decode()
    match = re.search(r'<p id="import-summary">(.*?)</p>', html, re.S)
    assert match, "no summary on the page"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


# -- who may use it ----------------------------------------------------------------------


def test_url_is_named_and_under_the_admin():
    assert reverse("import-legacy") == URL


def test_anonymous_users_are_sent_to_the_admin_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/import-legacy/")
    response = client.post(URL, {"files": [good_zip()]})
    assert response.status_code == 302
    assert counts() == (0, 0, 0)


def test_staff_without_the_add_permissions_get_403(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", "v@example.org", "pw", is_staff=True)
    # Change rights on everything but no "add contact": still not enough.
    for codename in (
        "add_newsitem", "change_newsitem", "add_project", "change_project", "change_contact",
    ):  # fmt: skip
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"files": [good_zip()]}).status_code == 403
    assert counts() == (0, 0, 0)
    assert "Import legacy texts" not in client.get("/admin/").content.decode()


def test_admin_index_links_to_the_page_for_permitted_users(
    staff_client, editor_client, publisher_client
):
    for permitted in (staff_client, editor_client, publisher_client):
        html = permitted.get("/admin/").content.decode()
        assert f'<th scope="row"><a href="{URL}">Import legacy texts</a></th>' in html
        assert 'class="app-news module' in html  # Django's own app list is still there


def test_page_shows_the_form_in_the_admin_look(staff_client):
    response = staff_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Import legacy texts | " in html
    assert '<ol class="breadcrumbs">' in html and 'href="/admin/"' in html
    assert '<li aria-current="page">Import legacy texts</li>' in html
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input type="file" name="files"[^>]* multiple', html)
    assert 'accept=".txt,.zip"' in html
    # Dry run is ticked until the user unticks it.
    assert re.search(r'<input type="checkbox" name="dry_run"[^>]* checked', html)
    assert "New items are imported as published" in html


def test_the_upload_needs_a_csrf_token(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(URL, {"files": [good_zip()]})
    assert response.status_code == 403
    assert counts() == (0, 0, 0)


# -- importing ---------------------------------------------------------------------------


def test_superuser_imports_a_zip_and_reruns_are_unchanged_or_updated(staff_client):
    response = upload(staff_client, good_zip())
    assert response.status_code == 200
    assert rows(response) == {f"batch.zip:pages/{n}": "created" for n in GOOD}
    assert summary(response).startswith("4 files: 4 created, 0 updated, 0 unchanged, 0 failed")
    assert "nothing was saved" not in response.content.decode()
    assert '<h2 id="report-heading">Import report</h2>' in response.content.decode()
    assert NewsItem.objects.published().count() == 2
    assert Project.objects.published().count() == 2
    assert NewsItem.objects.get(source_file="news_french.txt")

    again = upload(staff_client, good_zip())
    assert set(rows(again).values()) == {"unchanged"}
    assert summary(again).startswith("4 files: 0 created, 0 updated, 4 unchanged, 0 failed")

    item = NewsItem.objects.get(source_file="news_french.txt")
    edited = fixture("news_french.txt").decode("utf-8").replace("douze mois", "dix-huit mois")
    third = upload(staff_client, good_zip(**{"pages/news_french.txt": edited}))
    assert rows(third)["batch.zip:pages/news_french.txt"] == "updated"
    assert summary(third).startswith("4 files: 0 created, 1 updated, 3 unchanged, 0 failed")
    item.refresh_from_db()
    assert "pendant dix-huit mois" in item.body
    assert NewsItem.objects.count() == 2


def test_the_request_user_is_handed_to_the_importer(staff_client, monkeypatch):
    seen = {}
    real = admin_views.Importer

    def spy(**kwargs):
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(admin_views, "Importer", spy)
    upload(staff_client, txt("a.txt", news_text()))
    assert seen["user"].username == "admin"
    assert seen["workers"] == 1 and seen["dry_run"] is False
    assert seen["status"] == PublicationStatus.PUBLISHED


def test_a_bad_file_fails_with_its_reason_while_the_others_import(publisher_client):
    archive = good_zip(**{
        "pages/project_budget_nan.txt": fixture("project_budget_nan.txt"),
        "pages/binary.txt": fixture("binary.txt"),
        "pages/readme.md": "not a page",
        "__MACOSX/pages/._news_french.txt": "resource fork",
    })  # fmt: skip
    response = upload(publisher_client, archive)
    html = response.content.decode()
    assert response.status_code == 200
    found = rows(response)
    assert found["batch.zip:pages/project_budget_nan.txt"] == "failed"
    assert found["batch.zip:pages/binary.txt"] == "failed"
    assert len(found) == 6  # the .md and the resource fork are not legacy texts
    # Failed rows come first, each with its reason.
    assert list(found.values())[:2] == ["failed", "failed"]
    assert "the budget &#x27;pending donor approval&#x27; is not a number" in html
    assert "the file looks binary, not text" in html
    assert summary(response).startswith("6 files: 4 created, 0 updated, 0 unchanged, 2 failed")
    assert "2 files could not be imported" in summary(response)
    assert counts()[:2] == (2, 2)
    # A Publisher's import is published, like the command's.
    assert NewsItem.objects.published().count() == 2


def test_dry_run_reports_and_writes_nothing(staff_client):
    archive = good_zip(**{"pages/project_budget_nan.txt": fixture("project_budget_nan.txt")})
    response = upload(staff_client, archive, dry_run=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: nothing was saved." in html
    assert summary(response).startswith(
        "5 files: 4 would be created, 0 would be updated, 0 unchanged, 1 failed"
    )
    assert rows(response)["batch.zip:pages/news_spanish.txt"] == "created"
    assert ">would be created<" in html
    assert counts() == (0, 0, 0)

    # After a real import, a dry run of an edited file says it would update it, and doesn't.
    upload(staff_client, good_zip())
    before = list(NewsItem.objects.values_list("pk", "body", "updated"))
    edited = (
        fixture("news_spanish.txt").decode("utf-8").replace("Lucía Paredes", "Lucía Paredes Soto")
    )
    rehearsal = upload(staff_client, good_zip(**{"pages/news_spanish.txt": edited}), dry_run=True)
    assert rows(rehearsal)["batch.zip:pages/news_spanish.txt"] == "updated"
    assert ">would be updated<" in rehearsal.content.decode()
    assert list(NewsItem.objects.values_list("pk", "body", "updated")) == before


def test_several_txt_files_in_one_upload(staff_client):
    response = upload(
        staff_client,
        txt("kenya.txt", news_text()),
        txt("corridors.txt", project_text()),
        txt("empty.txt", b""),
    )
    assert rows(response) == {
        "empty.txt": "failed", "kenya.txt": "created", "corridors.txt": "created",
    }  # fmt: skip
    assert NewsItem.objects.get().source_file == "kenya.txt"
    assert Project.objects.get().project_code == "XB.0042"
    assert Contact.objects.get().email == "wkamau@iom.int"


def test_a_txt_over_the_page_limit_is_a_failed_row(staff_client):
    big = news_text() + "\n" + "x" * (max_file_bytes() + 10)
    response = upload(staff_client, txt("huge.txt", big), txt("ok.txt", news_text()))
    assert rows(response) == {"huge.txt": "failed", "ok.txt": "created"}
    assert "too large to be one legacy page" in response.content.decode()
    assert NewsItem.objects.count() == 1


def test_an_editors_import_creates_drafts(editor_client):
    page = editor_client.get(URL).content.decode()
    assert "New items are imported as drafts; a Publisher publishes them." in page
    response = upload(editor_client, good_zip())
    assert set(rows(response).values()) == {"created"}
    assert NewsItem.objects.count() == 2 and Project.objects.count() == 2
    assert set(NewsItem.objects.values_list("publication_status", flat=True)) == {"draft"}
    assert set(Project.objects.values_list("publication_status", flat=True)) == {"draft"}
    assert not NewsItem.objects.published().exists()
    assert not Project.objects.published().exists()


def _changed_french_release():
    return fixture("news_french.txt").decode("utf-8").replace("douze mois", "dix-huit mois")


def _changed_french_project():
    text = fixture("project_french.txt").decode("utf-8")
    changed = text.replace("150 agents", "180 agents")
    assert changed != text
    return changed


def test_an_editors_import_cannot_change_a_live_release(publisher_client, editor_client):
    """Review before live: the Editor's changed page of a live item is refused whole; the
    public keeps the approved text and nothing reaches the item or its history."""
    upload(publisher_client, good_zip())
    item = NewsItem.objects.get(language="fr")
    history_before = item.history.count()
    response = upload(
        editor_client, good_zip(**{"pages/news_french.txt": _changed_french_release()})
    )
    assert rows(response)["batch.zip:pages/news_french.txt"] == "failed"
    assert rows(response)["batch.zip:pages/news_spanish.txt"] == "unchanged"
    page = response.content.decode()
    refusal = f"“{escape(item.title)}” is live on the site, and your changes to it must be reviewed"
    assert refusal in page
    item.refresh_from_db()
    assert "douze mois" in item.body + item.lead and "dix-huit" not in item.body + item.lead
    assert item.history.count() == history_before
    assert not item.pending_revisions.exists()
    assert NewsItem.objects.published().count() == 2


def test_an_editors_import_cannot_change_a_live_project(publisher_client, editor_client):
    upload(publisher_client, good_zip())
    project = Project.objects.get(language="fr")
    before = (project.summary, project.description, project.source_hash)
    response = upload(
        editor_client, good_zip(**{"pages/project_french.txt": _changed_french_project()})
    )
    assert rows(response)["batch.zip:pages/project_french.txt"] == "failed"
    assert (
        "is live on the site, and your changes to it must be reviewed" in response.content.decode()
    )
    project.refresh_from_db()
    assert (project.summary, project.description, project.source_hash) == before


def test_an_editors_import_cannot_change_a_scheduled_release(publisher_client, editor_client):
    upload(publisher_client, good_zip())
    NewsItem.objects.filter(language="fr").update(
        go_live_at=timezone.now() + datetime.timedelta(days=2)
    )
    response = upload(
        editor_client, good_zip(**{"pages/news_french.txt": _changed_french_release()})
    )
    assert rows(response)["batch.zip:pages/news_french.txt"] == "failed"
    assert "is scheduled to go live, and your changes to it must be reviewed" in (
        response.content.decode()
    )
    assert (
        "dix-huit"
        not in NewsItem.objects.get(language="fr").lead + NewsItem.objects.get(language="fr").body
    )


def test_the_refusal_is_in_the_staff_members_language(publisher_client, editor_client):
    upload(publisher_client, good_zip())
    response = editor_client.post(
        URL,
        {"files": [good_zip(**{"pages/news_french.txt": _changed_french_release()})]},
        headers={"accept-language": "fr"},
    )
    assert "est en ligne sur le site, et vos changements doivent être relus" in (
        response.content.decode()
    )


def test_an_editors_import_still_updates_drafts(editor_client):
    """Drafts are edited directly (nothing public to protect), by hand or by an import."""
    upload(editor_client, good_zip())
    response = upload(
        editor_client, good_zip(**{"pages/news_french.txt": _changed_french_release()})
    )
    assert rows(response)["batch.zip:pages/news_french.txt"] == "updated"
    item = NewsItem.objects.get(language="fr")
    assert item.publication_status == PublicationStatus.DRAFT
    assert "dix-huit mois" in item.lead + item.body


def test_a_publishers_import_updates_a_live_release(publisher_client):
    upload(publisher_client, good_zip())
    response = upload(
        publisher_client, good_zip(**{"pages/news_french.txt": _changed_french_release()})
    )
    assert rows(response)["batch.zip:pages/news_french.txt"] == "updated"
    item = NewsItem.objects.published().get(language="fr")
    assert "dix-huit mois" in item.lead + item.body


def test_the_page_tells_an_editor_that_live_items_are_refused(editor_client, publisher_client):
    refused = "A changed page of a live or scheduled item is refused"
    assert refused in editor_client.get(URL).content.decode()
    assert refused not in publisher_client.get(URL).content.decode()


# -- refused uploads: a message, nothing written -----------------------------------------


@override_settings(IOMCMS_ADMIN_IMPORT_MAX_BYTES=2000)
def test_an_oversize_upload_is_refused_unread(staff_client, monkeypatch):
    def must_not_parse(self):
        raise AssertionError("the oversized body was parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", must_not_parse)
    response = upload(staff_client, good_zip())
    html = response.content.decode()
    assert response.status_code == 400
    assert "The upload is larger than 2.0\xa0KB" in html
    assert "Nothing was imported." in html
    assert "import-report" not in html
    assert counts() == (0, 0, 0)


def test_the_actual_sizes_are_checked_too():
    files = MultiValueDict({"files": [txt("a.txt", "x" * 600), txt("b.txt", "y" * 600)]})
    with override_settings(IOMCMS_ADMIN_IMPORT_MAX_BYTES=1000):
        form = ImportLegacyForm({}, files)
        assert not form.is_valid()
    assert "larger than 1000\xa0bytes" in form.errors["files"][0]


@pytest.mark.parametrize("name", ["setup.exe", "report.pdf", "notes"])
def test_files_that_are_neither_txt_nor_zip_are_refused(staff_client, name):
    response = upload(staff_client, txt("ok.txt", news_text()), txt(name, b"MZ\x90\x00"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"“{name}” is neither a .txt nor a .zip file. Nothing was imported." in html
    assert "import-report" not in html
    assert counts() == (0, 0, 0)


def test_no_file_chosen(staff_client):
    response = staff_client.post(URL, {"dry_run": "on"})
    assert "Choose at least one .txt or .zip file to import." in response.content.decode()


@override_settings(IOMCMS_ADMIN_IMPORT_MAX_FILES=2)
def test_too_many_files(staff_client):
    files = [txt(f"{n}.txt", news_text(f"Release Number {n} About Herders")) for n in "abc"]
    response = upload(staff_client, *files)
    assert "Choose at most 2 files at once; put more in a .zip archive." in (
        response.content.decode()
    )
    assert counts() == (0, 0, 0)


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=2)
def test_more_files_than_django_parses_is_a_message_not_a_400_page(staff_client):
    files = [txt(f"{n}.txt", news_text(f"Release Number {n} About Herders")) for n in "abc"]
    response = upload(staff_client, *files)
    assert response.status_code == 400
    assert "Choose at most 100 files at once" in response.content.decode()
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04 this is not really a zip", b"%PDF-1.4 not a zip at all"],
    ids=["empty", "truncated", "pdf"],
)
def test_a_corrupt_zip_is_refused(staff_client, data):
    response = upload(staff_client, txt("ok.txt", news_text()), txt("broken.zip", data))
    html = response.content.decode()
    assert response.status_code == 200
    assert "“broken.zip” is not a readable .zip archive" in html
    assert counts() == (0, 0, 0)


def test_a_zip_with_a_corrupt_member_fails_that_member_only(staff_client):
    archive = good_zip()
    data = bytearray(archive.read())
    # Damage the compressed bytes of the first member (its local header is 30 bytes + name).
    name_length = int.from_bytes(data[26:28], "little")
    start = 30 + name_length
    data[start : start + 40] = b"\x00" * 40
    response = upload(staff_client, txt("batch.zip", bytes(data)))
    assert response.status_code == 200
    found = rows(response)
    assert found[f"batch.zip:pages/{GOOD[0]}"] == "failed"
    assert "the archive member could not be read" in response.content.decode()
    assert list(found.values()).count("created") == 3


@override_settings(IOMCMS_ADMIN_IMPORT_MAX_ZIP_MEMBERS=3)
def test_a_zip_with_too_many_members_is_refused(staff_client):
    response = upload(staff_client, good_zip())
    html = response.content.decode()
    assert "“batch.zip” makes the upload hold 4 archive entries; at most 3" in html
    assert counts() == (0, 0, 0)


@override_settings(IOMCMS_ADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES=1024 * 1024)
def test_a_zip_bomb_is_refused(staff_client):
    # 2 MiB of zeros deflate to a few KiB: small upload, large declared size.
    bomb = make_zip({"pages/zeros.txt": b"\0" * (2 * 1024 * 1024), "ok.txt": news_text()})
    assert bomb.size < 20_000
    response = upload(staff_client, bomb)
    html = response.content.decode()
    assert "“batch.zip” would unpack to more than 1 MiB" in html
    assert counts() == (0, 0, 0)


def test_a_zip_without_texts_is_refused(staff_client):
    response = upload(staff_client, make_zip({"readme.md": "hello"}))
    assert "The upload holds no .txt files." in response.content.decode()


def test_an_unexpected_error_is_a_message_not_a_500(staff_client, monkeypatch):
    def explode(self, sources):
        yield from ()
        raise RuntimeError("boom")

    monkeypatch.setattr(admin_views.Importer, "run", explode)
    response = upload(staff_client, good_zip())
    assert response.status_code == 200
    assert "The import stopped unexpectedly (RuntimeError)." in response.content.decode()
    assert counts() == (0, 0, 0)


def test_uploads_are_not_kept_anywhere(staff_client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Uploads over 1 KB go to temporary files (Django's default threshold is 2.5 MB).
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.FILE_UPLOAD_TEMP_DIR = temp_dir = tmp_path / "uploads"
    temp_dir.mkdir()
    during = []
    real = admin_views.iter_uploaded_sources

    def spy(files):
        during.extend(temp_dir.iterdir())
        return real(files)

    monkeypatch.setattr(admin_views, "iter_uploaded_sources", spy)
    upload(staff_client, good_zip(), txt("single.txt", news_text()))
    assert NewsItem.objects.count() == 3
    assert len(during) == 2  # both uploads were temporary files while the import ran
    assert list(temp_dir.iterdir()) == []  # and are deleted with the request
    assert not (tmp_path / "media").exists()


def test_report_table_is_accessible(staff_client):
    html = upload(staff_client, good_zip()).content.decode()
    table = re.search(r'<table id="import-files">.*?</table>', html, re.S).group(0)
    assert "<caption>Files in this upload</caption>" in table
    assert table.count('<th scope="col">') == 5
    assert table.count('<th scope="row">') == 4
    assert table.count("<tr") == 5


def test_history_names_the_user_who_uploaded(publisher_client, publisher):
    upload(publisher_client, good_zip())
    item = NewsItem.objects.get(source_file="news_french.txt")
    (entry,) = item.history.all()
    assert entry.history_user == publisher
    assert entry.history_type == "+"


def test_the_web_connection_gets_durable_commits_back_after_an_import(staff_client):
    """The loader relaxes synchronous_commit for its (long) session; a web worker's connection
    serves later requests, whose commits must wait for the disk again."""
    from django.db import connection

    upload(staff_client, good_zip())
    assert NewsItem.objects.exists()
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # the setting does not exist there
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


# -- the crawl manifest ----------------------------------------------------------------------


def csv_upload(text, name="crawl.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_manifest_upload_dates_redirects_and_warns(staff_client, client):
    manifest = csv_upload(
        "file,url,published,language\n"
        "a.txt,https://www.iom.int/news/old-a,2014-03-07,fr\n"
        "gone.txt,/news/gone,,\n"
    )
    response = staff_client.post(URL, {"files": [txt("a.txt", news_text())], "manifest": manifest})
    assert summary(response).startswith(
        "1 file: 1 created, 0 updated, 0 unchanged, 0 failed; 2 warnings"
    )
    item = NewsItem.objects.get()
    assert item.published_on.isoformat() == "2014-03-07"
    assert item.raw_metadata == {"language": "fr", "original_url": "https://www.iom.int/news/old-a"}
    assert item.language == "fr"  # the manifest's word wins over the (English) text
    html = response.content.decode()
    assert "the manifest gives the language fr but the text reads as en" in html
    assert "manifest line 3: no file gone.txt in this upload" in html
    assert f"www.iom.int/news/old-a to {item.get_absolute_url()}" in html
    assert client.get("/news/old-a")["Location"] == item.get_absolute_url()


def test_a_bad_manifest_refuses_the_upload(staff_client):
    manifest = csv_upload("file,url,published,language\na.txt,,2014-13-01,\n")
    response = staff_client.post(URL, {"files": [txt("a.txt", news_text())], "manifest": manifest})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“crawl.csv” was refused; nothing was imported" in html
    assert "line 2: bad date &#x27;2014-13-01&#x27;" in html
    assert not NewsItem.objects.exists()
