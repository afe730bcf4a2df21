"""The IATI export: /projects/iati.xml and /projects/<slug>/iati.xml (projects/iati.py).

Every document a test fetches is validated against the IATI Activity Standard 2.03 schema
(tests/projects/iati_schema/, or IOMCMS_IATI_SCHEMA_DIR).
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from lxml import etree

from iomcms.publishing import PublicationStatus
from projects import iati
from projects.filters import ProjectFilter
from projects.models import Project
from tests.factories import make_project, make_project_type, make_region

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NOW = datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC)
# The rows (one query, a database cursor); a region or type filter adds one lookup each to
# validate its slug, as on the list page.
IATI_QUERIES = 1


def schema_dir():
    folder = Path(
        os.environ.get("IOMCMS_IATI_SCHEMA_DIR") or Path(__file__).resolve().parent / "iati_schema"
    )
    if not (folder / "iati-activities-schema.xsd").is_file():
        pytest.fail(
            f"The IATI 2.03 schema is missing from {folder}: restore tests/projects/iati_schema/ "
            "(copies of ../shared/iati-schemas/) or set IOMCMS_IATI_SCHEMA_DIR to a folder "
            "holding iati-activities-schema.xsd, iati-common.xsd and xml.xsd."
        )
    return folder


@pytest.fixture(scope="session")
def schema():
    return etree.XMLSchema(etree.parse(str(schema_dir() / "iati-activities-schema.xsd")))


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def parse(response, schema, *, valid=True):
    """The document's root, checked against the schema (``valid=False``: an empty selection,
    which the schema cannot accept, since it asks for one activity at least)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(body(response))
    assert schema.validate(root) is valid, schema.error_log
    return root


def fetch(client, schema, url="/projects/iati.xml", **params):
    return parse(client.get(url, params), schema)


def activities(root):
    return {a.findtext("iati-identifier"): a for a in root.iter("iati-activity")}


def codes(root):
    """The project codes of the activities, sorted."""
    return sorted(
        a.findtext("iati-identifier").removeprefix("XM-DAC-47066-")
        for a in root.iter("iati-activity")
    )


# --- The document -------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_document_root_and_activity_fields(client, schema, settings):
    settings.IATI_REPORTING_ORG_REF = "XM-DAC-47066"
    project = make_project(
        title="Border community support",
        project_code="CE.0373",
        prima_id="CO10P0001",
        status="active",
        start="2017-03",
        end="2018",
        budget_usd=Decimal("100000.00"),
        coverage="national",
        benefiting_states=["CO"],
        description="<p>What the <b>project</b> does.</p><p>Second&nbsp;part.</p>",
    )
    root = fetch(client, schema)
    assert root.tag == "iati-activities"
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2026-06-15T12:00:00+00:00"
    (activity,) = root
    assert activity.get(XML_LANG) == "en"
    assert activity.get("default-currency") == "USD"
    assert activity.get("last-updated-datetime") == project.updated.isoformat(timespec="seconds")
    assert activity.findtext("iati-identifier") == "XM-DAC-47066-CE.0373"
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == ("XM-DAC-47066", "40")
    names = {n.get(XML_LANG): n.text for n in reporting.iter("narrative")}
    assert names["en"] == "International Organization for Migration"
    assert names["fr"] == "Organisation internationale pour les migrations"
    participating = activity.find("participating-org")
    assert (participating.get("ref"), participating.get("role")) == ("XM-DAC-47066", "4")
    assert activity.findtext("title/narrative") == "Border community support"
    description = activity.find("description")
    assert description.get("type") == "1"
    assert description.findtext("narrative") == "What the project does. Second part."
    other = activity.find("other-identifier")
    assert (other.get("ref"), other.get("type")) == ("CO10P0001", "A1")
    assert activity.find("activity-status").get("code") == "2"
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]
    assert dates == [("2", "2017-03-01"), ("3", "2018-12-31")]
    assert activity.find("activity-scope").get("code") == "4"
    country = activity.find("recipient-country")
    assert (country.get("code"), country.get("percentage")) == ("CO", "100.00")
    link = activity.find("document-link")
    assert link.get("url") == "http://testserver" + project.get_absolute_url()
    assert link.find("category").get("code") == "A12"


