"""What kind of news item a legacy page is: the one rule, asked by the importer.

The kinds are those of ``news.models.NewsKind`` (as plain strings: the parser does not
import Django). What the page says it is comes first; the first rule that applies wins:

1. **its own type line**: the site printed the item's type above the title ("Communiqué",
   "Comunicado", "Press Release", "Statement", "Story", ...; ``NewsPage.label``).
2. **statement**: the title is a statement, declaration, message or remarks of IOM, its
   Director General, the UN or a group of agencies ("IOM Statement on ...", "Statement by the
   Director General ...", "Joint Statement ...", "IOM Director General's Message on ...",
   "Déclaration du Directeur général ...", "Declaración conjunta ..."), or the body ends with a
   signature (a person's name and role, and no contacts block); or the page's original URL
   is filed under statements ("/statements/").
3. **briefing**: the title names a briefing note ("Press Briefing Notes", "Notes for the
   press", "Point de presse", "Nota informativa").
4. **update**: the title names an update or a situation report ("Libya Crisis Update",
   "Flash Update", "Situation Report", "Sitrep", "Mise à jour", "Actualización", "Rapport de
   situation") or counts arrivals or deaths ("Mediterranean Migrant Arrivals Reach 100,000 in
   2017", "Se contabilizan 213.581 llegadas y 2.859 muertes ..."): the organisation's periodic
   figure bulletins.
5. **press-release**: a media contacts block.
6. **story**: a feature about people, by its structure: a title that is a quotation, in the
   first person or naming itself a story or testimony; a narration in the first person
   (outside quotations) or one that opens on a person and their age ("Hodan Warsame, 34,
   ..."); an undated page that opens with a quotation; or a page led by a photo (captions
   above the first paragraph) that has neither a dateline nor a date (a photo story), or
   whose first words after the dateline name no institution ("Cox's Bazar – Rahima stood in
   a line ..." rather than "Geneva – IOM welcomed ...").
7. **news**: everything else, a dateline without contacts included.
"""

from __future__ import annotations

import re
import unicodedata

from .contacts import classify_lead
from .dates import split_trailing_date
from .model import NewsPage

PRESS_RELEASE = "press-release"
NEWS = "news"
STATEMENT = "statement"
STORY = "story"
BRIEFING = "briefing"
UPDATE = "update"

