"""The language of an imported page: the manifest's, else its labels', else its words'."""

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
    assert "the page's language could not be told from its text: English was assumed" in (
        entry["warnings"]
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
