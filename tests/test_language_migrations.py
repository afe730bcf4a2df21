"""The data migrations of the three-language work: languages recorded at import (news 0011,
projects 0013) and the French and Spanish names of regions and project types (projects 0012).
Their functions run here with the project's models, as the migrations run them."""

import importlib
import uuid

import pytest
from django.apps import apps

from iomcms.languages import languages_from_metadata
from news.models import NewsItem
from projects.models import ProjectType, Region
from tests.factories import make_news_item, make_project

pytestmark = pytest.mark.django_db


def migration(name):
    return importlib.import_module(name)


def test_news_and_projects_take_the_language_their_import_recorded(django_assert_num_queries):
    french = make_news_item(raw_metadata={"language": "fr", "original_url": "http://x/fr/1"})
    spanish = make_news_item(raw_metadata={"language": " ES "})  # as typed in a manifest
    english = make_news_item(raw_metadata={"language": "en"})
    unknown = make_news_item(raw_metadata={"language": "de"})
    bad = make_news_item(raw_metadata={"language": 3})
    none = make_news_item(raw_metadata={})
    chosen = make_news_item(language="es", raw_metadata={"language": "fr"})  # set since: kept
    project = make_project(raw_metadata={"Project Type": "Migration Health", "language": "fr"})

    migration("news.migrations.0011_language_from_metadata").forwards(apps, None)
    migration("projects.migrations.0013_language_from_metadata").forwards(apps, None)

    languages = dict(NewsItem.objects.values_list("pk", "language"))
    assert languages == {
        french.pk: "fr", spanish.pk: "es", english.pk: "en", unknown.pk: "en", bad.pk: "en",
        none.pk: "en", chosen.pk: "es",
    }  # fmt: skip
    project.refresh_from_db()
    assert project.language == "fr"
    # Run again: nothing left to change.
    assert languages_from_metadata(NewsItem) == 0


def test_batches_and_groups_that_already_hold_the_language():
    group = uuid.uuid4()
    make_news_item(language="fr", translation_group=group)
    clash = make_news_item(translation_group=group, raw_metadata={"language": "fr"})
    items = [make_news_item(raw_metadata={"language": "es"}) for _ in range(5)]
    assert languages_from_metadata(NewsItem, batch_size=2) == 5
    clash.refresh_from_db()
    assert clash.language == "en"  # the group's French version exists: left for staff
    assert {item.language for item in NewsItem.objects.filter(pk__in=[i.pk for i in items])} == {
        "es"
    }


def test_both_language_migrations_are_reversible_as_no_ops():
    for name in (
        "news.migrations.0011_language_from_metadata",
        "projects.migrations.0013_language_from_metadata",
        "projects.migrations.0012_named_list_translations",
    ):
        module = migration(name)
        assert module.Migration.operations[0].reversible, name
    assert not migration("news.migrations.0011_language_from_metadata").Migration.atomic


def test_region_and_type_names_are_filled_and_french_duplicates_folded_in():
    english = Region.objects.create(name="West and Central Africa")
    french = Region.objects.create(name="Afrique de l'Ouest et du Centre")
    spanish_only = Region.objects.create(name="América del Sur")  # no English entry
    kept = Region.objects.create(name="Asia and the Pacific", name_fr="Asie-Pacifique")
    mine = Region.objects.create(name="Somewhere else")
    kind = ProjectType.objects.create(name="counter-trafficking")  # case ignored
    on_french = make_project(region=french)

    migration("projects.migrations.0012_named_list_translations").fill_names(apps, None)

    english.refresh_from_db()
    assert (english.name_fr, english.name_es) == (
        "Afrique de l'Ouest et du Centre",
        "África Occidental y Central",
    )
    assert not Region.objects.filter(pk=french.pk).exists()
    on_french.refresh_from_db()
    assert on_french.region == english
    spanish_only.refresh_from_db()
    assert (spanish_only.name, spanish_only.name_es, spanish_only.slug) == (
        "South America", "América del Sur", "america-del-sur",
    )  # fmt: skip
    kept.refresh_from_db()
    assert (kept.name_fr, kept.name_es) == ("Asie-Pacifique", "Asia y el Pacífico")
    mine.refresh_from_db()
    assert (mine.name_fr, mine.name_es) == ("", "")
    kind.refresh_from_db()
    assert kind.name_fr == "Lutte contre la traite des personnes"


def test_the_migrations_names_are_the_importers():
    """The migration froze the importer's table: the same names for the same entries."""
    from legacy.parsing.project import _TRANSLATED_NAMES

    frozen = migration("projects.migrations.0012_named_list_translations").NAMES
    assert frozen == _TRANSLATED_NAMES
