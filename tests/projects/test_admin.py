from decimal import Decimal

import pytest

from iomcms.publishing import PublicationStatus
from projects.models import Project, ProjectType, Region
from tests.factories import (
    bulk_named,
    bulk_projects,
    inline_management,
    make_project,
    make_project_type,
    make_region,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/projects/project/"
DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED

# Pinned (same on SQLite and PostgreSQL): session, user, the type and region filters' choices,
# the year filter's first and last years (one query), the COUNT (no full count), the page of
# rows (type and region joined). The country filter lists every country without a query.
PROJECT_CHANGELIST_QUERIES = 7
# Session, user, filtered COUNT, full COUNT, the page of rows.
NAMED_LIST_CHANGELIST_QUERIES = 5


def results(response):
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize("model", ["project", "projecttype", "region"])
def test_changelists_and_forms_load(staff_client, model):
    project = make_project(title="Loaded project", raw_metadata={"Donor": "<b>ECHO</b>"})
    obj = {"project": project, "projecttype": project.project_type, "region": project.region}
    base = f"/admin/projects/{model}/"
    changelist = staff_client.get(base)
    assert changelist.status_code == 200
    assert str(obj[model]) in changelist.content.decode()
    assert staff_client.get(f"{base}add/").status_code == 200
    change = staff_client.get(f"{base}{obj[model].pk}/change/")
    assert change.status_code == 200
    if model == "project":
        content = change.content.decode()
        # The legacy metadata is shown, escaped.
        assert "&quot;Donor&quot;: &quot;&lt;b&gt;ECHO&lt;/b&gt;&quot;" in content
        assert "<b>ECHO</b>" not in content


def test_changelist_search(staff_client):
    by_code = make_project(project_code="LM.0042", title="One")
    by_title = make_project(title="Labour mobility corridor")
    by_prima = make_project(title="Three", prima_id="PX77")
    assert results(staff_client.get(CHANGELIST, {"q": "LM.0042"})) == {by_code}
    assert results(staff_client.get(CHANGELIST, {"q": "mobility"})) == {by_title}
    assert results(staff_client.get(CHANGELIST, {"q": "px77"})) == {by_prima}


@pytest.mark.parametrize("model", [ProjectType, Region])
def test_named_list_search(staff_client, model):
    wanted = model.objects.create(name="Migration Health")
    model.objects.create(name="Labour Migration")
    url = f"/admin/projects/{model._meta.model_name}/"
    assert results(staff_client.get(url, {"q": "health"})) == {wanted}


def test_list_filters(staff_client):
    asia, africa = make_region("Asia"), make_region("Africa")
    health, labour = make_project_type("Health"), make_project_type("Labour")
    a = make_project(status="active", coverage="national", year=2015, region=asia,
                     project_type=health, featured=True, publication_status=DRAFT,
                     benefiting_states=["AF", "PK"])  # fmt: skip
    b = make_project(status="completed", coverage="regional", year=2016, region=africa,
                     project_type=labour, featured=False, benefiting_states=["KE"])  # fmt: skip
    c = make_project(status="completed", coverage="global", year=None, region=None,
                     project_type=None, benefiting_states=["PK"])  # fmt: skip
    cases = [
        ({"publication_status__exact": "draft"}, {a}),
        ({"publication_status__exact": "published"}, {b, c}),
        ({"status__exact": "completed"}, {b, c}),
        ({"project_type__id__exact": str(health.pk)}, {a}),
        ({"project_type__isnull": "True"}, {c}),
        ({"region__id__exact": str(africa.pk)}, {b}),
        ({"coverage__exact": "regional"}, {b}),
        ({"year": "2016"}, {b}),
        ({"year__isnull": "True"}, {c}),
        ({"featured__exact": "1"}, {a}),
        ({"benefiting_states__contains": "PK"}, {a, c}),
        ({"benefiting_states__contains": "KE"}, {b}),
        ({"status__exact": "completed", "coverage__exact": "global"}, {c}),
    ]
    for params, expected in cases:
        assert results(staff_client.get(CHANGELIST, params)) == expected, params


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_bulk_publish_and_unpublish(staff_client, action):
    start, target = (DRAFT, PUBLISHED) if action == "publish" else (PUBLISHED, DRAFT)
    chosen = [make_project(publication_status=start) for _ in range(3)]
    other = make_project(publication_status=start)
    response = staff_client.post(
        CHANGELIST, {"action": action, "_selected_action": [p.pk for p in chosen]}
    )
    assert response.status_code == 302
    assert set(Project.objects.filter(publication_status=target)) == set(chosen)
    other.refresh_from_db()
    assert other.publication_status == start


def project_data(**overrides):
    data = {
        "title": "Added in the admin",
        "slug": "added-in-the-admin",
        "language": "en",
        "project_code": "AD.0001",
        "prima_id": "",
        "publication_status": "published",
        "status": "active",
        "project_type": str(make_project_type().pk),
        "start": "2017-03-01",
        "end": "2017",
        "year": "2017",
        "budget_usd": "2500.50",
        "coverage": "national",
        "region": str(make_region().pk),
        "benefiting_states": ["CO", "VE"],
        "summary": "Summary.",
        "description": '<p onclick="x()">Described</p>',
        "_save": "Save",
        **inline_management("news_links"),
    }
    data.update(overrides)
    return data


def test_add_form_saves_a_project(staff_client):
    response = staff_client.post(f"{CHANGELIST}add/", project_data())
    assert response.status_code == 302, response.context["errors"]
    project = Project.objects.get(project_code="AD.0001")
    assert (project.start, project.end, project.budget_usd) == ("2017-03-01", "2017",
                                                                Decimal("2500.50"))  # fmt: skip
    assert project.description == "<p>Described</p>"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"end": "2016-12"}, "end"), ({"start": "2017-02-30"}, "start"), ({"year": "1900"}, None),
     ({"budget_usd": "-1"}, None)],
)  # fmt: skip
def test_add_form_rejects_bad_facts(staff_client, overrides, field):
    response = staff_client.post(f"{CHANGELIST}add/", project_data(**overrides))
    assert response.status_code == 200  # the form again, with errors
    form = response.context["adminform"].form
    assert form.errors
    if field:
        assert field in form.errors
    assert not Project.objects.exists()


