"""A project and its translations in the importer: one project code in several languages,
and regions and project types named in French or Spanish (issue 13)."""

import pytest
from django.utils import translation

from projects.models import Project, ProjectType, Region
from tests.legacy.test_import import CHROME, project_text, run, write

pytestmark = pytest.mark.django_db

FRENCH_PROJECT = [
    ("Date de début", "2019"),
    ("Date de fin", "2021"),
    ("Statut du projet", "Actif"),
    ("Type de projet", "Mobilité de la main-d'œuvre et développement humain"),
    ("Montant du budget (USD)", "250000.00"),
    ("Couverture", "Régionale"),
    ("Année", "2019"),
    ("Région FDI", "Asie et Pacifique"),
    ("ID Prima", "NP10P0099"),
    ("ID du projet", "XB.0042"),
    ("États membres bénéficiaires", "Népal Bangladesh"),
]


def french_project_text(title="Des couloirs de migration de main-d'œuvre plus sûrs"):
    lines = [CHROME, title]
    for label, value in FRENCH_PROJECT:
        lines += ["-", label, value]
    lines += [
        "Le projet aide les gouvernements d'Asie du Sud à réglementer les agences de recrutement.",
        "Il forme aussi les attachés chargés du travail dans les pays de destination.",
    ]
    return "\n".join(lines)


def manifest(folder, rows):
    path = folder / "manifest.csv"
    path.write_text(
        "file,url,published,language\n" + "".join(f"{name},,,{lang}\n" for name, lang in rows),
        encoding="utf-8",
    )
    return path


def test_a_french_page_of_a_project_code_is_its_french_version_not_an_update(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    write(pages, "en.txt", project_text())
    write(pages, "fr.txt", french_project_text())
    out, err, error = run(pages)
    assert error is None, err
    assert "2 created" in out
    english, french = Project.objects.get(language="en"), Project.objects.get(language="fr")
    assert english.project_code == french.project_code == "XB.0042"
    assert french.title.startswith("Des couloirs")
    # The French names of the region and type found the English entries: no duplicates.
    assert Region.objects.count() == 1 and ProjectType.objects.count() == 1
    assert (
        french.region_id == english.region_id and french.project_type_id == english.project_type_id
    )
    region = english.region
    assert (region.name, region.name_fr, region.name_es) == (
        "Asia and the Pacific", "Asie et Pacifique", "Asia y el Pacífico",
    )  # fmt: skip
    with translation.override("fr"):
        assert str(english.project_type) == "Mobilité de la main-d'œuvre et développement humain"
    # Re-run: each page finds its own record.
    out, _, _ = run(pages)
    assert "2 unchanged" in out
    write(pages, "fr.txt", french_project_text(title="Couloirs de migration plus sûrs"))
    out, _, _ = run(pages)
    assert "1 updated" in out
    assert Project.objects.get(language="fr").title == "Couloirs de migration plus sûrs"
    assert Project.objects.get(language="en").title == "Safer Labour Migration Corridors"


def test_a_page_whose_language_is_read_differently_now_keeps_its_record(tmp_path):
    """A record imported as English before the page's language was known (same code, same file
    name) is that page: re-imported in French it is updated, not doubled."""
    pages = tmp_path / "pages"
    pages.mkdir()
    write(pages, "fr.txt", french_project_text())
    run(pages, manifest=str(manifest(tmp_path, [("fr.txt", "en")])))
    (record,) = Project.objects.all()
    assert record.language == "en"
    out, err, error = run(pages, manifest=str(manifest(tmp_path, [("fr.txt", "fr")])))
    assert error is None, err
    assert "1 updated" in out
    (again,) = Project.objects.all()
    assert again.pk == record.pk and again.language == "fr"


def test_two_pages_of_one_code_in_one_language_still_clash(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    write(pages, "a.txt", french_project_text())
    write(pages, "b.txt", french_project_text(title="Autre titre"))
    out, err, error = run(pages)
    assert error is not None
    assert "1 created" in out and "has the same project code XB.0042" in err
    assert Project.objects.count() == 1
