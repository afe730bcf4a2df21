import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from iomcms.publishing import PublicationStatus, WorkflowState
from projects.models import Project, ProjectType, Region
from tests.factories import make_project, make_project_type, make_region

pytestmark = pytest.mark.django_db


def unsaved_project(**overrides):
    """A valid, unsaved project (its region and type are saved)."""
    fields = {
        "title": "Return and reintegration",
        "slug": "return-and-reintegration",
        "project_code": "RR.0001",
        "start": "2017",
        "end": "2018",
        "year": 2017,
        "budget_usd": Decimal("1000.00"),
        "region": make_region(),
        "project_type": make_project_type(),
    }
    fields.update(overrides)
    return Project(**fields)


def error_fields(project):
    with pytest.raises(ValidationError) as excinfo:
        project.full_clean()
    return excinfo.value.message_dict


def test_str_and_absolute_url():
    project = make_project(project_code="CE.0373", title="Border communities")
    assert str(project) == "CE.0373 – Border communities"
    assert project.slug == "ce0373-border-communities"
    assert project.get_absolute_url() == "/projects/ce0373-border-communities/"


def test_str_without_code_is_the_title():
    assert str(Project(title="Untitled project")) == "Untitled project"


def test_named_lists_str_slug_and_order():
    region = Region.objects.create(name="West and Central Africa")
    other = Region.objects.create(name="Asia and the Pacific")
    assert str(region) == "West and Central Africa"
    assert region.slug == "west-and-central-africa"
    assert list(Region.objects.all()) == [other, region]
    kind = ProjectType.objects.create(name="Labour Migration")
    assert (str(kind), kind.slug) == ("Labour Migration", "labour-migration")


def test_ordering_newest_year_first_then_title():
    b_2017 = make_project(year=2017, title="B")
    a_2017 = make_project(year=2017, title="A")
    c_2019 = make_project(year=2019, title="C")
    assert list(Project.objects.all()) == [c_2019, a_2017, b_2017]


def test_published_excludes_drafts():
    published = make_project()
    draft = make_project(publication_status=PublicationStatus.DRAFT)
    assert list(Project.objects.published()) == [published]
    assert list(Project.objects.in_state(WorkflowState.DRAFT)) == [draft]


def test_slug_is_generated_and_unique():
    first = make_project(project_code="ES.1", title="Emergency shelter")
    second = make_project(project_code="ES1", title="Emergency  shelter")
    assert (first.slug, second.slug) == ("es1-emergency-shelter", "es1-emergency-shelter-2")


