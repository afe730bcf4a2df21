"""News items and press releases: title, optional date line, body, closing contacts."""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from ..countries import place_country
from .captions import (
    CREDIT_LENGTH,
    caption_text,
    counter_length,
    is_caption,
    is_credit,
    is_widget_debris,
)
from .contacts import heading_rest, opens_contacts, read_contacts
from .dates import match_date_prefix, parse_full_date, parse_partial_date, split_trailing_date
from .layout import ends_sentence, is_hard_wrapped, is_separator, reflow, stops_mid_sentence
from .model import NewsPage, ParseError, note

_DATE_LINE = re.compile(
    r"^(?:date|dated|published(?:\s+on)?|publication\s+date|posted(?:\s+on)?|"
    r"date\s+de\s+publication|publi[ée]\s+le|fecha(?:\s+de\s+publicaci[óo]n)?|"
    r"publicado(?:\s+el)?)\s*[:：]?\s*(?P<date>.+)$",
    re.I,
)
_DATELINE_DASH = re.compile(r"\s+[–—]\s+|\s+-\s+")
_AGENCY_AFTER_PLACE = re.compile(r"\s*\((?:IOM|OIM|UN\s+Migration(?:\s+Agency)?)\)$")
# "Obock, Djibouti (updated on 15/04/2021)", "Dakar (mis à jour le 3 mars 2020)": a dated
# note in brackets after the place, whose date (when a full one) is the page's. A bracket
# without figures is part of the place: "Kabul (Afghanistan)".
_BRACKET_AFTER_PLACE = re.compile(r"\s*\(([^()]{1,60})\)$")
# ", 24 April", " (22/05)", ", 3 de marzo": a day without a year ends the place; it is no date.
_DAY_WITHOUT_YEAR = re.compile(
    r"[\s,]+\(?(?:\d{1,2}(?:[./]\d{1,2})?(?:\s+(?:de\s+)?[^\W\d_]{3,10}\.?)?|"
    r"[^\W\d_]{3,10}\.?\s+\d{1,2})\)?$"
)
# A dateline whose dash the scrape lost ("Geneva  On Monday, ..."; the spaces are collapsed by
# then): a place the gazetteer or the country names know, directly followed by a capitalised
# word that can only open a sentence. "Geneva On" is not English; "Mexico City" reads on.
_LOST_DASH = re.compile(
    r"^((?:[^\W\d_][\w'’.-]*\s){1,3}?)"
    r"(?=(?:On|In|At|The|This|These|Last|Today|Yesterday|Since|After|Over|More|Some|IOM|UN|"
    r"Le|La|Les|Ce|Cette|Ces|Depuis|Selon|Hier|Aujourd|Plus|OIM|ONU|El|Los|Las|Este|Esta|"
    r"Desde|Según|Hoy|Ayer|Más|Unos|Unas)\b)"
)
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
# The same in French and Spanish, for pages in those languages only: "Hoy" is an island in
# Orkney, and an English page may start "Hoy – ...".
_NOT_PLACES_OF = {
    "fr": frozenset(
        {
            "hier", "aujourd'hui", "selon", "depuis", "pendant", "lors", "après", "avant",
            "ainsi", "enfin", "mais", "pour", "dans", "avec", "quand", "alors", "il", "elle",
            "nous", "ils", "elles", "cette", "ce", "ces",
        }
    ),
    "es": frozenset(
        {
            "hoy", "ayer", "según", "desde", "durante", "tras", "después", "antes", "mientras",
            "cuando", "pero", "así", "para", "por", "este", "esta", "estos", "estas",
        }
    ),
}  # fmt: skip
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
# Photo captions under the title: how many lines of them there may be, at most, and how long
# a caption may be (a longer line is a paragraph). Lines of text before a dateline paragraph
# are captions only within ``_CAPTION_LINES`` lines of text.
_HEADER_SPAN = 10
_CAPTION_LINES = 4
_CAPTION_LENGTH = 400
_DATELINE_WORDS = 5  # spaces: a dateline paragraph is running text, not "Office – Name"
_WRAPPED_LINE = 100  # hard-wrapped text has no longer lines
_DESCRIPTION_LENGTH = 300  # a caption sentence followed by its credit line
_BODY_DESCRIPTION_LENGTH = 200  # the same between paragraphs, where it must lack a full stop
TRUNCATED = note("possibly truncated: the text stops mid-sentence")


