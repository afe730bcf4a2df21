"""The archive-fidelity yardstick: how many hand-checked fields of real pages an import gets right.

The labelled set lives in ``tests/legacy/archive/`` (``labels.json``, one entry per legacy text;
see its README). :func:`score` compares the labels with what was imported, given as plain dicts,
field by field, and counts right/total per field, per class of page and per language. It is
pure: no Django, no database. :func:`collect_records` reads those dicts out of the database and
the import's JSON report; bench/archive_fidelity.py and tests/legacy/test_archive_fidelity.py
both use it, so the figure printed by the bench is the figure the test asserts.

Comparison rules (one per kind of field):

- text (title, dateline, status, region...): accents, case, spacing, curly quotes and dash
  variants do not count;
- body start / end: the imported body, so normalized, starts (ends) with the labelled 50
  characters;
- countries and benefiting states: sets of ISO codes, order-insensitive;
- contacts: per contact, a labelled contact is right when an imported contact has the same
  name, office and e-mail addresses (text-normalized; addresses as a set); each imported
  contact nobody labelled counts one wrong unit; a page with no contacts labelled and none
  imported is one right unit;
- captions: the list of caption strings, text-normalized, in order;
- dates and partial dates, codes, years, budgets, booleans: equal after text normalization
  (a budget as a decimal with two places);
- language: the page's language code (labelled beside its type, not under "expect"), equal.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

ARCHIVE = Path(__file__).resolve().parent / "archive"
LABELS = ARCHIVE / "labels.json"
MANIFEST = ARCHIVE / "manifest.csv"
# A labelled set is a directory in the archive's format: labels.json, the .txt pages and, only
# when some page is in the ``manifest`` class, manifest.csv. The archive is the default set; the
# holdout set (tests/legacy/holdout) is scored the same way to see how the import generalises.
HOLDOUT = Path(__file__).resolve().parent / "holdout"


def labels_path(set_dir=ARCHIVE):
    return Path(set_dir) / "labels.json"


def manifest_path(set_dir=ARCHIVE):
    """The set's manifest.csv, or None for a set without one."""
    path = Path(set_dir) / "manifest.csv"
    return path if path.exists() else None


NEWS_FIELDS = (
    "title",
    "kind",
    "dateline",
    "published_on",
    "countries",
    "contacts",
    "captions",
    "body_start",
    "body_end",
    "truncated",
)
PROJECT_FIELDS = (
    "title",
    "project_code",
    "prima_id",
    "status",
    "project_type",
    "budget_usd",
    "coverage",
    "region",
    "start",
    "end",
    "year",
    "benefiting_states",
    "body_start",
    "body_end",
)
FIELDS = {"news": NEWS_FIELDS, "project": PROJECT_FIELDS}
# Fields of every page, whatever its type, labelled at the top of its entry (not in "expect").
PAGE_FIELDS = ("language",)
# The figures issue 12 asks for: fields grouped as it names them (every project field but the
# title and the body is "project metadata").
FIELD_GROUPS = {
    "title": "title",
    "dateline": "dateline",
    "published_on": "date",
    "countries": "countries",
    "kind": "kind",
    "contacts": "contacts",
    "captions": "captions",
    "truncated": "truncated",
    "old_url": "old URL",
    "language": "language",
    **dict.fromkeys(PROJECT_FIELDS[1:-2], "project metadata"),
    "body_start": "body start/end",
    "body_end": "body start/end",
}
GROUP_ORDER = (
    "title",
    "dateline",
    "date",
    "countries",
    "kind",
    "contacts",
    "captions",
    "truncated",
    "old URL",
    "language",
    "project metadata",
    "body start/end",
)
# Fields a page carries only when it is in the class: the manifest gives it an old URL.
CLASS_FIELDS = {"manifest": ("old_url",)}
CLASSES = (
    "project-gaps",
    "label-variants",
    "captions",
    "countries",
    "kinds",
    "dates",
    "manifest",
    "truncated",
    "contacts-localized",
    "plain",
)
LANGUAGES = ("en", "fr", "es")
KINDS = ("press-release", "news", "statement", "story", "briefing", "update")

_QUOTES = str.maketrans(
    {
        "\u2018": "'",  # curly single quotes
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',  # curly double quotes and guillemets
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",  # en and em dashes, non-breaking and soft hyphens
        "\u2014": "-",
        "\u2011": "-",
        "\u2010": "-",
        "\u00a0": " ",  # no-break spaces
        "\u202f": " ",
    }
)


