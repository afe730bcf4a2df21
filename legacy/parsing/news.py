"""News items and press releases: title, optional date line, body, closing contacts."""

from __future__ import annotations

import datetime
import re

from .contacts import heading_rest, read_contacts, rest_is_contact
from .dates import match_date_prefix, parse_full_date, parse_partial_date, split_trailing_date
from .layout import is_caption, is_separator, reflow
from .model import NewsPage, ParseError

_DATE_LINE = re.compile(
    r"^(?:date|dated|published(?:\s+on)?|publication\s+date|posted(?:\s+on)?|"
    r"date\s+de\s+publication|publi[ée]\s+le|fecha(?:\s+de\s+publicaci[óo]n)?|"
    r"publicado(?:\s+el)?)\s*[:：]?\s*(?P<date>.+)$",
    re.I,
)
_DATELINE_DASH = re.compile(r"\s+[–—]\s+|\s+-\s+")
# Words that start sentences, not place names ("In 2017 – the year ...").
_NOT_PLACES = frozenset(
    [
        "a",
        "an",
        "this",
        "these",
        "that",
        "those",
        "in",
        "on",
        "for",
        "since",
        "according",
        "while",
        "when",
        "after",
        "before",
        "during",
        "today",
        "yesterday",
        "it",
        "we",
        "our",
        "his",
        "her",
        "their",
        "its",
        "as",
        "at",
        "by",
        "with",
        "iom",
        "oim",
        "un",
        "onu",
        "unhcr",
        "undp",
        "unicef",
        "wfp",
        "who",
        "eu",
        "if",
        "but",
        "and",
        "or",
    ]
)
_PLACE_CONNECTORS = frozenset(
    [
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "al",
        "da",
        "do",
        "dos",
        "des",
        "du",
        "di",
        "of",
        "the",
        "and",
        "y",
        "et",
        "sur",
        "upon",
        "en",
        "le",
        "les",
        "au",
        "aux",
        "d'",
        "l'",
        "am",
        "an",
        "im",
        "bei",
    ]
)
_OPENING = "\"“«'‘¿¡("
_HEADER_LINES = 3  # date lines are looked for this far below the title
_PROSE_IN_CONTACTS = 150


def _is_place(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not 1 <= len(words) <= 6 or len(text) > 60 or any(ch.isdigit() for ch in text):
        return False
    first = words[0].lower()
    if first in _NOT_PLACES:
        return False
    if first == "the" and (len(words) < 2 or words[1].lower() != "hague"):
        return False
    for word in words:
        if word[:1].isupper():
            continue
        if word.lower() not in _PLACE_CONNECTORS and not word.lower().startswith(("d'", "l'")):
            return False
    return True


def find_dateline(paragraph: str) -> tuple[str | None, datetime.date | None]:
    """("San Salvador", None) from "San Salvador – The Ministry ...".

    Also reads "San Salvador, 17 April 2018 – ..." and "Geneva – 12.03.2019 – ...". The
    paragraph itself is left as written.
    """
    dash = _DATELINE_DASH.search(paragraph, 0, 100)
    if not dash:
        return None, None
    place, published = split_trailing_date(paragraph[: dash.start()].strip())
    place = place.strip(" ,")
    if not place or not _is_place(place):
        return None, None
    rest = paragraph[dash.end() :]
    if published is None:
        published, used = match_date_prefix(rest)
        if published is not None:
            rest = _DATELINE_DASH.sub("", rest[used:], count=1) if used else rest
            rest = rest.lstrip(" –—-")
    if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENING):
        return None, None
    return place, published


def _header_date(line: str, warnings: list[str]) -> tuple[bool, datetime.date | None]:
    """(is a date line, date) for "Date: 5 June 2017" or a bare "5 June 2017" line."""
    labelled = _DATE_LINE.match(line)
    if labelled:
        value = labelled.group("date")
        date = parse_full_date(value)
        if date is None and len(value) <= 40:
            warnings.append(f"the publication date {value!r} could not be read")
            return True, None
        return date is not None, date
    date = parse_full_date(line) if len(line) <= 40 else None
    return date is not None, date


def _find_contacts(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if not line:
            continue
        rest = heading_rest(line)
        if rest is None:
            continue
        following = next((text for text in lines[index + 1 :] if text), "")
        if rest_is_contact(rest, following):
            return index
    return None


def build_news(title: str, lines: list[str], warnings: list[str]) -> NewsPage:
    """The news page whose body (below the title) is ``lines``."""
    page = NewsPage(title=title)
    body: list[str] = []
    seen_text = 0
    for line in lines:
        if line and is_caption(line) and len(line) < 400:
            continue  # photo captions and credits are not part of the story
        if line and seen_text < _HEADER_LINES and page.published_on is None:
            is_date, date = _header_date(line, warnings)
            if is_date:
                page.published_on = date
                continue
        if line:
            seen_text += 1
        body.append(line)

    heading = _find_contacts(body)
    trailing: list[str] = []
    if heading is not None:
        block = body[heading:]
        body = body[:heading]
        contact_lines = []
        for line in block:
            if len(line) > _PROSE_IN_CONTACTS and not re.search(r"@|\d{6}", line):
                trailing.append(line)  # an editor's note or boilerplate after the contacts
            elif not is_separator(line):
                contact_lines.append(line)
        page.contacts, contact_warnings = read_contacts(contact_lines)
        warnings.extend(contact_warnings)
        if not page.contacts:
            warnings.append("a contacts heading was found, but no contact could be read")

    page.paragraphs = reflow(body) + [line for line in trailing if line]
    if not page.paragraphs:
        if page.contacts:
            raise ParseError("a news page without any text (only a title and contacts)")
        raise ParseError("only one line of content was found (a title without text)")

    place, published = find_dateline(page.paragraphs[0])
    page.dateline = place
    if published is not None and page.published_on is None:
        page.published_on = published
    if page.published_on is None and place is None:
        first_line = page.paragraphs[0][:60]
        partial = parse_partial_date(first_line.split(" – ")[0]) if " – " in first_line else None
        if partial is not None and partial.as_date() is not None:
            page.published_on = partial.as_date()
    return page
