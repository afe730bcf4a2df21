"""Translations in the admin (iomcms/admin_translations.py): the language field and filters,
the "Translations" box, and the drafts made by "Translate into ..." (never published; an
Editor may make them)."""

import datetime
import re

import pytest
from django.utils import timezone

from iomcms.publishing import PublicationStatus
from news.models import NewsItem
from projects.models import Project
from tests.factories import bulk_news_items, make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

NEWS = "/admin/news/newsitem/"
PROJECTS = "/admin/projects/project/"
DRAFT = PublicationStatus.DRAFT


def change_url(item):
    meta = item._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{item.pk}/change/"


def results(response):
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- Fields and filters ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [NEWS, PROJECTS])
def test_the_language_is_on_the_forms_and_in_the_list(staff_client, url):
    make_news_item(), make_project()
    content = staff_client.get(f"{url}add/").content.decode()
    assert 'name="language"' in content
    assert '<option value="fr">Français</option>' in content
    content = staff_client.get(url).content.decode()
    assert "field-language" in content and "?language__exact=es" in content


def test_the_language_filter(staff_client):
    make_news_item(title="Floods", language="en")
    make_news_item(title="Inondations", language="fr")
    assert results(staff_client.get(NEWS, {"language__exact": "fr"})) == {"Inondations"}


def test_the_missing_translation_filter(staff_client):
    english, french = (
        make_news_item(title="Floods"),
        make_news_item(title="Inondations", language="fr"),
    )
    english.link_translation(french)
    make_news_item(title="Drought")  # alone
    make_news_item(title="Sequía", language="es")
    assert results(staff_client.get(NEWS, {"missing": "fr"})) == {"Drought", "Sequía"}
    assert results(staff_client.get(NEWS, {"missing": "es"})) == {
        "Floods",
        "Inondations",
        "Drought",
    }
    assert results(staff_client.get(NEWS, {"missing": "xx"})) == {
        "Floods",
        "Inondations",
        "Drought",
        "Sequía",
    }


@pytest.mark.parametrize("params", [{"language__exact": "fr"}, {"missing": "es"}])
def test_the_filters_add_no_query(staff_client, django_assert_num_queries, params):
    from tests.news.test_admin import CHANGELIST_QUERIES

    bulk_news_items(60)
    staff_client.get(NEWS, params)  # warm the per-process caches
    with django_assert_num_queries(CHANGELIST_QUERIES):
        staff_client.get(NEWS, params)


# --- The Translations box ----------------------------------------------------------------------


def box(response):
    content = response.content.decode()
    found = re.search(
        r'<fieldset class="module aligned translations-box">.*?</fieldset>', content, re.S
    )
    assert found, "no Translations box"
    return found.group(0)


def test_the_box_lists_each_other_language_with_its_state(staff_client):
    english = make_news_item(title="Floods")
    french = make_news_item(
        title="Inondations",
        language="fr",
        go_live_at=timezone.now() + datetime.timedelta(days=1),
    )
    english.link_translation(french)
    html = box(staff_client.get(change_url(english)))
    assert "Français" in html and "Scheduled" in html
    assert f'href="{change_url(french)}"' in html
    assert "Español" in html and "Missing" in html
    assert f'formaction="/admin/news/newsitem/{english.pk}/translate/es/"' in html
    assert "translate/fr/" not in html and "English" not in html
    # The French one's box shows the English one, live.
    html = box(staff_client.get(change_url(french)))
    assert "English" in html and "Live" in html and "Français" not in html


def test_the_box_costs_one_query_whatever_the_number_of_translations(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(item):
        staff_client.get(change_url(item))  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            staff_client.get(change_url(item))
        return len(captured)

    english = make_news_item()
    alone = queries(english)
    english.link_translation(make_news_item(language="fr"))
    assert queries(english) == alone + 1
    english.link_translation(make_news_item(language="es"))
    assert queries(english) == alone + 1


# --- Translate into ... ------------------------------------------------------------------------


def test_the_change_form_button_makes_a_linked_draft(editor_client):
    contact = make_contact()
    english = make_news_item(title="Floods in Piura", contacts=[contact], countries=["PE"])
    response = editor_client.post(f"/admin/news/newsitem/{english.pk}/translate/fr/")
    english.refresh_from_db()
    (french,) = english.translations()
    assert response.status_code == 302 and response["Location"] == change_url(french)
    assert french.language == "fr"
    assert french.publication_status == DRAFT and french.go_live_at is None
    assert french.title == "Floods in Piura" and french.slug == "floods-in-piura-fr"
    assert french.countries == english.countries and french.body == english.body
    assert [link.contact for link in french.contact_links.all()] == [contact]
    assert french.translation_group == english.translation_group
    # History: who and why, on the draft and on the original (which joined a group).
    record = french.history.latest()
    assert record.history_type == "+" and record.history_user.username == "editor"
    assert record.history_change_reason == f"Translation draft into fr of #{english.pk}"
    assert english.history.latest().history_change_reason == record.history_change_reason
    # Not public: the public gets a 404 at its address.
    from django.test import Client

    assert Client().get(french.get_absolute_url()).status_code == 404


def test_the_button_answers_post_only_and_refuses_who_may_not_add(editor_client, django_user_model):
    english = make_news_item()
    url = f"/admin/news/newsitem/{english.pk}/translate/fr/"
    assert editor_client.get(url).status_code == 405
    assert editor_client.post(f"/admin/news/newsitem/{english.pk}/translate/xx/").status_code == 404
    viewer = django_user_model.objects.create_user("viewer", "v@example.org", "pw", is_staff=True)
    from django.contrib.auth.models import Permission
    from django.test import Client

    viewer.user_permissions.add(Permission.objects.get(codename="view_newsitem"))
    client = Client()
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    assert "Translate into" not in box(client.get(change_url(english)))
    assert "translate_into_fr" not in client.get(NEWS).content.decode()
    assert not english.translations().exists()


def test_the_action_makes_drafts_and_skips_those_that_have_one(editor_client):
    english, french = make_news_item(title="Floods"), make_news_item(language="fr")
    english.link_translation(french)
    drought = make_news_item(title="Drought")
    already = make_news_item(title="Inondations", language="fr")
    response = editor_client.post(
        NEWS,
        {
            "action": "translate_into_fr",
            "_selected_action": [english.pk, drought.pk, already.pk],
        },
        follow=True,
    )
    assert messages_of(response) == [
        "1 draft in Français made: translate its text, then a Publisher publishes it.",
        "2 items skipped: they are in Français or have a version in it already.",
    ]
    drought.refresh_from_db()
    (copy,) = drought.translations()
    assert copy.language == "fr" and copy.publication_status == DRAFT
    assert NewsItem.objects.filter(language="fr").count() == 3


def test_a_published_scheduled_item_gives_an_unscheduled_draft(publisher_client, publisher):
    item = make_project(
        title="Border support", go_live_at=timezone.now() + datetime.timedelta(days=2)
    )
    response = publisher_client.post(
        PROJECTS, {"action": "translate_into_es", "_selected_action": [item.pk]}, follow=True
    )
    assert response.status_code == 200
    (copy,) = Project.objects.filter(language="es")
    assert copy.publication_status == DRAFT and copy.go_live_at is None
    # A project code names the project; its translations share it (one per language).
    assert copy.project_code == item.project_code != ""
    assert copy.region_id == item.region_id and copy.budget_usd == item.budget_usd