def test_reporting_org_is_a_setting(client, schema, settings):
    settings.IATI_REPORTING_ORG_REF = "XI-IATI-EXAMPLE"
    settings.IATI_REPORTING_ORG_TYPE = "21"
    make_project(project_code="AB 12/3&x")
    (activity,) = fetch(client, schema)
    # Spaces, "/" and "&" may not be in an identifier.
    assert activity.findtext("iati-identifier") == "XI-IATI-EXAMPLE-AB-12-3-x"
    assert activity.find("reporting-org").get("ref") == "XI-IATI-EXAMPLE"
    assert activity.find("reporting-org").get("type") == "21"


def test_project_without_code_is_identified_by_its_slug(client, schema):
    project = make_project(project_code="", title="Archive project")
    (activity,) = fetch(client, schema)
    assert activity.findtext("iati-identifier").endswith("-" + project.slug)


# --- Edge cases, each document valid ------------------------------------------------------------


def test_project_with_only_a_year(client, schema):
    make_project(start="", end="", year=2015, status="completed", budget_usd=Decimal("5000"))
    (activity,) = fetch(client, schema)
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]
    assert dates == [("2", "2015-01-01")]
    (budget,) = activity.iter("budget")
    assert budget.find("period-start").get("iso-date") == "2015-01-01"
    assert budget.find("period-end").get("iso-date") == "2015-12-31"
    assert budget.findtext("value") == "5000.00"


def test_project_without_budget_or_countries(client, schema):
    make_project(budget_usd=None, benefiting_states=[], coverage="national")
    (activity,) = fetch(client, schema)
    assert activity.find("budget") is None
    assert activity.find("recipient-country") is None
    assert activity.find("recipient-region") is None


def test_regional_and_global_projects_without_countries_name_a_region(client, schema):
    make_project(
        project_code="R.1",
        coverage="regional",
        benefiting_states=[],
        region=make_region("Middle East and North Africa"),
    )
    make_project(project_code="R.2", coverage="regional", benefiting_states=[], region=None)
    make_project(project_code="G.1", coverage="global", benefiting_states=[])
    found = activities(fetch(client, schema))
    mena = found["XM-DAC-47066-R.1"].find("recipient-region")
    assert (mena.get("code"), mena.get("vocabulary"), mena.get("percentage")) == ("589", "1", "100")
    assert found["XM-DAC-47066-R.1"].find("activity-scope").get("code") == "2"
    assert found["XM-DAC-47066-R.2"].find("recipient-region") is None
    assert found["XM-DAC-47066-G.1"].find("recipient-region").get("code") == "998"
    assert found["XM-DAC-47066-G.1"].find("activity-scope").get("code") == "1"


def test_several_countries_share_one_hundred_percent(client, schema):
    make_project(coverage="national", benefiting_states=["CO", "EC", "PE"])
    (activity,) = fetch(client, schema)
    shares = [(c.get("code"), c.get("percentage")) for c in activity.iter("recipient-country")]
    assert shares == [("CO", "33.34"), ("EC", "33.33"), ("PE", "33.33")]
    assert sum(Decimal(share) for _, share in shares) == 100
    assert activity.find("activity-scope").get("code") == "3"  # multi-national


