"""The crawl manifest (import_legacy --manifest): checking, matching, dates, languages, the
re-run, the report and the redirects it creates."""

import datetime
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legacy.manifest import ManifestError, parse_manifest
from legacy.models import Redirect
from news.models import NewsItem
from projects.models import Project
from tests.legacy.test_import import news_text, project_text, run, write

pytestmark = pytest.mark.django_db

HEADER = "file,url,published,language\n"
DATED = ["Lodwar, Kenya, 12 March 2019 – Mobile clinics reached herders in the north."]


def manifest(folder, *rows, header=HEADER, name="manifest.csv"):
    path = folder / name
    path.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def pages(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    write(folder, "a.txt", news_text("Mobile Clinics Reach Herders"))
    write(folder, "b.txt", news_text("Clinics Dated on the Page", body=DATED))
    write(folder, "p.txt", project_text())
    return folder


# -- checking the manifest ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "line 1 is not the header row file,url,published,language (it reads a.txt,,,)"),
        ("\n", "has no header row"),
        ("file,url,published\n", "missing column language"),
        ("file,url,published,language,notes\n", "unknown column 'notes'"),
        ("a.txt,/x,2020-01-01,fr\n", "line 1 is not the header row"),
        ("file,url,url,language\n", "given twice"),
    ],
)
def test_a_bad_header_refuses_the_manifest_with_exit_status_2(tmp_path, pages, header, message):
    path = manifest(tmp_path, "a.txt,,,", header=header)
    _, _, error = run(pages, manifest=path)
    assert error is not None and error.returncode == 2
    assert message in str(error) and "nothing was imported" in str(error)
    assert not NewsItem.objects.exists() and not Project.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a.txt,,2020-13-01,", "line 2: bad date '2020-13-01' (expected an ISO date"),
        ("a.txt,,12/03/2020,", "line 2: bad date '12/03/2020'"),
        ("a.txt,,2020,", "line 2: bad date '2020'"),
        ("a.txt,,,de", "line 2: unknown language 'de' (expected one of en, es, fr)"),
        ("a.txt,news/foo,,", "line 2: bad url 'news/foo': not an http(s) URL or a path"),
        ("a.txt,ftp://www.iom.int/x,,", "line 2: bad url"),
        ("a.txt,https://www.iom.int/a b,,", "contains spaces"),
        (",/x,,", "line 2: no file name"),
        ("a.txt,/x", "line 2: 2 values where the header has 4"),
    ],
)
def test_a_bad_row_refuses_the_manifest_and_nothing_is_imported(tmp_path, pages, row, message):
    path = manifest(tmp_path, "b.txt,,,", row)
    _, _, error = run(pages, manifest=path)
    assert error is not None and error.returncode == 2
    assert message.replace("line 2", "line 3") in str(error)
    assert not NewsItem.objects.exists() and not Project.objects.exists()


def test_duplicate_files_and_shared_urls_are_refused_with_every_problem_listed(tmp_path, pages):
    path = manifest(
        tmp_path,
        "a.txt,https://www.iom.int/news/one,,",
        "folder/a.txt,,,",  # the same file name: folders do not count
        "b.txt,https://WWW.IOM.INT/news/one/,,",  # the same address, written otherwise
        "p.txt,,,xx",
    )
    _, _, error = run(pages, manifest=path)
    assert error.returncode == 2
    message = str(error)
    assert "line 3: file a.txt is also on line 2" in message
    assert "line 4: url https://WWW.IOM.INT/news/one/ is also on line 2 (file a.txt)" in message
    assert "line 5: unknown language 'xx'" in message
    assert not NewsItem.objects.exists()


def test_missing_or_unreadable_manifest_file(tmp_path, pages):
    _, _, error = run(pages, manifest=tmp_path / "nope.csv")
    assert error.returncode == 2 and "cannot be read" in str(error)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes((HEADER + "café.txt,,,\n").encode("latin-1"))
    _, _, error = run(pages, manifest=bad)
    assert error.returncode == 2 and "is not UTF-8 text" in str(error)


def test_header_in_any_order_with_a_bom_and_blank_lines():
    data = "\ufeffLanguage , FILE,published,url\r\n\r\nfr,a.txt,2001-02-03,/old/a\r\n".encode()
    parsed = parse_manifest(data)
    row = parsed.row_for("archive.zip:pages/a.txt")
    assert (row.file, row.url, row.published, row.language) == (
        "a.txt", "/old/a", datetime.date(2001, 2, 3), "fr",
    )  # fmt: skip
    assert parsed.unused() == []