@pytest.mark.parametrize("params", [{}, {"status__exact": "completed", "q": "bulk"}])
def test_project_changelist_query_count_is_constant(
    staff_client, django_assert_num_queries, params
):
    bulk_projects(5)
    staff_client.get(CHANGELIST, params)  # warm the per-process caches
    with django_assert_num_queries(PROJECT_CHANGELIST_QUERIES):
        response = staff_client.get(CHANGELIST, params)
    assert len(response.context["cl"].result_list) == 5
    bulk_projects(100)
    bulk_projects(95, region=make_region("Other region"), project_type=make_project_type("X"))
    with django_assert_num_queries(PROJECT_CHANGELIST_QUERIES):
        response = staff_client.get(CHANGELIST, params)
    assert response.context["cl"].result_count == 200
    assert len(response.context["cl"].result_list) == 50


@pytest.mark.parametrize("model", [ProjectType, Region])
def test_named_list_changelist_query_count_is_constant(
    staff_client, django_assert_num_queries, model
):
    url = f"/admin/projects/{model._meta.model_name}/"
    bulk_named(model, 5, "Row")
    staff_client.get(url)
    with django_assert_num_queries(NAMED_LIST_CHANGELIST_QUERIES):
        response = staff_client.get(url)
    assert len(response.context["cl"].result_list) == 5
    bulk_named(model, 195, "Row")
    with django_assert_num_queries(NAMED_LIST_CHANGELIST_QUERIES):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 200


def test_autocomplete_for_region_and_type(staff_client):
    make_region("Southern Africa")
    wanted = make_region("South America")
    make_project_type("South-South cooperation")
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "projects", "model_name": "project", "field_name": "region",
         "term": "america"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(wanted.pk), "text": "South America"}]


@pytest.mark.parametrize("model", [ProjectType, Region])
def test_named_list_names_in_french_and_spanish_are_edited_and_searched(
    staff_client, model, django_assert_num_queries
):
    url = f"/admin/projects/{model._meta.model_name}/"
    response = staff_client.post(
        f"{url}add/",
        {"name": "Migration Health", "name_fr": "Migration et santé", "name_es": "",
         "slug": "migration-health"},
    )  # fmt: skip
    assert response.status_code == 302
    entry = model.objects.get()
    assert (entry.name_fr, entry.name_es) == ("Migration et santé", "")
    with django_assert_num_queries(NAMED_LIST_CHANGELIST_QUERIES):
        content = staff_client.get(url).content.decode()
    assert "Migration et santé" in content and "column-name_es" in content
    assert results(staff_client.get(url, {"q": "santé"})) == {entry}
    form = staff_client.get(f"{url}{entry.pk}/change/").content.decode()
    assert 'name="name_fr"' in form and "leave empty to show the English name" in form


def test_project_changelist_names_regions_in_the_admins_language(staff_client):
    region = make_region("West and Central Africa")
    region.name_fr = "Afrique de l'Ouest et du Centre"
    region.save()
    make_project(region=region)
    french = staff_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Afrique de l&#x27;Ouest et du Centre" in french
    english = staff_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "West and Central Africa" in english


def test_admin_search_by_code_finds_every_language_of_the_project(staff_client):
    english = make_project(project_code="LM.0077", title="Labour mobility")
    french = make_project(
        project_code="LM.0077", title="Mobilité de la main-d'œuvre", language="fr"
    )
    make_project(project_code="LM.0078")
    assert results(staff_client.get(CHANGELIST, {"q": "LM.0077"})) == {english, french}
