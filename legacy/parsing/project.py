"""Project pages: a title, a block of "-" / label / value lines, then the description.

The English, French and Spanish sites used translated labels and values. Labels are
matched after ``lookup_key`` (accents, case and punctuation ignored), so "Etats membres
beneficiaires" matches "États membres bénéficiaires". Our reading of the translations:

==========================  =============================  ================================
English                     French                          Spanish
==========================  =============================  ================================
Start Date                  Date de début                   Fecha de inicio
End Date                    Date de fin                     Fecha de finalización / término
Project Status              Statut du projet                Estado del proyecto
Project Type                Type de projet                  Tipo de proyecto
Budget Amount (USD)         Montant du budget (USD)         Monto del presupuesto (USD)
Coverage                    Couverture                      Cobertura
Year                        Année                           Año
IDF Region                  Région FDI                      Región FDI
Prima ID                    ID Prima                        ID de Prima
Projects ID                 ID du projet / des projets      ID del proyecto / de proyectos
Benefiting Member States    États membres bénéficiaires     Estados miembros beneficiarios
==========================  =============================  ================================

A label the table does not list is read by its key words (``_fuzzy_label``): "Code projet",
"ID de Proyecto", "Países beneficiarios", "Fecha estimada de finalización". A bare "Date" /
"Fecha" / "Période" gives a range's two ends ("2017 - 2019"), or the start the first time
and the end the second. Anything else is an unknown label, kept in ``metadata`` with a warning.

Status values map to active / completed / pipeline / suspended / cancelled (see
``_STATUS``); coverage to national / regional / global, where "multi-country" and
"sub-regional" count as regional, "inter-regional" and "worldwide" as global, and "local"
as national (one country). Regions and project types known in French or Spanish get their
English names (``_REGION_NAMES``, ``_TYPE_NAMES``); others stay as printed.
"""

from __future__ import annotations

import decimal
import re
from collections import Counter
from functools import lru_cache

from ..countries import lookup_key, split_country_list
from .dates import parse_partial_date
from .language import page_language
from .layout import ends_sentence, is_caption, is_dash_line, reflow
from .model import ParseError, ProjectPage, State, note

_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "start": {
        "en": ("Start Date", "Project Start Date", "Start"),
        "fr": ("Date de début", "Date de démarrage", "Début"),
        "es": ("Fecha de inicio", "Fecha de comienzo"),
    },
    "end": {
        "en": ("End Date", "Project End Date", "End"),
        # Not "clôture" as a key word: "Clôturé" is a status value.
        "fr": ("Date de fin", "Date d'achèvement", "Fin", "Date de clôture",
               "Date de clôture du projet", "Clôture du projet"),
        "es": ("Fecha de finalización", "Fecha de término", "Fecha de fin", "Fecha final",
               "Fecha de cierre", "Fecha de conclusión"),
    },
    "status": {
        "en": ("Project Status", "Status"),
        "fr": ("Statut du projet", "Statut", "État du projet", "État"),
        "es": ("Estado del proyecto", "Estado", "Situación del proyecto"),
    },
    "type": {
        "en": ("Project Type", "Type", "Project Category"),
        "fr": ("Type de projet", "Type"),
        "es": ("Tipo de proyecto", "Tipo"),
    },
    "budget": {
        "en": ("Budget Amount (USD)", "Budget Amount", "Budget (USD)", "Budget",
               "Total Budget (USD)", "Budget Amount (US$)"),
        "fr": ("Montant du budget (USD)", "Montant du budget", "Budget (USD)", "Montant (USD)",
               "Budget total (USD)"),
        "es": ("Monto del presupuesto (USD)", "Importe del presupuesto (USD)",
               "Monto del presupuesto", "Presupuesto (USD)", "Presupuesto", "Monto (USD)"),
    },
    "coverage": {
        "en": ("Coverage", "Geographical Coverage"),
        "fr": ("Couverture", "Couverture géographique"),
        "es": ("Cobertura", "Cobertura geográfica"),
    },
    "year": {
        "en": ("Year", "Funding Year"),
        "fr": ("Année", "Année de financement"),
        "es": ("Año", "Año de financiación"),
    },
    "region": {
        "en": ("IDF Region", "Region"),
        "fr": ("Région FDI", "Région du FDI", "Région"),
        "es": ("Región FDI", "Región del FDI", "Región"),
    },
    "prima_id": {
        "en": ("Prima ID", "Prima"),
        "fr": ("ID Prima", "Identifiant Prima"),
        "es": ("ID de Prima", "ID Prima"),
    },
    "project_code": {
        "en": ("Projects ID", "Project ID", "Project Code"),
        "fr": ("ID du projet", "ID des projets", "Identifiant du projet", "Code du projet"),
        "es": ("ID del proyecto", "ID de proyectos", "ID de los proyectos", "ID de proyecto",
               "Código del proyecto"),
    },
    "states": {
        "en": ("Benefiting Member States", "Benefitting Member States",
               "Benefiting Member State", "Beneficiary Countries", "Benefiting Countries",
               "Beneficiary Member States"),
        "fr": ("États membres bénéficiaires", "État membre bénéficiaire",
               "Pays bénéficiaires"),
        "es": ("Estados miembros beneficiarios", "Estado miembro beneficiario",
               "Países beneficiarios"),
    },
}  # fmt: skip