# Titles are matched folded: lower case, no accents, punctuation as spaces (see ``_fold``).
# Who may stand before "Statement" in a statement's title: IOM, the UN and its agencies, their
# heads, and the words that join them ("IOM and UNHCR Joint Statement", "UN Network on
# Migration Statement"). Any words at all when they name a head ("Director General António
# Vitorino's Statement"); "Ministers Adopt Statement on ..." is news about a statement.
_OWNER_WORDS = frozenset(
    {
        "iom", "oim", "un", "onu", "unhcr", "acnur", "hcr", "unicef", "wfp", "pam", "who", "oms",
        "undp", "pnud", "unfpa", "ocha", "ohchr", "ilo", "oit", "unodc", "unaids", "migration",
        "migraciones", "migrations", "agency", "agencies", "network", "reseau", "red", "joint",
        "conjoint", "conjointe", "conjunta", "conjunto", "general", "generale", "deputy",
        "adjoint", "adjointe", "s", "the", "of", "on", "for", "pour", "para", "les", "las", "los",
        "la", "le", "l", "el", "de", "del", "du", "d", "sur", "and", "et", "y", "iasc",
        "principals", "heads", "high", "commissioner", "international", "internacional",
        "internationale", "organization", "organisation", "organizacion", "united", "nations",
        "naciones", "unidas", "unies",
    }
)  # fmt: skip
_HEAD_WORDS = frozenset(
    {
        "director", "directeur", "directora", "directrice", "dg", "chief", "secretary",
        "secretario", "secretaria", "spokesperson", "head", "chef", "jefe", "jefa",
    }
)  # fmt: skip
_STATEMENT_TITLE = re.compile(
    r"""^(?P<owner>(?:\S+\s+){0,8}?)
    (?:statement
      | (?:declaration|declaracion)\s+(?:conjointe|conjunta|commune|du|de\s+la|de\s+l|del|
            des|de\s+los|de\s+las|sobre|sur|a\s+l\s+occasion|con\s+ocasion|en\s+ocasion|
            par|por|d)\b
      | (?:declaration|declaracion)$
      | comunicado\s+conjunto
      | (?:report|rapport|informe)\s+(?:by|from|of|du|de|del|de\s+la)\s+
            (?:the\s+|la\s+|l\s+|el\s+)?(?:director|directeur|directora|directrice|dg|deputy)
      | (?:remarks|message|mensaje|discurso|allocution|address|speech)\s+
            (?:by|from|of|du|de|del|de\s+la)\s+
            (?:the\s+|la\s+|l\s+|el\s+)?(?:iom|oim|un|director|directeur|directora|
            directrice|dg|deputy|secretary|chief|high)
      | (?P<speech>message|remarks|mensaje|discours|discurso|allocution|report|rapport|
            informe|address|speech)
    )\b""",
    re.X,
)
_BRIEFING_TITLE = re.compile(
    r"\b(?:briefing\s+notes?|press\s+briefing|notes?\s+(?:for|to)\s+(?:the\s+)?press|"
    r"points?\s+de\s+presse|note\s+d\s+information|notas?\s+informativas?)\b"
)
_UPDATE_TITLE = re.compile(
    r"""
      \bupdates?$
    | \bupdate\s+(?:no\s+|number\s+|n\s+)?\d
    | ^update\b
    | \b(?:flash|situation|weekly|monthly|daily|operational|emergency|crisis|response|
         humanitarian|regional)\s+updates?\b
    | \bsituation\s+reports?\b | \bsitreps?\b
    | \bmises?\s+a\s+jour\b | \brapports?\s+de\s+situation\b | \bpoint\s+de\s+situation\b
    | \bactualizacion(?:es)?\b | \binformes?\s+de\s+situacion\b
    | \b(?:arrivals?|deaths?|fatalities|llegadas|arrivees|muertes|deces|morts)\b
        (?:\s+\S+){0,6}?\s+
        (?:reach|reaches|top|tops|near|nears|pass|passes|surpass|surpasses|exceed|exceeds|
           hit|hits|total|totals|climb\s+to|rise\s+to|alcanzan|superan|llegan\s+a|
           atteignent|depassent|franchissent)
        \s+(?:\S+\s+){0,2}?\d
    | \d[\d\s]*\s+(?:migrant\s+|de\s+migrantes\s+)?(?:arrivals|deaths|llegadas|muertes|
        arrivees|deces|morts)\b.{0,40}?\b(?:and|y|et)\s+\d
    | \b(?:arrivals|arrivees|llegadas)\b.{0,80}?\d.{0,40}?\b(?:deaths|deces|muertes|morts)\b
        .{0,30}?\d
    """,
    re.X,
)
_STORY_TITLE = re.compile(
    r"\b(?:i|i m|i ve|my|we|our|me|je|j|mon|ma|nous|notre|yo|mi|nosotros|nuestra|nuestro|"
    r"story|stories|photo\s+essay|feature|blog|testimony|testimonies|portrait|voices|"
    r"in\s+(?:his|her|their)\s+own\s+words|histoire|temoignages?|historias?|testimonios?|"
    r"relatos?|cronica)\b"
)
_OPENING_QUOTES = "\"“«„‘'"
_CLOSING_QUOTES = "\"”»“’'"
# Quoted speech, removed before looking for the first person in the narration.
_QUOTED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"|„[^“”]*[“”]")
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I’m|I've|I’ve|My|my|We|we|Our|our|us|me|Je|je|nous|Nous|notre|Notre|"
    r"Yo|yo|nosotros|Nosotros|nuestra|Nuestra|nuestro|Nuestro)\b|\b[Jj][’']"
)
# "Hodan Warsame, 34, runs ...", "Amina, 17, ...", "At 17, Amina ...", "A los 17 años, ...".
_PERSON_WITH_AGE = re.compile(
    r"^(?:[A-ZÀ-Þ][\w’'-]+(?:\s+[A-ZÀ-Þ][\w’'-]+){0,3},\s+(?:aged\s+)?\d{1,2},|"
    r"(?:At|À|A\s+los)\s+(?:the\s+age\s+of\s+)?\d{1,2}(?:\s+(?:ans|años))?,)"
)
# The type line some sites print above the title, folded: what the page says it is. Scope
# lines ("Global", "Local") stand beside it and name no kind.
_LABEL_KINDS = {
    "communique": PRESS_RELEASE, "communique de presse": PRESS_RELEASE,
    "comunicado": PRESS_RELEASE, "comunicado de prensa": PRESS_RELEASE,
    "press release": PRESS_RELEASE, "news release": PRESS_RELEASE,
    "statement": STATEMENT, "declaration": STATEMENT, "declaracion": STATEMENT,
    "briefing note": BRIEFING, "briefing notes": BRIEFING, "press briefing note": BRIEFING,
    "press briefing notes": BRIEFING, "nota informativa": BRIEFING,
    "note d information": BRIEFING, "point de presse": BRIEFING,
    "story": STORY, "photo story": STORY, "histoire": STORY, "historia": STORY,
    "temoignage": STORY, "testimonio": STORY,
    "update": UPDATE, "situation report": UPDATE, "mise a jour": UPDATE,
    "actualizacion": UPDATE,
    "news": NEWS, "noticia": NEWS, "actualite": NEWS,
    # Sections: a speech is filed with the statements.
    "speeche": STATEMENT, "speech": STATEMENT, "discour": STATEMENT, "discours": STATEMENT,
    "discurso": STATEMENT, "press room": NEWS, "newsroom": NEWS, "sala de prensa": NEWS,
    "salle de presse": NEWS, "feature": STORY, "feature story": STORY, "reportaje": STORY,
    "reportage": STORY, "recit": STORY, "relato": STORY,
}  # fmt: skip
_SECTION_LINE = 60
_SECTION_JOIN = re.compile(r" (?:and|et|y|e) ")
# "... of the Director General", "... de la directora general", "... du Directeur général"
_SECTION_OWNER = re.compile(
    r" (?:of the|by the|de la|del|du|de l|de)"
    r" (?:director|directora|directeur|directrice|deputy director|secretary) general[e]?$"
)
_SCOPE_LABELS = frozenset({"global", "local", "regional", "national", "nacional"})
# The first words of a report name an institution acting; a feature's name people or a scene.
_INSTITUTIONS = frozenset(
    {
        "iom", "oim", "un", "onu", "unhcr", "acnur", "hcr", "unicef", "wfp", "pam", "who",
        "oms", "undp", "pnud", "eu", "ue", "government", "gobierno", "gouvernement",
        "ministry", "ministerio", "ministere", "ministre", "minister", "ministro",
        "authorities", "autoridades", "autorites", "organization", "organisation",
        "organizacion", "agency", "agence", "agencia", "mission", "mision", "office",
        "oficina", "bureau", "council", "conseil", "consejo", "president", "presidente",
        "embassy", "embajada", "ambassade", "police", "policia", "commission", "comision",
    }
)  # fmt: skip
_LEDE_WORDS = 8
_DATELINE_DASH = re.compile(r"\s[–—-]\s")
_STATEMENT_URL = re.compile(r"/(?:statements?|declarations?|declaraciones?)/", re.I)
_SIGNATURE_LENGTH = 120
_SIGNER_ROLE = re.compile(
    r"\b(?:director|directeur|directrice|directora|secretary|secretario|secretaria|secretaire|"
    r"chief|chef|jefe|jefa|head|spokesperson|porte parole|portavoz|representative|"
    r"representant|representante|coordinator|coordinador|coordinadora|coordonnateur|"
    r"coordonnatrice|commissioner|commissaire|comisionado|president|presidente|minister|"
    r"ministre|ministro|ministra|ambassador|ambassadeur|embajador|embajadora)\b"
)
# A Roman numeral, not the first person: "World War I", "Phase I".
_ROMAN_I = re.compile(
    r"\b(?:war|phase|part|chapter|title|annex|article|category|level|type|stage|round|"
    r"pillar|section|volume|grade|class|tier|season|world war)\s+i\b"
)