@pytest.mark.parametrize("parts", range(1, 12))
def test_split_evenly_always_adds_up(parts):
    shares = iati.split_evenly(100, parts)
    assert sum(shares) == 100 and max(shares) - min(shares) <= Decimal("0.01")


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("status", "start", "end", "expected_status", "expected_dates"),
    [
        ("pipeline", "2027", "2029", "1", [("1", "2027-01-01"), ("3", "2029-12-31")]),
        ("active", "2025-02-10", "2027", "2", [("2", "2025-02-10"), ("3", "2027-12-31")]),
        ("active", "2026-09", "2027", "2", [("1", "2026-09-01"), ("3", "2027-12-31")]),
        ("completed", "2019", "2021-06", "4", [("2", "2019-01-01"), ("4", "2021-06-30")]),
        # "completed" but its end is ahead: the end stays planned (IATI: no actual date ahead).
        ("completed", "2025", "2026", "4", [("2", "2025-01-01"), ("3", "2026-12-31")]),
        ("suspended", "2020", "2030", "6", [("2", "2020-01-01"), ("3", "2030-12-31")]),
        ("cancelled", "2020", "2022", "5", [("1", "2020-01-01"), ("3", "2022-12-31")]),
        # No status: the dates say it.
        ("", "2010", "2012", "4", [("2", "2010-01-01"), ("4", "2012-12-31")]),
        ("", "2025", "2030", "2", [("2", "2025-01-01"), ("3", "2030-12-31")]),
        ("", "2028", "", "1", [("1", "2028-01-01")]),
    ],
)
def test_status_and_date_types(client, schema, status, start, end, expected_status, expected_dates):
    make_project(status=status, start=start, end=end, year=None)
    (activity,) = fetch(client, schema)
    assert activity.find("activity-status").get("code") == expected_status
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]
    assert dates == expected_dates


def test_multi_year_budget_is_cut_into_years_that_add_up(client, schema):
    make_project(start="2019-07", end="2021", budget_usd=Decimal("1000000.01"))
    (activity,) = fetch(client, schema)
    budgets = [
        (
            b.find("period-start").get("iso-date"),
            b.find("period-end").get("iso-date"),
            b.find("value").get("value-date"),
            b.find("value").get("currency"),
            Decimal(b.findtext("value")),
        )
        for b in activity.iter("budget")
    ]
    assert [row[:4] for row in budgets] == [
        ("2019-07-01", "2020-06-30", "2019-07-01", "USD"),
        ("2020-07-01", "2021-06-30", "2020-07-01", "USD"),
        ("2021-07-01", "2021-12-31", "2021-07-01", "USD"),
    ]
    assert sum(row[4] for row in budgets) == Decimal("1000000.01")
    # Pro rata by days: 366, 365 and 184 of 915 days.
    assert budgets[0][4] == Decimal("400000.00")


def test_non_ascii_and_control_characters(client, schema):
    make_project(
        title="Apoyo a comunidades fronterizas – Colombia y Ecuador «2017» 日本\x0b",
        description="<p>Ça va &amp; “quotes”</p>",
    )
    (activity,) = fetch(client, schema)
    assert (
        activity.findtext("title/narrative")
        == "Apoyo a comunidades fronterizas – Colombia y Ecuador «2017» 日本"
    )
    assert activity.findtext("description/narrative") == "Ça va & “quotes”"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_french_and_spanish_projects_carry_their_language(client, schema, language):
    make_project(language=language, title="Projet ou proyecto")
    (activity,) = fetch(client, schema, lang=language)
    assert activity.get(XML_LANG) == language
    for tag in ("title", "description"):
        assert activity.find(f"{tag}/narrative").get(XML_LANG) == language
    # The organisation's own name keeps its languages.
    assert activity.find("reporting-org/narrative").get(XML_LANG) == "en"
    assert f"/{language}/projects/" in activity.find("document-link").get("url")


def test_description_falls_back_to_summary_then_title(client, schema):
    make_project(project_code="D.1", description="", summary="The summary.")
    make_project(project_code="D.2", description="", summary="", title="Only a title")
    found = activities(fetch(client, schema))
    assert found["XM-DAC-47066-D.1"].findtext("description/narrative") == "The summary."
    assert found["XM-DAC-47066-D.2"].findtext("description/narrative") == "Only a title"


def test_project_without_any_date_is_left_out_and_counted(client, schema):
    make_project(project_code="N.1", start="", end="", year=None)
    make_project(project_code="N.2")
    root = fetch(client, schema)
    assert codes(root) == ["N.2"]
    assert (
        "<!-- 1 project was left out: it has no start"
        in body(client.get("/projects/iati.xml")).decode()
    )
    make_project(project_code="N.3", start="", end="", year=None, language="es")
    make_project(project_code="N.4", start="", end="", year=None, language="es")
    text = body(client.get("/es/projects/iati.xml")).decode()
    assert "<!-- 2 proyectos se omitieron: no tienen inicio" in text