def norm_text(value):
    """Accent-free, casefolded, single-spaced text with straight quotes and plain hyphens."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value).translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def _codes(values):
    return {str(v).strip().upper() for v in values or () if str(v).strip()}


def _budget(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)


def _contact_key(contact):
    return (
        norm_text(contact.get("name")),
        norm_text(contact.get("office")),
        frozenset(norm_text(e) for e in contact.get("emails") or () if e),
    )


def contact_units(expected, got):
    """(right, total) for a page's contacts, per contact (see the module docstring)."""
    expected = [_contact_key(c) for c in expected or ()]
    remaining = [_contact_key(c) for c in got or ()]
    if not expected and not remaining:
        return 1, 1
    right = 0
    for key in expected:
        if key in remaining:
            remaining.remove(key)
            right += 1
    return right, len(expected) + len(remaining)


def field_right(name, expected, got):
    """Whether one labelled field came out right (contacts: see :func:`contact_units`)."""
    if name == "contacts":
        right, total = contact_units(expected, got)
        return right == total
    if name in ("countries", "benefiting_states"):
        return got is not None and _codes(expected) == _codes(got)
    if name == "captions":
        if got is None:
            return False
        return [norm_text(c) for c in expected] == [norm_text(c) for c in got if norm_text(c)]
    if name == "body_start":
        return bool(norm_text(expected)) and norm_text(got).startswith(norm_text(expected))
    if name == "body_end":
        return bool(norm_text(expected)) and norm_text(got).endswith(norm_text(expected))
    if name == "budget_usd":
        return _budget(expected) == _budget(got)
    if name == "truncated":
        return bool(expected) == bool(got)
    return norm_text(expected) == norm_text(got)  # None and "" alike: nothing


def label_fields(label):
    """The names of the fields a label is scored on."""
    names = [*FIELDS[label["type"]], *PAGE_FIELDS]
    for cls in label.get("classes", ()):
        names.extend(CLASS_FIELDS.get(cls, ()))
    return names


@dataclass
class Score:
    """Right/total per field, per class, per language and per type; and every wrong field."""

    per_group: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    per_field: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    per_class: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    per_language: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    per_type: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    wrong: list = field(default_factory=list)  # (file, field, expected, got)
    right: int = 0
    total: int = 0

    @property
    def ratio(self):
        return self.right / self.total if self.total else 0.0

    def _add(self, label, name, right, total):
        for table, key in (
            (self.per_group, FIELD_GROUPS[name]),
            (self.per_field, f"{label['type']}.{name}"),
            (self.per_language, label["language"]),
            (self.per_type, label["type"]),
            *((self.per_class, cls) for cls in label.get("classes", ())),
        ):
            table[key][0] += right
            table[key][1] += total
        self.right += right
        self.total += total


def score(labels, records):
    """Score ``records`` ({file name: imported record dict, or None when the file failed})
    against ``labels`` (the entries of labels.json)."""
    result = Score()
    for label in labels:
        record = records.get(label["file"])
        expect = label["expect"]
        for name in label_fields(label):
            expected = label[name] if name in PAGE_FIELDS else expect.get(name)
            got = None if record is None else _got(record, name)
            if record is None:  # the file failed: nothing of it is right
                right, total = 0, max(len(expected or ()), 1) if name == "contacts" else 1
            elif name == "contacts":
                right, total = contact_units(expected, got)
            else:
                right, total = int(field_right(name, expected, got)), 1
            result._add(label, name, right, total)
            if right < total:
                result.wrong.append((label["file"], name, expected, got))
    return result


def _got(record, name):
    if name in ("body_start", "body_end"):
        return record.get("body", "")
    return record.get(name)


def _pct(right, total):
    return f"{100 * right / total:5.1f}%" if total else "   - "


def format_table(result):
    """The per-field, per-class, per-language tables and the list of wrong fields, as text."""
    lines = [
        f"Overall: {result.right}/{result.total} fields right ({_pct(result.right, result.total)})"
    ]
    sections = (
        ("Per field group", result.per_group, GROUP_ORDER),
        ("Per type", result.per_type, None),
        ("Per language", result.per_language, LANGUAGES),
        ("Per field", result.per_field, None),
        ("Per class", result.per_class, CLASSES),
    )
    for heading, table, order in sections:
        lines += ["", heading]
        keys = [k for k in order if k in table] if order else sorted(table)
        for key in keys:
            right, total = table[key]
            lines.append(f"  {key:28} {right:4}/{total:<4} {_pct(right, total)}")
    lines += ["", f"Wrong fields ({len(result.wrong)}):"]
    for file, name, expected, got in result.wrong:
        lines.append(f"  {file}  {name}: expected {_short(expected)}; got {_short(got)}")
    return "\n".join(lines)


