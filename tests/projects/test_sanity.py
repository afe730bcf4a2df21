"""Budget sanity warnings on the project change form (projects/sanity.py)."""

from decimal import Decimal

import pytest
from django.contrib import messages
from django.urls import reverse
from django.utils import translation

from iomcms.publishing import PublicationStatus
from projects import sanity
from projects.models import Project
from tests.factories import bulk_projects, make_project, make_project_type, make_region
from tests.test_history import form_data

pytestmark = pytest.mark.django_db


def published_budgets(amounts, **overrides):
    """Published projects of the default type and region with these budgets."""
    projects = bulk_projects(len(amounts), **overrides)
    for project, amount in zip(projects, amounts, strict=True):
        project.budget_usd = Decimal(amount)
    Project.objects.bulk_update(projects, ["budget_usd"])
    return projects


@pytest.fixture
def ten():
    """Budgets 100, 200 ... 1000: P1 = 100 (rank 1), median = 500 (rank 5), P99 = 1000
    (rank 10); the usual range is min(100, 50) = 50 to max(1000, 5000) = 5000."""
    return published_budgets([100 * n for n in range(1, 11)])


# -- the rule, by hand -------------------------------------------------------------------------


def test_ten_budgets(ten):
    found = sanity.compute_usual_range(ten[0].project_type_id, ten[0].region_id)
    assert found == sanity.UsualRange(10, Decimal(100), Decimal(500), Decimal(1000))
    assert (found.lower, found.upper) == (Decimal(50), Decimal(5000))
    assert found.holds(Decimal(50)) and found.holds(Decimal(5000))
    assert not found.holds(Decimal("49.99")) and not found.holds(Decimal("5000.01"))


def test_two_hundred_budgets_where_the_percentiles_decide():
    # 1000, 2000 ... 200000: P1 at rank ceil(2) = 2 -> 2000; median at rank 100 -> 100000;
    # P99 at rank ceil(198) = 198 -> 198000. Range: min(2000, 10000) = 2000 to
    # max(198000, 1000000) = 1000000.
    projects = published_budgets([1000 * n for n in range(1, 201)])
    found = sanity.compute_usual_range(projects[0].project_type_id, projects[0].region_id)
    assert found == sanity.UsualRange(200, Decimal(2000), Decimal(100000), Decimal(198000))
    assert (found.lower, found.upper) == (Decimal(2000), Decimal(1000000))


def test_an_odd_count_and_equal_budgets():
    # 11 budgets: P1 rank ceil(0.11) = 1, median rank ceil(5.5) = 6, P99 rank ceil(10.89) = 11.
    projects = published_budgets([7, 7, 7, 7, 7, 9, 9, 9, 9, 9, 30])
    found = sanity.compute_usual_range(projects[0].project_type_id, projects[0].region_id)
    assert found == sanity.UsualRange(11, Decimal(7), Decimal(9), Decimal(30))


def test_only_published_projects_of_the_same_type_and_region_count(ten):
    bulk_projects(5, budget_usd=Decimal(10**9), publication_status=PublicationStatus.DRAFT)
    bulk_projects(5, budget_usd=Decimal(10**9), region=make_region("Oceania"))
    bulk_projects(5, budget_usd=Decimal(10**9), project_type=make_project_type("Health"))
    bulk_projects(5, budget_usd=None)
    found = sanity.compute_usual_range(ten[0].project_type_id, ten[0].region_id)
    assert found.count == 10 and found.high == Decimal(1000)


def test_too_few_budgets_give_no_range():
    projects = published_budgets([100] * (sanity.MIN_SAMPLE - 1))
    assert sanity.compute_usual_range(projects[0].project_type_id, projects[0].region_id) is None
    assert sanity.compute_usual_range(999, 999) is None


def test_one_query_then_the_cache(ten, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = sanity.usual_range(ten[0].project_type_id, ten[0].region_id)
    with django_assert_num_queries(0):
        assert sanity.usual_range(ten[0].project_type_id, ten[0].region_id) == first
    with django_assert_num_queries(1):
        assert sanity.usual_range(999, 999) is None
    with django_assert_num_queries(0):
        assert sanity.usual_range(999, 999) is None


def test_warnings_are_translated(ten):
    project = make_project(
        year=2010, start="2017", budget_usd=Decimal(10**6), publication_status="draft"
    )
    with translation.override("fr"):
        french = sanity.warnings(project)
    with translation.override("es"):
        spanish = sanity.warnings(project)
    assert french[0].startswith("L’année de financement 2010")
    assert "en dehors de la fourchette habituelle" in french[1]
    assert spanish[0].startswith("El año de financiación 2010")
    assert "muy fuera del rango habitual" in spanish[1]


# -- through the admin -------------------------------------------------------------------------


def save(client, project, **changes):
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = form_data(client.get(url))
    data.update({name: str(value) for name, value in changes.items()})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain, "the form did not save"
    warned = [
        str(m).replace("\xa0", " ")  # the amount and its currency never split (i18n.money)
        for m in response.context["messages"]
        if m.level == messages.WARNING
    ]
    return warned, Project.objects.get(pk=project.pk)


@pytest.fixture
def draft(ten):
    """A draft of the same type and region (not among the published budgets)."""
    return make_project(
        publication_status=PublicationStatus.DRAFT,
        project_type=ten[0].project_type,
        region=ten[0].region,
        start="2017",
        end="2019-06",
        year=2018,
        budget_usd=Decimal(500),
    )


def test_sane_data_gives_no_warning(staff_client, draft):
    warned, saved = save(staff_client, draft, budget_usd="5000.00", year=2019)
    assert warned == []
    assert saved.budget_usd == Decimal(5000)


def test_a_budget_far_above_warns_and_saves(staff_client, draft):
    warned, saved = save(staff_client, draft, budget_usd="5000.01")
    assert saved.budget_usd == Decimal("5000.01")
    assert warned == [
        "The budget USD 5,000.01 is far outside the usual range of published projects of this "
        "type in this region (USD 50 to USD 5,000; median USD 500, 10 projects). Please check "
        "the amount."
    ]


def test_a_budget_far_below_warns(staff_client, draft):
    warned, saved = save(staff_client, draft, budget_usd="49")
    assert saved.budget_usd == Decimal(49)
    assert len(warned) == 1 and warned[0].startswith("The budget USD 49.00 is far outside")


def test_a_year_before_the_start_warns(staff_client, draft):
    warned, saved = save(staff_client, draft, year=2016)
    assert saved.year == 2016
    assert warned == ["The funding year 2016 is before the project's start (2017)."]


def test_a_year_after_the_end_warns(staff_client, draft):
    warned, _ = save(staff_client, draft, year=2020)
    assert warned == ["The funding year 2020 is after the project's end (2019-06)."]


def test_no_budget_rule_without_enough_projects_or_a_type(staff_client):
    project = make_project(budget_usd=Decimal(10**9))
    warned, _ = save(staff_client, project)
    assert warned == []
    published_budgets([100] * 10)
    warned, _ = save(staff_client, project, project_type="")
    assert warned == []


def test_an_end_before_the_start_stays_an_error(staff_client, draft):
    url = reverse("admin:projects_project_change", args=[draft.pk])
    data = form_data(staff_client.get(url))
    data["end"] = "2016"
    response = staff_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "The end comes before the start." in response.content.decode()
