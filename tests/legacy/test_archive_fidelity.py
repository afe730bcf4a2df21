"""The archive-fidelity yardstick: its scorer, its labels, and the headline figure (issue 12).

The headline test imports tests/legacy/archive through the command and asserts that at least
99% of the labelled fields come out right; on failure it prints the per-field table and every
wrong field. bench/archive_fidelity.py prints the same figures outside pytest.
"""

import copy
import csv
import json

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import Client

from tests.legacy import fidelity

LABELS = fidelity.load_labels()
# Issue 12's goal: 0.99 of the fields right. The archive set scores 783/783 (the set the
# importer was tuned on, bench/results/archive_fidelity.txt); the holdout set, labelled blind,
# 332/338 (0.982, bench/results/holdout_fidelity.txt). Floors that fail on any regression:
# raise them with a fix, never lower them.
TARGET = 0.99
HOLDOUT_TARGET = 0.975


def _news_label(**expect):
    base = {
        "title": "Cash Grants Help Returnees in Mali",
        "kind": "press-release",
        "dateline": "Bamako",
        "published_on": "2018-04-17",
        "countries": ["ML"],
        "contacts": [{"name": "Moussa Keita", "office": "IOM Mali", "emails": ["mkeita@iom.int"]}],
        "captions": [],
        "body_start": "Bamako – More than 200 returnees received start-u",
        "body_end": "received training in bookkeeping and marketing.",
        "truncated": False,
    }
    base.update(expect)
    return {
        "file": "a.txt",
        "source_url": None,
        "synthetic": True,
        "language": "en",
        "classes": ["plain"],
        "type": "news",
        "expect": base,
    }


def _record_for(label):
    """The imported record that matches ``label`` in every field."""
    e = label["expect"]
    return {
        **copy.deepcopy(e),
        "body": e["body_start"] + " … the middle of the story … " + e["body_end"],
        "language": label["language"],
    }


# -- the scorer --------------------------------------------------------------------------


def test_a_perfect_record_scores_every_field():
    label = _news_label()
    result = fidelity.score([label], {"a.txt": _record_for(label)})
    fields = len(fidelity.NEWS_FIELDS) + len(fidelity.PAGE_FIELDS)
    assert (result.right, result.total) == (fields, fields)
    assert result.wrong == []


def test_the_language_is_scored_from_the_label_beside_the_type():
    label = _news_label()
    record = {**_record_for(label), "language": "fr"}
    result = fidelity.score([label], {"a.txt": record})
    assert result.wrong == [("a.txt", "language", "en", "fr")]
    assert result.per_group["language"] == [0, 1]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("title", "Cash Grants Help Returnees in Niger"),
        ("kind", "news"),
        ("dateline", "Kayes"),
        ("published_on", None),
        ("countries", ["ML", "SN"]),
        ("captions", ["A returnee in her shop. © IOM 2018"]),
        ("truncated", True),
        ("body", "Kayes – More than 200 returnees received start-up grants."),
    ],
)
def test_a_record_that_differs_in_one_field_scores_exactly_that_field_wrong(name, value):
    label = _news_label()
    record = _record_for(label)
    record[name] = value
    result = fidelity.score([label], {"a.txt": record})
    wrong = {field for _, field, _, _ in result.wrong}
    expected = {"body_start", "body_end"} if name == "body" else {name}
    if name == "body":  # the new body both starts and ends differently
        expected = {f for f in expected if not fidelity.field_right(f, label["expect"][f], value)}
    assert wrong == expected
    assert result.right == result.total - len(expected)
    assert result.per_field[f"news.{next(iter(expected))}"] == [0, 1]


def test_sets_of_countries_are_order_insensitive_and_case_insensitive():
    assert fidelity.field_right("countries", ["SV", "GT", "HN"], ["hn", "SV", "GT"])
    assert not fidelity.field_right("countries", ["SV", "GT", "HN"], ["SV", "GT"])
    assert not fidelity.field_right("benefiting_states", ["TO"], None)
    assert fidelity.field_right("benefiting_states", [], [])


def test_text_ignores_accents_case_spacing_and_typographic_quotes():
    assert fidelity.field_right("dateline", "Bogotá", "BOGOTA")
    assert fidelity.field_right("title", "A Rohingya Mother’s Son", "A  Rohingya mother's son")
    assert fidelity.field_right("title", "Nador – Melilla", "Nador - Melilla")
    assert not fidelity.field_right("dateline", "Bogotá", "Bogotá, Colombia")
    assert fidelity.field_right("dateline", "", None)  # an empty dateline: none imported


def test_body_start_and_end_compare_normalized_text():
    body = "Geneva – IOM reports   that 8,950 migrants…\n\nthe last   paragraph ends here."
    assert fidelity.field_right("body_start", "Geneva - IOM reports that 8,950", body)
    assert fidelity.field_right("body_end", "paragraph ends here.", body)
    assert not fidelity.field_right("body_start", "IOM reports", body)
    assert not fidelity.field_right("body_end", "", body)  # an empty label proves nothing


