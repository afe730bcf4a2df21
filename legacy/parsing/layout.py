"""Page layout: where the old site's navigation ends, and paragraph re-flow.

What a photo caption looks like is ``legacy.parsing.captions``'s rule (``is_caption`` is
imported here for the modules that ask this one).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..countries import lookup_key
from .captions import is_caption  # the caption rule lives in captions.py

# Navigation labels of the global site and of the country and language sites. Compared
# after ``lookup_key`` (no accents, case or punctuation), so "Qui sommes-nous ?" matches.
_NAV_LABELS = frozenset(
    lookup_key(label)
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
        "Newsletter", "Follow us", "Share", "Print", "Back", "Home page", "Programs", "Press",
        "Media", "Links", "Useful links", "Vacancies", "Tenders", "Calls for proposals",
        # French
        "Qui sommes-nous", "Notre action", "Notre travail", "Ce que nous faisons",
        "Partenariats", "Points forts", "À la une", "Où nous travaillons", "Agir",
        "Travailler avec nous", "Nous rejoindre", "S'impliquer", "Impliquez-vous",
        "Données et recherche", "Agenda 2030", "Accueil", "Actualités", "Nouvelles",
        "Communiqués de presse", "Contactez-nous", "Nous contacter", "Projets",
        "Recherche", "Pays", "Bureaux", "À propos", "À propos de l'OIM", "Notre mission",
        "Nos activités", "Presse", "Salle de presse", "Médias", "Liens", "Liens utiles",
        "Carrières", "Offres d'emploi", "Appels d'offres", "Faire un don",
        # Spanish
        "Quiénes somos", "Nuestro trabajo", "Qué hacemos", "Lo que hacemos", "Alianzas",
        "Asociaciones", "Destacados", "Dónde trabajamos", "Actúa", "Tome acción",
        "Trabaje con nosotros", "Trabaja con nosotros", "Involúcrate", "Participe",
        "Datos e investigación", "Inicio", "Noticias", "Comunicados de prensa",
        "Contáctenos", "Contacto", "Oficinas", "Proyectos", "Publicaciones",
        "Acerca de", "Acerca de la OIM", "Sobre la OIM", "Sobre nosotros", "Buscar",
        "Nuestra labor", "Nuestra misión", "Programas", "Prensa", "Sala de prensa", "Medios",
        "Enlaces", "Enlaces de interés", "Convocatorias", "Vacantes", "Empleo", "Empleos",
        "Licitaciones", "Donar", "Involúcrese", "Actúe",
    )
)  # fmt: skip

_DASH_ITEM = re.compile(r"^[-–—•·*»›]\s*(\S.*)$")
_SEPARATOR = re.compile(r"^(?:[-–—_*#=~•·.\s]+|-+\s*ends?\s*-+|\(?ends?\)?)$", re.I)
# Where a menu label runs into its description with no space ("Our WorkAs the ...",
# "WHO WE AREThe ...", "QUI SOMMES-NOUSL'OIM ..."): a capital right after a letter and
# before a small letter or an apostrophe, within a label's length of the start.
_JUNCTION = re.compile(r"(?<=[A-Za-zÀ-ÖØ-öø-ÿ])[A-ZÀ-ÖØ-Þ](?=[a-zß-öø-ÿ'’])")
_JUNCTION_SPAN = 62
_DATELINE_DASH = re.compile(r"\s[–—-]\s")
_DASH_CHARS = "-–—•·*|»›"
_CLOSERS = "'\"”’»)]"
_SENTENCE_END = ".!?:;…"

# The navigation is looked for in this many lines at the top of a page.
CHROME_WINDOW = 40
# A "- Label" menu item: short, no sentence. Submenus name offices and posts at length ("-
# Directrice générale adjointe chargée de la gestion et des réformes").
_ITEM_LENGTH = 80
_ITEM_WORDS = 12


def is_dash_line(line: str) -> bool:
    """A lone "-" (or bullet character): a menu separator or the start of a metadata field."""
    return 0 < len(line) <= 3 and not line.strip(_DASH_CHARS)


def ends_sentence(line: str) -> bool:
    """Ends with sentence punctuation, perhaps followed by a closing quote or bracket."""
    return line.rstrip(_CLOSERS)[-1:] in _SENTENCE_END and bool(line)


def is_separator(line: str) -> bool:
    """Lines that only separate ("-", "###", "* * *", "- ENDS -") and carry no text."""
    if not line or (line[0].isalnum() and line[:3].lower() != "end"):
        return False
    return bool(_SEPARATOR.match(line))


def is_nav_label(line: str) -> bool:
    return len(line) <= 60 and lookup_key(line) in _NAV_LABELS


def _word_count(line: str) -> int:
    return line.count(" ") + 1


def _is_label_like(line: str) -> bool:
    """Short text without sentence punctuation: a menu entry, a heading or a title."""
    return len(line) <= 60 and _word_count(line) <= 8 and not ends_sentence(line)


def _is_body_prose(line: str) -> bool:
    """A sentence of running text: what follows a title, never a title itself."""
    if len(line) > 200:
        return True
    return line.rstrip(_CLOSERS)[-1:] in ".…" and _word_count(line) >= 6


def _looks_like_title(line: str) -> bool:
    """Short and label-like, or a longer line in title case that is not a sentence."""
    if not line or line[0] in _DASH_CHARS:
        return False
    if _is_label_like(line):
        return True
    if len(line) > 200 or line.rstrip(_CLOSERS)[-1:] == ".":
        return False
    words = [word for word in line.split() if len(word) > 3]
    return sum(word[0].isupper() for word in words) * 10 >= len(words) * 7


def _is_run_together(line: str, previous: str) -> bool:
    """A menu label run into its description: "Our WorkAs the leading ...".

    The label must be a known one, the line just above, or written in capitals ("WHO WE
    AREThe ..."); an unknown mixed-case label counts only before a whole sentence, so that
    a title such as "McDonald's ..." or "YouTube ..." is not taken for navigation.
    """
    for count, match in enumerate(_JUNCTION.finditer(line, 0, _JUNCTION_SPAN)):
        if count == 2:
            break
        head = line[: match.start()]
        if lookup_key(head) in _NAV_LABELS or (previous and head.casefold() == previous.casefold()):
            return True
        rest = line[match.start() :]
        if head.isupper() and len(head) >= 4 and _word_count(rest) >= 3:
            return True
        if (
            _word_count(head) <= 5
            and len(head) - head.rfind(" ") > 3
            and _word_count(rest) >= 6
            and ends_sentence(rest)
        ):
            return True
    return False


@lru_cache(maxsize=8192)
def _nav_kind(line: str, previous: str) -> str:
    """What a line at the top of a page is, as far as the navigation goes.

    "D" a lone dash, "K" a known menu label, "Ki" a known label as a "- Label" item, "R" a
    label run into its description, "I" an unknown "- Label" item, "U" an unknown short
    label-like line (a country site's own menu entry, or a title), "P" anything else.
    Cached: every page of a site repeats the same navigation.
    """
    if is_dash_line(line):
        return "D"
    if line[0] in _DASH_CHARS:
        item = _DASH_ITEM.match(line)
        if item is None:
            return "P"
        text = item.group(1)
        if is_nav_label(text):
            return "Ki"
        if (
            len(text) <= _ITEM_LENGTH
            and _word_count(text) <= _ITEM_WORDS
            and not ends_sentence(text)
        ):
            return "I"
        return "P"
    if is_nav_label(line):
        return "K"
    if _is_run_together(line, previous):
        return "R"
    return "U" if _is_label_like(line) else "P"


_Unit = tuple[str, int, int]  # (kind, first line, last line)
# Kinds of navigation unit (see ``_nav_kind``; a trailing "d" marks a line printed twice).
_KNOWN = frozenset({"K", "Kd", "Ki", "R"})
_LABELS_BEFORE_DESCRIPTION = frozenset({"K", "Kd"})
_AFTER_DESCRIPTION = _KNOWN | {"D", "I", "Ud"}
# What may be given back to the content when the navigation seemed to swallow the title:
# unknown lines, dashes and items, and at most one known label or line printed twice (a
# title such as "Partnerships"), never a known "- Label" item or a label run into its
# description.
_GIVE_BACK = frozenset({"U", "Ud", "D", "I", "K", "Kd"})
_MAX_GIVE_BACK = 4
# Unknown label-like units tolerated in a row inside the navigation, and before it.
_MAX_GAP = 3
_MAX_LEADING = 2
_MIN_KNOWN_AFTER_BANNER = 3


def _nav_units(lines: list[str], limit: int) -> list[_Unit]:
    """(kind, first line, last line) for the lines at the top, up to where prose starts.

    A line printed twice ("What We Do" / "What We Do") is one unit.
    """
    units: list[_Unit] = []
    previous = ""
    gap = 0
    sure = False
    i = 0
    while i < limit:
        line = lines[i]
        if not line:
            i += 1
            continue
        kind = _nav_kind(line, previous)
        last = i
        twin = lines[i + 1] if i + 1 < limit else ""
        if (
            kind in ("K", "U")
            and len(twin) == len(line)
            and (twin == line or twin.casefold() == line.casefold())
        ):
            kind += "d"
            last = i + 1
        units.append((kind, i, last))
        if kind == "P":
            # Prose ends the navigation, unless it is the description under a menu label.
            if len(units) < 2 or units[-2][0] not in _LABELS_BEFORE_DESCRIPTION:
                break
        elif kind[0] == "U":
            gap += 1
            if gap > _MAX_GAP or (not sure and gap > _MAX_LEADING):
                break
        else:
            gap = 0
            sure = True
        if kind != "D":
            previous = line
        i = last + 1
    return units


def _is_description(units: list[_Unit], index: int, lines: list[str]) -> bool:
    """A long line right under a known label that describes it ("Who we are" / "The
    International Organization for Migration is ..."), when more navigation follows, or
    when a title-like line and then running text follow (the navigation ends there).

    A dateline ("Lodwar – ...") marks the first paragraph of a story instead.
    """
    if index == 0 or units[index - 1][0] not in _LABELS_BEFORE_DESCRIPTION:
        return False
    if index + 1 == len(units):
        return False
    following, first, last = units[index + 1]
    if following in _AFTER_DESCRIPTION:
        return True
    line = lines[units[index][1]]
    if following not in ("U", "P") or index < 2 or _DATELINE_DASH.search(line, 0, 60):
        return False
    # A title, then the story (running text or a list).
    after = _following_text(lines, last + 1)
    return (
        not _is_body_prose(lines[first])
        and bool(after)
        and (not _is_label_like(after) or after[0] in _DASH_CHARS)
    )


def _following_text(lines: list[str], start: int) -> str:
    """The next line with text below ``start`` that is not a photo caption, or ""."""
    for line in lines[start : start + 8]:
        if line and not is_caption(line):
            return line
    return ""


def _doubled_line_ends_chrome(units: list[_Unit], index: int, lines: list[str]) -> bool:
    """An unknown line printed twice at the end is navigation only when it is very short and
    a title-like line follows; otherwise it is the title printed twice."""
    kind, _, last = units[index]
    if kind != "Ud":
        return True
    line = lines[last]
    following = _following_text(lines, last + 1)
    return _word_count(line) <= 3 and len(line) <= 30 and _looks_like_title(following)


def _may_give_back(kinds: list[str]) -> bool:
    return (
        len(kinds) <= _MAX_GIVE_BACK
        and _GIVE_BACK.issuperset(kinds)
        and kinds.count("K") + kinds.count("Kd") + kinds.count("Ud") <= 1
    )


def _choose_end(units: list[_Unit], candidates: list[int], lines: list[str]) -> int:
    """The unit the navigation ends with, or -1 when all of it is given back.

    The longest run is kept unless running text follows it: then the title is inside it,
    and the last few units are given back (see ``_GIVE_BACK``) up to a title-like line.
    """
    longest = candidates[-1]
    last_known = max((i for i in candidates if units[i][0] in _KNOWN), default=-1)
    skipped_after_known = [kind for kind, _, _ in units[last_known + 1 : longest + 1]]
    for index in (*reversed(candidates), -1):
        skipped = [kind for kind, _, _ in units[index + 1 : longest + 1]]
        if skipped and not _may_give_back(skipped):
            break
        following = _following_text(lines, (units[index][2] if index >= 0 else -1) + 1)
        if not following:
            if index == longest and "U" in skipped_after_known:
                continue  # "Title" / "- item" at the very end: a title and a list
            return index  # only navigation (or the limit) follows
        if index >= 0 and not _doubled_line_ends_chrome(units, index, lines):
            continue
        if _is_body_prose(following) or (skipped and following[0] in _DASH_CHARS):
            continue
        return index
    # No title-like line anywhere: keep the longest run (short of a title printed twice).
    return next(
        index for index in reversed(candidates) if _doubled_line_ends_chrome(units, index, lines)
    )


def find_chrome_end(lines: list[str], limit: int) -> int:
    """Index of the last line of the navigation block at the top, or -1 when there is none.

    The navigation is a run of short menu-like lines: "-" lines, "- Label" items, known
    labels of the global, country and language sites (in any order, any subset, printed
    once or twice), and labels run into their description ("WHO WE AREThe ..."). Up to
    three unknown label-like lines in a row are tolerated between them (country sites word
    their menus differently), and a long description line directly under a known label
    (see ``_is_description``). The content starts at the first line that is not menu-like
    and is not followed by more menu lines.

    The block starts on the first line with text, or after at most two unknown lines: menu
    entries printed twice, when a known label follows, or a country site's banner, when at
    least three known labels follow. If running text (a sentence) rather than a title
    follows the block, the block seemed to swallow the title: its last few unknown lines,
    dashes or items, or a single plain known label, are given back (see ``_choose_end``).
    """
    limit = min(limit, len(lines), CHROME_WINDOW)
    units = _nav_units(lines, limit)
    candidates: list[int] = []  # units after which the navigation may end
    gap = 0
    for index, (kind, _, _) in enumerate(units):
        if kind == "P":
            if not _is_description(units, index, lines):
                break
            candidates.append(index)
            continue
        if kind[0] == "U":
            gap += 1
            if gap > _MAX_GAP or (not candidates and gap > _MAX_LEADING):
                break
            if kind == "Ud" and candidates:
                candidates.append(index)
            continue
        gap = 0
        candidates.append(index)
    if not candidates:
        return -1

    chosen = _choose_end(units, candidates, lines)
    if chosen < 0:
        return -1
    first_sure = candidates[0]
    if first_sure:
        # Unknown lines above the navigation: menu entries printed twice, or a country
        # site's banner, which needs plenty of known navigation below it.
        known = sum(kind in _KNOWN for kind, _, _ in units[: chosen + 1])
        banner = any(kind == "U" for kind, _, _ in units[:first_sure])
        if known < (_MIN_KNOWN_AFTER_BANNER if banner else 1):
            return -1
    return units[chosen][2]


# --- paragraphs -------------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[-–•*·]\s|\d{1,2}[.)]\s)")
_URL_END = re.compile(r"(?:https?://|www\.)\S+$|\S+@\S+\.\w+$", re.I)
# Words a sentence does not stop on. The shared list serves every page (so English pages read
# as they always have); a French or Spanish page adds its own prepositions and determiners,
# which are ordinary words in English ("sin", "con", "sur", "par"): a wrapped French line
# ending "au" before "Niger" is one sentence, not two paragraphs.
_FUNCTION_WORDS = (
    "the|a|an|of|to|in|on|and|or|for|with|by|at|from|as|that|de|la|le|les|el|los|las|"
    "y|et|du|des|en|un|une|una|del|al|para|por|que|à"
)
_FUNCTION_WORDS_OF = {
    "fr": "au|aux|dans|pour|sur|avec|par|entre|vers|chez|sans|sous|sa|son|ses|leur|leurs|"
    "ce|cet|cette|ces|qui|dont|ou|mais",
    "es": "con|sin|sobre|entre|desde|hacia|hasta|según|ante|tras|su|sus|lo|este|esta|"
    "estos|estas|como|o|pero",
}
_FUNCTION_WORD_END = {
    language: re.compile(rf"\b(?:{_FUNCTION_WORDS}|{words})$", re.I)
    for language, words in _FUNCTION_WORDS_OF.items()
}
_ANY_FUNCTION_WORD_END = re.compile(rf"\b(?:{_FUNCTION_WORDS})$", re.I)


def _function_word_end(language: str) -> re.Pattern[str]:
    return _FUNCTION_WORD_END.get(language, _ANY_FUNCTION_WORD_END)


_LONG_LINE = 100
_OPENING = "\"“«'‘¿¡("


def is_hard_wrapped(lines: list[str]) -> bool:
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


def _breaks_between(line: str, following: str, width: int, language: str = "") -> bool:
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
        and not _function_word_end(language).search(line)
    )


# What a body may end with besides a sentence: a figure or table caption, a source line.
_NOT_PROSE_END = re.compile(
    r"^(?:figures?|fig\.|tables?|charts?|graphs?|maps?|sources?|gr[áa]ficos?|tableaux?|"
    r"cartes?|fuentes?|mapas?|cuadros?)\b",
    re.I,
)
_CUT_END = ",;(-–—/&"
_SHORT_ENDING = 8  # words: a signature, a date or a heading, not a cut sentence


def stops_mid_sentence(paragraph: str, language: str = "") -> bool:
    """Whether the last paragraph of a body looks cut off: it stops without sentence
    punctuation, a closing quote or bracket, on a comma, a function word ("the", "de") or in
    running text.

    Not cut: a paragraph that ends in a URL or an e-mail address, a list item, a figure or
    table caption or source line, and a short or title-like line (a signature such as
    "António Vitorino, Director General", a date, a heading).
    """
    text = paragraph.rstrip()
    if not text or text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END or text[-1] in _CLOSERS:
        return False
    if text[-1] in _CUT_END:
        return True
    if ("://" in text or "www." in text or "@" in text) and _URL_END.search(text):
        return False
    if _BULLET.match(text) or _NOT_PROSE_END.match(text):
        return False
    if _function_word_end(language).search(text, max(0, len(text) - 6)):
        return True
    if _word_count(text) <= _SHORT_ENDING:
        return False
    words = [word for word in text.split() if len(word) > 3]
    return sum(word[0].isupper() for word in words) * 10 < len(words) * 7


def _join(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and part[:1].islower():
            text += part  # a compound broken at its hyphen: "Afro-" + "Ecuadorian"
        else:
            text = f"{text} {part}"
    return text


def reflow(lines: list[str], language: str = "") -> list[str]:
    """Paragraphs from body lines: hard wraps joined, real breaks (and blank lines) kept.
    ``language``: the page's, when known ("fr", "es"), for the words a sentence does not end
    on."""
    lines = [line for line in lines if not line or line[0].isalnum() or not is_separator(line)]
    if not is_hard_wrapped(lines):
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
        if parts and _breaks_between(parts[-1], line, width, language):
            paragraphs.append(_join(parts))
            parts = []
        parts.append(line)
    if parts:
        paragraphs.append(_join(parts))
    return paragraphs
