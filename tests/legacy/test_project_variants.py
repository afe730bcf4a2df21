"""Project pages with gaps and with French or Spanish labels and values (issue 12, classes 1-2).

Parser units read our own fixtures (full pages with the old sites' navigation); the import
tests go through ``call_command("import_legacy", ...)``.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from legacy import loader
from legacy.countries import resolve_country, split_country_list
from legacy.identity import project_key
from legacy.parser import ParseError, PartialDate, State, parse
from legacy.parsing.project import find_label, parse_budget
from legacy.sources import iter_sources
from projects.models import Project, ProjectType, Region

from .test_admin_import import rows, txt, upload
from .test_import import CHROME, run, write
from .test_parser import parse_fixture

FIXTURES = Path(__file__).parent / "fixtures"


def page(title, *fields, body=None):
    """A project page of the main site: the navigation, a title, "-"/label/value lines."""
    lines = [CHROME, title]
    for label, value in fields:
        lines += ["-", label, value] if value is not None else ["-", label]
    lines += (
        body
        if body is not None
        else [
            "The project trains border officials and equips two reception centres.",
            "It also supports a national referral mechanism for vulnerable migrants.",
        ]
    )
    return "\n".join(lines)


# -- parser: labels ------------------------------------------------------------------------

LABELS = {
    "project_code": [
        "Projects ID", "Project ID", "ID du projet", "Identifiant du projet", "Code projet",
        "Code du projet", "ID de Proyecto", "Código del proyecto", "CODIGO DE PROYECTO",
        "Identificador del proyecto", "N° du projet", "Nº de proyecto", "Projet ID", "Codes",
    ],
    "prima_id": ["Prima ID", "ID Prima", "Identifiant Prima", "Identificador de Prima"],
    "states": [
        "Benefiting Member States", "États membres bénéficiaires", "Etats membres beneficiaires",
        "État membre bénéficiaire", "Pays bénéficiaires", "Estados Miembros beneficiarios",
        "Estados miembros beneficiarios", "Países beneficiarios", "Paises beneficiarios",
        "Member States", "Beneficiary countries", "Pays membres bénéficiaires",
        "Benefiting Member State(s)", "Estado(s) Miembro(s) beneficiario(s)", "Countries",
        "Pays concernés", "Países participantes", "Países",
    ],
    "start": [
        "Start Date", "Date de début", "Date de debut", "Date de démarrage", "Fecha de inicio",
        "Fecha de comienzo", "Fecha inicio", "Début du projet",
    ],
    "end": [
        "End Date", "Date de fin", "Date d'achèvement", "Date de clôture", "Fecha de finalización",
        "Fecha de término", "Fecha de termino", "Fecha de cierre", "Fecha estimada de finalización",
        "Fin du projet", "Date de fin prévue",
    ],
    "status": [
        "Project Status", "Statut du projet", "Statut", "État du projet", "Estado del proyecto",
        "Estado", "Situación del proyecto",
    ],
    "type": ["Project Type", "Type de projet", "Types de projets", "Tipo de proyecto", "Tipo"],
    "budget": [
        "Budget Amount (USD)", "Montant du budget (USD)", "Montant (USD)", "Montants",
        "Presupuesto (USD)", "Presupuesto", "Monto", "Monto total (USD)", "Importe (US$)",
    ],
    "coverage": ["Coverage", "Couverture", "Couverture géographique", "Cobertura"],
    "year": ["Year", "Année", "Annee", "Año", "Ano", "Años", "Año de financiamiento"],
    "region": ["IDF Region", "Région du FDI", "Région FDI", "Región", "Region", "Région"],
    "date": ["Date", "Fecha", "Dates", "Période", "Periodo", "Period", "Fechas del proyecto"],
}  # fmt: skip


@pytest.mark.parametrize(
    "label,field", [(label, field) for field, labels in LABELS.items() for label in labels]
)
def test_labels_are_read_by_their_key_words(label, field):
    assert find_label(label)[0] == field
    assert find_label(label.upper() + " :")[0] == field  # case and a trailing colon


@pytest.mark.parametrize(
    "line",
    [
        # Values and navigation that share a word with a label are never labels.
        "Estados Unidos", "États-Unis", "Estado Plurinacional de Bolivia", "Completed",
        "Regional", "Terminé", "Global", "Total", "Pays", "País", "Country", "Pays-Bas",
        "Países Bajos", "Projets", "Project", "N/A", "n/a", "Achevé", "Clôturé", "Financement",
        "Donor", "Partner", "Sector", "Bailleur de fonds", "Number of beneficiaries",
        "Fin 2018", "The project ended in 2019.", "Date de fin prévue du projet de relance et",
    ],
)  # fmt: skip
def test_values_and_other_words_are_not_labels(line):
    assert find_label(line) is None


# -- parser: whole pages ---------------------------------------------------------------------


def test_french_page_without_code_with_a_doubled_date_and_an_unknown_label():
    result = parse_fixture("project_fr_codeless_variants.txt")
    page = result.page
    assert result.kind == "project"
    assert page.title == "Appui à la réintégration des migrants de retour en Guinée"
    assert (page.project_code, page.prima_id, page.language) == (None, None, "fr")
    # "Date" printed twice: the start, then the end.
    assert (page.start, page.end) == (PartialDate(2017, 3), PartialDate(2019, 12, 31))
    assert (page.status, page.status_normalized) == ("En cours", "active")
    assert page.project_type == "Return and Reintegration"
    assert page.budget_usd == Decimal("1250000")
    assert (page.coverage, page.coverage_normalized) == ("Nationale", "national")
    assert (page.year, page.region) == (2017, "West and Central Africa")
    assert page.benefiting_states == [State("Guinée", "GN")]
    assert page.metadata["Date"] == "mars 2017" and page.metadata["Date (2)"] == "31/12/2019"
    assert page.metadata["Bailleur de fonds"] == "Union européenne"
    assert result.warnings == [
        "an unknown project field was kept as it is: 'Bailleur de fonds'",
        "no project code: identified by its title",
    ]
    assert page.paragraphs[0].startswith("Le projet accompagne les migrants guinéens")
    assert len(page.paragraphs) == 3


def test_spanish_page_with_other_labels_and_values():
    result = parse_fixture("project_es_variants.txt")
    page = result.page
    assert (page.project_code, page.prima_id, page.language) == ("MP.0301", "CR10P0042", "es")
    assert (page.start, page.end) == (PartialDate(2017, 3, 15), PartialDate(2019, 12))
    assert (page.status_normalized, page.coverage_normalized) == ("completed", "regional")
    assert page.project_type == "Migration Policy"
    assert page.region == "Latin America and the Caribbean"
    assert page.budget_usd == Decimal("1000000.50")
    assert [s.code for s in page.benefiting_states] == ["CR", "GT", "HN", "PA"]
    assert result.warnings == []


def test_a_page_whose_metadata_values_are_all_empty_is_still_a_project():
    result = parse_fixture("project_empty_metadata.txt")
    page = result.page
    assert result.kind == "project"
    assert page.title == "Strengthening Migration Data in the Pacific"
    assert (page.project_code, page.start, page.status, page.budget_usd, page.region) == (
        (None,) * 5
    )
    assert [s.code for s in page.benefiting_states] == ["FJ", "TO", "WS"]
    assert page.metadata["Projects ID"] == "" and len(page.metadata) == 11
    assert "no project code: identified by its title" in result.warnings
    assert page.paragraphs[0].startswith("The project helped national statistics offices")


@pytest.mark.parametrize(
    "label,value,start,end",
    [
        ("Dates", "mars 2017 – décembre 2019", PartialDate(2017, 3), PartialDate(2019, 12)),
        ("Periodo", "de marzo de 2017 a diciembre de 2019", PartialDate(2017, 3),
         PartialDate(2019, 12)),
        ("Période", "du 1er mars 2017 au 31 décembre 2019", PartialDate(2017, 3, 1),
         PartialDate(2019, 12, 31)),
        ("Date", "2017 - 2019", PartialDate(2017), PartialDate(2019)),
        ("Date", "2017-03", PartialDate(2017, 3), None),  # one date: the start
    ],
)  # fmt: skip
def test_a_date_range_under_one_label_gives_the_start_and_the_end(label, value, start, end):
    result = parse(page("Border Posts", (label, value), ("ID du projet", "IB.1")))
    assert (result.page.start, result.page.end) == (start, end)
    assert result.page.metadata[label] == value
    assert result.warnings == []


def test_an_empty_last_value_does_not_take_the_first_line_of_the_description():
    text = page(
        "Safe Migration Radio Spots",
        ("Start Date", "2014"),
        ("Project Status", "Completed"),
        ("Projects ID", None),
        body=["The spots were aired on six stations.", "They reached rural listeners."],
    )
    result = parse(text)
    assert result.page.project_code is None
    assert result.page.metadata["Projects ID"] == ""
    assert result.page.paragraphs[0] == "The spots were aired on six stations."


@pytest.mark.parametrize("label", ["Projects ID", "Prima ID", "Budget Amount (USD)"])
def test_an_empty_last_code_or_budget_does_not_take_a_heading_under_it(label):
    # "Background" has no digit: it cannot be a code, an ID or an amount (a budget that is
    # not a number would refuse the page).
    text = page(
        "Safe Migration Radio Spots",
        ("Start Date", "2014"),
        ("Project Status", "Completed"),
        (label, None),
        body=["Background", "The spots were aired on six stations."],
    )
    result = parse(text)
    assert result.page.metadata[label] == ""
    assert result.page.paragraphs[0] == "Background"


def test_a_project_page_without_a_title_is_still_refused():
    with pytest.raises(ParseError, match="a project page without a title"):
        parse_fixture("project_es_no_title.txt")


# -- parser: values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,language,amount",
    [
        ("1 000", "fr", "1000"),
        ("1\u202f000", "fr", "1000"),  # narrow no-break space
        ("1\u00a0000", "es", "1000"),  # no-break space
        ("1.000", "es", "1000"),  # one "." and three digits on a French or Spanish page
        ("1.000", "fr", "1000"),
        ("1.000", "en", "1.000"),  # ... but a decimal point on an English one
        ("1.000.000,50", "es", "1000000.50"),
        ("1,000,000.50", "en", "1000000.50"),
        ("1,000,000.50", "fr", "1000000.50"),  # the last mark with two digits is decimal
        ("USD 250 000", "fr", "250000"),
        ("250 000 $", "fr", "250000"),
        ("250.000 USD", "es", "250000"),
        ("1 250 000,00 USD", "fr", "1250000.00"),
        ("US$ 1,2 millones", "es", "1200000"),
        ("100,000", "en", "100000"),
    ],
)
def test_budget_separators(value, language, amount):
    assert parse_budget(value, language) == Decimal(amount)


@pytest.mark.parametrize(
    "value,status",
    [
        ("En cours", "active"), ("Terminé", "completed"), ("Achevé", "completed"),
        ("En curso", "active"), ("Finalizado", "completed"), ("Completado", "completed"),
        ("Concluido", "completed"), ("Activo", "active"), ("Clôturé", "completed"),
        ("En cours de mise en œuvre", "active"),
    ],
)  # fmt: skip
def test_localized_status_values(value, status):
    result = parse(page("Border Posts", ("Project Status", value), ("Projects ID", "IB.1")))
    assert result.page.status_normalized == status
    assert result.warnings == []


@pytest.mark.parametrize(
    "value,coverage",
    [
        ("National", "national"), ("Nationale", "national"), ("Régionale", "regional"),
        ("Mondiale", "global"), ("Globale", "global"), ("Nacional", "national"),
        ("Regional", "regional"), ("Mundial", "global"), ("Global", "global"),
    ],
)  # fmt: skip
def test_localized_coverage_values(value, coverage):
    result = parse(page("Border Posts", ("Couverture", value), ("ID du projet", "IB.1")))
    assert result.page.coverage_normalized == coverage


@pytest.mark.parametrize(
    "printed,english",
    [
        ("Amérique latine et Caraïbes", "Latin America and the Caribbean"),
        ("Amérique latine et les Caraïbes", "Latin America and the Caribbean"),
        ("América Latina y el Caribe", "Latin America and the Caribbean"),
        ("Asie et Pacifique", "Asia and the Pacific"),
        ("Asia y el Pacífico", "Asia and the Pacific"),
        ("Moyen-Orient et Afrique du Nord", "Middle East and North Africa"),
        ("Oriente Medio y Norte de África", "Middle East and North Africa"),
        ("Afrique de l'Est et Corne de l'Afrique", "East and Horn of Africa"),
        ("Europe du Sud-Est, Europe orientale et Asie centrale",
         "South-Eastern Europe, Eastern Europe and Central Asia"),
        ("Latin America and the Caribbean", "Latin America and the Caribbean"),
        ("Région inconnue du Nord", "Région inconnue du Nord"),  # unknown: as printed
    ],
)  # fmt: skip
def test_region_names_become_the_english_ones(printed, english):
    result = parse(page("Border Posts", ("Región", printed), ("Código del proyecto", "IB.1")))
    assert result.page.region == english
    assert result.page.metadata["Región"] == printed  # as printed, in the legacy metadata


@pytest.mark.parametrize(
    "printed,english",
    [
        ("Développement communautaire et économique", "Community and Economic Development"),
        ("Gestion des frontières et de l'immigration", "Immigration and Border Management"),
        ("Lucha contra la trata de personas", "Counter-Trafficking"),
        ("Migración y salud", "Migration Health"),
        ("Mobilité de la main-d'oeuvre et développement humain",
         "Labour Mobility and Human Development"),
        ("Réponse aux catastrophes", "Réponse aux catastrophes"),  # unknown: as printed
    ],
)  # fmt: skip
def test_project_type_names_become_the_english_ones(printed, english):
    result = parse(page("Border Posts", ("Type de projet", printed), ("ID du projet", "IB.1")))
    assert result.page.project_type == english


@pytest.mark.parametrize(
    "name,code",
    [
        ("Guinée", "GN"), ("Bolivie (État Plurinational de)", "BO"), ("Kirghizstan", "KG"),
        ("Vénézuéla", "VE"), ("Sénégal", "SN"), ("Costa de Marfil", "CI"), ("Haïti", "HT"),
        ("Kenya", "KE"), ("Níger", "NE"), ("Camerún", "CM"), ("Mauritanie", "MR"),
    ],
)  # fmt: skip
def test_french_and_spanish_country_names(name, code):
    assert resolve_country(name) == code


def test_french_and_spanish_country_lists():
    assert split_country_list("Mali, Niger, Tchad et Burkina Faso") == [
        ("Mali", "ML"), ("Niger", "NE"), ("Tchad", "TD"), ("Burkina Faso", "BF"),
    ]  # fmt: skip
    assert [code for _, code in split_country_list("Guatemala, Honduras y Panamá")] == [
        "GT",
        "HN",
        "PA",
    ]


# -- import: identity of projects without a code ---------------------------------------------

pytestmark_db = pytest.mark.django_db


def codeless(title="Labour Migration Information Campaign", *, status="Completed", prima=None):
    fields = [("Start Date", "2015"), ("Project Status", status), ("Coverage", "National")]
    if prima:
        fields.append(("Prima ID", prima))
    return page(title, *fields, ("Benefiting Member States", "Nepal"))


def coded(title="Labour Migration Information Campaign", *, code="LM.0042", prima=None):
    fields = [("Start Date", "2015"), ("Project Status", "Completed"), ("Coverage", "National")]
    if prima:
        fields.append(("Prima ID", prima))
    fields += [("Projects ID", code), ("Benefiting Member States", "Nepal India")]
    return page(title, *fields)


@pytestmark_db
def test_a_page_without_a_code_is_imported_with_a_warning_and_rerun_changes_nothing(tmp_path):
    write(tmp_path, "old.txt", codeless())
    out, _, error = run(tmp_path)
    assert error is None
    assert "1 created" in out and "no project code: identified by its title" in out
    project = Project.objects.get()
    assert project.project_code == ""
    assert project.legacy_key == project_key("labour migration INFORMATION campaign")
    assert (project.status, project.start, list(project.benefiting_states)) == (
        "completed",
        "2015",
        ["NP"],
    )
    out, _, error = run(tmp_path)
    assert error is None and "0 created, 0 updated, 1 unchanged" in out


@pytestmark_db
def test_a_later_page_with_the_code_updates_the_codeless_record(tmp_path):
    first, later = tmp_path / "1", tmp_path / "2"
    first.mkdir(), later.mkdir()
    write(first, "old.txt", codeless())
    run(first)
    original = Project.objects.get()
    write(later, "new.txt", coded())
    out, _, error = run(later)
    assert error is None and "1 updated" in out
    project = Project.objects.get()
    assert project.pk == original.pk and project.slug == original.slug
    assert project.project_code == "LM.0042"
    assert project.legacy_key == original.legacy_key  # kept: the old page still finds it
    assert [c.code for c in project.benefiting_states] == ["IN", "NP"]  # sorted by the field
    # The whole archive again: the new page is unchanged, the old one is recognised as an
    # older copy and does not overwrite it.
    out, _, error = run(first, later, verbosity=2)  # warnings of unchanged files: -v 2
    assert error is None
    assert "0 created, 0 updated, 2 unchanged" in out
    assert "an older copy of the project LM.0042 (new.txt)" in out
    project.refresh_from_db()
    assert project.project_code == "LM.0042" and len(project.benefiting_states) == 2


@pytestmark_db
def test_within_one_run_the_page_with_the_code_takes_up_the_codeless_record(tmp_path):
    write(tmp_path, "a_old.txt", codeless())
    write(tmp_path, "b_new.txt", coded(prima="NP10P0001"))
    out, _, error = run(tmp_path)
    assert error is None and "1 created, 1 updated" in out
    project = Project.objects.get()
    assert (project.project_code, project.prima_id) == ("LM.0042", "NP10P0001")
    assert project.source_file == "b_new.txt"


@pytestmark_db
def test_two_copies_of_a_codeless_page_in_one_run_the_first_wins(tmp_path):
    write(tmp_path, "a.txt", codeless(status="Active"))
    write(tmp_path, "b.txt", codeless(status="Completed"))  # another file name, another text
    out, err, error = run(tmp_path)
    assert error.returncode == 1
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in out
    assert (
        "another file in this run (a.txt) has the same title and no project code; only the "
        "first was imported" in err
    )
    assert Project.objects.get().status == "active"


@pytestmark_db
def test_codeless_projects_with_one_title_and_other_prima_ids_stay_apart(tmp_path):
    write(tmp_path, "a.txt", codeless(prima="NP10P0001"))
    write(tmp_path, "b.txt", codeless(prima="NP10P0002"))
    out, _, error = run(tmp_path)
    assert error is None and "2 created" in out
    assert sorted(Project.objects.values_list("prima_id", flat=True)) == [
        "NP10P0001",
        "NP10P0002",
    ]
    # A page of the first with its code finds it by title and Prima ID.
    write(tmp_path, "c.txt", coded(prima="NP10P0002", code="LM.0002"))
    out, _, error = run(tmp_path / "c.txt")
    assert error is None and "1 updated" in out
    assert Project.objects.get(prima_id="NP10P0002").project_code == "LM.0002"
    assert Project.objects.get(prima_id="NP10P0001").project_code == ""


@pytestmark_db
def test_a_page_with_another_code_and_the_same_title_is_another_project(tmp_path):
    write(tmp_path, "a.txt", codeless())
    write(tmp_path, "b.txt", coded(code="LM.0001"))
    write(tmp_path, "c.txt", coded(code="LM.0002"))
    out, _, error = run(tmp_path)
    assert error is None and "2 created, 1 updated" in out
    assert sorted(Project.objects.values_list("project_code", flat=True)) == [
        "LM.0001",
        "LM.0002",
    ]


def _state():
    return sorted(
        Project.objects.values_list(
            "project_code", "legacy_key", "title", "slug", "prima_id", "status", "source_file",
            "source_hash", "region__name", "budget_usd",
        )
    )  # fmt: skip


def _batch(folder):
    texts = {
        "01.txt": codeless("Border Posts in the Sahel"),
        "02.txt": codeless(),
        "03.txt": coded(code="XB.0001", title="Safer Corridors"),
        "04.txt": coded(),  # takes up 02's record
        "05.txt": codeless("Border Posts in the Sahel", status="Active"),  # a copy: fails
        "06.txt": codeless("Return Counselling", prima="GN10P0001"),
        "07.txt": coded("Return Counselling", code="RR.0007", prima="GN10P0001"),
        "08.txt": codeless(),  # the older copy of 04's project
    }
    return sorted(write(folder, name, text) for name, text in texts.items())


@pytestmark_db
@pytest.mark.parametrize("chunk_size", [1, 3, 250])
def test_split_batches_and_chunks_give_the_same_projects(tmp_path, chunk_size):
    files = _batch(tmp_path)

    def import_files(paths):
        importer = loader.Importer(chunk_size=chunk_size)
        return [r.outcome for r in importer.run(iter_sources(paths))]

    outcomes = import_files(files)
    assert [o.value for o in outcomes] == [
        "created", "created", "created", "updated", "failed", "created", "updated", "unchanged",
    ]  # fmt: skip
    whole = _state()
    assert len(whole) == 4
    # In consecutive parts (the first files, then more, then all of them), as after a crash.
    Project.objects.all().delete()
    for end in (2, 4, 5, 7, 8):
        import_files(files[:end])
    assert _state() == whole
    # A re-run of everything is a no-op.
    assert {o.value for o in import_files(files)} <= {"unchanged", "failed"}
    assert _state() == whole


@pytestmark_db
def test_a_failed_upgrade_leaves_the_codeless_record_for_the_next_page(tmp_path):
    # The second page fails after planning (budget over the field's digits) in the same
    # chunk as the record it would have taken up: the third page takes it up instead.
    write(tmp_path, "1.txt", codeless())
    bad = page(
        "Labour Migration Information Campaign",
        ("Budget Amount (USD)", "999999999999999"),
        ("Projects ID", "LM.0042"),
    )
    write(tmp_path, "2.txt", bad)
    write(tmp_path, "3.txt", coded())
    for chunk_size in (250, 1):
        Project.objects.all().delete()
        importer = loader.Importer(chunk_size=chunk_size)
        results = list(importer.run(iter_sources(sorted(tmp_path.glob("*.txt")))))
        assert [r.outcome.value for r in results] == ["created", "failed", "updated"]
        assert "budget_usd" in results[1].error
        project = Project.objects.get()
        assert project.project_code == "LM.0042" and project.source_file == "3.txt"


# -- import: regions, unknown labels, budgets ------------------------------------------------


@pytestmark_db
def test_french_and_english_pages_of_one_region_share_the_region_and_type(tmp_path):
    write(
        tmp_path,
        "en.txt",
        page(
            "Border Posts",
            ("IDF Region", "West and Central Africa"),
            ("Project Type", "Immigration and Border Management"),
            ("Projects ID", "IB.0001"),
        ),
    )
    (tmp_path / "fr.txt").write_bytes((FIXTURES / "project_french.txt").read_bytes())
    out, _, error = run(tmp_path)
    assert error is None and "2 created" in out
    assert list(Region.objects.values_list("name", flat=True)) == ["West and Central Africa"]
    assert list(ProjectType.objects.values_list("name", flat=True)) == [
        "Immigration and Border Management"
    ]
    french = Project.objects.get(project_code="IB.0120")
    assert french.raw_metadata["Région FDI"] == "Afrique de l'Ouest et du Centre"


@pytestmark_db
def test_unknown_labels_are_kept_in_the_legacy_metadata_with_a_warning(tmp_path):
    fields = [("Date de début", "2016"), ("Donateur", "Japon"), ("Code projet", "IB.9")]
    write(tmp_path, "p.txt", page("Border Posts", *fields))
    out, _, error = run(tmp_path)
    assert error is None
    assert "an unknown project field was kept as it is: 'Donateur'" in out
    project = Project.objects.get()
    assert project.project_code == "IB.9"
    assert project.raw_metadata == {
        "Date de début": "2016",
        "Donateur": "Japon",
        "Code projet": "IB.9",
    }


@pytestmark_db
def test_the_command_reads_french_and_spanish_pages_and_their_budgets(tmp_path):
    for name in ("project_fr_codeless_variants.txt", "project_es_variants.txt"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    write(tmp_path, "p.txt", page("Border Posts", ("Montant", "1.000"), ("ID du projet", "X.1")))
    out, _, error = run(tmp_path)
    assert error is None and "3 created" in out
    budgets = dict(Project.objects.values_list("source_file", "budget_usd"))
    assert budgets == {
        "project_fr_codeless_variants.txt": Decimal("1250000"),
        "project_es_variants.txt": Decimal("1000000.50"),
        "p.txt": Decimal("1000"),
    }
    spanish = Project.objects.get(project_code="MP.0301")
    assert (spanish.start, spanish.end, spanish.status) == ("2017-03-15", "2019-12", "completed")
    assert spanish.region.name == "Latin America and the Caribbean"
    french = Project.objects.get(project_code="")
    assert (french.start, french.end, french.coverage) == ("2017-03", "2019-12-31", "national")


def test_a_page_cut_inside_its_metadata_does_not_make_a_region_of_the_cut_name():
    text = page(
        "Pre-Departure Orientation",
        ("Start Date", "2014"),
        ("Project Status", "Completed"),
        ("IDF Region", "Asia and the Paci"),
        body=[],
    )
    result = parse(text)
    assert result.page.region is None
    assert result.page.metadata["IDF Region"] == "Asia and the Paci"
    assert (
        "the page ends in its metadata; the last value 'Asia and the Paci' may be cut and was "
        "not used" in result.warnings
    )
    # A known region in the same place is used.
    result = parse(text.replace("Asia and the Paci", "Asia and the Pacific"))
    assert result.page.region == "Asia and the Pacific"


@pytestmark_db
def test_the_admin_upload_imports_a_page_without_a_code_with_its_warning(publisher_client):
    response = upload(publisher_client, txt("old.txt", codeless()))
    assert response.status_code == 200
    assert rows(response) == {"old.txt": "created"}
    assert "no project code: identified by its title" in response.content.decode()
    assert Project.objects.get().project_code == ""
