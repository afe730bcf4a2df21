"""What an import says about itself: per-file results, their summary and the JSON report.

The command (``import_legacy``) and the admin page print the same :class:`Summary`; the
command also writes the JSON report (schema in docs/import_legacy.md), whose values are the
plain strings of :class:`Outcome` and :class:`Kind`.
"""

import dataclasses
import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy

from .parsing.kinds import classify
from .parsing.model import Note


def in_language(message):
    """A message of the import in the active language, for staff: a
    :class:`~legacy.parsing.model.Note` is translated from its template (its values too, when
    they are notes); anything else is returned as it is."""
    if not isinstance(message, Note):
        return message
    template = gettext(message.template)
    if not message.values:
        return template
    return template % {name: in_language(value) for name, value in message.values.items()}


class Outcome(models.TextChoices):
    CREATED = "created", pgettext_lazy("legacy import outcome", "created")
    UPDATED = "updated", pgettext_lazy("legacy import outcome", "updated")
    UNCHANGED = "unchanged", pgettext_lazy("legacy import outcome", "unchanged")
    FAILED = "failed", pgettext_lazy("legacy import outcome", "failed")

    def describe(self, dry_run=False):
        """How the outcome reads in the admin's report ("would be created" in a dry run)."""
        return _DRY_RUN_LABELS.get(self, self.label) if dry_run else self.label

    def count_phrase(self, count, dry_run=False):
        """ "4 created" (or "4 would be created"), pluralised for the translations."""
        phrases = _COUNT_PHRASES[self]
        phrase = phrases[1] if dry_run and len(phrases) > 1 else phrases[0]
        return phrase % {"count": count}


_DRY_RUN_LABELS = {
    Outcome.CREATED: pgettext_lazy("legacy import outcome", "would be created"),
    Outcome.UPDATED: pgettext_lazy("legacy import outcome", "would be updated"),
}
_COUNT_PHRASES = {
    Outcome.CREATED: (
        ngettext_lazy("%(count)s created", "%(count)s created", "count"),
        ngettext_lazy("%(count)s would be created", "%(count)s would be created", "count"),
    ),
    Outcome.UPDATED: (
        ngettext_lazy("%(count)s updated", "%(count)s updated", "count"),
        ngettext_lazy("%(count)s would be updated", "%(count)s would be updated", "count"),
    ),
    Outcome.UNCHANGED: (ngettext_lazy("%(count)s unchanged", "%(count)s unchanged", "count"),),
    Outcome.FAILED: (ngettext_lazy("%(count)s failed", "%(count)s failed", "count"),),
}


class Kind(models.TextChoices):
    """What a legacy page is (the parser's ``ParseResult.kind``)."""

    NEWS = "news", pgettext_lazy("legacy import kind", "news")
    PROJECT = "project", pgettext_lazy("legacy import kind", "project")


@dataclass
class FileResult:
    path: str
    outcome: Outcome
    kind: Kind | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    record: dict | None = None
    # From the crawl manifest: the page's old address, and the redirect made from it
    # ({"from": "www.iom.int/news/x", "to": "/news/x/"}), if any.
    original_url: str | None = None
    redirect: dict | None = None

    def as_dict(self):
        return dataclasses.asdict(self)