def test_impossible_stored_dates_are_not_used(client, schema):
    project = make_project(project_code="X.1", year=2016)
    # Past the field's validator, as a raw write could store them.
    Project.objects.filter(pk=project.pk).update(start="2017-02-30", end="2018-13")
    (activity,) = fetch(client, schema)
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]
    assert dates == [("2", "2016-01-01")]  # the funding year stands for the start


def test_empty_selection_is_well_formed_with_no_activity(client, schema):
    make_project(benefiting_states=["CO"])
    response = client.get("/projects/iati.xml", {"country": "PE"})
    # The schema asks for one activity at least: an empty selection cannot satisfy it.
    root = parse(response, schema, valid=False)
    assert root.tag == "iati-activities" and len(root) == 0


# --- Public content only ------------------------------------------------------------------------


def test_only_published_projects_are_exported(client, schema):
    now = timezone.now()
    make_project(project_code="LIVE.1")
    draft = make_project(project_code="DRAFT.1", publication_status=PublicationStatus.DRAFT)
    scheduled = make_project(project_code="SCHED.1", go_live_at=now + datetime.timedelta(days=1))
    expired = make_project(project_code="EXP.1", expire_at=now - datetime.timedelta(days=1))
    for params in ({}, {"lang": "all"}, {"q": "Border"}, {"sort": "title"}):
        root = fetch(client, schema, **params)
        assert codes(root) == ["LIVE.1"] and activities(root).keys() == {"XM-DAC-47066-LIVE.1"}
    for hidden in (draft, scheduled, expired):
        response = client.get(f"/projects/{hidden.slug}/iati.xml")
        assert response.status_code == 404


def test_staff_get_no_preview_of_a_draft(admin_client):
    draft = make_project(publication_status=PublicationStatus.DRAFT)
    assert admin_client.get(f"/projects/{draft.slug}/iati.xml").status_code == 404
    content = body(admin_client.get("/projects/iati.xml")).decode()
    assert draft.project_code not in content


def test_one_project_document(client, schema):
    project = make_project(project_code="ONE.1", title="Only this one")
    make_project(project_code="OTHER.1")
    response = client.get(f"/projects/{project.slug}/iati.xml")
    root = parse(response, schema)
    assert codes(root) == ["ONE.1"]
    assert response["Content-Disposition"] == f'inline; filename="{project.slug}-iati.xml"'


# --- Filters: the list page's, bound the same way -----------------------------------------------


def test_filters_choose_the_same_projects_as_the_list_page(client, schema):
    """Each filter of ProjectFilter, through the page and the export: the same projects."""
    asia, africa = make_region("Asia and the Pacific"), make_region("West and Central Africa")
    health, labour = make_project_type("Health"), make_project_type("Labour")
    make_project(
        project_code="A.1",
        title="Water for Turkana",
        region=asia,
        project_type=health,
        status="active",
        coverage="national",
        year=2019,
        start="2019",
        benefiting_states=["KE"],
        budget_usd=Decimal("50000"),
    )
    make_project(
        project_code="A.2",
        title="Fair recruitment",
        region=africa,
        project_type=labour,
        status="completed",
        coverage="regional",
        year=2021,
        start="2021",
        benefiting_states=["NE", "ML"],
        budget_usd=Decimal("900000"),
    )
    make_project(project_code="A.3", language="fr", title="Projet en français")
    samples = {
        "q": "Turkana",
        "region": asia.slug,
        "country": "ml",
        "status": "completed",
        "type": labour.slug,
        "coverage": "regional",
        "year": "2019",
        "budget_min": "100000",
        "budget_max": "100000",
        "lang": "fr",
        "sort": "-budget",
    }
    assert set(samples) == set(ProjectFilter.base_filters), "a filter has no sample value"
    for name, value in samples.items():
        page = client.get("/projects/", {name: value})
        expected = [p.project_code for p in page.context["object_list"]]
        root = fetch(client, schema, **{name: value})
        got = [
            a.findtext("iati-identifier").removeprefix("XM-DAC-47066-")
            for a in root.iter("iati-activity")
        ]
        if name == "sort":
            assert got == expected == ["A.2", "A.1"]
        else:
            assert sorted(got) == sorted(expected) and got, name


