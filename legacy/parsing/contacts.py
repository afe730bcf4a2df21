"""The media-contacts block that closes a news item.

The block is written in many ways: a heading ("For more information please contact:",
"Media contact:", "Pour plus d'informations, veuillez contacter :", "Para más información,
contactar a:") followed by one contact per line or one field per line, the office before
or after the name, labels with or without a colon, a label whose value is on the next line,
or the whole contact on the heading line ("... contact Jane Doe at IOM Kenya, Tel: ...").

Each line is split into a *lead* (name, office, job title in free order) and labelled
*fields* (phones, mobiles, e-mails). The pieces of the lead are told apart by their words:
offices name an organisation (IOM, UN, Office, Mission, Ministry ...), job titles name a
role (Officer, Spokesperson, Head ...), and a person's name is a short run of capitalised
words. A new contact starts when a second name appears, or when a name or office follows
fields that already belong to the current contact.

A name-like run of words right after an office on the same line ("IOM Regional Office for
Latin America and the Caribbean, San José", "IOM Kenya – Jane Doe") is either the office's
city or a person. It is read as a person only on evidence: no other name on the line, no
person already open, and then a spaced dash with the contact's fields on the same line
("OFFICE – NAME, Email: ..."), a job title right after it, or an e-mail address made from it.
Otherwise it stays part of the office, so an office line never starts a new contact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from ..countries import resolve_country
from .model import Contact, note

CONTACT_HEADING = re.compile(
    r"""
    ^(?:
        (?:for|to\s+arrange)\s+(?:more|further|additional|media)?\s*
            (?:info(?:rmation)?|details|inquiries|enquiries|interviews)
            (?:\s+(?:on|about)\s+[^,:]{1,60}?)?
            \s*,?\s*(?:please\s+)?
            (?:contact|call|e-?mail|write\s+to|reach\s+out\s+to|get\s+in\s+touch\s+with)
      | (?:media|press|news)\s+(?:contacts?|enquiries|inquiries)
      | contacts?(?:\s+(?:presse|m[ée]dias?|de\s+prensa|for\s+(?:the\s+)?media))?
      | (?:pour\s+(?:plus\s+d['’]\s*|de\s+plus\s+amples\s+|toutes?\s+(?:autres?\s+)?)
            (?:informations?|renseignements?)|pour\s+en\s+savoir\s+plus)
            \s*(?:(?:suppl[ée]mentaires?|compl[ée]mentaires?)\s*)?
            (?:\s+(?:sur|concernant)\s+[^,:]{1,60}?)?
            (?:\s+ou\s+(?:des\s+|une\s+)?(?:entretiens?|interviews?))?
            ,?\s*
            (?:merci\s+de\s+|veuillez\s+|pri[èe]re\s+de\s+|pri[ée]s?\s+de\s+|
               n['’]h[ée]sitez\s+pas\s+[àa]\s+|vous\s+pouvez\s+)?
            (?:contacter|contactez|joindre|vous\s+adresser\s+[àa]|s['’]adresser\s+[àa]|
               adressez-vous\s+[àa]|[ée]crire\s+[àa]|appeler)
      | para\s+(?:m[áa]s|mayor|obtener\s+m[áa]s|cualquier|mayores)\s+informaci[óo]n(?:es)?
            (?:\s+(?:sobre|acerca\s+de)\s+[^,:]{1,60}?)?
            (?:\s+(?:o|y)\s+(?:solicitudes\s+de\s+)?entrevistas?)?
            \s*,?\s*
            (?:por\s+favor\s+|favor\s+de\s+|s[íi]rvase\s+|puede\s+|pueden\s+)?
            (?:contactar(?:se)?|contacte|cont[áa]ctese|comun[íi]quese|comunicarse|escribir|
               dirigirse|dir[íi]jase|llamar)
            (?:\s+(?:a|con))?
      | (?P<bare>(?:for\s+(?:more|further)\s+information|pour\s+(?:plus\s+d['’]\s*|de\s+plus
            \s+amples\s+)(?:informations?|renseignements?)|para\s+(?:m[áa]s|mayor)\s+
            informaci[óo]n|renseignements|informations?\s+presse|informaci[óo]n\s+(?:de|para)
            \s+(?:la\s+)?prensa))(?=\s*[:：]\s*$)
      | personnes?\s+(?:de\s+|[àa]\s+)contacts?|personas?\s+de\s+contacto
      | contactos?(?:\s+(?:de\s+prensa|para\s+(?:los\s+)?medios))?
      | relations?\s+(?:presse|m[ée]dias)
    )
    \b\s*(?:with|at|on)?\s*[:：.–—-]?\s*(?P<rest>.*)$
    """,
    re.I | re.X,
)

# First letters of every heading above, to skip the regular expression for most lines.
_HEADING_INITIALS = frozenset("cfimnprt")

EMAIL = re.compile(
    r"(?<![\w.%+'-])[A-Za-z0-9][A-Za-z0-9._%+'-]{0,63}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![\w-])"
)

_FIELD = re.compile(
    r"""
    (?:^|(?<=[\s,;|(/–—-]))
    (?P<label>
        telefax|t[ée]l[ée]copie(?:ur)?
      | t[ée]l(?:[ée]phone|[ée]fono|ephone)?s?|phone|ph|fixe|office|oficina|bureau|direct|landline
      | mobiles?|mob|cell(?:ular|phone)?|cel|celular|m[óo]vil|portable|gsm|whatsapp
      | e-?mails?|courriel|correo(?:\s+electr[óo]nico)?|mail
      | adresse\s+(?:[ée]lectronique|e-?mail|mail)
      | direcci[óo]n\s+(?:de\s+)?(?:correo(?:\s+electr[óo]nico)?|e-?mail)
      | fax|t|m|e
    )
    (?:\s*/\s*(?:fax|mobile|cell|m[óo]vil|portable))?
    (?:\s*(?:phone|number|no\.?|n°|num\.?))?
    \.?
    (?P<sep>\s*[:：]|\s+(?=[+(\d])|\s*$)
    \s*
    """,
    re.I | re.X,
)
_EMAIL_LABELS = ("e-mail", "email", "courriel", "correo", "mail", "adresse", "direcci")
_FIELD_HINT = re.compile(r"[:：+(\d]")
_NEEDS_COLON = frozenset({"t", "m", "e", "ph", "office", "oficina", "bureau", "direct", "mail"})
# "Office:" names the office ("Office: IOM Dakar") or gives its phone ("Office: +221 ...").
_FIELD_KINDS = {
    "mobile": "mobile", "mobiles": "mobile", "mob": "mobile", "cell": "mobile",
    "cellular": "mobile", "cellphone": "mobile", "cel": "mobile", "celular": "mobile",
    "movil": "mobile",
    "móvil": "mobile", "portable": "mobile", "gsm": "mobile", "whatsapp": "mobile", "m": "mobile",
    "fax": "fax", "telefax": "fax", "office": "office", "oficina": "office", "bureau": "office",
}  # fmt: skip

# Words that tell the pieces of a lead apart. Looked up as whole words in sets (one pass
# over the words) rather than with one regular expression per category: this runs for
# every line of every contacts block.
_ORG_ACRONYMS = frozenset(
    {
        "IOM", "OIM", "UN", "ONU", "UNHCR", "ACNUR", "HCR", "UNDP", "PNUD", "UNICEF", "WFP",
        "PAM", "WHO", "OMS", "UNFPA", "OCHA", "UNODC", "ILO", "OIT", "EU", "UE", "USAID", "PRM",
        "ECHO", "UNAIDS", "ONUSIDA", "NGO", "ONG", "IFRC", "ICRC", "CICR", "UNOPS", "UNESCO"
    }
)  # fmt: skip
_OFFICE_WORDS = frozenset(
    {
        "office", "offices", "mission", "missions", "ministry", "embassy", "organization",
        "organisation", "agency", "bureau", "programme", "programmes", "program", "programs",
        "unit", "department", "division", "headquarters", "hq", "secretariat", "government",
        "council", "commission", "centre", "center", "foundation", "oficina", "misión", "mision",
        "ministerio", "embajada", "ambassade", "ministère", "ministere", "agence", "délégation",
        "delegation", "delegación", "delegacion", "organización", "organizacion", "sede"
    }
)  # fmt: skip
_OFFICE_PAIRS = frozenset({("red", "cross"), ("cruz", "roja"), ("croix", "rouge")})
_JOB_WORDS = frozenset(
    {
        "officer", "spokesperson", "spokesman", "spokeswoman", "manager", "director", "directora",
        "head", "chief", "assistant", "associate", "specialist", "adviser", "advisor",
        "consultant", "representative", "coordinator", "analyst", "intern", "portavoz", "oficial",
        "responsable", "chargé", "chargée", "attaché", "attachée", "directeur", "directrice",
        "coordinateur", "coordinatrice", "coordinador", "coordinadora", "jefe", "jefa",
        "asistente", "asesor", "asesora", "encargado", "encargada", "gerente", "représentant",
        "représentante", "representante", "administrator", "editor", "photographer", "lead"
    }
)  # fmt: skip
_JOB_PAIRS = frozenset({("focal", "point"), ("porte", "parole")})
_JOB_HINTS = frozenset(
    {
        "media", "communications", "communication", "press", "information", "senior", "junior",
        "comunicación", "comunicacion", "prensa", "presse", "relations", "relation"
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_NAME_PARTICLES = frozenset(
    {
        "de", "da", "del", "della", "di", "do", "dos", "das", "du", "van", "von", "der", "den",
        "ten", "ter", "la", "le", "los", "las", "y", "e", "bin", "binti", "ibn", "al", "el",
        "abu", "d'", "l'"
    }
)  # fmt: skip
_PHONE_PUNCTUATION = re.compile(r"[+().\s/-]")
_PHONE_SPLIT = re.compile(r"\s+(?:or|ou|o|and|et|y)\s+|\s*[;,]\s*|\s+/\s+", re.I)
_LEAD_SPLIT = re.compile(r"\s+[–—-]\s+|\s+at\s+|\s+à\s+l['’]|\s+en\s+la\s+(?=OIM)")
# "Please contact Jane Doe at IOM Kenya, ...", "Contacte a Daniela Ruiz en la OIM ...": the
# verb before a name on a contact line of its own.
_CONTACT_VERB = re.compile(
    r"^(?:please\s+|veuillez\s+|merci\s+de\s+|por\s+favor\s+)?"
    r"(?:contact(?:ez|er|e|ar)?|write\s+to|llam(?:e|ar)|escrib(?:a|ir)|joindre|appele[rz])"
    r"\s+(?:(?:a|à|with|con)\s+)?(?=(?-i:[A-ZÀ-Þ]))",
    re.I,
)
# Social titles in front of a name ("Mme Awa Diallo", "Sr. Juan Pérez") are not part of it.
_HONORIFIC = re.compile(r"^(?:M\.|(?:Mme|Mlle|Mr|Mrs|Ms|Miss|Sr|Sra|Srta)\.?)\s+(?=\S)")
# "In Geneva: Jane Doe, ...", "En Quito: Ana López, ...": where the person is, before them.
_PLACE_LABEL = re.compile(
    r"^(?:in|en|à|a|au|aux|at|from|desde|depuis)\s+[^:,]{1,40}:\s+(?=\S)", re.I
)
_PARENTHESIS = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*(?P<after>.*)$")


def _digits(text: str) -> int:
    return sum(map(str.isdigit, text))


def _looks_like_phone(text: str) -> bool:
    digits = _digits(text)
    if digits < 6:
        return False
    return digits + len(_PHONE_PUNCTUATION.findall(text)) >= len(text) * 0.7


def clean_phone(raw: str) -> str | None:
    """A phone number as written, trimmed of labels and debris; None if it has too few digits.

    "+ 57.311 561 94 95" -> "+57.311 561 94 95"; "+ (593.2.225.3948" -> "+593.2.225.3948"
    (an unbalanced parenthesis is debris). Extensions ("ext. 142") are kept.
    """
    first = next((i for i, ch in enumerate(raw) if ch.isdigit() or ch in "+("), None)
    last = max((i for i, ch in enumerate(raw) if ch.isdigit()), default=None)
    if first is None or last is None or last < first:
        return None
    end = last + 1
    if end < len(raw) and raw[end] == ")":
        end += 1
    phone = raw[first:end]
    if phone.count("(") != phone.count(")"):
        phone = phone.replace("(", "").replace(")", "")
    phone = re.sub(r"\+\s+", "+", phone)
    phone = " ".join(phone.split())
    return phone if _digits(phone) >= 6 else None


def split_phones(value: str) -> list[str]:
    """Several numbers in one field ("57.311 5619495 or 57.1.594 6410 ext. 142")."""
    parts = [part for part in _PHONE_SPLIT.split(value) if part and part.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and _digits(part) < 6:
            merged[-1] = f"{merged[-1]}, {part.strip()}"  # "…9111, ext. 12" stays together
        else:
            merged.append(part)
    phones = []
    for part in merged:
        phone = clean_phone(part)
        if phone and phone not in phones:
            phones.append(phone)
    return phones


def emails_in(text: str) -> list[str]:
    found = []
    for match in EMAIL.finditer(text):
        address = match.group(0).rstrip(".").lower()
        if ".." not in address and address not in found:
            found.append(address)
    return found


@lru_cache(maxsize=8192)
def split_fields(line: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """("IOM El Salvador – José Gómez,", (("email", "jgomez@iom.int"),)) and the like.

    Cached, like ``classify_lead``: the same contact lines recur across many releases.
    """
    if len(line) > 20 and not _FIELD_HINT.search(line):
        return line, ()  # a field needs a colon, a number after its label, or a line alone
    matches = []
    for match in _FIELD.finditer(line):
        label = match.group("label").lower()
        colon = ":" in match.group("sep") or "：" in match.group("sep")
        if label in _NEEDS_COLON and not colon:
            continue
        at_end = not colon and match.end() >= len(line.rstrip())
        if at_end and line[: match.start()].strip(" ,;"):
            continue  # a bare label at the end of a line ("E-mail") is a field only alone
        matches.append(match)
    if not matches:
        return line, ()
    fields = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        label = match.group("label").lower()
        if label.startswith(_EMAIL_LABELS) or label == "e":
            kind = "email"
        elif "copie" in label:
            kind = "fax"  # télécopie, télécopieur
        else:
            kind = _FIELD_KINDS.get(label, "phone")
        fields.append((kind, line[match.end() : end].strip(" ,;|")))
    return line[: matches[0].start()], tuple(fields)


def _is_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() or ch == "@" for ch in text):
        return False
    capitalised = 0
    for word in words:
        core = word.strip("\"'“”‘’(),.")
        if not core:
            return False
        if core[0].isupper():
            capitalised += 1
        elif core.lower() not in _NAME_PARTICLES:
            return False
    return capitalised >= 2


def _first_word(
    words: list[tuple[int, str]], singles: frozenset[str], pairs: frozenset[tuple[str, str]]
) -> int | None:
    """Character offset of the first word (or word pair) from a keyword set, else None."""
    previous = ""
    for offset, word in words:
        lower = word.lower()
        if lower in singles:
            return offset
        if (previous, lower) in pairs:
            return offset
        previous = lower
    return None


_OF = frozenset({"of", "de", "du", "del", "des", "for", "para", "pour"})


def _is_job_phrase(words: list[tuple[int, str]]) -> bool:
    """A role that mentions an office: "Senior Programme Assistant", "Head of Office".

    A job title's head noun comes last in English, or before "of"/"de" ("Chief of Mission",
    "Jefa de Misión"); "Office of the Spokesperson" names an office.
    """
    lowered = [word.lower() for _, word in words]
    if lowered[-1] in _JOB_WORDS:
        return True
    return any(word in _JOB_WORDS and after in _OF for word, after in pairwise(lowered))


def classify(piece: str) -> list[tuple[str, str]]:
    """What a piece of a lead is: [(kind, text)] with kind name/office/job/place/phone/other.

    "Senior Media Officer IOM Kenya" gives a job and an office.
    """
    text = piece.strip(" ,;:.–—-")
    if not text:
        return []
    if _looks_like_phone(text):
        return [("phone", text)]
    words = [(match.start(), match.group()) for match in _WORD.finditer(text)]
    org = next((offset for offset, word in words if word in _ORG_ACRONYMS), None)
    job = _first_word(words, _JOB_WORDS, _JOB_PAIRS)
    office = _first_word(words, _OFFICE_WORDS, _OFFICE_PAIRS)
    if org is not None:
        if job is not None and job < org and text[:org].strip(" ,–-"):
            return [("job", text[:org].strip(" ,–-")), ("office", text[org:])]
        if job is not None and (office is None or job < office) and _is_job_phrase(words):
            return [("job", text)]  # "IOM Spokesperson", "IOM Chief of Mission in Kenya"
        return [("office", text)]
    if job is not None and (office is None or _is_job_phrase(words)):
        return [("job", text)]
    if office is not None:
        return [("office", text)]
    if resolve_country(text):
        return [("place", text)]
    if any(word.lower() in _JOB_HINTS for _, word in words):
        return [("job", text)]
    if _is_name(text):
        return [("name", text)]
    return [("other", text)]


@lru_cache(maxsize=8192)
def classify_lead(lead: str) -> tuple[tuple[str, str], ...]:
    """The pieces of the free text before a contact's fields, in order.

    Sides of a spaced dash or of " at " are separate pieces; within a side, commas separate
    pieces, and words that do not name a person or a role after an office continue that
    office ("IOM El Salvador, Guatemala and Honduras"). Kinds are those of ``classify``, and
    "trail" (after a comma) or "dash-trail" (after a dash) for a name-like piece after an
    office that may be the office's city or a person; the reader decides which.
    """
    lead = lead.strip(" ,;:–—-")
    if not lead:
        return ()
    if lead[0] in "CcPpWwLlEeJjAaVvMm" and (verb := _CONTACT_VERB.match(lead)):
        rest = lead[verb.end() :]
        first = _LEAD_SPLIT.split(rest, maxsplit=1)[0].split(",", 1)[0]
        if classify(first)[:1] == [("name", first.strip(" ,;:.–—-"))]:
            lead = rest  # not "Contact Centre Kenya"
    paren = _PARENTHESIS.match(lead)
    if (
        paren
        and not _looks_like_phone(paren.group("inner"))
        and paren.group("inner") not in _ORG_ACRONYMS  # "Organisation ... (OIM)" as written
    ):
        lead = f"{paren.group('outer')} – {paren.group('inner')} {paren.group('after')}"
    pieces: list[list[str]] = []  # [kind, text, how it joins the piece before: "," or "–"]
    for number, side in enumerate(_LEAD_SPLIT.split(lead)):
        joined = "–" if number else ""
        for chunk in side.split(","):
            for kind, text in classify(chunk):
                if joined == "," and pieces[-1][0] == "office" and kind in ("place", "other"):
                    pieces[-1][1] = f"{pieces[-1][1]}, {text}"
                else:
                    pieces.append(["office" if kind == "place" else kind, text, joined])
                joined = ","
    # A name-like piece right after an office (or after such a piece: "Oficina Regional para
    # Centroamérica, Norteamérica y el Caribe, San José") may be part of the office. It is a
    # person only on evidence: a job title right after it here, or, in the reader, the
    # contact's fields or e-mail. When the line names someone else, it is part of the office.
    for k in range(1, len(pieces)):
        follows_office = pieces[k - 1][0] in ("office", "trail", "dash-trail")
        before_job = k + 1 < len(pieces) and pieces[k + 1][0] == "job"
        if pieces[k][0] == "name" and follows_office and not before_job:
            pieces[k][0] = "trail" if pieces[k][2] == "," else "dash-trail"
    trails = [k for k, piece in enumerate(pieces) if piece[0] in ("trail", "dash-trail")]
    if trails:
        someone_else = any(piece[0] == "name" for piece in pieces)
        for k in reversed(trails if someone_else else trails[:-1]):
            pieces[k - 1][1] = f"{pieces[k - 1][1]}, {pieces[k][1]}"
            del pieces[k]
    return tuple((kind, text) for kind, text, _ in pieces)


def _fold(text: str) -> str:
    """Lower case letters without accents: "José" -> "jose"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def email_is_made_from(name: str, emails: list[str]) -> bool:
    """Whether one of the addresses is built from the name: "jgallo" or "carlos.leon" for a
    person, as IOM addresses are; a city ("San José") seldom gives its name to a mailbox.

    The local part holds a word of the name after the first (a surname) and starts with that
    word or with the initial of a word before it.
    """
    words = [_fold(word) for word in _WORD.findall(name)]
    words = [word for word in words if word and word not in _NAME_PARTICLES]
    for email in emails:
        local = _fold(email.split("@", 1)[0])
        for k in range(1, len(words)):
            if len(words[k]) < 3 or words[k] not in local:
                continue
            if local.startswith(words[k]) or local[:1] in {word[0] for word in words[:k]}:
                return True
    return False


@dataclass
class _Draft:
    name: str = ""
    office: str = ""
    job_title: str = ""
    phones: list[str] = field(default_factory=list)
    mobiles: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    # Name-like words after an office, with no evidence yet of a person: the office's city
    # unless the contact's e-mail turns out to be made from them.
    maybe_name: str = ""

    def settle(self, *, as_name: bool) -> None:
        if self.maybe_name:
            if as_name and not self.name:
                self.name = self.maybe_name
            else:
                self.office = _append(self.office, self.maybe_name)
            self.maybe_name = ""

    def has_fields(self) -> bool:
        return bool(self.phones or self.mobiles or self.emails)

    def is_contact(self) -> bool:
        return bool(self.name or self.has_fields())

    def to_contact(self) -> Contact:
        return Contact(
            name=_HONORIFIC.sub("", self.name),
            office=self.office,
            job_title=self.job_title,
            phones=self.phones,
            mobiles=self.mobiles,
            emails=self.emails,
        )


def _append(existing: str, addition: str) -> str:
    if not existing:
        return addition
    if addition.casefold() in existing.casefold():
        return existing
    return f"{existing}, {addition}"


class ContactReader:
    """Reads contact lines one at a time and collects contacts in order."""

    def __init__(self) -> None:
        self.contacts: list[Contact] = []
        self.warnings: list[str] = []
        self._draft = _Draft()
        self._pending: str | None = None  # a phone label whose number is on the next line

    def _flush(self) -> None:
        draft = self._draft
        draft.settle(as_name=email_is_made_from(draft.maybe_name, draft.emails))
        if draft.is_contact():
            if not draft.name:
                what = (
                    draft.office or (draft.emails[0] if draft.emails else "") or note("phone only")
                )
                self.warnings.append(
                    note("a contact without a person's name was kept (%(what)s)", what=what)
                )
            self.contacts.append(draft.to_contact())
        elif draft.office or draft.job_title:
            self.warnings.append(
                note(
                    "a contact line without a name, phone or e-mail was ignored: %(line)r",
                    line=draft.office or draft.job_title,
                )
            )
        self._draft = _Draft()
        self._pending = None

    def feed(self, line: str) -> None:
        for part in line.split(";") if ";" in line else (line,):
            if part.strip():
                self._feed_part(part.strip())

    def _feed_part(self, part: str) -> None:
        if ":" in part[:45] and (place := _PLACE_LABEL.match(part)):
            part = part[place.end() :]
        lead, fields = split_fields(part)
        emails = emails_in(part) if "@" in part else []
        if not fields and not emails and part.endswith(":") and len(part) <= 60:
            # A sub-heading: "IOM Colombia:" gives the office of the contacts below it,
            # "In Geneva:" names no one.
            pieces = classify_lead(part)
            office = next((k for k, (kind, _) in enumerate(pieces) if kind == "office"), None)
            if office is not None:
                if self._draft.name or self._draft.has_fields():
                    self._flush()
                # "IOM Regional Office for Central America, San José:" keeps its city.
                trail = pieces[office + 1 : office + 2]
                city = [text for kind, text in trail if kind in ("trail", "dash-trail")]
                self._draft.office = ", ".join([pieces[office][1], *city])
            return
        if "@" in lead:
            lead = EMAIL.sub(" ", lead).replace("()", " ")
        pieces = classify_lead(lead)
        draft = self._draft
        names = [text for kind, text in pieces if kind == "name"]
        identity = [
            kind for kind, _ in pieces if kind in ("name", "office", "job", "trail", "dash-trail")
        ]
        office_field = any(
            kind == "office" and value and _digits(value) < 6 for kind, value in fields
        )
        if (
            (names and draft.name)
            or (identity and draft.has_fields())
            or (office_field and draft.office and draft.has_fields())  # a second "Office:"
        ):
            self._flush()
            draft = self._draft
        for kind, text in pieces:
            if kind == "name" and not draft.name:
                draft.settle(as_name=False)  # "IOM ..., San José" above "Julio López"
                draft.name = text
            elif kind in ("trail", "dash-trail"):
                if draft.name:
                    # The open person's office line: "Julio López" then "IOM ..., San José".
                    draft.office = _append(draft.office, text)
                elif kind == "dash-trail" and (fields or emails):
                    draft.name = text  # "IOM El Salvador – José Gómez, Email: ..."
                else:
                    draft.settle(as_name=False)
                    draft.maybe_name = text
            elif kind == "job":
                draft.job_title = _append(draft.job_title, text)
            elif kind == "phone":
                if self._pending != "fax":  # a fax number on the line after its label
                    target = draft.mobiles if self._pending == "mobile" else draft.phones
                    for phone in split_phones(text):
                        if phone not in target:
                            target.append(phone)
                self._pending = None
            elif kind == "name":
                self.warnings.append(
                    note("a second name on one contact line was ignored: %(text)r", text=text)
                )
            else:
                if kind == "other" and len(text.split()) > 12:
                    self.warnings.append(
                        note("a contact line was not understood: %(text)r", text=text[:80])
                    )
                elif kind == "other" and not draft.name and not draft.office and _is_name(text):
                    draft.name = text
                else:
                    draft.office = _append(draft.office, text)
        for kind, value in fields:
            if kind == "office":
                if _digits(value) < 6:
                    draft.office = _append(draft.office, value.strip(" .–—-"))
                    self._pending = None
                    continue
                kind = "phone"  # "Office: +41 22 717 9111"
            if kind == "fax":
                self._pending = None if _digits(value) else "fax"  # fax numbers are not kept
            elif kind in ("phone", "mobile"):
                phones = split_phones(EMAIL.sub(" ", value) if "@" in value else value)
                target = draft.mobiles if kind == "mobile" else draft.phones
                for phone in phones:
                    if phone not in target:
                        target.append(phone)
                self._pending = None if phones else kind
            elif kind == "email":
                self._pending = None
        for email in emails:
            if email not in draft.emails:
                draft.emails.append(email)

    def finish(self) -> tuple[list[Contact], list[str]]:
        self._flush()
        return self.contacts, self.warnings


_CONTACT_LINE = 100


def _heading(line: str) -> re.Match[str] | None:
    if len(line) > 400 or line[:1].lower() not in _HEADING_INITIALS:
        return None
    return CONTACT_HEADING.match(line)


def heading_rest(line: str) -> str | None:
    """The text after a contacts heading on the same line, or None if this is no heading."""
    match = _heading(line)
    if not match:
        return None
    return match.group("rest").strip()


def opens_contacts(line: str, next_line: str) -> bool:
    """Whether ``line`` is the heading of the contacts block (``next_line``: the line after).

    A heading that names no contacting ("For more information:", "Pour plus d'informations :",
    "Para mayor información:") opens the block only when a contact follows it, not a link or
    a sentence.
    """
    match = _heading(line)
    if not match:
        return False
    if match.group("bare") is not None:
        if EMAIL.search(next_line) or split_fields(next_line)[1]:
            return True
        # A name, office or job title on a line of its own, not a sentence.
        return (
            len(next_line) <= _CONTACT_LINE
            and next_line[-1:] != "."
            and bool({kind for kind, _ in classify_lead(next_line)} & {"name", "office", "job"})
        )
    return rest_is_contact(match.group("rest").strip(), next_line)


def rest_is_contact(rest: str, next_line: str) -> bool:
    """Whether a heading's remainder is (the start of) a contact rather than prose.

    "For more information, please contact the office in your country." is prose; "... contact
    Jane Doe at IOM Kenya, Tel: ..." is a contact.
    """
    if not rest:
        return True
    if EMAIL.search(rest) or split_fields(rest)[1] or _digits(rest) >= 6:
        return True
    if len(rest.split()) > 10 or rest.endswith("."):
        return False
    kinds = {kind for kind, _ in classify_lead(rest)}
    if kinds & {"name", "trail", "dash-trail"}:
        return True
    return (
        bool(kinds & {"office", "job"})
        and bool(next_line)
        and bool(split_fields(next_line)[1] or EMAIL.search(next_line) or classify_lead(next_line))
    )


def read_contacts(lines: list[str]) -> tuple[list[Contact], list[str]]:
    reader = ContactReader()
    for line in lines:
        rest = heading_rest(line)
        reader.feed(line if rest is None else rest)
    return reader.finish()