def _fold(text: str) -> str:
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def _lead_kinds(paragraph: str) -> set[str]:
    if len(paragraph) > _SIGNATURE_LENGTH:
        return {"other"}
    return {kind for kind, _ in classify_lead(paragraph.rstrip("."))}


def _is_signature(paragraphs: list[str]) -> bool:
    """The body ends with a person's name and role ("António Vitorino, Director General", or
    the name and the role on two lines), perhaps followed by a place and date: a signed
    statement."""
    if split_trailing_date(paragraphs[-1])[1] is not None:
        paragraphs = paragraphs[:-1]  # "Geneva, 18 December 2017" under the signature
    if len(paragraphs) < 2 or not _SIGNER_ROLE.search(_fold(paragraphs[-1][:_SIGNATURE_LENGTH])):
        return False
    last = _lead_kinds(paragraphs[-1])
    if not last or not last <= {"name", "job", "office"}:
        return False
    if "name" in last:
        return len(last) > 1
    return _lead_kinds(paragraphs[-2]) == {"name"}


def _is_feature_lede(paragraph: str, *, quotes: bool = True) -> bool:
    """First person in the narration, a person and their age, or (``quotes``) an opening
    quotation: a dated release may open on a quotation too."""
    if quotes and paragraph[:1] in _OPENING_QUOTES:
        return True
    if _PERSON_WITH_AGE.match(paragraph):
        return True
    narration = _QUOTED.sub(" ", paragraph) if any(q in paragraph for q in '“«"„') else paragraph
    return bool(_FIRST_PERSON.search(narration))