def test_invalid_filters_are_ignored_and_said(client, schema):
    make_project(project_code="V.1", year=2017, budget_usd=Decimal("100"))
    response = client.get(
        "/projects/iati.xml",
        {"year": "abc", "country": "ZZ", "status": "active", "budget_min": "9", "budget_max": "1"},
    )
    root = parse(response, schema)
    assert codes(root) == ["V.1"]  # status=active applied, the rest left out
    assert response["X-Ignored-Filters"] == "country, year, budget_min"
    text = body(client.get("/projects/iati.xml", {"year": "abc", "country": "ZZ"})).decode()
    assert "<!-- Some filters could not be used and were ignored: -->" in text
    assert "<!-- Year: Enter a whole number. -->" in text
    assert "Benefiting country: Select a valid choice. ZZ is not one" in text


def test_ignored_message_is_translated_and_comment_safe(client, schema):
    make_project(language="fr")
    params = {"country": "Z--Z\x01-"}  # echoed by the message: "--" may not be in a comment
    text = body(client.get("/fr/projects/iati.xml", params)).decode()
    assert "Certains filtres n’ont pas pu être appliqués et ont été ignorés" in text
    assert "Z- -Z-" in text
    assert len(parse(client.get("/fr/projects/iati.xml", params), schema)) == 1


def test_file_name_says_what_was_filtered(client):
    make_project()
    response = client.get("/projects/iati.xml")
    assert response["Content-Disposition"] == 'inline; filename="projects-iati.xml"'
    response = client.get("/projects/iati.xml", {"country": "co", "year": "2017", "x": "1"})
    assert (
        response["Content-Disposition"]
        == 'inline; filename="projects-iati-country-co-year-2017.xml"'
    )
    assert "X-Ignored-Filters" not in response


def test_only_get_and_head(client):
    make_project()
    assert client.post("/projects/iati.xml").status_code == 405
    head = client.head("/projects/iati.xml")
    assert head.status_code == 200 and body(head) == b""


# --- Cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_query_count_is_constant(client, schema, django_assert_num_queries, count):
    region, project_type = make_region("Asia"), make_project_type("Health")
    for _ in range(count):
        make_project(region=region, project_type=project_type, coverage="regional")
    with django_assert_num_queries(IATI_QUERIES):
        root = parse(client.get("/projects/iati.xml"), schema)
    assert len(root) == count
    with django_assert_num_queries(IATI_QUERIES + 2):
        root = parse(client.get("/projects/iati.xml", {"region": "asia", "type": "health"}), schema)
    assert len(root) == count
    project = Project.objects.first()
    with django_assert_num_queries(1):
        parse(client.get(f"/projects/{project.slug}/iati.xml"), schema)


def test_document_is_streamed_in_chunks(client, schema, monkeypatch):
    monkeypatch.setattr(iati, "CHUNK_BYTES", 2000)
    for _ in range(12):
        make_project()
    response = client.get("/projects/iati.xml")
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 3
    root = etree.fromstring(b"".join(chunks))
    assert schema.validate(root) and len(root) == 12


# --- The demo content ---------------------------------------------------------------------------


def test_demo_projects_validate(client, schema):
    call_command(
        "import_legacy",
        str(ROOT / "demo" / "legacy"),
        manifest=str(ROOT / "demo" / "manifest.csv"),
        verbosity=0,
    )
    public = list(Project.objects.published())
    assert len(public) == 10
    root = fetch(client, schema, lang="all")
    assert len(root) == len(public)
    for project in public:
        (activity,) = fetch(client, schema, url=f"/projects/{project.slug}/iati.xml")
        shares = [Decimal(c.get("percentage")) for c in activity.iter("recipient-country")]
        assert not shares or sum(shares) == 100
        assert activity.findtext("title/narrative") == project.title