def test_budget_compares_as_a_decimal():
    assert fidelity.field_right("budget_usd", "1000000.00", "1000000")
    assert fidelity.field_right("budget_usd", None, None)
    assert not fidelity.field_right("budget_usd", "1000000.00", "1000.00")


def test_contacts_score_per_contact():
    alba = {"name": "Alba Miriam Amaya", "office": "IOM El Salvador", "emails": ["aamaya@iom.int"]}
    jose = {
        "name": "José Miguel Gómez",
        "office": "IOM El Salvador",
        "emails": ["miggomez@iom.int"],
    }
    assert fidelity.contact_units([alba, jose], [jose, alba]) == (2, 2)
    assert fidelity.contact_units([alba, jose], [alba]) == (1, 2)
    assert fidelity.contact_units([alba], [alba, jose]) == (1, 2)  # an extra contact is wrong
    assert fidelity.contact_units([], []) == (1, 1)
    accentless = {**jose, "name": "Jose Miguel Gomez"}
    assert fidelity.contact_units([jose], [accentless]) == (1, 1)
    other_office = {**jose, "office": "IOM Honduras"}
    assert fidelity.contact_units([jose], [other_office]) == (0, 2)

    label = _news_label(contacts=[alba, jose])
    record = _record_for(label)
    record["contacts"] = [alba]
    result = fidelity.score([label], {"a.txt": record})
    assert result.per_field["news.contacts"] == [1, 2]


def test_a_failed_file_scores_every_field_wrong_and_classes_count():
    label = _news_label()
    label["classes"] = ["countries", "dates"]
    result = fidelity.score([label], {"a.txt": None})
    assert result.right == 0
    assert result.total == len(fidelity.NEWS_FIELDS) + len(fidelity.PAGE_FIELDS)
    assert result.per_class["countries"] == [0, result.total]
    assert result.per_class["dates"] == [0, result.total]
    assert result.per_language["en"] == [0, result.total]


def test_manifest_pages_are_also_scored_on_their_old_url():
    label = _news_label(old_url="/news/old-path")
    label["classes"] = ["manifest"]
    record = _record_for(label)
    fields = len(fidelity.NEWS_FIELDS) + len(fidelity.PAGE_FIELDS) + 1
    assert fidelity.score([label], {"a.txt": record}).right == fields
    record["old_url"] = "(HTTP 404)"
    assert [w[1] for w in fidelity.score([label], {"a.txt": record}).wrong] == ["old_url"]


class _Answers:
    """A stand-in for django.test.Client: canned (status, Location) per path."""

    def __init__(self, answers):
        self.answers = answers

    def get(self, path):
        status, location = self.answers.get(path, (404, ""))
        response = HttpResponse(status=status)
        if location:
            response["Location"] = location
        return response


def test_an_old_url_counts_only_when_permanent_redirects_lead_to_the_record():
    new = "/news/cash-grants/"
    direct = _Answers({"/old": (301, "http://testserver/news/cash-grants/")})
    assert fidelity._old_url(direct, "/old", new) == "/old"
    slash_first = _Answers({"/old": (301, "/old/"), "/old/": (301, new)})
    assert fidelity._old_url(slash_first, "/old", new) == "/old"
    temporary = _Answers({"/old": (302, new)})
    assert fidelity._old_url(temporary, "/old", new) == "(HTTP 302 /news/cash-grants/)"
    elsewhere = _Answers({"/old": (301, "/news/")})
    assert fidelity._old_url(elsewhere, "/old", new).startswith("(HTTP")
    assert fidelity._old_url(_Answers({}), "/old", new) == "(HTTP 404)"


def test_the_table_lists_fields_classes_and_wrong_fields():
    label = _news_label()
    record = _record_for(label)
    record["kind"] = "news"
    text = fidelity.format_table(fidelity.score([label], {"a.txt": record}))
    assert "Overall: 10/11" in text
    assert "Per field group" in text
    assert fidelity.score([label], {"a.txt": record}).per_group["kind"] == [0, 1]
    assert "news.kind" in text
    assert "plain" in text
    assert 'a.txt  kind: expected "press-release"; got "news"' in text


# -- the labelled set --------------------------------------------------------------------


HOLDOUT_LABELS = fidelity.load_labels(fidelity.HOLDOUT) if fidelity.HOLDOUT.exists() else []


@pytest.mark.parametrize(
    "set_dir,labels",
    [(fidelity.ARCHIVE, LABELS), (fidelity.HOLDOUT, HOLDOUT_LABELS)],
    ids=["archive", "holdout"],
)
def test_every_labelled_file_exists_and_every_file_is_labelled(set_dir, labels):
    files = sorted(p.name for p in set_dir.glob("*.txt"))
    labelled = [label["file"] for label in labels]
    assert len(labelled) == len(set(labelled)), "a file is labelled twice"
    assert sorted(labelled) == files


def test_the_holdout_set_shares_no_page_with_the_archive():
    """The holdout measures generalisation only if none of its real pages was tuned on."""
    used = {label["source_url"] for label in LABELS if label.get("source_url")}
    assert not [label["file"] for label in HOLDOUT_LABELS if label.get("source_url") in used]
    assert fidelity.manifest_path(fidelity.HOLDOUT) is None  # no manifest class there