def test_project_code_is_unique_in_each_language():
    make_project(project_code="CE.0001")
    errors = error_fields(unsaved_project(project_code="CE.0001"))
    assert errors["__all__"] == [
        "A project with this project code already exists in this language."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(project_code="CE.0001")


def test_translations_share_the_project_code():
    make_project(project_code="CE.0001")
    unsaved_project(project_code="CE.0001", language="fr").full_clean()
    french = make_project(project_code="CE.0001", language="fr")
    assert french.project_code == "CE.0001"
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(project_code="CE.0001", language="fr")


def test_for_code_prefers_the_readers_language_else_the_original():
    spanish = make_project(project_code="CE.0002", language="es", title="Retorno")
    english = make_project(project_code="CE.0002", title="Return")
    spanish.link_translation(english)
    assert Project.objects.for_code("CE.0002", "es") == spanish
    assert Project.objects.for_code("CE.0002", "fr") == english  # no French: the original
    with translation.override("es"):
        assert Project.objects.for_code("CE.0002") == spanish
    assert Project.objects.for_code("XX.9") is None
    assert Project.objects.for_code("") is None


def test_valid_project_passes_full_clean():
    unsaved_project().full_clean()


@pytest.mark.parametrize("budget", [Decimal("-0.01"), Decimal("-5")])
def test_budget_cannot_be_negative(budget):
    assert "__all__" in error_fields(unsaved_project(budget_usd=budget))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(budget_usd=budget)


def test_zero_and_missing_budget_are_allowed():
    unsaved_project(budget_usd=Decimal("0")).full_clean()
    unsaved_project(budget_usd=None).full_clean()
    make_project(budget_usd=Decimal("0"))
    make_project(budget_usd=None)


@pytest.mark.parametrize("year", [1949, 2101, 20170])
def test_year_must_be_plausible(year):
    assert error_fields(unsaved_project(year=year))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(year=year)


@pytest.mark.parametrize("year", [1950, 2100, None])
def test_plausible_years_are_allowed(year):
    unsaved_project(year=year).full_clean()


@pytest.mark.parametrize("value", ["2017", "2017-03", "2017-03-01", "2016-02-29", ""])
def test_partial_dates_accepted(value):
    unsaved_project(start=value, end="").full_clean()
    unsaved_project(start="", end=value).full_clean()


@pytest.mark.parametrize(
    "value",
    ["2017-13", "17", "2017-02-30", "2017-3", "2017-03-1", "2017/03/01", "03-2017", "2017-00",
     "2017-03-00", "0000", "2017-04-31", "2017-03-01T00:00", " 2017", "year"],
)  # fmt: skip
def test_partial_dates_rejected(value):
    assert "start" in error_fields(unsaved_project(start=value, end=""))
    assert "end" in error_fields(unsaved_project(start="", end=value))


@pytest.mark.parametrize("value", ["17", "2017-3", "2017-03-1"])
def test_partial_date_length_is_also_checked_by_the_database(value):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(start=value, end="")


@pytest.mark.parametrize(
    ("start", "end"),
    [("2018", "2017"), ("2017-03", "2017-02"), ("2017-03-01", "2017-02"),
     ("2017-03-02", "2017-03-01"), ("2017-03-01", "2016")],
)  # fmt: skip
def test_end_before_start_is_rejected(start, end):
    project = unsaved_project(start=start, end=end)
    with pytest.raises(ValidationError) as excinfo:
        project.clean()
    assert "end" in excinfo.value.message_dict
    assert "end" in error_fields(project)


@pytest.mark.parametrize(
    ("start", "end"),
    [("2017-03-01", "2017"), ("2017-03-01", "2017-03"), ("2017", "2017-01-01"),
     ("2017-03-01", "2017-03-01"), ("2017", "2018-06"), ("", "2010"), ("2030", "")],
)  # fmt: skip
def test_end_not_before_start_is_allowed(start, end):
    project = unsaved_project(start=start, end=end)
    project.clean()
    project.full_clean()


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hi</p><script>alert(1)</script>", "<p>Hi</p>"),
        ('<p onmouseover="x()">Hi</p>', "<p>Hi</p>"),
        ('<a href="javascript:void(0)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ("<ul><li><strong>kept</strong></li></ul>", "<ul><li><strong>kept</strong></li></ul>"),
    ],
)
def test_description_is_sanitized_on_save(dirty, clean):
    project = make_project(description=dirty)
    project.refresh_from_db()
    assert project.description == clean


def test_named_lists_show_the_readers_language_else_english():
    region = Region.objects.create(
        name="West and Central Africa",
        name_fr="Afrique de l'Ouest et du Centre",
        name_es="África Occidental y Central",
    )
    kind = ProjectType.objects.create(name="Labour Migration", name_fr="Migration de travail")
    with translation.override("fr"):
        assert str(region) == region.localized_name == "Afrique de l'Ouest et du Centre"
        assert str(kind) == "Migration de travail"
    with translation.override("es"):
        assert str(region) == "África Occidental y Central"
        assert str(kind) == "Labour Migration"  # blank: the English name
    with translation.override("fr-ca"):
        assert str(region) == "Afrique de l'Ouest et du Centre"
    assert str(region) == "West and Central Africa"
    assert region.slug == "west-and-central-africa"  # from the English name, in every language


# -- slugs that are the address of another page ------------------------------------------------


def test_a_generated_slug_never_takes_a_reserved_address(client):
    project = make_project(title="Statistics", project_code="")
    assert project.slug == "statistics-2"
    assert client.get("/projects/statistics/").context["stats"].count == 1
    assert client.get(project.get_absolute_url()).status_code == 200


def test_a_typed_reserved_slug_is_refused_with_a_message():
    project = make_project(title="Anything")
    project.slug = "statistics"
    with pytest.raises(ValidationError) as raised:
        project.full_clean()
    assert "is the address of another page" in str(raised.value.message_dict["slug"])


def test_a_projects_expiry_must_come_after_its_go_live_time():
    now = timezone.now()
    project = make_project(title="Timed")
    project.go_live_at, project.expire_at = now, now - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as raised:
        project.full_clean()
    assert "expire_at" in raised.value.message_dict


def test_the_importer_never_hands_out_a_reserved_slug():
    from legacy.slugs import SlugReservations

    assert SlugReservations().take(Project, "Statistics", "project") == "statistics-2"
