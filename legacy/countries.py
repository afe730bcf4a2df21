"""Country names as the legacy texts write them, resolved to ISO 3166-1 alpha-2 codes.

The English names come from ``django_countries.data`` (ISO short names, often in the UN
style "Bolivia (Plurinational State of)"). On top of them we derive the other UN word
orders ("Plurinational State of Bolivia") and add hand-written alias tables: common English
names ("Bolivia", "Ivory Coast"), and French and Spanish names, because the French and
Spanish sites wrote the benefiting member states in their own language.

Matching is accent-, case- and punctuation-insensitive ("Cote d'Ivoire" = "Côte d’Ivoire").
Kosovo has no ISO 3166-1 code, so it deliberately stays unmatched (None).

This module must stay importable without Django settings: ``django_countries.data`` wraps
its names in lazy translation proxies, so we read the untranslated message instead of
forcing the proxy (forcing it would need configured settings).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from django_countries import data as _country_data

__all__ = ["lookup_key", "office_country", "resolve_country", "split_country_list"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=16384)
def lookup_key(text: str) -> str:
    """The key the parser's tables are looked up by: country names, field and navigation labels.

    No accents, lower case, punctuation as spaces.

    "St"/"Ste" become "saint"/"sainte" and a leading "the" is dropped, so "St. Lucia",
    "Saint Lucia" and "The Gambia"/"Gambia" meet. Cached: the same navigation labels and
    field labels come back in every file.
    """
    if text.isascii():
        stripped = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    stripped = stripped.replace("&", " and ")
    words = _NON_ALNUM.sub(" ", stripped).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(
        "saint" if word == "st" else "sainte" if word == "ste" else word for word in words
    )


def _plain(name: object) -> str:
    """The untranslated text of a django_countries name, without touching Django settings."""
    if isinstance(name, str):
        return name
    args = getattr(name, "_args", None)  # lazy gettext proxy: the message id is its argument
    if args and isinstance(args[0], str):
        return args[0]
    return ""


# Common English names and abbreviations that differ from the ISO short names.
_ENGLISH_ALIASES: dict[str, str] = {
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Iran": "IR",
    "Tanzania": "TZ",
    "Moldova": "MD",
    "Democratic Republic of Congo": "CD",
    "DR Congo": "CD",
    "DRC": "CD",
    "Congo-Kinshasa": "CD",
    "Republic of the Congo": "CG",
    "Republic of Congo": "CG",
    "Congo-Brazzaville": "CG",
    "Cote d'Ivoire": "CI",
    "Ivory Coast": "CI",
    "Turkey": "TR",
    "Turkiye": "TR",
    "Vietnam": "VN",
    "Laos": "LA",
    "Lao PDR": "LA",
    "Syria": "SY",
    "Russia": "RU",
    "South Korea": "KR",
    "Korea, Republic of": "KR",
    "North Korea": "KP",
    "Democratic People's Republic of Korea": "KP",
    "Czech Republic": "CZ",
    "Swaziland": "SZ",
    "Cape Verde": "CV",
    "Macedonia": "MK",
    "The former Yugoslav Republic of Macedonia": "MK",
    "Burma": "MM",
    "United Kingdom": "GB",
    "UK": "GB",
    "Great Britain": "GB",
    "United States": "US",
    "USA": "US",
    "Micronesia": "FM",
    "Brunei": "BN",
    "Gambia": "GM",
    "Sao Tome": "ST",
    "East Timor": "TL",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Occupied Palestinian Territory": "PS",
    "Palestinian Territories": "PS",
    "Netherlands": "NL",
    "Holland": "NL",
    "Macau": "MO",
    "Taiwan": "TW",
    "Hong Kong SAR": "HK",
    "Kyrgyz Republic": "KG",
    "Slovak Republic": "SK",
    "St Kitts and Nevis": "KN",
    "Saint Vincent and Grenadines": "VC",
    "Timor Leste": "TL",
    "Guinea Bissau": "GW",
    "Trinidad & Tobago": "TT",
    "Bosnia": "BA",
    "Bosnia-Herzegovina": "BA",
    "Curacao": "CW",
}

# French names: the Americas, Europe, Africa, Asia and the Pacific.
_FRENCH_ALIASES: dict[str, str] = {
    # Americas
    "Argentine": "AR",
    "Bolivie": "BO",
    "État plurinational de Bolivie": "BO",
    "Brésil": "BR",
    "Chili": "CL",
    "Colombie": "CO",
    "Équateur": "EC",
    "Salvador": "SV",
    "États-Unis": "US",
    "États-Unis d'Amérique": "US",
    "Haïti": "HT",
    "Jamaïque": "JM",
    "Mexique": "MX",
    "Pérou": "PE",
    "République dominicaine": "DO",
    "Trinité-et-Tobago": "TT",
    "République bolivarienne du Venezuela": "VE",
    "Barbade": "BB",
    "Dominique": "DM",
    "Grenade": "GD",
    "Sainte-Lucie": "LC",
    "Saint-Vincent-et-les-Grenadines": "VC",
    "Saint-Kitts-et-Nevis": "KN",
    "Antigua-et-Barbuda": "AG",
    "Guyane française": "GF",
    # Europe
    "Albanie": "AL",
    "Allemagne": "DE",
    "Andorre": "AD",
    "Arménie": "AM",
    "Autriche": "AT",
    "Azerbaïdjan": "AZ",
    "Belgique": "BE",
    "Biélorussie": "BY",
    "Bélarus": "BY",
    "Bosnie-Herzégovine": "BA",
    "Bulgarie": "BG",
    "Chypre": "CY",
    "Croatie": "HR",
    "Danemark": "DK",
    "Espagne": "ES",
    "Estonie": "EE",
    "Finlande": "FI",
    "Géorgie": "GE",
    "Grèce": "GR",
    "Hongrie": "HU",
    "Irlande": "IE",
    "Islande": "IS",
    "Italie": "IT",
    "Lettonie": "LV",
    "Lituanie": "LT",
    "Macédoine du Nord": "MK",
    "Malte": "MT",
    "Moldavie": "MD",
    "République de Moldova": "MD",
    "Monténégro": "ME",
    "Norvège": "NO",
    "Pays-Bas": "NL",
    "Pologne": "PL",
    "Roumanie": "RO",
    "Royaume-Uni": "GB",
    "Russie": "RU",
    "Fédération de Russie": "RU",
    "Saint-Marin": "SM",
    "Serbie": "RS",
    "Slovaquie": "SK",
    "Slovénie": "SI",
    "Suède": "SE",
    "Suisse": "CH",
    "Tchéquie": "CZ",
    "République tchèque": "CZ",
    "Turquie": "TR",
    "Saint-Siège": "VA",
    # Africa
    "Afrique du Sud": "ZA",
    "Algérie": "DZ",
    "Bénin": "BJ",
    "Cameroun": "CM",
    "Cap-Vert": "CV",
    "République centrafricaine": "CF",
    "Tchad": "TD",
    "Comores": "KM",
    "République du Congo": "CG",
    "République démocratique du Congo": "CD",
    "RD Congo": "CD",
    "RDC": "CD",
    "Égypte": "EG",
    "Érythrée": "ER",
    "Éthiopie": "ET",
    "Gambie": "GM",
    "Guinée": "GN",
    "Guinée-Bissau": "GW",
    "Guinée équatoriale": "GQ",
    "Libéria": "LR",
    "Libye": "LY",
    "Maroc": "MA",
    "Maurice": "MU",
    "Mauritanie": "MR",
    "Namibie": "NA",
    "Nigéria": "NG",
    "Ouganda": "UG",
    "Sao Tomé-et-Principe": "ST",
    "Sénégal": "SN",
    "Somalie": "SO",
    "Soudan": "SD",
    "Soudan du Sud": "SS",
    "Tanzanie": "TZ",
    "République-Unie de Tanzanie": "TZ",
    "Tunisie": "TN",
    "Zambie": "ZM",
    # Asia, Middle East and the Pacific
    "Afghanistan": "AF",
    "Arabie saoudite": "SA",
    "Birmanie": "MM",
    "Cambodge": "KH",
    "Chine": "CN",
    "Corée du Sud": "KR",
    "République de Corée": "KR",
    "Corée du Nord": "KP",
    "Émirats arabes unis": "AE",
    "Inde": "IN",
    "Indonésie": "ID",
    "Irak": "IQ",
    "République islamique d'Iran": "IR",
    "Israël": "IL",
    "Japon": "JP",
    "Jordanie": "JO",
    "Kirghizistan": "KG",
    "Kirghizstan": "KG",
    "Koweït": "KW",
    "République démocratique populaire lao": "LA",
    "Liban": "LB",
    "Malaisie": "MY",
    "Mongolie": "MN",
    "Népal": "NP",
    "Ouzbékistan": "UZ",
    "Syrie": "SY",
    "République arabe syrienne": "SY",
    "Tadjikistan": "TJ",
    "Thaïlande": "TH",
    "Timor oriental": "TL",
    "Turkménistan": "TM",
    "Yémen": "YE",
    "Bahreïn": "BH",
    "Bhoutan": "BT",
    "Brunéi Darussalam": "BN",
    "Singapour": "SG",
    "Australie": "AU",
    "Nouvelle-Zélande": "NZ",
    "Papouasie-Nouvelle-Guinée": "PG",
    "Fidji": "FJ",
    "Îles Salomon": "SB",
    "Îles Marshall": "MH",
    "RDP lao": "LA",
}

# Spanish names: the Americas, Europe, Africa, Asia and the Pacific.
_SPANISH_ALIASES: dict[str, str] = {
    # Americas
    "Brasil": "BR",
    "Canadá": "CA",
    "Estados Unidos": "US",
    "Estados Unidos de América": "US",
    "Haití": "HT",
    "México": "MX",
    "Panamá": "PA",
    "Perú": "PE",
    "República Dominicana": "DO",
    "Surinam": "SR",
    "Trinidad y Tobago": "TT",
    "República Bolivariana de Venezuela": "VE",
    "Venezuela (República Bolivariana de)": "VE",
    "Estado Plurinacional de Bolivia": "BO",
    "Bolivia (Estado Plurinacional de)": "BO",
    "Belice": "BZ",
    "Granada": "GD",
    "Santa Lucía": "LC",
    "San Vicente y las Granadinas": "VC",
    "San Cristóbal y Nieves": "KN",
    "Antigua y Barbuda": "AG",
    # Europe
    "Alemania": "DE",
    "Azerbaiyán": "AZ",
    "Bélgica": "BE",
    "Belarús": "BY",
    "Bielorrusia": "BY",
    "Bosnia y Herzegovina": "BA",
    "Chipre": "CY",
    "Croacia": "HR",
    "Dinamarca": "DK",
    "España": "ES",
    "Finlandia": "FI",
    "Francia": "FR",
    "Grecia": "GR",
    "Hungría": "HU",
    "Irlanda": "IE",
    "Islandia": "IS",
    "Italia": "IT",
    "Letonia": "LV",
    "Lituania": "LT",
    "Luxemburgo": "LU",
    "Macedonia del Norte": "MK",
    "Moldavia": "MD",
    "República de Moldova": "MD",
    "Mónaco": "MC",
    "Noruega": "NO",
    "Países Bajos": "NL",
    "Polonia": "PL",
    "Rumania": "RO",
    "Rumanía": "RO",
    "Reino Unido": "GB",
    "Rusia": "RU",
    "Federación de Rusia": "RU",
    "Eslovaquia": "SK",
    "Eslovenia": "SI",
    "Suecia": "SE",
    "Suiza": "CH",
    "Chequia": "CZ",
    "República Checa": "CZ",
    "Turquía": "TR",
    "Ucrania": "UA",
    "Santa Sede": "VA",
    # Africa
    "Sudáfrica": "ZA",
    "Argelia": "DZ",
    "Benín": "BJ",
    "Botsuana": "BW",
    "Camerún": "CM",
    "República Centroafricana": "CF",
    "Chad": "TD",
    "Comoras": "KM",
    "República del Congo": "CG",
    "República Democrática del Congo": "CD",
    "Costa de Marfil": "CI",
    "Yibuti": "DJ",
    "Egipto": "EG",
    "Etiopía": "ET",
    "Esuatini": "SZ",
    "Gabón": "GA",
    "Guinea-Bisáu": "GW",
    "Guinea Ecuatorial": "GQ",
    "Kenia": "KE",
    "Lesoto": "LS",
    "Libia": "LY",
    "Malaui": "MW",
    "Malí": "ML",
    "Marruecos": "MA",
    "Mauricio": "MU",
    "Ruanda": "RW",
    "Santo Tomé y Príncipe": "ST",
    "Sierra Leona": "SL",
    "Sudán": "SD",
    "Sudán del Sur": "SS",
    "República Unida de Tanzania": "TZ",
    "Túnez": "TN",
    "Zimbabue": "ZW",
    # Asia, Middle East and the Pacific
    "Afganistán": "AF",
    "Arabia Saudita": "SA",
    "Arabia Saudí": "SA",
    "Bangladés": "BD",
    "Birmania": "MM",
    "Camboya": "KH",
    "Corea del Sur": "KR",
    "República de Corea": "KR",
    "Corea del Norte": "KP",
    "Emiratos Árabes Unidos": "AE",
    "Irán": "IR",
    "República Islámica del Irán": "IR",
    "Japón": "JP",
    "Jordania": "JO",
    "Kazajistán": "KZ",
    "Kazajstán": "KZ",
    "Kirguistán": "KG",
    "Líbano": "LB",
    "Malasia": "MY",
    "Maldivas": "MV",
    "Uzbekistán": "UZ",
    "Pakistán": "PK",
    "Palestina": "PS",
    "Filipinas": "PH",
    "Catar": "QA",
    "Singapur": "SG",
    "Siria": "SY",
    "República Árabe Siria": "SY",
    "Tayikistán": "TJ",
    "Tailandia": "TH",
    "Timor Oriental": "TL",
    "Turkmenistán": "TM",
    "Baréin": "BH",
    "Omán": "OM",
    "Bután": "BT",
    "Nueva Zelanda": "NZ",
    "Papúa Nueva Guinea": "PG",
    "Fiyi": "FJ",
    "Islas Salomón": "SB",
}

_ALIAS_TABLES = (_ENGLISH_ALIASES, _FRENCH_ALIASES, _SPANISH_ALIASES)


def _derived_names(name: str) -> list[str]:
    """Other word orders of a UN-style name.

    "Bolivia (Plurinational State of)" -> "Plurinational State of Bolivia", "Bolivia";
    "Tanzania, the United Republic of" -> "the United Republic of Tanzania", "Tanzania".
    """
    match = re.fullmatch(r"(.+?)\s*\((.+)\)\s*", name)
    if match:
        base, qualifier = match.group(1), match.group(2)
        return [f"{qualifier} {base}", base]
    head, sep, tail = name.partition(", ")
    if sep and (tail.endswith(" of") or tail.lower().startswith(("the ", "state "))):
        return [f"{tail} {head}", head]
    return []


def _catalog_names() -> list[tuple[str, str]]:
    """(French or Spanish name, code) from django-countries' own translation catalogs.

    They fill in the names the alias tables above do not list (115 of them). Read with the
    standard library's gettext, so no Django settings are needed; a missing catalog only means
    fewer names. The alias tables and the English names win any clash (there is none today).
    """
    folder = Path(_country_data.__file__).parent / "locale"
    names = []
    for language in ("fr", "es"):
        try:
            with open(folder / language / "LC_MESSAGES" / "django.mo", "rb") as catalog_file:
                catalog = gettext.GNUTranslations(catalog_file)
        except OSError:
            continue
        for code, name in _country_data.COUNTRIES.items():
            english = _plain(name)
            translated = catalog.gettext(english) if english else ""
            if translated and translated != english:
                names += [(variant, code) for variant in (translated, *_derived_names(translated))]
    return names


def _build_table() -> tuple[dict[str, str], list[str]]:
    table: dict[str, str] = {}
    for code, name in _country_data.COUNTRIES.items():
        plain = _plain(name)
        if plain:
            table.setdefault(lookup_key(plain), code)

    # A derived short form such as "Korea" can belong to two countries; keep only the
    # unambiguous ones, and never let a derived form override an official name.
    derived: dict[str, set[str]] = {}
    for code, name in _country_data.COUNTRIES.items():
        for variant in _derived_names(_plain(name)):
            derived.setdefault(lookup_key(variant), set()).add(code)
    for key, codes in derived.items():
        if len(codes) == 1 and key not in table:
            table[key] = next(iter(codes))

    conflicts = []
    for aliases in _ALIAS_TABLES:
        for alias, code in aliases.items():
            key = lookup_key(alias)
            existing = table.setdefault(key, code)
            if existing != code:
                conflicts.append(f"{alias!r} -> {code}, already {existing}")
    for name, code in _catalog_names():
        table.setdefault(lookup_key(name), code)
    return table, conflicts


_TABLE, ALIAS_CONFLICTS = _build_table()

# Every word-prefix of every key, so a left-to-right scan can stop as soon as the words
# read so far cannot begin any country name.
_PREFIXES: frozenset[str] = frozenset(
    " ".join(words[:n]) for words in (key.split() for key in _TABLE) for n in range(1, len(words))
)


@lru_cache(maxsize=4096)
def resolve_country(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name in English, French or Spanish, or None."""
    key = lookup_key(name)
    if not key:
        return None
    code = _TABLE.get(key)
    if code is None and "(" in name:
        # "Kosovo (as per UNSC 1244)" style qualifiers that are not part of the name.
        code = _TABLE.get(lookup_key(re.sub(r"\([^)]*\)?", " ", name)))
    return code


