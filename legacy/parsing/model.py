"""What the legacy parser returns. Plain dataclasses: no Django, no database."""

from __future__ import annotations

import calendar
import datetime
import decimal
from dataclasses import dataclass, field


class Note(str):
    """A message for staff about a file (a warning, a reason it failed), in English, that
    keeps its template and values.

    It reads as English wherever it is used as text: the command's output and the JSON
    report stay English, like every other machine-read output. The admin's import page
    shows it in the staff member's language by translating the template
    (``legacy.report.in_language``): the parser itself knows nothing of Django or of who
    reads. The template is a msgid, found by makemessages in ``note("...")`` calls
    (iomcms/management/commands/makemessages.py adds the keyword). Values may be notes too.
    """

    def __new__(cls, template: str, /, **values: object) -> Note:
        self = super().__new__(cls, template % values if values else template)
        self.template = template
        self.values = values
        return self

    def __reduce__(self):
        # Parser workers send their results back pickled; a plain str would lose the template.
        return (_note_with_values, (self.template, self.values))


def _note_with_values(template: str, values: dict) -> Note:
    return Note(template, **values)


note = Note


class ParseError(ValueError):
    """A file that cannot be imported; ``message`` is a plain-words reason for staff."""

    @property
    def message(self) -> str:
        """The reason, a :class:`Note` when the parser gave one (``str(error)`` is plain)."""
        return self.args[0] if self.args and isinstance(self.args[0], str) else str(self)


@dataclass
class Contact:
    """One media contact from the closing block of a news item.

    ``office`` is kept as the text writes it (trimmed), e.g. "IOM-Ecuador": rewriting office
    names would invent spellings the archive never used. ``name`` may be empty when the
    text gives only an office and an address.
    """

    name: str
    office: str = ""
    job_title: str = ""
    phones: list[str] = field(default_factory=list)
    mobiles: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


@dataclass
class State:
    """A benefiting member state: the name as written, and its ISO code when recognised."""

    name: str
    code: str | None


@dataclass
class NewsPage:
    """A news item. ``captions`` are the photo captions and credits the page printed, in
    order, without repeats; they are not part of ``paragraphs``. ``opens_with_photo``: some
    of them stand above the first paragraph. ``label``: the type line the site printed above
    the title ("Communiqué", "Press Release"), or "". ``kind`` and ``countries`` are the
    rules' answers (``legacy.parsing.kinds.classify``, ``legacy.countries.news_countries``),
    worked out by the parser so that an import's parser workers, not its writing process,
    pay for them. ``language``: "en", "fr" or "es" as the text reads
    (``legacy.parsing.language``), or "" when it cannot tell."""

    title: str
    dateline: str | None = None
    published_on: datetime.date | None = None
    paragraphs: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    opens_with_photo: bool = False
    label: str = ""
    kind: str = ""
    countries: list[str] = field(default_factory=list)
    language: str = ""


@dataclass(frozen=True, eq=True, order=False)
class PartialDate:
    """A date only as precise as the text: a year, a year and month, or a full date.

    Ordering puts a less precise date before the more precise dates it contains
    (2017 < 2017-01 < 2017-01-01), which keeps sorting total and stable.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.year, int) or not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year!r} is out of range")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not isinstance(self.month, int) or not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month!r} is out of range")
        if self.day is not None:
            last_day = calendar.monthrange(self.year, self.month)[1]
            if not isinstance(self.day, int) or not 1 <= self.day <= last_day:
                raise ValueError(f"{self.year}-{self.month:02d} has no day {self.day!r}")

    def isoformat(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> datetime.date | None:
        """The full date, or None when the text gave only a year or a month."""
        if self.month is None or self.day is None:
            return None
        return datetime.date(self.year, self.month, self.day)

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() >= other._key()

    def __str__(self) -> str:
        return self.isoformat()


@dataclass
class ProjectPage:
    title: str
    project_code: str | None = None
    prima_id: str | None = None
    status: str | None = None
    status_normalized: str | None = None
    project_type: str | None = None
    coverage: str | None = None
    coverage_normalized: str | None = None
    region: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    year: int | None = None
    budget_usd: decimal.Decimal | None = None
    benefiting_states: list[State] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    # From the labels when some belong to one language only, else from the text; "" when
    # neither tells (see NewsPage.language).
    language: str = ""


@dataclass
class ParseResult:
    kind: str
    page: NewsPage | ProjectPage
    warnings: list[str] = field(default_factory=list)
