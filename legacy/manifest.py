"""The crawl manifest: what the crawl knew about each file (``import_legacy --manifest``).

A CSV file (UTF-8, a byte-order mark allowed) with the header row ``file,url,published,language``
(in any order, case and spaces ignored) and one row per file:

- ``file``: the file's name; a folder or archive part is ignored (``pages/x.txt`` is ``x.txt``),
  as rows are matched to the run's files by :func:`legacy.identity.file_name`. Required.
- ``url``: the page's original address (an absolute http(s) URL or a path): kept with the
  record and given a redirect (:mod:`legacy.redirects`).
- ``published``: an ISO date (``2014-03-07``), used when the page prints none.
- ``language``: one of ``settings.LANGUAGES`` (``fr``): the record's language.
- ``translation_of`` (an optional fifth column): another file of the manifest that this page
  is a translation of. Pages joined this way (also through a chain) become one translation
  group (:mod:`iomcms.languages`); a group may hold one page per language.

The manifest is checked whole before anything is imported: a bad header or any bad row refuses
it (:class:`ManifestError`, every problem listed), since a wrong column or a shifted row would
otherwise put wrong dates and addresses on many records at once. docs/import_legacy.md has the
rest ("Manifest and old addresses").
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass

from django.conf import settings

from .addresses import BadAddress, parse_address
from .identity import file_name
from .parsing.model import note

COLUMNS = ("file", "url", "published", "language")
HEADER = ",".join(COLUMNS)
# Columns a manifest may leave out: the four above were the whole header before them.
OPTIONAL_COLUMNS = ("translation_of",)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Problems listed in the error; the rest are counted.
MAX_PROBLEMS = 20


class ManifestError(ValueError):
    """A manifest refused as a whole; ``problems`` lists why, one line each."""

    def __init__(self, problems):
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS]
        more = len(self.problems) - len(shown)
        if more:
            shown.append(note("… and %(more)s more", more=more))
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class Row:
    line: int
    file: str
    url: str = ""
    published: datetime.date | None = None
    language: str = ""
    translation_of: str = ""

    @property
    def address(self):
        return parse_address(self.url) if self.url else None

    def is_empty(self):
        return not (self.url or self.published or self.language or self.translation_of)

    def fingerprint(self):
        """What the row adds to the file's content hash: a changed row is a changed page.
        Without ``translation_of`` it is what it was before that column existed, so the files
        of older manifests stay unchanged."""
        published = self.published.isoformat() if self.published else ""
        fingerprint = f"{self.url}|{published}|{self.language}"
        return f"{fingerprint}|{self.translation_of}" if self.translation_of else fingerprint

    def metadata(self):
        """What the record keeps in ``raw_metadata``: the crawl's word, shown to staff."""
        return {
            key: value
            for key, value in (
                ("language", self.language),
                ("original_url", self.url),
                ("translation_of", self.translation_of),
            )
            if value
        }


def published_on(page_date, row):
    """A news page's date: its own, else the manifest's."""
    return page_date or (row.published if row else None)


def row_warnings(row, *, is_news, page_date=None):
    """What the report says about a file's manifest row."""
    if row is None or row.published is None:
        return []
    if not is_news:
        return [
            note(
                "the manifest's date %(date)s is not used: a project page has no publication date",
                date=row.published,
            )
        ]
    if page_date and page_date != row.published:
        return [
            note(
                "the page is dated %(page_date)s and the manifest says %(date)s: the page's "
                "date is kept",
                page_date=page_date,
                date=row.published,
            )
        ]
    return []


def folded_hash(content_hash, row):
    """The ``source_hash`` of a file that has a manifest row: its text's hash and the row's
    values together, so a re-run with the same manifest finds the file unchanged and a changed
    row updates its record. A row with no values leaves the hash alone."""
    if row is None or row.is_empty():
        return content_hash
    return hashlib.sha256(f"{content_hash}|{row.fingerprint()}".encode()).hexdigest()


