"""Page layout: where the old site's navigation ends, captions, and paragraph re-flow."""

from __future__ import annotations

import re

from ..countries import fold

# Navigation labels of the global site and of the country and language sites. Compared
# after ``fold`` (no accents, case or punctuation), so "Qui sommes-nous ?" matches.
_NAV_LABELS = frozenset(
    fold(label)
    for label in (
        # English
        "Who we are", "Our Work", "What We Do", "Partnerships", "Highlights",
        "Where we work", "Take Action", "Work with us", "Get involved", "Data and Research",
        "2030 Agenda", "About IOM", "About us", "About", "Home", "News", "Newsroom",
        "Media Centre", "Media Center", "Press Room", "Press Releases", "News and Stories",
        "Stories", "Publications", "Research", "Data", "Careers", "Jobs", "Procurement",
        "Donate", "Support IOM", "Contact", "Contact us", "Search", "Menu", "Main menu",
        "Skip to main content", "Language", "Languages", "English", "Français", "Español",
        "Countries", "Country Offices", "Regional Offices", "Our Mission", "Mission",
        "Mandate", "Structure", "Governance", "Member States", "Leadership", "History",
        "Programmes", "Projects", "Resources", "Events", "Multimedia", "Videos", "Photos",
        "Blogs", "Infographics", "Emergencies", "Migration", "Our Offices", "Our Team",
        "Newsletter", "Follow us", "Share", "Print", "Back", "Home page",
        # French
        "Qui sommes-nous", "Notre action", "Notre travail", "Ce que nous faisons",
        "Partenariats", "Points forts", "À la une", "Où nous travaillons", "Agir",
        "Travailler avec nous", "Nous rejoindre", "S'impliquer", "Impliquez-vous",
        "Données et recherche", "Agenda 2030", "Accueil", "Actualités", "Nouvelles",
        "Communiqués de presse", "Contactez-nous", "Nous contacter", "Projets",
        "Recherche", "Pays", "Bureaux", "À propos", "À propos de l'OIM",
        # Spanish
        "Quiénes somos", "Nuestro trabajo", "Qué hacemos", "Lo que hacemos", "Alianzas",
        "Asociaciones", "Destacados", "Dónde trabajamos", "Actúa", "Tome acción",
        "Trabaje con nosotros", "Trabaja con nosotros", "Involúcrate", "Participe",
        "Datos e investigación", "Inicio", "Noticias", "Comunicados de prensa",
        "Contáctenos", "Contacto", "Oficinas", "Proyectos", "Publicaciones",
        "Acerca de", "Acerca de la OIM", "Sobre la OIM", "Sobre nosotros", "Buscar",
    )
)  # fmt: skip

_DASH_ITEM = re.compile(r"^[-–—•·*»›]\s*(\S.*)$")
_SEPARATOR = re.compile(r"^(?:[-–—_*#=~•·.\s]+|-+\s*ends?\s*-+|\(?ends?\)?)$", re.I)
# "WHO WE AREThe International ...": an upper-case label run into its description.
_RUN_TOGETHER_CAPS = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ'’&\- ]{1,40}[A-ZÀ-Þ](?=[A-ZÀ-Þ][a-zà-ÿ])")
_CAPTION_PREFIX = re.compile(
    r"^(?:photos?|foto(?:grafía)?s?|cr[ée]dits?(?: photo)?|photo credits?|cr[ée]dito)\b[^:]{0,25}:",
    re.I,
)
_CAPTION_COPYRIGHT = re.compile(r"©|\(c\)\s*(?:IOM|OIM)\b", re.I)
_DASH_CHARS = "-–—•·*|»›"
_CLOSERS = "'\"”’»)]"
_SENTENCE_END = ".!?:;…"

# The navigation is looked for in this many lines at the top of a page.
CHROME_WINDOW = 40


def is_dash_line(line: str) -> bool:
    """"-" alone (or another bullet character): a menu separator or a metadata field start."""
    return 0 < len(line) <= 3 and not line.strip(_DASH_CHARS)


def ends_sentence(line: str) -> bool:
    """Ends with sentence punctuation, perhaps followed by a closing quote or bracket."""
    return line.rstrip(_CLOSERS)[-1:] in _SENTENCE_END and bool(line)


def is_separator(line: str) -> bool:
    """Lines that only separate ("-", "###", "* * *", "- ENDS -") and carry no text."""
    if not line or (line[0].isalnum() and line[:3].lower() != "end"):
        return False
    return bool(_SEPARATOR.match(line))


def is_caption(line: str) -> bool:
    """A photo caption or credit line (they carry © or start with "Photo:")."""
    if "©" in line:
        return True
    if ("(c)" in line or "(C)" in line) and _CAPTION_COPYRIGHT.search(line):
        return True
    return ":" in line[:40] and bool(_CAPTION_PREFIX.match(line))


def is_nav_label(line: str) -> bool:
    return len(line) <= 60 and fold(line) in _NAV_LABELS


def _word_count(line: str) -> int:
    return line.count(" ") + 1


def _is_label_like(line: str) -> bool:
    """Short text without sentence punctuation: a menu entry, a heading or a title."""
    return len(line) <= 60 and _word_count(line) <= 8 and not ends_sentence(line)