def _label_table() -> dict[str, tuple[str, frozenset[str]]]:
    table: dict[str, tuple[str, set[str]]] = {}
    for key, by_language in _LABELS.items():
        for language, labels in by_language.items():
            for label in labels:
                table.setdefault(lookup_key(label), (key, set()))[1].add(language)
    return {folded: (key, frozenset(langs)) for folded, (key, langs) in table.items()}


# folded label -> (field, languages that use this exact label)
_LABEL_TABLE = _label_table()


# The tolerant fallback for labels the table above does not list: a label is read by its key
# words ("Code projet", "ID de Proyecto", "Fecha estimada de finalización"), after
# ``lookup_key``, without the small words below, and with a plural "s"/"es" taken off. Every
# word must be a key word or a qualifier, so a value such as "Estados Unidos" or a sentence is
# never taken for a label; beside a whole key word, a word of four letters or more may also be
# the start of key words of one concept (an abbreviation: "Benef. Member States"). Each key
# word names the language it is peculiar to, which tells a French or Spanish page from an
# English one (for "1.000" in a budget).
def _word_set(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


_STOP_WORDS = _word_set(
    "of the a an in for and or du de des d l la le les en et el los las del y por con",
    "pour para su sus usd us eur s",  # "s": the plural mark of "State(s)"
)
_KEY_WORDS: dict[str, tuple[str, str]] = {}  # word -> (concept, language or "")
for _concept, _words in {
    "code": "code:|id:|identifier:|number:|codigo:es|identifiant:fr|identificador:es|"
    "identificacion:es|numero:|nro:|num:|reference:|referencia:es|ref:",
    "project": "project:en|projet:fr|proyecto:es|programme:|program:en|programa:es",
    "prima": "prima:",
    "start": "start:en|beginning:en|commencement:|debut:fr|demarrage:fr|inicio:es|comienzo:es",
    "end": "end:en|completion:en|closing:en|fin:|achevement:fr|finalizacion:es|"
    "termino:es|cierre:es|conclusion:|terminacion:es|culminacion:es",
    "date": "date:|fecha:es|period:en|periode:fr|periodo:es",
    "status": "status:en|statut:fr|situacion:es",
    "state": "state:en|etat:fr|estado:es",
    "type": "type:|tipo:es|category:en|categorie:fr|categoria:es",
    "budget": "budget:|amount:en|montant:fr|monto:es|importe:es|presupuesto:es|cost:en|"
    "cout:fr|costo:es",
    "coverage": "coverage:en|couverture:fr|cobertura:es|scope:en|portee:fr|alcance:es",
    "year": "year:en|annee:fr|ano:es|anio:es",
    "region": "region:",
    "member": "member:en|membre:fr|miembro:es",
    "country": "country:en|countries:en|pays:fr|pais:es",
    "benefit": "beneficiary:en|beneficiaire:fr|beneficiario:es|benefiting:en|benefitting:en",
}.items():
    for _entry in _words.split("|"):
        _word, _, _language = _entry.partition(":")
        _KEY_WORDS[_word] = (_concept, _language)
# Words that qualify a key word without changing what the field is.
_QUALIFIERS = _word_set(
    "total global geographic geographical geographique geografica estimated expected planned",
    "actual prevue prevu prevista previsto estimada estimado effective reelle real official",
    "officiel oficial fdi idf fund fonds fondo iom oim development developpement desarrollo",
    "approved approuve aprobado current actuel dollars dolares funding financement",
    "financiamiento financiacion concerne participante covered involved cubierto",
    # "Etat(s) membre(s) bénéficiaires remplissant les conditions requises", "Eligible
    # Benefiting Member States", "Estados miembros beneficiarios que reúnen los requisitos"
    "eligible elegible qualifying remplissant condition requise reunen cumplen requisito que qui",
)


def _singular(word: str) -> list[str]:
    forms = [word]
    if len(word) > 3 and word.endswith("es"):
        forms.append(word[:-2])  # "paises" -> "pais"
    if len(word) > 3 and word.endswith("s"):
        forms.append(word[:-1])  # "beneficiaires" -> "beneficiaire"
    return forms


def _key_word(word: str, abbreviated: bool = False) -> tuple[str, str] | None:
    for form in _singular(word):
        if form in _KEY_WORDS:
            return _KEY_WORDS[form]
    if abbreviated and len(word) >= 4:  # the start of key words of one concept
        found = {v for k, v in _KEY_WORDS.items() if k.startswith(word)}
        concepts = {concept for concept, _ in found}
        if len(concepts) == 1:
            languages = {language for _, language in found}
            return concepts.pop(), languages.pop() if len(languages) == 1 else ""
    return None


@lru_cache(maxsize=4096)
def _fuzzy_label(key: str) -> tuple[str, frozenset[str]] | None:
    """(field, languages) for a label read by its key words, or None (see above)."""
    words = [w for w in key.split() if w not in _STOP_WORDS]
    if not words or len(words) > 7 or any(ch.isdigit() for ch in key):
        return None
    concepts: set[str] = set()
    languages: set[str] = set()
    # An abbreviation ("Benef.", "Identif.") counts only beside a whole key word: alone,
    # "Achevé" would be the start of "achèvement".
    whole = sum(1 for word in words if _key_word(word))
    for word in words:
        found = _key_word(word, abbreviated=whole > 0)
        if found is None:
            if any(form in _QUALIFIERS for form in _singular(word)):
                continue
            return None
        concepts.add(found[0])
        if found[1]:
            languages.add(found[1])
    field = _field_of(concepts)
    plural = words[-1].endswith("s") and words[-1] not in ("pays", "pais")
    if field is None and concepts == {"country"} and (len(words) > 1 or plural):
        # "Countries", "Países", "Pays concernés": the countries a project serves. A bare
        # "Pays", "País" or "Country" stays unknown: it is also a menu label.
        field = "states"
    if field is None:
        return None
    return field, frozenset(languages) if len(languages) == 1 else frozenset()


def _field_of(concepts: set[str]) -> str | None:
    """Which field a set of key-word concepts names; None when it names none or is unclear."""
    if concepts & {"member", "benefit"}:
        # "États membres bénéficiaires", "Países beneficiarios", "Member States": there a
        # state word ("estado", "état") belongs to the label, it is not the project's status.
        ok = concepts <= {"member", "benefit", "state", "country", "project"}
        return "states" if ok else None
    if "prima" in concepts:
        return "prima_id" if concepts <= {"prima", "code", "project"} else None
    if "code" in concepts:
        return "project_code" if concepts <= {"code", "project"} else None
    if concepts & {"start", "end"}:
        for field in ("start", "end"):
            if field in concepts and concepts <= {field, "date", "project"}:
                return field
        return None
    concepts = concepts - {"project"}
    if concepts == {"state"}:
        return "status"  # "État du projet", "Estado"
    if len(concepts) != 1 or concepts == {"country"}:
        return None  # a bare "Country"/"Pays" could be many things: kept as an unknown label
    # A bare "Date"/"Fecha" is the start the first time and the end the second (build_project).
    return next(iter(concepts))


def _values(*groups: tuple[str, str]) -> dict[str, str]:
    return {
        lookup_key(value): normalized
        for normalized, values in groups
        for value in values.split("|")
    }


_STATUS = _values(
    ("active", "Active|Ongoing|On-going|In progress|Under implementation|Current|Open|"
               "Actif|Active|En cours|En cours d'exécution|En exécution|"
               "Activo|Activa|En curso|En ejecución|Vigente|En implementación|"
               "En cours de mise en œuvre|En cours de mise en oeuvre|En marche|"
               "En proceso|En progreso|En desarrollo"),
    ("completed", "Completed|Complete|Closed|Finished|Ended|Concluded|"
                  "Terminé|Terminée|Achevé|Achevée|Clôturé|Clôturée|Complété|Fermé|Finalisé|"
                  "Finalizado|Finalizada|Completado|Completada|Terminado|Terminada|"
                  "Concluido|Concluida|Cerrado|Cerrada|Clos|Close|Clôt|Fini|Finie|Complet|"
                  "Finalisée|Culminado|Culminada|Ejecutado|Ejecutada"),
    ("pipeline", "Pipeline|Planned|Proposed|Under development|In preparation|Not started|"
                 "En préparation|Prévu|Planifié|En projet|Proposé|"
                 "En preparación|Planificado|Previsto|En cartera|Propuesto|Por iniciar"),
    ("suspended", "Suspended|On hold|Paused|Suspendu|En suspens|En pause|"
                  "Suspendido|En pausa"),
    ("cancelled", "Cancelled|Canceled|Withdrawn|Annulé|Annulée|Cancelado|Cancelada|Anulado"),
)  # fmt: skip

_COVERAGE = _values(
    ("national", "National|Country|Single country|Local|Nacional|País|Nationale|Pays|"
                 "Locale|Un pays|Un solo país|Nacional (un país)"),
    ("regional", "Regional|Sub-regional|Subregional|Multi-country|Multicountry|Régional|"
                 "Régionale|Sous-régional|Sous-régionale|Multi-pays|Multipays|Plusieurs pays|"
                 "Multipaís|Multinacional|Multinational|Varios países"),
    ("global", "Global|Worldwide|Inter-regional|Interregional|Mondial|Mondiale|Globale|"
               "Mundial|Interrégional|Interrégionale|Internacional|International"),
)  # fmt: skip

# The IOM Development Fund's regions and the project types, as the French and Spanish pages
# name them -> the English names the English pages print, so that a French, a Spanish and an
# English page of one region share one Region row. Compared by ``_name_key`` (accents, case,
# punctuation and small words such as "et", "y", "the" ignored: "Amérique latine et les
# Caraïbes" is "Amérique latine et Caraïbes"). A name not listed is kept as printed.
_REGION_NAMES: dict[str, str] = {
    "Latin America and the Caribbean":
        "Amérique latine et Caraïbes|Amérique latine et Caribes|América Latina y el Caribe|"
        "América Latina y Caribe|Latinoamérica y el Caribe",
    "West and Central Africa":
        "Afrique de l'Ouest et du Centre|Afrique de l'Ouest et centrale|"
        "Afrique occidentale et centrale|Afrique du Centre et de l'Ouest|"
        "África Occidental y Central|África del Oeste y Central|África Central y Occidental|"
        "Central and West Africa|Western and Central Africa",
    "East and Horn of Africa":
        "Afrique de l'Est et Corne de l'Afrique|Afrique orientale et Corne de l'Afrique|"
        "África Oriental y Cuerno de África|África del Este y Cuerno de África|"
        "East Africa and the Horn of Africa|Eastern Africa and the Horn of Africa",
    "Southern Africa": "Afrique australe|África Meridional|África Austral|África del Sur",
    "Middle East and North Africa":
        "Moyen-Orient et Afrique du Nord|Afrique du Nord et Moyen-Orient|"
        "Oriente Medio y Norte de África|Oriente Medio y África del Norte|"
        "Medio Oriente y Norte de África|Medio Oriente y África del Norte|MENA",
    "Asia and Oceania": "Asie et Océanie|Asia y Oceanía",
    "Asia and the Pacific":
        "Asie et Pacifique|Asie-Pacifique|Asia y Pacífico|Asia-Pacífico|Asia Pacific",
    "South-Eastern Europe, Eastern Europe and Central Asia":
        "Europe du Sud-Est, Europe orientale et Asie centrale|"
        "Europe du Sud-Est, Europe de l'Est et Asie centrale|"
        "Europa Sudoriental, Europa Oriental y Asia Central|"
        "Europa Suroriental, Europa Oriental y Asia Central|"
        "Sudeste de Europa, Europa Oriental y Asia Central",
    "European Economic Area": "Espace économique européen|Espacio Económico Europeo",
    "Central and North America and the Caribbean":
        "Amérique centrale, Amérique du Nord et Caraïbes|Amérique centrale et du Nord et Caraïbes|"
        "América Central, América del Norte y el Caribe|América Central y del Norte y el Caribe|"
        "Centroamérica, Norteamérica y el Caribe",
    "South America": "Amérique du Sud|América del Sur|Sudamérica|Suramérica",
    "Global": "Mondial|Monde|Global|Mundial|Mundo|Interrégional|Interregional",
}  # fmt: skip
_TYPE_NAMES: dict[str, str] = {
    "Community and Economic Development":
        "Développement communautaire et économique|Développement économique et communautaire|"
        "Desarrollo comunitario y económico|Desarrollo económico y comunitario",
    "Immigration and Border Management":
        "Gestion de l'immigration et des frontières|Gestion des frontières et de l'immigration|"
        "Gestión de la inmigración y de las fronteras|Gestión de inmigración y fronteras|"
        "Gestión de fronteras e inmigración",
    "Counter-Trafficking":
        "Lutte contre la traite|Lutte contre la traite des personnes|"
        "Lucha contra la trata|Lucha contra la trata de personas|Contra la trata de personas",
    "Migration Health": "Migration et santé|Santé et migration|Migración y salud|Salud y migración",
    "Labour Mobility and Human Development":
        "Mobilité de la main-d'œuvre et développement humain|"
        "Movilidad laboral y desarrollo humano",
    "Labour Migration": "Migration de main-d'œuvre|Migration de travail|Migración laboral",
    "Migration Policy": "Politique migratoire|Politiques migratoires|Política migratoria",
    "Migration Policy Research":
        "Recherche sur les politiques migratoires|Investigación sobre políticas migratorias",
    "Migration and Development": "Migration et développement|Migración y desarrollo",
    "Migration, Environment and Climate Change":
        "Migration, environnement et changement climatique|"
        "Migración, medio ambiente y cambio climático",
    "Return and Reintegration":
        "Retour et réintégration|Retorno y reintegración|Retour volontaire et réintégration|"
        "Retorno voluntario y reintegración",
    "Protection and Assistance for Vulnerable Migrants":
        "Protection et assistance aux migrants vulnérables|"
        "Protection et assistance des migrants vulnérables|"
        "Protección y asistencia a migrantes vulnerables|"
        "Protección y asistencia a los migrantes vulnerables|"
        "Protección y asistencia para migrantes vulnerables",
    "Migration Governance": "Gouvernance des migrations|Gobernanza de la migración|"
        "Gobernanza migratoria",
    "Emergency and Post-Crisis":
        "Urgence et post-crise|Situations d'urgence et post-crise|Emergencia y post-crisis|"
        "Emergencias y poscrisis",
}  # fmt: skip
# What the site shows on French and Spanish pages for each of them (projects' NamedList
# ``name_fr`` / ``name_es``): given to a region or project type the import creates, and read
# as names of it too. Editors may change them in the admin; projects' migration 0012 gave
# the same names to the entries that existed then.
_TRANSLATED_NAMES: dict[str, tuple[str, str]] = {
    "Latin America and the Caribbean":
        ("Amérique latine et Caraïbes", "América Latina y el Caribe"),
    "West and Central Africa": ("Afrique de l'Ouest et du Centre", "África Occidental y Central"),
    "East and Horn of Africa":
        ("Afrique de l'Est et Corne de l'Afrique", "África Oriental y Cuerno de África"),
    "Southern Africa": ("Afrique australe", "África Meridional"),
    "Middle East and North Africa":
        ("Moyen-Orient et Afrique du Nord", "Oriente Medio y Norte de África"),
    "Asia and Oceania": ("Asie et Océanie", "Asia y Oceanía"),
    "Asia and the Pacific": ("Asie et Pacifique", "Asia y el Pacífico"),
    "South-Eastern Europe, Eastern Europe and Central Asia":
        ("Europe du Sud-Est, Europe orientale et Asie centrale",
         "Europa Sudoriental, Europa Oriental y Asia Central"),
    "European Economic Area": ("Espace économique européen", "Espacio Económico Europeo"),
    "Central and North America and the Caribbean":
        ("Amérique centrale, Amérique du Nord et Caraïbes",
         "América Central, América del Norte y el Caribe"),
    "South America": ("Amérique du Sud", "América del Sur"),
    "Global": ("Mondial", "Mundial"),
    "Community and Economic Development":
        ("Développement communautaire et économique", "Desarrollo comunitario y económico"),
    "Immigration and Border Management":
        ("Gestion de l'immigration et des frontières",
         "Gestión de la inmigración y de las fronteras"),
    "Counter-Trafficking":
        ("Lutte contre la traite des personnes", "Lucha contra la trata de personas"),
    "Migration Health": ("Migration et santé", "Migración y salud"),
    "Labour Mobility and Human Development":
        ("Mobilité de la main-d'œuvre et développement humain",
         "Movilidad laboral y desarrollo humano"),
    "Labour Migration": ("Migration de main-d'œuvre", "Migración laboral"),
    "Migration Policy": ("Politique migratoire", "Política migratoria"),
    "Migration Policy Research":
        ("Recherche sur les politiques migratoires",
         "Investigación sobre políticas migratorias"),
    "Migration and Development": ("Migration et développement", "Migración y desarrollo"),
    "Migration, Environment and Climate Change":
        ("Migration, environnement et changement climatique",
         "Migración, medio ambiente y cambio climático"),
    "Return and Reintegration": ("Retour et réintégration", "Retorno y reintegración"),
    "Protection and Assistance for Vulnerable Migrants":
        ("Protection et assistance aux migrants vulnérables",
         "Protección y asistencia a migrantes vulnerables"),
    "Migration Governance": ("Gouvernance des migrations", "Gobernanza de la migración"),
    "Emergency and Post-Crisis": ("Urgence et post-crise", "Emergencia y poscrisis"),
}  # fmt: skip
_NAME_STOP_WORDS = _word_set("and the of et de du des d l la le les y el los las del a en")


def _name_key(name: str) -> str:
    """``lookup_key`` without small words, for region and project-type names."""
    text = name.replace("œ", "oe").replace("Œ", "Oe")  # no accent to strip: a ligature
    return " ".join(w for w in lookup_key(text).split() if w not in _NAME_STOP_WORDS)


def _name_table(names: dict[str, str]) -> dict[str, str]:
    table = {}
    for english, others in names.items():
        for name in (english, *others.split("|"), *_TRANSLATED_NAMES.get(english, ())):
            table[_name_key(name)] = english
    return table


_REGION_TABLE = _name_table(_REGION_NAMES)
_TYPE_TABLE = _name_table(_TYPE_NAMES)


def translated_names(english: str) -> dict[str, str]:
    """``{"fr": ..., "es": ...}``: a known region's or project type's French and Spanish
    names, from its English name; ``{}`` for a name not known."""
    names = _TRANSLATED_NAMES.get(english)
    return dict(zip(("fr", "es"), names, strict=True)) if names else {}


def english_name(table: dict[str, str], name: str | None) -> str | None:
    """The English name of a region or project type, or the name as printed when unknown."""
    if not name:
        return name
    return table.get(_name_key(name), name)


# Budget values that mean "not given" rather than "not a number", compared after ``lookup_key``
# (so "N/A", "n.a." and "n/a" are one; "TBC." is "tbc"). Only whole values: "pending donor
# approval" is text, not a placeholder.
_NO_BUDGET = frozenset(
    lookup_key(value)
    for value in (
        "n/a", "na", "n.a.", "n/d", "nd", "none", "nil", "null", "nan", "unknown", "pending",
        "tbd", "tbc", "tba", "to be determined", "to be confirmed", "to be announced",
        "to be defined", "not available", "not applicable", "not known",
        "non disponible", "non applicable", "non communiqué", "sans objet", "s/o", "inconnu",
        "à déterminer", "à confirmer", "à définir", "en attente", "néant",
        "no disponible", "no aplica", "no aplicable", "s/d", "sin datos", "desconocido",
        "por determinar", "por confirmar", "por definir", "pendiente",
    )
)  # fmt: skip
# A value made only of these ("-", "—", "--", "...", "?") is a placeholder too.
_PLACEHOLDER_MARKS = "-–—‒―_.…?*/ "
_CURRENCY = re.compile(r"\b(?:USD|US\s*dollars?|dollars?|dólares|dolares|US)\b|US\$|\$", re.I)
_MILLION = re.compile(r"\s*(?:million|millions|millón|millon|millones|mio|m)\.?$", re.I)
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*$")
_NUMBER_SIGN = re.compile(r"\b[Nn]\s?[°º]")
_GROUPED = re.compile(r"^\d{1,3}(?:[ ,.'’]\d{3})+$")


def find_label(line: str) -> tuple[str, frozenset[str]] | None:
    """(field, languages) for a known metadata label, else None."""
    if len(line) > 90 or line.rstrip()[-1:] in ".!?":
        return None
    key = lookup_key(line.rstrip(" :"))
    found = _LABEL_TABLE.get(key)
    if found is None and key:
        if "°" in line or "º" in line:
            # "N° du projet", "Nº de proyecto": the sign is a word of its own here.
            key = lookup_key(_NUMBER_SIGN.sub("numero ", line.rstrip(" :")))
        found = _fuzzy_label(key)
    return found


def _split_inline(line: str) -> tuple[str, str] | None:
    """ "Start Date: 2017" written on one line."""
    label, sep, value = line.partition(":")
    if sep and find_label(label):
        return label.strip(), value.strip()
    return None


def _dash_item_label(line: str) -> str | None:
    """ "- Start Date": the dash and the label on one line."""
    if line[:1] in "-–—•" and len(line) > 2:
        label = line[1:].strip()
        if find_label(label):
            return label
    return None


def _next_text(lines: list[str], start: int) -> int | None:
    return next((k for k in range(start, len(lines)) if lines[k]), None)


# Fields whose value always has a digit (a code, an ID, an amount). A date or a year that
# cannot be read is rather a value to warn about.
_NUMERIC_FIELDS = frozenset({"project_code", "prima_id", "budget"})


def _fits(field: str, line: str) -> bool:
    """Whether ``line`` can be the value of ``field`` rather than the description's first line
    ("Background", "The project ..."), for the last label, whose value nothing closes."""
    if field in _NUMERIC_FIELDS:
        return any(ch.isdigit() for ch in line) or (field == "budget" and _is_placeholder(line))
    return field in ("type", "region") or not _is_sentence(line)


def _is_sentence(line: str) -> bool:
    """Too many words, or a full stop, for a code, date, status, budget or year."""
    return line.count(" ") >= 6 or (ends_sentence(line) and line.count(" ") >= 2)


def _is_prose(line: str) -> bool:
    words = line.count(" ") + 1
    return len(line) >= 150 or (words > 12 and line.rstrip()[-1:] in ".!?")


def find_metadata_start(lines: list[str], window: int = 80) -> int | None:
    """Index of the first "-" of a metadata block that has at least two known labels."""
    limit = min(len(lines), window)
    for i in range(limit - 1):
        line = lines[i]
        if is_dash_line(line):
            j = _next_text(lines, i + 1)
            if j is None or not (find_label(lines[j]) or _split_inline(lines[j])):
                continue
        elif line[:1] in "-–—•" and _dash_item_label(line):
            j = i
        else:
            continue
        known = 0
        for line in lines[j : j + 10]:
            if find_label(line) or _split_inline(line) or _dash_item_label(line):
                known += 1
        if known >= 2:
            return i
    return None


def looks_like_metadata(lines: list[str], start: int) -> bool:
    """A "-" / short label / value pattern, whatever the labels: a project-like layout."""
    i = _next_text(lines, start)
    dashes = 0
    while i is not None and i < len(lines) and dashes < 3:
        if not is_dash_line(lines[i]):
            break
        label = _next_text(lines, i + 1)
        if label is None or len(lines[label]) > 60 or is_dash_line(lines[label]):
            break
        dashes += 1
        value = _next_text(lines, label + 1)
        i = _next_text(lines, value + 1) if value is not None else None
    return dashes >= 2


def has_known_label(lines: list[str], start: int) -> bool:
    """Whether the "-" / label / value block at ``start`` names at least one known field."""
    entries, _ = read_metadata(lines, start)
    return any(find_label(label) for label, _ in entries)


def read_metadata(lines: list[str], i: int) -> tuple[list[tuple[str, str]], int]:
    """[(label as written, value)] from the block starting at ``i``, and where it ends."""
    entries: list[tuple[str, str]] = []
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line:
            i += 1
            continue
        inline: str | None = None
        if is_dash_line(line):
            j = _next_text(lines, i + 1)
            if j is None:
                return entries, n
            candidate = lines[j]
            if is_dash_line(candidate):
                i = j
                continue
            split = _split_inline(candidate)
            if split:
                label, inline = split
            elif find_label(candidate) or (len(candidate) <= 60 and not _is_prose(candidate)):
                label = candidate
            else:
                return entries, j  # prose after a last "-": the description
            i = j + 1
        elif (item := _dash_item_label(line)) is not None:
            label, i = item, i + 1
        elif entries and find_label(line):
            label, i = line, i + 1  # a label whose "-" line was lost
        elif entries and (split := _split_inline(line)):
            (label, inline), i = split, i + 1
        else:
            return entries, i
        if inline is not None:
            entries.append((label, inline))
            continue
        value, i = _read_value(lines, i, label)
        entries.append((label, value))
    return entries, i


def _ends_value(line: str) -> bool:
    return is_dash_line(line) or bool(_dash_item_label(line)) or bool(line and find_label(line))


def _read_value(lines: list[str], i: int, label: str) -> tuple[str, int]:
    n = len(lines)
    # A value runs to the next "-" (usually one line, sometimes none or a wrapped two).
    for k in range(i, min(n, i + 4)):
        if _ends_value(lines[k]):
            return " ".join(v for v in lines[i:k] if v), k
    # No "-" follows: this is the last label, its value is one line, the description follows.
    first = _next_text(lines, i)
    if first is None:
        return "", n
    line = lines[first]
    if _is_prose(line):
        return "", first
    found = find_label(label)
    if not found or found[0] != "states":
        if found and not _fits(found[0], line):
            return "", first  # an empty last value: this is the description's first line
        return line, first + 1
    names = split_country_list(line)
    matched = sum(len(name) for name, code in names if code)
    if matched * 2 < len(line.replace(" ", "")) or (ends_sentence(line) and len(line) > 60):
        return "", first  # no states given; this is the description's first line
    # States listed one a line: take further lines made only of country names.
    end = first + 1
    while end < n and lines[end] and len(lines[end]) < 100:
        names = split_country_list(lines[end])
        if not names or any(code is None for _, code in names):
            break
        end += 1
    return " ".join(lines[first:end]), end


def parse_budget(value: str, language: str) -> decimal.Decimal | None:
    """A budget in US dollars, exactly (never a float).

    Accepts "100000.00", "100,000.00", "USD 100000", "100 000,00" (French), "1.000.000"
    (Spanish thousands) and "1.2 million". Placeholders ("N/A", "TBD", "to be confirmed",
    "pending", "-", "—", see ``_NO_BUDGET``) and an empty value give None; any other text
    that is not a number ("about a million", "$$$") raises ParseError naming the value.
    """
    original = value
    if _is_placeholder(value):
        return None
    text = _PARENTHETICAL.sub("", value).strip()
    text = _CURRENCY.sub(" ", text).strip(" :")
    if text and _is_placeholder(text):
        return None  # "USD n/a", "TBD (awaiting donor)"
    multiplier = 1
    million = _MILLION.search(text)
    if million and million.start() > 0 and any(ch.isdigit() for ch in text[: million.start()]):
        multiplier = 1_000_000
        text = text[: million.start()]
    text = "".join(text.split())  # spaces (also no-break) group thousands
    negative = text.startswith("-")
    text = text.lstrip("-+")
    text = text.replace("'", "").replace("’", "")
    number = _normalize_number(text, language)
    if number is None:
        raise ParseError(note("the budget %(budget)r is not a number", budget=original.strip()))
    amount = decimal.Decimal(number) * multiplier
    return -amount if negative else amount


def _is_placeholder(value: str) -> bool:
    """ "N/A", "TBC", "to be confirmed", "pending", "—", "(n/a)", "": no amount given."""
    text = value.strip().strip("()[]").strip()
    key = lookup_key(text)
    if key:
        return key in _NO_BUDGET
    return not text.strip(_PLACEHOLDER_MARKS)


def _normalize_number(text: str, language: str) -> str | None:
    if not text or not re.fullmatch(r"[\d.,]+", text) or not text[0].isdigit():
        return None
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _, fraction = text.rpartition(decimal_mark)
        if decimal_mark in whole or (thousands in whole and not _GROUPED.match(whole)):
            return None
        return whole.replace(thousands, "") + "." + fraction
    mark = "," if commas else "." if dots else ""
    if not mark:
        return text
    if text.count(mark) > 1:
        return text.replace(mark, "") if _GROUPED.match(text) else None
    whole, _, fraction = text.partition(mark)
    if len(fraction) == 3 and (mark == "," or language in ("fr", "es")):
        return whole + fraction  # "100,000" in English, "100.000" in French or Spanish
    return f"{whole}.{fraction}"


def parse_year(value: str) -> int | None:
    match = re.fullmatch(r"\s*(?:FY\s*)?(\d{4})\s*", value, re.I)
    if match and 1900 <= int(match.group(1)) <= 2100:
        return int(match.group(1))
    partial = parse_partial_date(value)
    return partial.year if partial else None


_RANGE = re.compile(r"^(.+?)\s*(?:\s[-–—]\s|[–—]|\s(?:to|au|à|a|al|hasta)\s)\s*(.+)$", re.I)


def _date_range(value: str) -> tuple[str, str] | None:
    """The two ends of "2017 - 2019" or "mars 2017 au décembre 2019", when both are dates."""
    match = _RANGE.match(value.strip())
    if match is None:
        return None
    start, end = match.group(1).strip(), match.group(2).strip()
    start = re.sub(r"^(?:from|du|de|del|desde)\s+", "", start, flags=re.I)
    if parse_partial_date(start) and parse_partial_date(end):
        return start, end
    return None


def build_project(title: str, lines: list[str], start: int, warnings: list[str]) -> ProjectPage:
    """The project page whose metadata block starts at ``lines[start]``."""
    entries, end = read_metadata(lines, start)
    metadata: dict[str, str] = {}
    fields: dict[str, tuple[str, str]] = {}
    votes: Counter[str] = Counter()
    for label, value in entries:
        key = label.rstrip(" :")
        if key in metadata:
            number = 2
            while f"{key} ({number})" in metadata:
                number += 1
            key = f"{key} ({number})"
        metadata[key] = value
        found = find_label(label)
        if found is None:
            warnings.append(
                note("an unknown project field was kept as it is: %(label)r", label=label)
            )
            continue
        name, languages = found
        if len(languages) == 1:
            votes[next(iter(languages))] += 1
        if name == "date":
            dates = _date_range(value)
            if dates and "start" not in fields and "end" not in fields:
                # "Dates: mars 2017 – décembre 2019", "Periodo: 2017 a 2019".
                fields["start"], fields["end"] = (label, dates[0]), (label, dates[1])
                continue
            # A bare "Date"/"Fecha" printed twice gives the start, then the end, in the
            # order the page prints them (the old templates printed the start first).
            name = "start" if "start" not in fields else "end"
        if name == "states" and name in fields:
            # "État membre bénéficiaire: Sénégal" then "État membre bénéficiaire: Mali":
            # one list printed one value at a time.
            fields[name] = (fields[name][0], f"{fields[name][1]}; {value}")
        elif name in fields:
            warnings.append(
                note(
                    "the project field %(label)r appears twice; the first one is used", label=label
                )
            )
        else:
            fields[name] = (label, value)
    # The labels' language, when some label belongs to one language only. Budgets are read
    # the English way without it, as before pages had a language.
    language = ""
    if votes:
        best = max(votes.values())
        leaders = [lang for lang in ("en", "fr", "es") if votes[lang] == best]
        language = leaders[0]
    description = [line for line in lines[end:] if not is_caption(line)]

    def text(name: str) -> str | None:
        value = fields.get(name, ("", ""))[1].strip()
        return value or None

    project_code = text("project_code")
    if not project_code:
        # Older pages and whole French-language sites gave none; the loader identifies
        # these by their title (legacy.identity.project_keys).
        warnings.append(note("no project code: identified by its title"))

    # Else the words of the title and description say it (legacy.parsing.language).
    page = ProjectPage(
        title=title,
        project_code=project_code,
        language=language or page_language(title, description) or "",
    )
    page.metadata = metadata
    page.prima_id = text("prima_id")
    page.project_type = english_name(_TYPE_TABLE, text("type"))
    page.region = english_name(_REGION_TABLE, text("region"))
    page.status = text("status")
    if page.status:
        page.status_normalized = _STATUS.get(lookup_key(page.status))
        if page.status_normalized is None:
            warnings.append(
                note("the project status %(status)r is not one we know", status=page.status)
            )
    page.coverage = text("coverage")
    if page.coverage:
        page.coverage_normalized = _COVERAGE.get(lookup_key(page.coverage))
        if page.coverage_normalized is None:
            warnings.append(
                note("the coverage %(coverage)r is not one we know", coverage=page.coverage)
            )
    for name in ("start", "end"):
        value = text(name)
        if value:
            parsed = parse_partial_date(value)
            if parsed is None:
                warnings.append(
                    note("the start date %(value)r could not be read", value=value)
                    if name == "start"
                    else note("the end date %(value)r could not be read", value=value)
                )
            setattr(page, name, parsed)
    if page.start and page.end and page.end < page.start:
        warnings.append(
            note(
                "the end date %(end)s is before the start date %(start)s",
                end=page.end,
                start=page.start,
            )
        )
    year = text("year")
    if year:
        page.year = parse_year(year)
        if page.year is None:
            warnings.append(note("the year %(year)r could not be read", year=year))
    budget = text("budget")
    if budget:
        page.budget_usd = parse_budget(budget, language or "en")
        if page.budget_usd is None:
            warnings.append(note("the budget %(budget)r gives no amount", budget=budget))
        elif page.budget_usd < 0:
            warnings.append(note("the budget %(budget)r is negative", budget=budget))
    elif "budget" in fields:
        # An empty value, or a "-" / "—" placeholder, which reads as the next field's dash.
        warnings.append(note("the budget is empty; it gives no amount"))
    states = text("states")
    if states:
        for name, code in split_country_list(states):
            page.benefiting_states.append(State(name=name, code=code))
            if code is None:
                warnings.append(
                    note("the benefiting member state %(name)r was not recognised", name=name)
                )

    page.paragraphs = reflow(description, page.language)
    if not page.paragraphs:
        warnings.append(note("the project page has no description"))
        _drop_cut_name(page, entries, warnings)
    return page


def _drop_cut_name(page: ProjectPage, entries: list[tuple[str, str]], warnings: list[str]) -> None:
    """A page that ends inside its metadata may have lost the end of its last value. A region
    or project type would become a list entry of its own ("Asia and the Paci"), so an unknown
    one there is left out (it stays in the legacy metadata)."""
    if not entries:
        return
    label, value = entries[-1]
    found = find_label(label)
    for field, table in (("region", _REGION_TABLE), ("type", _TYPE_TABLE)):
        if found and found[0] == field and value and _name_key(value) not in table:
            attribute = "region" if field == "region" else "project_type"
            setattr(page, attribute, None)
            warnings.append(
                note(
                    "the page ends in its metadata; the last value %(value)r may be cut and "
                    "was not used",
                    value=value,
                )
            )
