"""Parser for the plain-text scrapes of the old IOM website (one page per file).

Pure: only the standard library and ``django_countries.data``; no database, no settings.

A file is the old site's navigation ("chrome"), then either

* a news item: title, body, and often a closing media-contacts block, or
* a project page: title, a block of "-" / label / value lines, then the description.

``parse`` raises only ``ParseError``, whose message is a plain-words reason for staff.
Problems that do not stop an import (an unknown label, an unmatched country, a date that
could not be read) are returned as plain-words ``warnings`` instead.

Usage::

    text, warnings = decode(path.read_bytes())
    result = parse(text)
    warnings += result.warnings

Decisions worth knowing when using the results:

* Photo captions and credit lines are never paragraphs: they are ``NewsPage.captions``
  (what a caption looks like: ``legacy.parsing.captions``; where it stands:
  ``legacy.parsing.news``). A type line above a news title ("Communiqué", "Comunicado" /
  "Local") is ``NewsPage.label``, not the title; the item's kind is
  ``legacy.parsing.kinds.classify(page)``.
* ``language`` is "en", "fr" or "es": a project page's from its labels, else (and for news)
  from the words of its title and body (``legacy.parsing.language``); "" when they do not
  tell. The crawl manifest's language, when given, wins over both (the loader).
* Paragraphs keep their text as written, including a dateline ("San Salvador – The ...");
  ``NewsPage.dateline`` and ``published_on`` are read from it, not cut out of it. URLs stay
  as plain text; a link whose text differs from its target becomes "text (URL)".
* ``published_on`` is set only from a full date in the text (a dateline date, a "Date:"
  line, a date alone under the title). Numeric dates are read day first ("12.03.2019" is
  12 March) unless only the other order is possible; "(17/04)" without a year gives None.
* ``Contact.office`` is kept as written ("IOM-Ecuador", "IOM Regional Office for ..., San
  José"); an "Office:" label gives the office, or a phone when a number follows it.
  ``Contact.name`` is "" when the block gives only an office, phone or e-mail (with a
  warning). Phones keep their digits and punctuation as written; only label debris, "+ "
  and unbalanced brackets are removed. E-mails are lower-cased; fax numbers ("Fax:",
  "Telefax:", "Télécopie :", also on the line after the label) are dropped, not kept.
* ``State.name`` is the name as written; ``code`` is None when unmatched (also for Kosovo,
  which has no ISO 3166-1 code).
* Project status, coverage and label translations: see ``legacy.parsing.project``.
* ``budget_usd`` is an exact Decimal. Placeholders ("N/A", "TBC", "TBD", "to be
  confirmed", "pending", "-", "—") and an empty value give None with a warning; any other
  text that is not a number ("about a million", "$$$") raises ParseError.
* The navigation is recognised by its shape, not by one fixed menu: see
  ``legacy.parsing.layout.find_chrome_end``.
"""

from __future__ import annotations

import datetime

from .countries import news_countries, resolve_country
from .parsing.dates import parse_full_date
from .parsing.kinds import classify, label_kind
from .parsing.language import page_language
from .parsing.layout import find_chrome_end, is_caption, is_nav_label, is_separator
from .parsing.model import (
    Contact,
    NewsPage,
    ParseError,
    ParseResult,
    PartialDate,
    ProjectPage,
    State,
    note,
)
from .parsing.news import build_news
from .parsing.project import (
    build_project,
    find_metadata_start,
    has_known_label,
    looks_like_metadata,
)
from .parsing.text import clean_lines, content_hash, decode, normalize

__all__ = [
    "Contact",
    "NewsPage",
    "ParseError",
    "ParseResult",
    "PartialDate",
    "ProjectPage",
    "State",
    "content_hash",
    "decode",
    "normalize",
    "parse",
    "resolve_country",
]

_LONG_TITLE = 300
# How many lines may stand between a title and its metadata block (captions, a duplicate
# title, a subtitle) for the page still to count as a project page.
_TITLE_TO_METADATA = 3
_TYPE_LINES = 2  # a type line and a scope line above a news title


def parse(text: str) -> ParseResult:
    """Read one legacy page. Raises ParseError (only) when the file cannot be imported."""
    try:
        return parse_unguarded(text)
    except ParseError:
        raise
    except Exception as error:  # a safety net: one odd file must not stop an import run
        raise ParseError(
            note(
                "the file could not be read because of an unexpected layout (%(error)s)",
                error=type(error).__name__,
            )
        ) from error