def _is_strong_chrome(line: str, previous: str) -> bool:
    if is_dash_line(line):
        return True
    item = _DASH_ITEM.match(line) if line[:1] in _DASH_CHARS else None
    if item:
        text = item.group(1)
        return len(text) <= 50 and _word_count(text) <= 6 and not ends_sentence(text)
    if is_nav_label(line):
        return True
    if len(line) > 60:
        # A label followed by its description on the same line, with or without a space:
        # "Our WorkAs the leading ...", "WHO WE AREThe ...".
        if _RUN_TOGETHER_CAPS.match(line):
            return True
        if previous and len(previous) <= 40 and not is_dash_line(previous):
            head = line[: len(previous)]
            if head.casefold() == previous.casefold():
                rest = line[len(previous) :]
                return rest[:1].isupper() or rest[:2].strip()[:1].isupper()
    return False


def find_chrome_end(lines: list[str], limit: int) -> int:
    """Index of the last line of the navigation block at the top, or -1 when there is none.

    The block must start on the first non-blank line. Inside it, up to three unknown
    menu-like lines in a row are tolerated (country sites word their menus differently);
    prose ends the block. A duplicated short line ("Highlights" twice) is navigation when
    more navigation follows it; a duplicated line at the very end of the block is navigation
    only when it is very short and a title-like line follows, otherwise it is taken as a
    title printed twice.
    """
    limit = min(limit, len(lines), CHROME_WINDOW)
    first = next((i for i in range(limit) if lines[i]), None)
    if first is None or not _is_strong_chrome(lines[first], ""):
        return -1
    last_strong = first
    previous = lines[first]
    gap = 0
    i = first + 1
    while i < limit:
        line = lines[i]
        if not line:
            i += 1
            continue
        if _is_strong_chrome(line, previous):
            last_strong = i
            gap = 0
        elif i + 1 < limit and lines[i + 1].casefold() == line.casefold():
            i += 1  # a duplicated label; judged by what follows
        elif _is_label_like(line):
            gap += 1
            if gap > 3:
                break
        else:
            break
        if not is_dash_line(line):
            previous = line
        i += 1
    return _extend_over_trailing_duplicates(lines, last_strong, limit)


def _extend_over_trailing_duplicates(lines: list[str], end: int, limit: int) -> int:
    i = end + 1
    while i + 1 < limit and lines[i] and lines[i].casefold() == lines[i + 1].casefold():
        line = lines[i]
        following = next(
            (text for text in lines[i + 2 : i + 6] if text and not is_caption(text)), ""
        )
        title_follows = (
            bool(following) and _is_label_like(following) and not is_dash_line(following)
        )
        short = _word_count(line) <= 3 and len(line) <= 30
        if not (is_nav_label(line) or (short and title_follows)):
            break
        end = i + 1
        i += 2
    return end


# --- paragraphs -------------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[-–•*·]\s|\d{1,2}[.)]\s)")
_URL_END = re.compile(r"(?:https?://|www\.)\S+$|\S+@\S+\.\w+$", re.I)
_FUNCTION_WORD_END = re.compile(
    r"\b(?:the|a|an|of|to|in|on|and|or|for|with|by|at|from|as|that|de|la|le|les|el|los|las|"
    r"y|et|du|des|en|un|une|una|del|al|para|por|que|à)$",
    re.I,
)
_LONG_LINE = 100
_OPENING = "\"“«'‘¿¡("


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Older items were wrapped at about 70 columns; newer ones have one paragraph a line.

    Wrapped text has few long lines and many lines that stop mid-sentence.
    """
    count = long_lines = open_ended = 0
    for line in lines:
        if line:
            count += 1
            if len(line) > _LONG_LINE:
                long_lines += 1
            if line.rstrip(_CLOSERS)[-1:] not in _SENTENCE_END:
                open_ended += 1
    if count < 3 or long_lines * 100 > count * 15:
        return False
    return open_ended * 100 >= count * 35


def _breaks_between(line: str, following: str, width: int) -> bool:
    """Whether a hard-wrapped line ends its paragraph.

    The wrapper only moved a word to the next line when it did not fit, so when the next
    line's first word would have fitted, the break was the author's. Because the old pages
    counted HTML entities in their widths, that test alone misfires; it also needs the line
    to end a sentence (or to be a short heading, or to end with a link).
    """
    start = following[:1]
    if (start in "-–•*·" or start.isdigit()) and _BULLET.match(following):
        return True
    space = following.find(" ")
    first_word_length = len(following) if space < 0 else space
    fits = len(line) + 1 + first_word_length <= width
    if fits and line.rstrip(_CLOSERS)[-1:] in _SENTENCE_END:
        return True
    starts_sentence = start.isupper() or start in _OPENING
    if not starts_sentence:
        return False
    if ("://" in line or "www." in line or "@" in line) and _URL_END.search(line):
        return True
    return (
        fits
        and len(line) * 10 <= width * 6
        and line[-1:] not in ",;(-–—"
        and not _FUNCTION_WORD_END.search(line)
    )


def _join(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and part[:1].islower():
            text += part  # a compound broken at its hyphen: "Afro-" + "Ecuadorian"
        else:
            text = f"{text} {part}"
    return text


def reflow(lines: list[str]) -> list[str]:
    """Paragraphs from body lines: hard wraps joined, real breaks (and blank lines) kept."""
    lines = [line for line in lines if not line or line[0].isalnum() or not is_separator(line)]
    if not _is_hard_wrapped(lines):
        return [line for line in lines if line]
    width = max((len(line) for line in lines if line and len(line) <= _LONG_LINE), default=0)
    width = width or _LONG_LINE
    paragraphs: list[str] = []
    parts: list[str] = []
    for line in lines:
        if not line:
            if parts:
                paragraphs.append(_join(parts))
                parts = []
            continue
        if parts and _breaks_between(parts[-1], line, width):
            paragraphs.append(_join(parts))
            parts = []
        parts.append(line)
    if parts:
        paragraphs.append(_join(parts))
    return paragraphs
