"""Photo captions and credit lines: what one looks like on its own.

The old pages printed a photo's caption and its credit as plain lines, under the title
(before the dateline paragraph) or between paragraphs. This module says what a single line
is; where such lines may stand on a page (and so which lines around them are captions too)
is decided by ``legacy.parsing.news``.

* A **caption** carries a photo marker of its own: "©", "(c) IOM", a "Photo:" / "Foto:" /
  "Crédit photo :" prefix, "Photo by ...", or a descriptive sentence that ends in a credit
  ("Migrants wait at the port. Photo: IOM/Jane Doe").
* A **credit** is a short line that names who took the picture: a caption marker, or an
  organisation's name with a year or a photographer ("IOM 2017", "OIM/Juan Pérez",
  "UN Migration Agency (IOM) 2018", "2019 © IOM").
* **Photo-widget debris** is a slideshow counter ("1 of 3", "2/5", "1 de 3") or a bare year
  printed above a photo; it is neither body nor caption. A counter in front of a caption
  ("1 of 3 Migrants queue ...") is cut from it.
"""

from __future__ import annotations

import re

_CAPTION_PREFIX = re.compile(
    r"^(?:photos?|foto(?:grafía)?s?|cr[ée]dits?(?: photo)?|photo credits?|cr[ée]dito)\b[^:]{0,25}:",
    re.I,
)
# "Photo by Jane Doe", "Foto de Juan Pérez", "Photo courtesy of ...": no colon, so only on
# a short line.
_CAPTION_BY = re.compile(
    r"^(?:photos?|fotos?)\s+(?:by|courtesy(?:\s+of)?|de|par|por|cortes[íi]a(?:\s+de)?)\s+\S",
    re.I,
)
_CAPTION_COPYRIGHT = re.compile(r"\(c\)\s*(?:IOM|OIM)\b", re.I)
# A credit at the end of a descriptive sentence: "... at the port. Photo: IOM/Jane Doe" or
# "(Photo: Daniel Ortega)". Case matters: "the photo: her son" is prose.
_TRAILING_CREDIT = re.compile(
    r"(?:^|[\s(.–—-])(?:Photos?|PHOTOS?|Fotos?|FOTOS?|Cr[ée]dits?(?:\s+[Pp]hotos?)?|CR[ÉE]DITS?|"
    r"Photo\s+[Cc]redits?|Cr[ée]dito)\s*[:：]\s*[A-ZÀ-Þ©][^:.]{0,60}\.?\)?\.?$"
)
_TRAILING_SPAN = 90
_CAPTION_WITH_CREDIT = 400  # longer, it is a paragraph that mentions a photo
_TRAILING_HINTS = ("oto", "OTO", "dit", "DIT")  # in every word _TRAILING_CREDIT knows
_ORGS = (
    r"IOM|OIM|UN\s+Migration(?:\s+Agency)?|ONU\s+Migraci[óo]n|UNHCR|ACNUR|HCR|UNICEF|WFP|PAM|"
    r"UNDP|PNUD|OCHA|UNFPA"
)
# The whole line is an organisation with a year or a photographer, in either order: "IOM
# 2017", "IOM/Name", "OIM / Name", "UN Migration Agency (IOM) 2018", "2019 IOM", "2017/IOM".
# Not a dash before the name: "IOM-Ecuador", "IOM – Jane Doe" are offices in contact blocks.
_CREDIT = re.compile(
    rf"""
    (?:©\s*)?
    (?P<before>(?:19|20)\d\d\s*[/,|]?\s*(?:©\s*)?)?
    \(?(?:{_ORGS})\)?(?:\s*\((?:IOM|OIM)\))?
    (?P<year>\s*[,/|]?\s*(?:19|20)\d\d)?
    (?P<who>\s*[/|]\s*[^\s/|:@\d][^/|:@\d]{{0,40}})?  # a name: no e-mail, phone or label
    \.?
    """,
    re.X,
)
# Substrings one of which every organisation in _ORGS contains.
_ORG_HINTS = ("IOM", "OIM", "UN", "ONU", "HCR", "ACNUR", "WFP", "PAM", "PNUD", "OCHA")
CREDIT_LENGTH = 90
_CREDIT_WORDS = 12
_COUNTER = re.compile(r"^(\d{1,2})\s*(?:of|de|sur|/)\s*(\d{1,2})(?:\s+|$)", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def is_caption(line: str) -> bool:
    """A photo caption or credit line by its own markers (see the module's docstring)."""
    if "©" in line:
        return True
    if ("(c)" in line or "(C)" in line) and _CAPTION_COPYRIGHT.search(line):
        return True
    if ":" in line[:40] and _CAPTION_PREFIX.match(line):
        return True
    if len(line) <= 120 and line[:1] in "PpFf" and _CAPTION_BY.match(line):
        return True
    tail = line[-_TRAILING_SPAN:]
    return (
        len(line) <= _CAPTION_WITH_CREDIT
        and (":" in tail or "：" in tail)
        and any(hint in tail for hint in _TRAILING_HINTS)
        and bool(_TRAILING_CREDIT.search(tail))
    )


def is_credit(line: str) -> bool:
    """A short line that only credits a photo: "© IOM 2017", "IOM/Jane Doe", "Foto: OIM"."""
    if not line or len(line) > CREDIT_LENGTH or line.endswith(":"):
        return False
    if line.count(" ") >= _CREDIT_WORDS:
        return False
    if is_caption(line):
        return True
    if not any(org in line for org in _ORG_HINTS):
        return False  # most lines: one scan in C instead of the regular expression
    match = _CREDIT.fullmatch(line)
    return match is not None and any(match.group("before", "year", "who"))


def counter_length(line: str) -> int:
    """Characters taken by a slideshow counter ("1 of 3 ") at the start of ``line``, or 0."""
    if not line[:1].isdigit():
        return 0
    match = _COUNTER.match(line)
    if match is None or not 1 <= int(match.group(1)) <= int(match.group(2)) <= 50:
        return 0
    return match.end()


def is_widget_debris(line: str) -> bool:
    """A slideshow counter or a bare year on a line of its own."""
    return line[:1].isdigit() and (counter_length(line) == len(line) or bool(_YEAR.match(line)))


def caption_text(line: str) -> str:
    """The caption as kept: the line without a slideshow counter in front."""
    return line[counter_length(line) :].strip()
