"""The content-language rule (iomcms/languages.py): one item per language in a group, and
only live translations announced."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from iomcms.publishing import PublicationStatus
from tests.factories import make_news_item, make_project

pytestmark = pytest.mark.django_db


def test_a_new_item_is_english_and_alone():
    item = make_news_item()
    assert item.language == "en"
    assert item.translation_group is None
    assert list(item.translations()) == []


def test_linking_puts_both_in_one_group_and_leaves_other_fields_alone():
    english = make_news_item(title="Floods in the north")
    french = make_news_item(title="Inondations dans le nord", language="fr")
    spanish = make_news_item(title="Inundaciones en el norte", language="es")
    english.link_translation(french)
    french.link_translation(spanish)
    for item in (english, french, spanish):
        item.refresh_from_db()
    assert english.translation_group == french.translation_group == spanish.translation_group
    assert [t.language for t in english.translations()] == ["es", "fr"]
    assert french.title == "Inondations dans le nord"


def test_a_group_holds_one_item_per_language():
    english = make_project()
    french = make_project(language="fr")
    english.link_translation(french)
    other_french = make_project(language="fr")
    other_french.translation_group = english.translation_group
    with pytest.raises(IntegrityError), transaction.atomic():
        other_french.save()
    with pytest.raises(ValueError):
        english.link_translation(make_project(language="en"))


def test_only_live_translations_are_public():
    english = make_news_item()
    scheduled = make_news_item(
        language="fr", go_live_at=timezone.now() + datetime.timedelta(hours=1)
    )
    draft = make_news_item(language="es", publication_status=PublicationStatus.DRAFT)
    english.link_translation(scheduled)
    english.link_translation(draft)
    assert [t.language for t in english.translations()] == ["es", "fr"]
    assert list(english.public_translations()) == []
    scheduled.go_live_at = timezone.now() - datetime.timedelta(seconds=1)
    scheduled.save()
    assert [t.pk for t in english.public_translations()] == [scheduled.pk]