def parse_unguarded(text: str) -> ParseResult:
    """``parse`` without the safety net, so tests can catch parser bugs as themselves."""
    if not isinstance(text, str):
        raise ParseError(note("the parser was given something other than text"))
    if not text.strip():
        raise ParseError(note("the file is empty"))
    lines = clean_lines(text)
    if not any(lines):
        raise ParseError(note("the file has no readable text (only markup or blank lines)"))
    warnings: list[str] = []

    metadata_start = find_metadata_start(lines)
    # The navigation can never reach the line just above the metadata: that is the title.
    chrome_limit = metadata_start - 1 if metadata_start is not None else len(lines)
    chrome_end = find_chrome_end(lines, chrome_limit)

    index = _skip_noise(lines, chrome_end + 1)
    if metadata_start is not None and index >= metadata_start:
        # The navigation seemed to run into the metadata: the title is the last plain line
        # above it, unless that line is itself navigation.
        index = _title_above(lines, metadata_start)
    if index >= len(lines):
        if chrome_end >= 0:
            raise ParseError(note("only the old site's navigation was found, no content"))
        raise ParseError(note("the file has no readable text"))

    label = ""
    header_date = None
    if metadata_start is None:
        index, label, header_date = _skip_type_lines(lines, index)
    title_index = index
    title = lines[index]
    # Below the title a "-" line may open the metadata block, so only skip blank lines and
    # captions there.
    index = _skip_noise(lines, index + 1, separators=False)
    if index < len(lines) and lines[index].casefold() == title.casefold():
        index = _skip_noise(lines, index + 1, separators=False)  # the title printed twice
    if len(title) > _LONG_TITLE:
        warnings.append(note("the title is unusually long; the page may have lost its title"))

    if metadata_start is not None and _only_short_lines_between(lines, index, metadata_start):
        if is_nav_label(title) or title[:1] in "-–—•":
            raise ParseError(note("a project page without a title"))
        intro = [line for line in lines[index:metadata_start] if line and not is_caption(line)]
        page = build_project(title, lines, metadata_start, warnings)
        page.paragraphs = intro + page.paragraphs
        return ParseResult(kind="project", page=page, warnings=warnings)

    project_like = looks_like_metadata(lines, index)
    if metadata_start is None and project_like and has_known_label(lines, index):
        # A short block right under the title with a single known label ("Projects ID").
        page = build_project(title, lines, index, warnings)
        return ParseResult(kind="project", page=page, warnings=warnings)
    if project_like:
        first_label = next((line for line in lines[index:] if line and len(line) > 1), "")
        raise ParseError(
            note(
                "the page looks like a project page, but none of its field labels were "
                "recognised (first label: %(label)r)",
                label=first_label[:60],
            )
        )
    body = lines[index:]
    if not any(body):
        raise ParseError(note("only one line of content was found (a title without text)"))
    # The captions skipped above and below the title (not a second copy of the title) are
    # the news page's own: it keeps them apart from the story.
    above = [line for line in lines[chrome_end + 1 : title_index] if line and is_caption(line)]
    below = [
        line
        for line in lines[title_index + 1 : index]
        if line and line.casefold() != title.casefold()
    ]
    # The language first: the body's paragraphs are made by rules that differ by language.
    language = page_language(title, body) or ""
    page = build_news(title, below + body, warnings, captions=above, language=language)
    page.label = label
    if page.published_on is None and header_date is not None:
        page.published_on = header_date
    page.kind = classify(page)  # the loader asks again only with a manifest's URL
    page.countries = news_countries(
        page.title,
        page.paragraphs[0] if page.paragraphs else "",
        page.dateline,
        [contact.office for contact in page.contacts],
    )
    return ParseResult(kind="news", page=page, warnings=warnings)


def _skip_type_lines(lines: list[str], index: int) -> tuple[int, str, datetime.date | None]:
    """Past the type, scope and date lines some sites print above a news title
    ("Communiqué" / "Local", "Comunicado" / "Global", "Statements and Speeches" /
    "27 Nov 2023"): (the title's index, the type line or "", the date line's date)."""
    label = ""
    date = None
    for _ in range(_TYPE_LINES + 1):
        line = lines[index] if index < len(lines) else ""
        kind = label_kind(line) if line else None
        line_date = parse_full_date(line) if line and kind is None and len(line) <= 40 else None
        if kind is None and line_date is None:
            break
        following = _skip_noise(lines, index + 1)
        if following >= len(lines) or not _may_be_title(lines[following]):
            break  # "Update" is the title itself when running text follows it
        if line_date is not None:
            date = date or line_date
        else:
            label = label or (line if kind else "")
        index = following
    return index, label, date


def _may_be_title(line: str) -> bool:
    return len(line) <= _LONG_TITLE and not line.endswith(".")


def _title_above(lines: list[str], metadata_start: int) -> int:
    for index in range(metadata_start - 1, -1, -1):
        line = lines[index]
        if not line or is_caption(line) or is_separator(line):
            continue
        if is_nav_label(line) or line[:1] in "-–—•":
            break
        return index
    raise ParseError(note("a project page without a title"))


def _skip_noise(lines: list[str], index: int, separators: bool = True) -> int:
    """The next line that is not blank, a photo caption or (optionally) a bare separator."""
    while index < len(lines) and (
        not lines[index] or is_caption(lines[index]) or (separators and is_separator(lines[index]))
    ):
        index += 1
    return index


def _only_short_lines_between(lines: list[str], start: int, end: int) -> bool:
    if start > end:
        return False
    text = [line for line in lines[start:end] if line and not is_caption(line)]
    return len(text) <= _TITLE_TO_METADATA - 1