# Words and separators between country names in a list ("Colombia, Ecuador and Peru").
_LIST_TOKEN = re.compile(r"[^\s,;/|]+")
_CONNECTORS = frozenset({"and", "et", "y", "e", "&", "-", "–", "—"})


def split_country_list(text: str) -> list[tuple[str, str | None]]:
    """Split a run of country names, possibly separated only by spaces, into (name, code).

    Matching is greedy (longest known name first), so "El Salvador Costa Rica" gives two
    countries and "Venezuela (Bolivarian Republic of) Colombia" keeps the UN qualifier with
    Venezuela. Consecutive words that match nothing are kept together as one unmatched
    name (code None), so nothing the text says is lost.
    """
    tokens = [(m.start(), m.end()) for m in _LIST_TOKEN.finditer(text)]
    results: list[tuple[str, str | None]] = []
    unmatched_start: int | None = None
    unmatched_end = 0
    i = 0
    while i < len(tokens):
        start = tokens[i][0]
        best_end_index = -1
        best_code: str | None = None
        j = i
        while j < len(tokens):
            key = lookup_key(text[start : tokens[j][1]])
            code = _TABLE.get(key)
            if code is not None:
                best_end_index, best_code = j, code
            if key not in _PREFIXES:
                break
            j += 1
        if best_code is not None:
            if unmatched_start is not None:
                results.append((_trim(text[unmatched_start:unmatched_end]), None))
                unmatched_start = None
            results.append((_trim(text[start : tokens[best_end_index][1]]), best_code))
            i = best_end_index + 1
            continue
        word = text[start : tokens[i][1]]
        if word.casefold() in _CONNECTORS:
            if unmatched_start is not None:
                results.append((_trim(text[unmatched_start:unmatched_end]), None))
                unmatched_start = None
        else:
            if unmatched_start is None:
                unmatched_start = start
            unmatched_end = tokens[i][1]
        i += 1
    if unmatched_start is not None:
        results.append((_trim(text[unmatched_start:unmatched_end]), None))
    return [(name, code) for name, code in results if name]


def _trim(name: str) -> str:
    return name.strip(" \t.,;:-–—")


OFFICE_PREFIX_RE = re.compile(r"^(?:IOM|OIM|the\s+IOM)\b[\s\-–—]*", re.IGNORECASE)


def office_country(office):
    """The country of an IOM office: 'IOM Colombia' -> 'CO';
    'IOM El Salvador, Guatemala and Honduras' -> 'SV'; not an IOM office -> None."""
    if not office:
        return None
    stem = OFFICE_PREFIX_RE.sub("", office.strip())
    if stem == office.strip():
        return None  # not an IOM country office ("UN Resident Coordinator's Office")
    first = re.split(r",|\band\b|/", stem)[0].strip()
    return resolve_country(first) if first else None