class Manifest:
    """The rows by file name; remembers which rows the run met (:meth:`unused`)."""

    def __init__(self, rows, name=""):
        self.name = name
        self.rows = {row.file: row for row in rows}
        self._used = set()
        self._groups = _translation_groups(self.rows.values())

    def translations(self, name):
        """The other files of the translation group of the file called ``name`` (empty when
        the manifest joins it to none), in the manifest's order."""
        return self._groups.get(name, ())

    @property
    def has_translations(self):
        return bool(self._groups)

    def __len__(self):
        return len(self.rows)

    def row_for(self, path):
        row = self.rows.get(file_name(path))
        if row is not None:
            self._used.add(row.file)
        return row

    def unused(self):
        """Rows for no file of the run so far, in the manifest's order."""
        return sorted(
            (row for name, row in self.rows.items() if name not in self._used),
            key=lambda row: row.line,
        )


def read_manifest(path):
    """A :class:`Manifest` from a CSV file; raises :class:`ManifestError` (also when the file
    cannot be read)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ManifestError(
            [note("cannot be read (%(error)s)", error=exc.strerror or str(exc))]
        ) from None
    return parse_manifest(data, name=str(path))


def parse_manifest(data, name=""):
    """A :class:`Manifest` from the bytes of a CSV file; raises :class:`ManifestError`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError([note("is not UTF-8 text (byte %(byte)s)", byte=exc.start)]) from None
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ManifestError(
            [note("is not a readable CSV file (%(error)s)", error=str(exc))]
        ) from None
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise ManifestError(
            [note("has no header row; the first line must be %(header)s", header=HEADER)]
        )
    columns = _columns(lines[0])
    languages = {code.lower() for code, _ in settings.LANGUAGES}
    rows, problems = [], []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        row, row_problems = _row(number, cells, columns, languages)
        problems += row_problems
        if row is not None:
            rows.append(row)
    problems += _duplicates(rows)
    if not problems:
        problems += _translation_problems(rows)
    if problems:
        raise ManifestError(problems)
    return Manifest(rows, name)


def _columns(header):
    names = [cell.strip().lower() for cell in header]
    if "file" not in names:
        raise ManifestError(
            [
                note(
                    "line 1 is not the header row %(header)s (it reads %(found)s)",
                    header=HEADER,
                    found=",".join(header),
                )
            ]
        )
    unknown = [name for name in names if name not in COLUMNS + OPTIONAL_COLUMNS]
    missing = [name for name in COLUMNS if name not in names]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    problems = []
    if unknown:
        problems.append(
            note(
                "line 1: unknown column %(columns)s; the header row must be %(header)s (and may "
                "add %(optional)s)",
                columns=", ".join(repr(n) for n in unknown),
                header=HEADER,
                optional=", ".join(OPTIONAL_COLUMNS),
            )
            if len(unknown) == 1
            else note(
                "line 1: unknown columns %(columns)s; the header row must be %(header)s (and may "
                "add %(optional)s)",
                columns=", ".join(repr(n) for n in unknown),
                header=HEADER,
                optional=", ".join(OPTIONAL_COLUMNS),
            )
        )
    if missing:
        problems.append(
            note(
                "line 1: missing column %(columns)s; the header row must be %(header)s",
                columns=", ".join(missing),
                header=HEADER,
            )
            if len(missing) == 1
            else note(
                "line 1: missing columns %(columns)s; the header row must be %(header)s",
                columns=", ".join(missing),
                header=HEADER,
            )
        )
    if repeated:
        problems.append(note("line 1: column %(columns)s given twice", columns=", ".join(repeated)))
    if problems:
        raise ManifestError(problems)
    return {name: position for position, name in enumerate(names)}


