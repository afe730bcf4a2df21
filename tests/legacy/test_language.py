"""The language of an imported page: the manifest's, else its labels', else its words'."""

import hashlib
import json

import pytest

from legacy.parser import parse
from legacy.parsing.language import detect
from news.models import NewsItem
from projects.models import Project

from .test_import import CHROME, project_text, run, write

FRENCH_BODY = [
    "Dakar – L'Organisation internationale pour les migrations (OIM) a aidé plus de 300",
    "migrants bloqués au Niger à rentrer chez eux cette semaine, avec le soutien des",
    "autorités sénégalaises et maliennes.",
    "Selon l'OIM, les retours se poursuivront jusqu'à la fin du mois.",
]
SPANISH_BODY = [
    "San José – La Organización Internacional para las Migraciones (OIM) apoyó a más de",
    "500 migrantes venezolanos en Costa Rica durante el mes de marzo, con el respaldo de",
    "las autoridades locales y de los gobiernos de la región.",
    "Según la OIM, la asistencia continuará hasta fin de año.",
]
ENGLISH_BODY = [
    "Geneva – The International Organization for Migration (IOM) has helped more than 300",
    "migrants stranded in Niger to return home this week, with the support of the",
    "authorities of Senegal and Mali.",
]
PORTUGUESE_BODY = [
    "Maputo – A Organização Internacional para as Migrações (OIM) apoiou o regresso de 200",
    "migrantes a Moçambique. Os migrantes receberam assistência médica e apoio psicossocial,",
    "segundo a organização, que trabalha com o governo para garantir um regresso seguro.",
]


def page(title, body):
    return "\n".join([CHROME, title, *body])


@pytest.mark.parametrize(
    "body, language",
    [(ENGLISH_BODY, "en"), (FRENCH_BODY, "fr"), (SPANISH_BODY, "es"), (PORTUGUESE_BODY, None)],
)
def test_the_words_of_a_text_tell_its_language(body, language):
    assert detect(" ".join(body)) == language


def test_too_few_words_tell_nothing():
    assert detect("Migrants Rescued off Lampedusa") is None
    assert detect("La OIM en Colombia") is None  # "la", "en": French and Spanish alike
    assert detect("") is None


def test_a_quoted_french_name_does_not_make_english_french():
    text = (
        "The minister said that the plan, known in Dakar as « Le retour des jeunes », has "
        "been a success for the families who were waiting for their children."
    )
    assert detect(text) == "en"


def test_the_parser_gives_news_pages_their_language():
    assert parse(page("Retours volontaires depuis le Niger", FRENCH_BODY)).page.language == "fr"
    assert parse(page("Apoyo a migrantes en Costa Rica", SPANISH_BODY)).page.language == "es"
    assert parse(page("Returns from Niger", ENGLISH_BODY)).page.language == "en"
    assert parse(page("Retorno a Moçambique", PORTUGUESE_BODY)).page.language == ""


def test_a_project_page_takes_its_labels_language_else_its_words():
    labels = "\n".join(
        [CHROME, "Appui à la réintégration", "-", "Statut du projet", "En cours", "-",
         "Couverture", "Nationale", "", "A short English description of the project."]
    )  # fmt: skip
    assert parse(labels).page.language == "fr"
    shared = "\n".join(
        [CHROME, "Apoyo a la reintegración", "-", "Región", "Américas", "-", "ID Prima", "4321",
         "", *SPANISH_BODY]
    )  # fmt: skip
    assert parse(shared).page.language == "es"


pytestmark = pytest.mark.django_db


def test_the_import_sets_the_language_and_reports_it(tmp_path):
    write(tmp_path, "fr.txt", page("Retours volontaires depuis le Niger", FRENCH_BODY))
    write(tmp_path, "es.txt", page("Apoyo a migrantes en Costa Rica", SPANISH_BODY))
    write(tmp_path, "en.txt", page("Returns from Niger", ENGLISH_BODY))
    write(tmp_path, "p.txt", project_text())
    report = tmp_path.parent / "r.json"
    out, _, error = run(tmp_path, report=report)
    assert error is None, out
    languages = dict(NewsItem.objects.values_list("source_file", "language"))
    assert languages == {"fr.txt": "fr", "es.txt": "es", "en.txt": "en"}
    assert Project.objects.get().language == "en"
    data = json.loads(report.read_text())
    assert {f["path"].rsplit("/", 1)[1]: f["record"]["language"] for f in data["files"]} == {
        "en.txt": "en", "es.txt": "es", "fr.txt": "fr", "p.txt": "en",
    }  # fmt: skip
    # The language is read from the text: the same files again are unchanged.
    out, _, _ = run(tmp_path)
    assert "0 created, 0 updated, 4 unchanged" in out