class Summary:
    """Counts of a run's results, per outcome and of warnings, as the results come."""

    def __init__(self, results=()):
        self.counts = Counter()
        self.warnings = 0
        for result in results:
            self.add(result)

    def add(self, result):
        self.counts[Outcome(result.outcome)] += 1
        self.warnings += len(result.warnings)

    @property
    def files(self):
        return sum(self.counts.values())

    @property
    def failed(self):
        return self.counts[Outcome.FAILED]

    def changed_nothing(self):
        return bool(self.files) and self.files == self.counts[Outcome.UNCHANGED]

    def as_dict(self):
        """The JSON report's "summary"."""
        counts = {outcome.value: self.counts[outcome] for outcome in Outcome}
        return {**counts, "warnings": self.warnings}

    def phrases(self, dry_run=False):
        """(outcome, "4 created", 4) per outcome, for the admin's summary line."""
        return [
            (outcome, outcome.count_phrase(self.counts[outcome], dry_run), self.counts[outcome])
            for outcome in Outcome
        ]

    def line(self, *, dry_run=False, rate=None):
        """The command's summary: "3 files: 2 created, ... 1 warning (480 files/s)"."""
        files, warnings = self.files, self.warnings
        counts = ", ".join(f"{self.counts[outcome]} {outcome.value}" for outcome in Outcome)
        text = (
            f"{'Dry run: ' if dry_run else ''}{files} file{'s' if files != 1 else ''}: {counts}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        )
        if rate is not None:
            text += f" ({rate:.0f} files/s)"
        if self.changed_nothing():
            text += ". Nothing changed."
        if dry_run:
            text += " Nothing was written."
        return text


class JsonReport:
    """The JSON report, written as the results come: the file entries wait in a spool file, so
    memory stays flat on huge runs, and the report appears whole (renamed into place)."""

    def __init__(self, path):
        self.path = path
        self._spool = None
        self._entries = 0

    def __enter__(self):
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")
        return self

    def __exit__(self, *exc_info):
        self._spool.close()

    def add(self, result):
        if self._entries:
            self._spool.write(",\n")
        json.dump(result.as_dict(), self._spool, ensure_ascii=False)
        self._entries += 1

    def write(self, summary, interrupted=None, manifest=None):
        """Write the report; raises OSError when it cannot be written. ``interrupted``: the
        name of the signal that stopped the run early ("SIGTERM"), written as the report's
        ``"interrupted"`` (only files listed were imported). ``manifest``: the report's
        ``"manifest"`` (the crawl manifest's file, rows and unmatched rows), if one was given."""
        self._spool.seek(0)
        partial = self.path.with_name(self.path.name + ".partial")
        head = {"summary": summary.as_dict()}
        if interrupted:
            head["interrupted"] = interrupted
        if manifest is not None:
            head["manifest"] = manifest
        with partial.open("w", encoding="utf-8") as out:
            out.write(json.dumps(head)[:-1] + ',\n "files": [\n')
            while chunk := self._spool.read(1 << 16):
                out.write(chunk)
            out.write("\n]}\n")
        partial.replace(self.path)  # never leave a half-written report behind


def news_record(page, kind=None):
    """The report's ``record`` of a news page (schema in docs/import_legacy.md); ``kind``
    when the loader's answer differs from the page's own (a manifest URL)."""
    return {
        "title": page.title,
        "kind": kind or page.kind or classify(page),
        "dateline": page.dateline,
        "published_on": page.published_on.isoformat() if page.published_on else None,
        "captions": list(page.captions),
        "body": "\n\n".join(page.paragraphs),
        "contacts": [
            {
                "name": c.name,
                "office": c.office,
                "phones": [*c.phones, *c.mobiles],
                "emails": list(c.emails),
            }
            for c in page.contacts
        ],
        # The codes of the projects the release is linked to because its text names them
        # (filled by the loader, which knows which projects exist).
        "projects": [],
    }


def project_record(page):
    """The report's ``record`` of a project page."""
    return {
        "title": page.title,
        "project_code": page.project_code,
        "prima_id": page.prima_id,
        "status": page.status,
        "project_type": page.project_type,
        "coverage": page.coverage,
        "region": page.region,
        "start_date": page.start.isoformat() if page.start else None,
        "end_date": page.end.isoformat() if page.end else None,
        "year": str(page.year) if page.year is not None else None,
        "budget_usd": str(page.budget_usd) if page.budget_usd is not None else None,
        "benefiting_states": [{"name": s.name, "code": s.code} for s in page.benefiting_states],
        "body": "\n\n".join(page.paragraphs),
    }