def _row(number, cells, columns, languages):
    if len(cells) != len(columns):
        return None, [
            note(
                "line %(line)s: %(values)s values where the header has %(columns)s",
                line=number,
                values=len(cells),
                columns=len(columns),
            )
        ]
    value = {name: cells[position].strip() for name, position in columns.items()}
    problems = []
    name = file_name(value["file"])
    if not name:
        problems.append(note("line %(line)s: no file name", line=number))
    url = value["url"]
    if url:
        try:
            parse_address(url)
        except BadAddress as exc:
            problems.append(
                note(
                    "line %(line)s: bad url %(url)r: %(error)s",
                    line=number,
                    url=url,
                    error=exc.args[0],
                )
            )
    published = None
    if value["published"]:
        published = _date(value["published"])
        if published is None:
            problems.append(
                note(
                    "line %(line)s: bad date %(date)r (expected an ISO date, YYYY-MM-DD)",
                    line=number,
                    date=value["published"],
                )
            )
    language = value["language"].lower()
    if language and language not in languages:
        problems.append(
            note(
                "line %(line)s: unknown language %(language)r (expected one of %(languages)s)",
                line=number,
                language=value["language"],
                languages=", ".join(sorted(languages)),
            )
        )
    translation_of = ""
    if value.get("translation_of"):
        translation_of = file_name(value["translation_of"])
        if translation_of == name:
            problems.append(
                note(
                    "line %(line)s: %(file)s cannot be a translation of itself",
                    line=number,
                    file=name,
                )
            )
    if problems:
        return None, problems
    return Row(number, name, url, published, language, translation_of), []


def _date(text):
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _duplicates(rows):
    problems = []
    first_by_name, first_by_address = {}, {}
    for row in rows:
        if row.file in first_by_name:
            problems.append(
                note(
                    "line %(line)s: file %(file)s is also on line %(first)s",
                    line=row.line,
                    file=row.file,
                    first=first_by_name[row.file],
                )
            )
        first_by_name.setdefault(row.file, row.line)
        if row.url:
            key = row.address.key
            if key in first_by_address:
                other = first_by_address[key]
                problems.append(
                    note(
                        "line %(line)s: url %(url)s is also on line %(other_line)s (file "
                        "%(other_file)s): one old address can lead to one page only",
                        line=row.line,
                        url=row.url,
                        other_line=other.line,
                        other_file=other.file,
                    )
                )
            first_by_address.setdefault(key, row)
    return problems


def _translation_groups(rows):
    """{file name: the other files of its translation group}, for the files ``translation_of``
    joins (directly or through a chain), each group in the manifest's order."""
    parent = {}

    def root(name):
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for row in rows:
        if row.translation_of:
            parent[root(row.file)] = root(row.translation_of)
    members = {}
    for row in sorted(rows, key=lambda row: row.line):
        if row.file in parent:
            members.setdefault(root(row.file), []).append(row.file)
    return {
        name: tuple(other for other in group if other != name)
        for group in members.values()
        for name in group
    }


def _translation_problems(rows):
    """A ``translation_of`` must name a file of the manifest, and a group may hold one page
    per language (as :func:`iomcms.languages.one_per_language` requires)."""
    by_name = {row.file: row for row in rows}
    problems = [
        note(
            "line %(line)s: translation_of %(file)s names no file of the manifest",
            line=row.line,
            file=row.translation_of,
        )
        for row in rows
        if row.translation_of and row.translation_of not in by_name
    ]
    if problems:
        return problems
    groups = _translation_groups(rows)
    for row in sorted(rows, key=lambda row: row.line):
        if not row.language or row.file not in groups:
            continue
        for other in groups[row.file]:
            other_row = by_name[other]
            if other_row.line < row.line and other_row.language == row.language:
                problems.append(
                    note(
                        "line %(line)s: %(file)s and %(other)s (line %(other_line)s) are "
                        "translations of one another, both in %(language)s; a translation is "
                        "in another language",
                        line=row.line,
                        file=row.file,
                        other=other,
                        other_line=other_row.line,
                        language=row.language,
                    )
                )
                break
    return problems