def test_many_problems_are_listed_up_to_a_limit():
    rows = "".join(f"f{n}.txt,,bad,\n" for n in range(30))
    with pytest.raises(ManifestError) as caught:
        parse_manifest((HEADER + rows).encode())
    assert len(caught.value.problems) == 30
    assert str(caught.value).endswith("… and 10 more")


# -- what the manifest gives ---------------------------------------------------------------


def test_manifest_date_language_and_url_are_used(tmp_path, pages):
    path = manifest(
        tmp_path,
        "a.txt,https://www.iom.int/news/mobile-clinics,2014-03-07,FR",
        "b.txt,,2015-01-01,es",
        "p.txt,https://www.iom.int/project/xb0042,2016-01-01,en",
    )
    out, _, error = run(pages, manifest=path)
    assert error is None
    a = NewsItem.objects.get(source_file="a.txt")
    assert a.published_on == datetime.date(2014, 3, 7)  # the page gives none
    assert a.raw_metadata == {
        "language": "fr",
        "original_url": "https://www.iom.int/news/mobile-clinics",
    }
    b = NewsItem.objects.get(source_file="b.txt")
    assert b.published_on == datetime.date(2019, 3, 12)  # the page's own date wins
    assert b.raw_metadata == {"language": "es"}
    assert (
        "warning pages/b.txt: the page is dated 2019-03-12 and the manifest says 2015-01-01: "
        "the page's date is kept"
    ) in out.replace(str(tmp_path) + "/", "")
    project = Project.objects.get()
    assert project.raw_metadata["original_url"] == "https://www.iom.int/project/xb0042"
    assert project.raw_metadata["language"] == "en"
    assert "a project page has no publication date" in out
    assert {(r.host, r.path, r.target) for r in Redirect.objects.all()} == {
        ("www.iom.int", "/news/mobile-clinics", a),
        ("www.iom.int", "/project/xb0042", project),
    }


def test_rows_match_zip_members_by_name_and_unmatched_rows_are_warned(tmp_path):
    archive = tmp_path / "pages.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("crawl/2014/a.txt", news_text("Mobile Clinics Reach Herders"))
    path = manifest(tmp_path, "a.txt,/news/a,2014-03-07,", "gone.txt,/news/gone,,")
    report = tmp_path / "report.json"
    out, _, error = run(archive, manifest=path, report=report)
    assert error is None
    assert NewsItem.objects.get().published_on == datetime.date(2014, 3, 7)
    assert "warning manifest line 3: no file gone.txt in this run" in out
    assert "1 created, 0 updated, 0 unchanged, 0 failed, 1 warning" in out
    data = json.loads(report.read_text())
    assert data["manifest"] == {
        "file": str(path),
        "rows": 2,
        "unmatched": [{"line": 3, "file": "gone.txt"}],
    }
    assert data["summary"]["warnings"] == 1


def test_report_records_the_original_url_and_the_redirect(tmp_path, pages):
    path = manifest(tmp_path, "a.txt,https://www.iom.int/news/Mobile%20Clinics/?id=7,,")
    report = tmp_path / "report.json"
    out, _, error = run(pages, manifest=path, report=report, verbosity=2)
    assert error is None
    item = NewsItem.objects.get(source_file="a.txt")
    entries = {e["path"].rsplit("/", 1)[-1]: e for e in json.loads(report.read_text())["files"]}
    assert entries["a.txt"]["original_url"] == "https://www.iom.int/news/Mobile%20Clinics/?id=7"
    assert entries["a.txt"]["redirect"] == {
        "from": "www.iom.int/news/Mobile Clinics?id=7",
        "to": item.get_absolute_url(),
    }
    assert entries["b.txt"]["original_url"] is None and entries["b.txt"]["redirect"] is None
    assert f"(redirect www.iom.int/news/Mobile Clinics?id=7 -> {item.get_absolute_url()})" in out
    # A re-run reports the unchanged file's original address too.
    run(pages, manifest=path, report=report)
    entries = {e["path"].rsplit("/", 1)[-1]: e for e in json.loads(report.read_text())["files"]}
    assert entries["a.txt"]["outcome"] == "unchanged"
    assert entries["a.txt"]["original_url"] == "https://www.iom.int/news/Mobile%20Clinics/?id=7"


def test_dry_run_with_a_manifest_writes_nothing(tmp_path, pages):
    path = manifest(tmp_path, "a.txt,/news/a,2014-03-07,fr")
    out, _, error = run(pages, manifest=path, dry_run=True)
    assert error is None and "Nothing was written" in out
    assert not NewsItem.objects.exists() and not Redirect.objects.exists()