def _is_place(text: str, language: str = "") -> bool:
    # "Tapachula (México) / Tecún Umán (Guatemala)": a country in brackets, two places.
    words = text.replace(",", " ").replace("/", " ").replace("(", "").replace(")", "").split()
    if not 1 <= len(words) <= 6 or len(text) > 60 or any(ch.isdigit() for ch in text):
        return False
    first = words[0].lower()
    if first in _NOT_PLACES or first in _NOT_PLACES_OF.get(language, ()):
        return False
    if first == "the" and (len(words) < 2 or words[1].lower() != "hague"):
        return False
    for word in words:
        if word[:1].isupper():
            continue
        if word.lower() not in _PLACE_CONNECTORS and not word.lower().startswith(("d'", "l'")):
            return False
    return True


@lru_cache(maxsize=4096)  # asked of the same opening lines by the header and the page
def find_dateline(paragraph: str, language: str = "") -> tuple[str | None, datetime.date | None]:
    """("San Salvador", None) from "San Salvador – The Ministry ...".

    Also reads "San Salvador, 17 April 2018 – ..." and "Geneva – 12.03.2019 – ...". The
    paragraph itself is left as written. ``language``: the page's, when known, so that a
    French or Spanish opener ("Hier –", "Según la OIM –") is not taken for a place.
    """
    dash = _DATELINE_DASH.search(paragraph, 0, 100)
    if not dash:
        lost = _LOST_DASH.match(paragraph)
        place = lost.group(1).strip() if lost else ""
        if place and place[0].isupper() and _is_place(place) and place_country(place):
            return place, None
        return None, None
    head = paragraph[: dash.start()].strip()
    published = None
    bracket = _BRACKET_AFTER_PLACE.search(head)
    if bracket and any(ch.isdigit() for ch in bracket.group(1)):
        published = split_trailing_date(bracket.group(1))[1]
        head = head[: bracket.start()]
    place, date = split_trailing_date(head)
    published = published or date
    if published is None:
        place = _DAY_WITHOUT_YEAR.sub("", place)
    place = place.strip(" ,")
    if place.endswith(")."):
        place = place[:-1]  # "Tecún Umán (Guatemala). - ..."
    if place.endswith(")") and (agency := _AGENCY_AFTER_PLACE.search(place)):
        place = place[: agency.start()]  # "Cox's Bazar (IOM) – ..." is Cox's Bazar
    if not place or not _is_place(place, language):
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
            warnings.append(note("the publication date %(value)r could not be read", value=value))
            return True, None
        return date is not None, date
    date = parse_full_date(line) if len(line) <= 40 else None
    return date is not None, date


def _find_contacts(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if not line or heading_rest(line) is None:  # most lines: a cheap first test
            continue
        following = next((text for text in lines[index + 1 :] if text), "")
        if opens_contacts(line, following):
            return index
    return None


def _is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line)) or (len(line) <= 40 and parse_full_date(line) is not None)


def _next_text(lines: list[str], index: int) -> int | None:
    """Index of the next line with text after ``index``, or None."""
    for following in range(index + 1, len(lines)):
        if lines[following]:
            return following
    return None


def _precedes_dateline(lines: list[str], index: int, story_end: int) -> bool:
    """Whether the text line at ``index`` stands above the dateline paragraph, with only
    caption-sized lines (and date lines) between: then it is not the story's start.

    In hard-wrapped text a dateline-like line may be the middle of a paragraph, so there the
    line above it must end a sentence, be a credit, or be set apart by a blank line.
    """
    texts = 0
    previous = index
    current: int | None = index
    while current is not None and current < story_end and texts < _CAPTION_LINES:
        line = lines[current]
        if heading_rest(line) is not None:
            return False  # the contacts block: no story below
        if current > index and line.count(" ") >= _DATELINE_WORDS and find_dateline(line)[0]:
            above = lines[previous]
            return (
                len(line) > _WRAPPED_LINE
                or current - previous > 1
                or ends_sentence(above)
                or is_credit(above)
                or not is_hard_wrapped(lines[index : min(index + 40, story_end)])
            )
        if len(line) > _CAPTION_LENGTH:
            return False
        if not _is_date_line(line) and not is_credit(line) and not is_widget_debris(line):
            texts += 1
        previous = current
        current = _next_text(lines, current)
    return False


def _add_caption(page: NewsPage, line: str) -> None:
    text = caption_text(line)
    if text and text.casefold() not in (caption.casefold() for caption in page.captions):
        page.captions.append(text)


