"""The importer links a release to the projects its text names by code (legacy.loader,
projects/codes.py)."""

import json

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from news.models import NewsItem, NewsItemProject
from projects.codes import codes_in
from tests.factories import make_project
from tests.legacy.test_import import news_text, project_text, run, write

pytestmark = pytest.mark.django_db

BODY = [
    "Kathmandu – IOM trained 40 labour attachés this week under the project XB.0042.",
    "The training (also part of ZZ.9999, a project not in the database) lasted five days.",
]


def linked_codes(item):
    return sorted(item.projects.values_list("project_code", flat=True))


def test_the_pattern_finds_whole_codes_in_order():
    text = "Under XB.0042 (and CE.0373). Not XXB.0042, XB.00421, xb.0042 nor XB.0042.5; XB.0042."
    assert codes_in(text) == ["XB.0042", "CE.0373"]


def test_a_release_naming_a_stored_project_is_linked_and_the_report_says_so(tmp_path):
    run(write(tmp_path, "p.txt", project_text()))
    report = tmp_path / "r.json"
    run(write(tmp_path, "n.txt", news_text(body=BODY)), report=report)
    item = NewsItem.objects.get()
    assert linked_codes(item) == ["XB.0042"]  # ZZ.9999 names no project: no link
    news = json.loads(report.read_text())["files"][0]
    assert news["record"]["projects"] == ["XB.0042"]
    link = NewsItemProject.history.get()
    assert link.history_change_reason == "Imported from legacy text n.txt"


def test_a_project_earlier_in_the_same_run_is_linked_a_later_one_is_not(tmp_path):
    write(tmp_path, "a_project.txt", project_text())
    write(tmp_path, "b_news.txt", news_text(body=BODY))
    write(tmp_path, "c_news.txt", news_text("Herders Again", body=["Under CE.0373 too."]))
    write(tmp_path, "d_project.txt", project_text("CE.0373", title="Another Corridor Project"))
    run(tmp_path)
    assert linked_codes(NewsItem.objects.get(title__startswith="Mobile")) == ["XB.0042"]
    # Decided by the files before it: the same answer as in two runs (see the docs).
    assert linked_codes(NewsItem.objects.get(title="Herders Again")) == []


def test_re_importing_keeps_one_link_and_never_removes_one_staff_chose(tmp_path):
    project = make_project(project_code="XB.0042", language="en")
    staff_choice = make_project(project_code="CE.0373")
    path = write(tmp_path, "n.txt", news_text(body=BODY))
    run(path)
    item = NewsItem.objects.get()
    NewsItemProject.objects.create(news_item=item, project=staff_choice)
    out, _, _ = run(path)  # unchanged: not even parsed
    assert "1 unchanged" in out
    write(tmp_path, "n.txt", news_text(body=[*BODY, "A corrected last paragraph."]))
    out, _, _ = run(path)
    assert "1 updated" in out
    assert linked_codes(item) == ["CE.0373", "XB.0042"]
    assert NewsItemProject.objects.filter(news_item=item, project=project).count() == 1


@pytest.mark.parametrize(
    ("languages", "expected"), [(("en", "fr"), "fr"), (("en", "es"), "en"), (("es",), "es")]
)
def test_a_release_is_linked_to_the_version_in_its_language_else_the_original(
    tmp_path, languages, expected
):
    for language in languages:
        make_project(project_code="XB.0042", language=language)
    french = [
        "Katmandou – L'OIM a formé 40 attachés du travail cette semaine dans le cadre du "
        "projet XB.0042, avec les autorités du pays et les agences de recrutement.",
        "La formation a duré cinq jours et se poursuivra l'année prochaine.",
    ]
    run(write(tmp_path, "n.txt", news_text("Formation des attachés du travail", body=french,
                                           contacts=[])), manifest=None)  # fmt: skip
    item = NewsItem.objects.get()
    assert item.language == "fr"
    assert [project.language for project in item.projects.all()] == [expected]


def test_query_count_does_not_grow_with_the_links(tmp_path):
    make_project(project_code="XB.0042")
    make_project(project_code="CE.0373")
    one, three = tmp_path / "one", tmp_path / "three"
    one.mkdir()
    three.mkdir()
    write(one, "a.txt", news_text("Alpha Release About Herders", body=BODY, contacts=[]))
    write(one, "b.txt", news_text("Beta Release About Herders", body=BODY, contacts=[]))
    both = [*BODY, "And CE.0373."]
    for name in ("c", "d", "e"):
        write(three, f"{name}.txt", news_text(f"{name.upper()} Release", body=both, contacts=[]))
    with CaptureQueriesContext(db_connection) as first:
        run(one)
    with CaptureQueriesContext(db_connection) as second:
        run(three)
    assert len(second) == len(first)
    assert NewsItemProject.objects.count() == 2 + 3 * 2