def _short(value, width=90):
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def load_labels(path=LABELS):
    """The entries of a labels.json; ``path`` is the file or the set's directory."""
    path = Path(path)
    if path.is_dir():
        path = labels_path(path)
    return json.loads(path.read_text(encoding="utf-8"))


# -- reading the imported records (needs Django set up) ------------------------------------


def _html_text(fragment):
    """The paragraphs of stored HTML as plain text, one per line."""
    text = re.sub(r"</p\s*>|<br\s*/?>", "\n", fragment or "")
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _body(lead, body_html):
    parts = [lead or "", _html_text(body_html)]
    return "\n".join(part for part in parts if part.strip())


def collect_records(report, labels, client=None):
    """{file name: record dict or None} for the labelled files, from the database and the
    import's JSON ``report`` (parsed). A file that failed, or that the report does not list,
    maps to None. ``client`` (a django.test.Client) checks the old URLs of manifest pages."""
    from news.models import NewsItem
    from projects.models import Project

    entries = {Path(entry["path"]).name: entry for entry in report.get("files", ())}
    has_captions = any(f.name == "captions" for f in NewsItem._meta.get_fields())
    records = {}
    for label in labels:
        name = label["file"]
        entry = entries.get(name)
        if entry is None or entry.get("outcome") == "failed":
            records[name] = None
            continue
        warnings = entry.get("warnings") or []
        if label["type"] == "news":
            item = NewsItem.objects.filter(source_file=name).first()
            if item is None:
                records[name] = None
                continue
            record = _news_record(item, entry, warnings, has_captions)
        else:
            project = (
                Project.objects.select_related("project_type", "region")
                .filter(source_file=name)
                .first()
            )
            if project is None:
                records[name] = None
                continue
            record = _project_record(project)
        if "manifest" in label.get("classes", ()):
            record["old_url"] = _old_url(client, label["expect"].get("old_url"), item_url(record))
        records[name] = record
    return records


def item_url(record):
    return record.get("_url")


def _news_record(item, entry, warnings, has_captions):
    parsed_contacts = (entry.get("record") or {}).get("contacts")
    if parsed_contacts is None:  # a report without records: the linked contacts instead
        parsed_contacts = [
            {"name": c.name, "office": c.office, "emails": [c.email] if c.email else []}
            for c in item.contacts.order_by("news_links__position")
        ]
    captions = None
    if has_captions:
        captions = [line for line in (item.captions or "").splitlines() if line.strip()]
    return {
        "_url": item.get_absolute_url(),
        "language": item.language,
        "title": item.title,
        "kind": item.kind,
        "dateline": item.dateline,
        "published_on": item.published_on.isoformat() if item.published_on else None,
        "countries": [c.code for c in item.countries],
        "contacts": [
            {"name": c.get("name"), "office": c.get("office"), "emails": c.get("emails") or []}
            for c in parsed_contacts
        ],
        "captions": captions,
        "body": _body(item.lead, item.body),
        "truncated": any("possibly truncated" in w.lower() for w in warnings),
    }


def _project_record(project):
    return {
        "_url": project.get_absolute_url(),
        "language": project.language,
        "title": project.title,
        "project_code": project.project_code,
        "prima_id": project.prima_id,
        "status": project.status,
        "project_type": project.project_type.name if project.project_type else "",
        "budget_usd": str(project.budget_usd) if project.budget_usd is not None else None,
        "coverage": project.coverage,
        "region": project.region.name if project.region else "",
        "start": project.start,
        "end": project.end,
        "year": project.year,
        "benefiting_states": [c.code for c in project.benefiting_states],
        "body": _body(project.summary, project.description),
    }


def _old_url(client, old_path, new_url, hops=3):
    """The old path when GET on it leads to the record's page by permanent redirects only (at
    most ``hops`` of them: an added slash, then the redirect, is fine); else what it answered."""
    if client is None or not old_path or not new_url:
        return None
    path = old_path
    for _ in range(hops):
        response = client.get(path)
        location = response.get("Location", "")
        if response.status_code != 301:
            break
        if urlsplit(location).path == new_url:
            return old_path
        path = urlsplit(location).path
    return f"(HTTP {response.status_code} {location})".replace(" )", ")")