def _is_statement_title(title: str) -> bool:
    match = _STATEMENT_TITLE.match(title)
    if match is None:
        return False
    owner = set(match.group("owner").split())
    if match.group("speech"):  # "IOM Director General's Message on ...", not "IOM Message"
        return bool(owner & _HEAD_WORDS)
    return owner <= _OWNER_WORDS or bool(owner & _HEAD_WORDS)


def _is_story_title(title: str) -> bool:
    match = _STORY_TITLE.search(title)
    if match and match.group() == "i" and _ROMAN_I.search(title):
        match = _STORY_TITLE.search(title, match.end())
    return match is not None


def label_kind(line: str) -> str | None:
    """The kind a type or section line above the title names, "" for a scope line
    ("Global", "Local"), None for any other line.

    The sites print a type ("Communiqué", "Press Release") or the section the page is filed
    under, singular or plural, sometimes two joined ("Statements and Speeches", "Déclarations
    et discours", "Declaraciones y discursos de la directora general"): every part must be a
    known label, and the first gives the kind.
    """
    if len(line) > _SECTION_LINE or line.rstrip()[-1:] in ".!?:":
        return None
    key = _fold(line)
    if key in _SCOPE_LABELS:
        return ""
    kind = _LABEL_KINDS.get(key)
    if kind is not None:
        return kind
    key = _SECTION_OWNER.sub("", key)
    kinds = [_label_part_kind(part) for part in _SECTION_JOIN.split(key)]
    return kinds[0] if kinds and None not in kinds else None


def _label_part_kind(part: str) -> str | None:
    kind = _LABEL_KINDS.get(part)
    if kind is None:  # a plural: "communiques", "declaraciones", "notas informativas"
        singular = " ".join(_singular_word(word) for word in part.split())
        kind = _LABEL_KINDS.get(singular)
    return kind


def _singular_word(word: str) -> str:
    if len(word) > 4 and word.endswith(("ciones", "siones")):
        return word[:-2]  # "declaraciones" -> "declaracion"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _after_dateline(paragraph: str, dateline: str | None) -> str:
    if dateline:
        dash = _DATELINE_DASH.search(paragraph, 0, 120)
        if dash:
            return paragraph[dash.end() :]
    return paragraph


def _opens_on_people(lede: str) -> bool:
    """The first words name no institution: a feature's opening, not a report's."""
    words = _fold(lede).split()[:_LEDE_WORDS]
    return bool(words) and not any(word in _INSTITUTIONS for word in words)


def _is_story(page: NewsPage, title: str) -> bool:
    quoted_title = page.title[:1] in _OPENING_QUOTES and page.title[-1:] in _CLOSING_QUOTES
    if quoted_title or _is_story_title(title):
        return True
    if not page.paragraphs:
        return False
    lede = _after_dateline(page.paragraphs[0], page.dateline)
    if _is_feature_lede(lede, quotes=not page.dateline):
        return True
    if not page.opens_with_photo:
        return False
    if title[:1].isdigit():
        return False  # "316 Somalis Arrive Home ...": a title that opens on a figure reports
    if page.dateline:
        return _opens_on_people(lede)
    return page.published_on is None  # a photo story states no date; a dated report does


def classify(page: NewsPage, url: str | None = None) -> str:
    """The kind of a news page (see the module's docstring for the rule).

    ``url``: the page's original address when known (a crawl manifest gives it).
    """
    if page.label:
        kind = label_kind(page.label)
        if kind:
            return kind
    title = _fold(page.title)
    if _is_statement_title(title):
        return STATEMENT
    if _BRIEFING_TITLE.search(title):
        return BRIEFING
    if _UPDATE_TITLE.search(title):
        return UPDATE
    if not page.contacts and len(page.paragraphs) > 1 and _is_signature(page.paragraphs):
        return STATEMENT
    if url and _STATEMENT_URL.search(url):
        return STATEMENT
    if page.contacts:
        return PRESS_RELEASE
    if _is_story(page, title):
        return STORY
    return NEWS