@pytest.mark.parametrize(
    "set_dir,label",
    [(fidelity.ARCHIVE, label) for label in LABELS]
    + [(fidelity.HOLDOUT, label) for label in HOLDOUT_LABELS],
    ids=lambda value: value["file"] if isinstance(value, dict) else value.name,
)
def test_labels_are_complete_and_well_formed(set_dir, label):
    keys = {"file", "source_url", "synthetic", "language", "classes", "type", "expect", "note"}
    assert set(label) <= keys
    assert label["type"] in fidelity.FIELDS
    assert label["language"] in fidelity.LANGUAGES
    assert label["classes"]
    assert set(label["classes"]) <= set(fidelity.CLASSES)
    assert "plain" not in label["classes"] or label["classes"] == ["plain"]
    assert label.get("source_url") or label.get("synthetic") is True
    if label.get("source_url"):
        assert label["source_url"].startswith(("http://", "https://"))
    expect = label["expect"]
    scored = set(fidelity.label_fields(label)) - set(fidelity.PAGE_FIELDS)  # beside "expect"
    assert scored <= set(expect), "missing fields"
    text = (set_dir / label["file"]).read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert " ".join(expect["title"].split()) in flat
    # The labelled start and end are the page's own text (hard-wrapped files rejoined).
    assert " ".join(expect["body_start"].split()) in flat
    assert " ".join(expect["body_end"].split()) in flat
    if label["type"] == "news":
        assert expect["kind"] in fidelity.KINDS
        for caption in expect["captions"]:
            assert caption in text
        for contact in expect["contacts"]:
            assert contact["name"] in text and all(e in text for e in contact["emails"])
        assert all(len(code) == 2 and code.isupper() for code in expect["countries"])
        # A truncated page stops mid-sentence with no contact block; the others end a sentence.
        ends_sentence = expect["body_end"].rstrip()[-1] in '.!?"”»)'
        assert expect["truncated"] == ("truncated" in label["classes"])
        assert expect["truncated"] != ends_sentence
        assert not (expect["truncated"] and expect["contacts"])
    else:
        from projects.models import Coverage, ProjectStatus

        assert expect["status"] in ["", *ProjectStatus.values]
        assert expect["coverage"] in ["", *Coverage.values]
        assert all(len(code) == 2 for code in expect["benefiting_states"])


def test_the_manifest_covers_exactly_the_manifest_class():
    with fidelity.MANIFEST.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["file", "url", "published", "language"]
    by_file = {row["file"]: row for row in rows}
    in_class = {label["file"]: label for label in LABELS if "manifest" in label["classes"]}
    assert set(by_file) == set(in_class)
    for name, label in in_class.items():
        row = by_file[name]
        assert row["language"] == label["language"]
        assert label["expect"]["old_url"].startswith("/")
        assert row["url"].endswith(label["expect"]["old_url"])
        if row["published"]:
            assert label["expect"]["published_on"] == row["published"]


def test_records_that_match_the_labels_score_100_percent():
    """No label is out of reach of the comparison rules (a record equal to it scores right)."""
    records = {label["file"]: _record_for(label) for label in LABELS}
    result = fidelity.score(LABELS, records)
    assert result.wrong == []
    assert result.right == result.total > 700


def test_every_class_and_language_is_represented():
    classes = {cls for label in LABELS for cls in label["classes"]}
    assert classes == set(fidelity.CLASSES)
    assert {label["language"] for label in LABELS} == set(fidelity.LANGUAGES)
    assert {label["type"] for label in LABELS} == {"news", "project"}


# -- the headline figure -----------------------------------------------------------------


def _import_archive(tmp_path, set_dir=fidelity.ARCHIVE):
    """Import a labelled set (with its manifest, if it has one); the report."""
    report = tmp_path / "report.json"
    arguments = [str(set_dir), "--report", str(report), "--workers", "1", "-v", "0"]
    manifest = fidelity.manifest_path(set_dir)
    for extra in (["--manifest", str(manifest)] if manifest else [], []):
        try:
            call_command("import_legacy", *arguments, *extra)
        except CommandError as exc:
            if extra and "unrecognized arguments" in str(exc):
                continue  # no --manifest yet: the manifest pages score as wrong
            # Otherwise some files failed: they score as wrong.
        break
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_archive_imports_at_or_above_the_target_share_of_fields_right(tmp_path):
    report = _import_archive(tmp_path)
    records = fidelity.collect_records(report, LABELS, client=Client())
    result = fidelity.score(LABELS, records)
    assert result.ratio >= TARGET, "\n" + fidelity.format_table(result)


@pytest.mark.django_db
def test_the_blind_holdout_set_imports_at_or_above_its_floor(tmp_path):
    report = _import_archive(tmp_path, fidelity.HOLDOUT)
    records = fidelity.collect_records(report, HOLDOUT_LABELS, client=Client())
    result = fidelity.score(HOLDOUT_LABELS, records)
    assert result.ratio >= HOLDOUT_TARGET, "\n" + fidelity.format_table(result)