def _read_header(lines: list[str], story_end: int, page: NewsPage, warnings: list[str]) -> int:
    """Date lines and photo captions between the title and the story; where the story starts.

    Recognised by structure, not wording: a caption or credit line by its own markers (see
    ``legacy.parsing.captions``); a sentence directly followed by a credit line ("Migrants
    wait at the port." / "IOM 2017"); and any caption-sized line that stands above the
    dateline paragraph. A paragraph with a dateline is never a caption, and neither is
    the first line of running text when no dateline and no credit follow it.
    """
    seen = 0
    index = 0
    while index < story_end and seen < _HEADER_SPAN:
        line = lines[index]
        if not line:
            index += 1
            continue
        seen += 1
        if page.published_on is None and seen <= _HEADER_LINES + len(page.captions):
            is_date, date = _header_date(line, warnings)
            if is_date:
                page.published_on = date
                index += 1
                continue
        if is_widget_debris(line):
            index += 1
            continue
        following = _next_text(lines, index)
        if find_dateline(line)[0] is not None and not (
            # A caption that opens like a dateline ("Cox's Bazar – Families ... © IOM")
            # above the real dateline paragraph.
            is_caption(line)
            and following is not None
            and find_dateline(lines[following])[0] is not None
        ):
            break
        if is_caption(line) or is_credit(line) or counter_length(line):
            _add_caption(page, line)  # under the title, a marked caption of any length
            index += 1
            continue
        if len(line) >= _CAPTION_LENGTH:
            break  # running text: the story starts here
        if (
            len(line) <= _DESCRIPTION_LENGTH
            and following is not None
            and (
                is_credit(lines[following])
                # a photo's title above its caption: both before the story
                or (len(line) <= _BODY_DESCRIPTION_LENGTH and is_caption(lines[following]))
            )
        ):
            _add_caption(page, line)  # a caption sentence; its credit comes next
            index += 1
            continue
        if _precedes_dateline(lines, index, story_end):
            _add_caption(page, line)
            index += 1
            continue
        break
    return index


def _is_body_caption(lines: list[str], index: int) -> bool:
    """A caption between paragraphs: by its own markers, a credit line, or a line without a
    full stop directly above a credit line (its description)."""
    line = lines[index]
    if len(line) <= CREDIT_LENGTH:
        if is_credit(line):  # also every short caption
            return True
    elif len(line) < _CAPTION_LENGTH and is_caption(line):
        return True
    if len(line) > _BODY_DESCRIPTION_LENGTH or index + 1 == len(lines):
        return False
    following = lines[index + 1]
    return (
        bool(following)
        and len(following) <= CREDIT_LENGTH
        and not ends_sentence(line)
        and is_credit(following)
    )


def build_news(
    title: str,
    lines: list[str],
    warnings: list[str],
    captions: list[str] | None = None,
    language: str = "",
) -> NewsPage:
    """The news page whose body (below the title) is ``lines``.

    ``captions``: caption lines found above the title, kept first. ``language``: the page's
    as its words tell ("" when they do not), for the rules that differ by language.
    """
    page = NewsPage(title=title, language=language)
    for caption in captions or ():
        _add_caption(page, caption)
    # Captions are looked for above the contacts block only: its office lines ("IOM/UNHCR")
    # are not credits.
    heading = _find_contacts(lines)
    story_end = len(lines) if heading is None else heading
    start = _read_header(lines, story_end, page, warnings)
    page.opens_with_photo = bool(page.captions)
    body: list[str] = []
    body_heading = None  # where the contacts heading is in ``body``
    seen_text = 0
    for index in range(start, len(lines)):
        line = lines[index]
        if index == story_end:
            body_heading = len(body)
        if line and index < story_end and _is_body_caption(lines, index):
            _add_caption(page, line)  # a photo's caption is kept apart from the story
            continue
        if line and seen_text < _HEADER_LINES and page.published_on is None:
            is_date, date = _header_date(line, warnings)
            if is_date:
                page.published_on = date
                continue
        if line:
            seen_text += 1
        body.append(line)

    heading = body_heading
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
            warnings.append(note("a contacts heading was found, but no contact could be read"))

    page.paragraphs = reflow(body, language) + [line for line in trailing if line]
    if not page.paragraphs:
        if page.contacts:
            raise ParseError(note("a news page without any text (only a title and contacts)"))
        raise ParseError(note("only one line of content was found (a title without text)"))
    if heading is None and _is_truncated(body, page.paragraphs[-1], language):
        warnings.append(TRUNCATED)

    place, published = find_dateline(page.paragraphs[0], language)
    page.dateline = place
    if published is not None and page.published_on is None:
        page.published_on = published
    if page.published_on is None and place is None:
        first_line = page.paragraphs[0][:60]
        dash = _DATELINE_DASH.search(first_line)
        partial = parse_partial_date(first_line[: dash.start()]) if dash else None
        if partial is not None and partial.as_date() is not None:
            page.published_on = partial.as_date()
    return page


def _is_truncated(body: list[str], last_paragraph: str, language: str = "") -> bool:
    """A body without a contacts block that stops mid-sentence; an end marker ("###",
    "- ENDS -") after the last paragraph says the text is whole."""
    last_line = next((line for line in reversed(body) if line), "")
    if is_separator(last_line):
        return False
    return stops_mid_sentence(last_paragraph, language)