def test_a_page_in_another_language_is_english_with_a_warning(tmp_path):
    write(tmp_path, "pt.txt", page("Retorno a Moçambique", PORTUGUESE_BODY))
    report = tmp_path.parent / "r.json"
    run(tmp_path, report=report)
    assert NewsItem.objects.get().language == "en"
    (entry,) = json.loads(report.read_text())["files"]
    assert (
        "the page's language could not be told from its text: English was assumed"
        in (entry["warnings"])
    )


def test_the_manifest_language_wins_and_is_kept_in_the_legacy_metadata(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    write(folder, "pt.txt", page("Retorno a Moçambique", PORTUGUESE_BODY))
    write(folder, "fr.txt", page("Retours volontaires depuis le Niger", FRENCH_BODY))
    manifest = tmp_path / "crawl.csv"
    manifest.write_text("file,url,published,language\npt.txt,,,es\nfr.txt,,,fr\n")
    report = tmp_path / "r.json"
    out, _, error = run(folder, manifest=str(manifest), report=report)
    assert error is None, out
    items = {item.source_file: item for item in NewsItem.objects.all()}
    assert items["pt.txt"].language == "es"
    assert items["pt.txt"].raw_metadata == {"language": "es"}
    assert items["fr.txt"].language == "fr"
    warnings = {
        f["path"].rsplit("/", 1)[1]: f["warnings"] for f in json.loads(report.read_text())["files"]
    }
    assert warnings == {"pt.txt": [], "fr.txt": []}


# -- translations joined by the manifest (translation_of) ------------------------------------

HEADER = "file,url,published,language,translation_of\n"


def import_with_manifest(tmp_path, rows, *names, report=None):
    """Import the files ``names`` of tmp_path/pages with a manifest of ``rows``."""
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    texts = {
        "en.txt": page("Returns from Niger", ENGLISH_BODY),
        "fr.txt": page("Retours volontaires depuis le Niger", FRENCH_BODY),
        "es.txt": page("Apoyo a migrantes en Costa Rica", SPANISH_BODY),
        "fr2.txt": page("Retours depuis le Niger : deuxième version", FRENCH_BODY),
    }
    run_folder = tmp_path / f"run-{'-'.join(names)}"
    run_folder.mkdir(exist_ok=True)
    for name in names:
        write(run_folder, name, texts[name])
    manifest = tmp_path / "crawl.csv"
    manifest.write_text(HEADER + "".join(f"{row}\n" for row in rows))
    options = {"report": report} if report else {}
    return run(run_folder, manifest=str(manifest), **options)


def group_of(name):
    return NewsItem.objects.get(source_file=name).translation_group


ROWS = ["en.txt,,,en,", "fr.txt,,,fr,en.txt", "es.txt,,,es,fr.txt"]


def test_the_manifest_links_translations_in_one_run(tmp_path):
    out, _, error = import_with_manifest(tmp_path, ROWS, "en.txt", "es.txt", "fr.txt")
    assert error is None, out
    assert group_of("en.txt") is not None
    assert group_of("en.txt") == group_of("fr.txt") == group_of("es.txt")
    english = NewsItem.objects.get(source_file="en.txt")
    assert [t.language for t in english.public_translations()] == ["es", "fr"]
    assert NewsItem.objects.get(source_file="fr.txt").raw_metadata == {
        "language": "fr",
        "translation_of": "en.txt",
    }
    # A re-run changes nothing.
    out, _, _ = import_with_manifest(tmp_path, ROWS, "en.txt", "es.txt", "fr.txt")
    assert "0 created, 0 updated, 3 unchanged" in out


@pytest.mark.parametrize("first, then", [("en.txt", "fr.txt"), ("fr.txt", "en.txt")])
def test_a_translation_imported_in_a_later_run_finds_its_original(tmp_path, first, then):
    import_with_manifest(tmp_path, ROWS[:2], first)
    assert group_of(first) is None  # nothing to link to yet
    out, _, error = import_with_manifest(tmp_path, ROWS[:2], first, then)
    assert error is None, out
    assert "1 created, 0 updated, 1 unchanged" in out
    assert group_of(first) is not None and group_of(first) == group_of(then)


def test_a_group_with_two_items_in_one_language_is_not_forced(tmp_path):
    import_with_manifest(tmp_path, ROWS[:2], "en.txt", "fr.txt")
    # fr2.txt, also French, claims to translate the English page: a warning, no link.
    rows = [*ROWS[:2], "fr2.txt,,,,en.txt"]
    report = tmp_path / "r.json"
    out, _, error = import_with_manifest(
        tmp_path, rows, "en.txt", "fr.txt", "fr2.txt", report=report
    )
    assert error is None, out
    assert group_of("fr2.txt") is None
    (entry,) = [f for f in json.loads(report.read_text())["files"] if f["path"].endswith("fr2.txt")]
    assert entry["warnings"] == [
        "not linked as a translation of en.txt: its group already has an item in fr "
        "(Retours volontaires depuis le Niger)",
        "not linked as a translation of fr.txt: both are in fr",
    ]


@pytest.mark.parametrize(
    "rows, problem",
    [
        (["en.txt,,,en,", "fr.txt,,,fr,gone.txt"], "line 3: translation_of gone.txt names no file"),
        (["en.txt,,,en,en.txt"], "line 2: en.txt cannot be a translation of itself"),
        (
            ["en.txt,,,fr,", "fr.txt,,,fr,en.txt"],
            "line 3: fr.txt and en.txt (line 2) are translations of one another, both in fr",
        ),
    ],
)
def test_a_bad_translation_of_refuses_the_manifest(tmp_path, rows, problem):
    _, _, error = import_with_manifest(tmp_path, rows, "en.txt", "fr.txt")
    assert error is not None and problem in str(error)
    assert not NewsItem.objects.exists()


def test_the_four_column_manifest_still_reads_and_keeps_its_hashes(tmp_path):
    from legacy.manifest import Row, folded_hash, parse_manifest

    manifest = parse_manifest(b"file,url,published,language\nen.txt,,,en\n")
    row = manifest.rows["en.txt"]
    assert row.translation_of == "" and not manifest.has_translations
    # The hash a row gave before the column existed: files imported then stay unchanged.
    assert folded_hash("abc", row) == hashlib.sha256(b"abc|||en").hexdigest()
    assert folded_hash("abc", row) != folded_hash(
        "abc", Row(2, "en.txt", language="en", translation_of="fr.txt")
    )


# -- French and Spanish pages are not read by English-only rules -----------------------------

WRAPPED_FRENCH = [
    "Niamey – L'OIM a organisé cette semaine le retour volontaire de",
    "plus de 300 migrants bloqués dans le nord du pays, qui rentrent",
    "chez eux au",
    "Mali, au Sénégal et en Guinée avec l'appui des autorités.",
    "Chaque migrant reçoit une aide à la réinsertion, selon les besoins",
    "de sa famille, et un suivi pendant six mois après son retour dans",
    "son pays.",
]
WRAPPED_SPANISH = [
    "Ciudad de Guatemala – La OIM organizó esta semana el retorno de más",
    "de 200 migrantes hondureños que estaban varados en la frontera, con",
    "el apoyo de las autoridades de ambos países, que trabajan desde",
    "Honduras y El Salvador para recibir a los migrantes.",
    "Cada migrante recibe asistencia para su reintegración según las",
    "necesidades de su familia, y un seguimiento durante seis meses tras",
    "su regreso a su país.",
]


@pytest.mark.parametrize(
    "title, body, language",
    [
        ("Retours volontaires depuis le Niger : l'OIM aide 300 migrants", WRAPPED_FRENCH, "fr"),
        ("Retornos voluntarios: la OIM apoya a 200 migrantes", WRAPPED_SPANISH, "es"),
    ],
)
def test_a_wrapped_line_ending_on_a_french_or_spanish_preposition_is_not_a_paragraph_end(
    title, body, language
):
    result = parse(page(title, body))
    assert result.page.language == language
    assert result.page.title == title  # never touched
    # Two paragraphs, each the source's words in order, joined by single spaces: a short line
    # ending "au" / "desde" before a capital ("Mali", "Honduras") runs on.
    first, second = result.page.paragraphs
    assert first == " ".join(body[:4])
    assert second == " ".join(body[4:])
    assert result.warnings == []


def test_a_french_link_in_guillemets_keeps_its_marks_outside():
    from legacy.rendering import linkify

    assert linkify("Voir «www.iom.int/fr».") == (
        'Voir «<a href="https://www.iom.int/fr">www.iom.int/fr</a>».'
    )
    assert linkify("Ver “https://www.iom.int/es”.") == (
        'Ver “<a href="https://www.iom.int/es">https://www.iom.int/es</a>”.'
    )


@pytest.mark.parametrize(
    "opening, language",
    [
        ("Hier – L'OIM a annoncé un programme de retour pour 300 migrants.", "fr"),
        ("Selon l'OIM – Les retours se poursuivront jusqu'à la fin du mois.", "fr"),
        ("Según la OIM – Los migrantes llegaron a la frontera el lunes.", "es"),
        ("Hoy – La OIM anunció un programa de retorno para 300 migrantes.", "es"),
    ],
)
def test_a_french_or_spanish_opener_is_no_dateline(opening, language):
    from legacy.parsing.news import find_dateline

    body = FRENCH_BODY[1:] if language == "fr" else SPANISH_BODY[1:]
    result = parse(page("Retours et retornos", [opening, *body]))
    assert result.page.language == language
    assert result.page.dateline is None
    assert result.page.paragraphs[0].startswith(opening)  # left as written
    # Places that begin with an article stay places, and English keeps its own reading.
    assert find_dateline("Les Cayes – L'OIM a distribué des kits.", "fr")[0] == "Les Cayes"
    assert find_dateline("La Paz – La OIM apoyó a 300 familias.", "es")[0] == "La Paz"
    assert find_dateline("Hoy – The ferry to the island resumed today.", "en")[0] == "Hoy"