# -- re-runs -------------------------------------------------------------------------------


def test_rerun_with_the_same_manifest_changes_nothing(tmp_path, pages):
    path = manifest(tmp_path, "a.txt,/news/a,2014-03-07,fr", "b.txt,/news/b,,")
    run(pages, manifest=path)
    before = list(NewsItem.objects.values_list("pk", "updated", "source_hash"))
    redirects = list(Redirect.objects.values_list("pk", "path", "news_item"))
    out, _, error = run(pages, manifest=path)
    assert error is None
    assert "0 created, 0 updated, 3 unchanged, 0 failed" in out and "Nothing changed" in out
    assert list(NewsItem.objects.values_list("pk", "updated", "source_hash")) == before
    assert list(Redirect.objects.values_list("pk", "path", "news_item")) == redirects


def test_a_changed_row_updates_its_record_and_only_that_one(tmp_path, pages):
    run(pages, manifest=manifest(tmp_path, "a.txt,/news/a,2014-03-07,fr", "b.txt,,,"))
    a = NewsItem.objects.get(source_file="a.txt")
    out, _, error = run(pages, manifest=manifest(tmp_path, "a.txt,/news/a2,2014-03-08,es",
                                                 "b.txt,,,"))  # fmt: skip
    assert error is None
    assert "0 created, 1 updated, 2 unchanged" in out
    a.refresh_from_db()
    assert a.published_on == datetime.date(2014, 3, 8)
    assert a.raw_metadata == {"language": "es", "original_url": "/news/a2"}
    # The first address keeps leading to the record; the new one does too.
    assert sorted(Redirect.objects.filter(news_item=a).values_list("path", flat=True)) == [
        "/news/a",
        "/news/a2",
    ]


def test_a_manifest_added_later_updates_the_records_once(tmp_path, pages):
    run(pages)
    assert NewsItem.objects.get(source_file="a.txt").published_on is None
    path = manifest(tmp_path, "a.txt,,2014-03-07,")
    out, _, _ = run(pages, manifest=path)
    assert "0 created, 1 updated, 2 unchanged" in out
    assert NewsItem.objects.get(source_file="a.txt").published_on == datetime.date(2014, 3, 7)
    out, _, _ = run(pages, manifest=path)
    assert "0 created, 0 updated, 3 unchanged" in out
    # A row with no values is no change at all.
    out, _, _ = run(pages, manifest=manifest(tmp_path, "b.txt,,,", "a.txt,,2014-03-07,"))
    assert "0 created, 0 updated, 3 unchanged" in out


def test_an_address_that_leads_elsewhere_is_kept_with_a_warning(tmp_path, pages):
    run(pages, manifest=manifest(tmp_path, "a.txt,/news/shared,,"))
    a = NewsItem.objects.get(source_file="a.txt")
    out, _, error = run(pages, manifest=manifest(tmp_path, "a.txt,,,", "b.txt,/news/shared/,,"))
    assert error is None
    assert "the old address /news/shared/ already leads to “Mobile Clinics Reach Herders”" in out
    assert Redirect.objects.get().news_item == a


def test_query_count_does_not_grow_with_the_manifest(tmp_path):
    # One look-up and one insert of redirects per chunk, whatever the number of files.
    counts = []
    for n in (1, 3):
        folder = tmp_path / f"run{n}"
        folder.mkdir()
        rows = []
        for i in range(n):
            write(folder, f"n{n}_{i}.txt", news_text(f"Clinics Reach Herders {n} {i}", contacts=[]))
            rows.append(f"n{n}_{i}.txt,/news/old-{n}-{i},2014-03-0{i + 1},fr")
        path = manifest(tmp_path, *rows, name=f"m{n}.csv")
        with CaptureQueriesContext(connection) as queries:
            run(folder, manifest=path, workers=1)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_row_matches_every_file_of_its_name_and_the_first_gets_the_redirect(tmp_path):
    for folder, title in (("one", "Clinics Reach Herders"), ("two", "Schools Reopen in Lodwar")):
        (tmp_path / "pages" / folder).mkdir(parents=True)
        write(tmp_path / "pages" / folder, "x.txt", news_text(title))
    out, _, error = run(
        tmp_path / "pages", manifest=manifest(tmp_path, "x.txt,/news/x,2014-03-07,")
    )
    assert error is None
    first, second = NewsItem.objects.order_by("pk")
    assert first.published_on == second.published_on == datetime.date(2014, 3, 7)
    assert Redirect.objects.get().news_item == first
    assert "the old address /news/x already leads to “Clinics Reach Herders”" in out
