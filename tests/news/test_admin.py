import datetime
import re

import pytest

from iomcms.publishing import PublicationStatus
from news.models import NewsItem, NewsItemProject
from tests.factories import (
    bulk_news_items,
    inline_management,
    make_contact,
    make_news_item,
    make_project,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/news/newsitem/"
DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED

# Pinned (same on SQLite and PostgreSQL): session, user, the year filter's first and last
# years (one query), the COUNT (no full count: show_full_result_count is off) and the page of
# rows. The country filter lists every country without a query; no date_hierarchy.
CHANGELIST_QUERIES = 5


def results(response):
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_changelist_loads(staff_client):
    make_news_item(title="Loaded item", countries=["CO", "EC"])
    make_news_item(title="Draft item", publication_status=DRAFT, published_on=None)
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Loaded item" in content and "Draft item" in content


def test_add_and_change_forms_load(staff_client):
    contact = make_contact(name="Jorge Gallo")
    item = make_news_item(title="Loaded item", contacts=[contact], countries=["CO", "EC"])
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 200
    change = staff_client.get(f"{CHANGELIST}{item.pk}/change/")
    assert change.status_code == 200
    content = change.content.decode()
    # The contacts inline, with its autocomplete widget and the current contact.
    assert "Media contacts (in the order shown on the page)" in content
    assert 'name="contact_links-0-contact"' in content
    assert 'data-model-name="newsitemcontact"' in content
    assert 'data-field-name="contact"' in content
    assert "Jorge Gallo" in content


def test_changelist_search(staff_client):
    by_title = make_news_item(title="Cyclone Idai response")
    by_dateline = make_news_item(title="Other", dateline="Beira")
    by_lead = make_news_item(title="Third", lead="After cyclone Idai hit")
    make_news_item(title="Unrelated", lead="", dateline="Maputo")
    assert results(staff_client.get(CHANGELIST, {"q": "idai"})) == {by_title, by_lead}
    assert results(staff_client.get(CHANGELIST, {"q": "beira"})) == {by_dateline}


def test_changelist_year_filter(staff_client):
    in_2019 = make_news_item(published_on=datetime.date(2019, 6, 1))
    make_news_item(published_on=datetime.date(2021, 6, 1))
    make_news_item(published_on=None)
    content = staff_client.get(CHANGELIST).content.decode()
    # From the newest year to the oldest, gaps included (two index lookups, no DISTINCT).
    years = [int(y) for y in re.findall(r'href="\?published_on__year=(\d{4})"', content)]
    assert years == [2021, 2020, 2019]
    assert results(staff_client.get(CHANGELIST, {"published_on__year": "2019"})) == {in_2019}
    # Not a year: ignored, never an error.
    for bad in ["abc", "20190", "-1"]:
        assert len(results(staff_client.get(CHANGELIST, {"published_on__year": bad}))) == 3


def test_list_filter_publication_status(staff_client):
    draft = make_news_item(publication_status=DRAFT)
    published = make_news_item(publication_status=PUBLISHED)
    assert results(staff_client.get(CHANGELIST, {"publication_status__exact": "draft"})) == {draft}
    assert results(staff_client.get(CHANGELIST, {"publication_status__exact": "published"})) == {
        published
    }


def test_list_filter_kind(staff_client):
    statement = make_news_item(kind="statement")
    make_news_item(kind="story")
    assert results(staff_client.get(CHANGELIST, {"kind__exact": "statement"})) == {statement}


def test_list_filter_countries_matches_items_with_several_countries(staff_client):
    both = make_news_item(countries=["CO", "EC"])
    ecuador = make_news_item(countries=["EC"])
    peru = make_news_item(countries=["PE"])
    assert results(staff_client.get(CHANGELIST, {"countries": "EC"})) == {both, ecuador}
    assert results(staff_client.get(CHANGELIST, {"countries": " ec"})) == {both, ecuador}
    # An unknown code is ignored, not an error.
    assert results(staff_client.get(CHANGELIST, {"countries": "ZZ"})) == {both, ecuador, peru}
    # The filter offers every country (read from django-countries, not from the table), in a
    # select that keeps the other filters of the list.
    content = staff_client.get(CHANGELIST, {"kind__exact": "news"}).content.decode()
    assert '<option value="PE">Peru</option>' in content
    assert '<option value="FR">France</option>' in content
    assert '<input type="hidden" name="kind__exact" value="news">' in content
    chosen = staff_client.get(CHANGELIST, {"countries": "PE"}).content.decode()
    assert '<option value="PE" selected>Peru</option>' in chosen


def test_list_filter_published_on_and_date_hierarchy(staff_client):
    in_2019 = make_news_item(published_on=datetime.date(2019, 6, 1))
    make_news_item(published_on=datetime.date(2020, 6, 1))
    undated = make_news_item(published_on=None)
    params = {"published_on__gte": "2019-01-01", "published_on__lt": "2020-01-01"}
    assert results(staff_client.get(CHANGELIST, params)) == {in_2019}
    assert results(staff_client.get(CHANGELIST, {"published_on__isnull": "True"})) == {undated}
    assert results(staff_client.get(CHANGELIST, {"published_on__year": "2019"})) == {in_2019}


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_bulk_publish_and_unpublish(staff_client, action):
    start, target = (DRAFT, PUBLISHED) if action == "publish" else (PUBLISHED, DRAFT)
    chosen = [make_news_item(publication_status=start) for _ in range(2)]
    other = make_news_item(publication_status=start)
    response = staff_client.post(
        CHANGELIST, {"action": action, "_selected_action": [item.pk for item in chosen]}
    )
    assert response.status_code == 302
    for item in chosen:
        item.refresh_from_db()
        assert item.publication_status == target
    other.refresh_from_db()
    assert other.publication_status == start
    message = str(next(iter(staff_client.get("/admin/").context["messages"])))
    expected = {
        "publish": "2 items are live now.",
        "unpublish": "2 items unpublished: they are drafts again.",
    }
    assert message == expected[action]


def inline_data(links, initial=0):
    data = {
        **inline_management("contact_links", len(links), initial),
        **inline_management("project_links"),
    }
    for i, (contact, position) in enumerate(links):
        data[f"contact_links-{i}-contact"] = str(contact.pk)
        data[f"contact_links-{i}-position"] = str(position)
    return data


def item_data(**overrides):
    data = {
        "title": "Saved from the admin",
        "slug": "saved-from-the-admin",
        "language": "en",
        "kind": "press-release",
        "publication_status": "published",
        "dateline": "Geneva",
        "published_on": "2024-02-03",
        "countries": ["CH", "FR"],
        "lead": "Lead.",
        "body": '<p>Body</p><script>alert("x")</script>',
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_add_form_saves_contacts_in_the_given_order(staff_client):
    first, second, third = make_contact(), make_contact(), make_contact()
    data = {**item_data(), **inline_data([(first, 2), (second, 0), (third, 1)])}
    response = staff_client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 302, response.context["errors"]
    item = NewsItem.objects.get(slug="saved-from-the-admin")
    assert [link.contact for link in item.contact_links.all()] == [second, third, first]
    assert list(item.contacts.order_by("news_links__position")) == [second, third, first]
    assert item.body == "<p>Body</p>"  # sanitized whatever the path
    assert [c.code for c in item.countries] == ["CH", "FR"]


def test_change_form_reorders_contacts(staff_client):
    first, second = make_contact(), make_contact()
    item = make_news_item(contacts=[first, second])
    links = list(item.contact_links.all())
    data = {**item_data(slug=item.slug), **inline_data([(first, 1), (second, 0)], initial=2)}
    data["contact_links-0-id"], data["contact_links-1-id"] = str(links[0].pk), str(links[1].pk)
    data["contact_links-0-news_item"] = data["contact_links-1-news_item"] = str(item.pk)
    response = staff_client.post(f"{CHANGELIST}{item.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"]
    assert [link.contact for link in item.contact_links.all()] == [second, first]


def test_autocomplete_finds_contacts_for_the_inline(staff_client):
    # The inline's widget asks for app_label=news, model_name=newsitemcontact (the model that
    # holds the foreign key) and field_name=contact; see the change form test above.
    zeta = make_contact(name="Zeta Gallo", office="IOM Colombia")
    alpha = make_contact(name="Alba Gallo", office="")
    make_contact(name="Ana Pérez")
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "newsitemcontact", "field_name": "contact",
         "term": "gallo"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"id": str(alpha.pk), "text": "Alba Gallo"},
            {"id": str(zeta.pk), "text": "Zeta Gallo (IOM Colombia)"},
        ],
        "pagination": {"more": False},
    }


def test_admin_requires_login(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("params", [{}, {"countries": "EC", "q": "bulk"}])
def test_changelist_query_count_is_constant(staff_client, django_assert_num_queries, params):
    contacts = [make_contact(), make_contact()]
    bulk_news_items(5, contacts=contacts, countries=["EC", "CO"])
    staff_client.get(CHANGELIST, params)  # warm the per-process caches
    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = staff_client.get(CHANGELIST, params)
    assert len(response.context["cl"].result_list) == 5
    bulk_news_items(195, contacts=contacts, countries=["EC", "CO"])
    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = staff_client.get(CHANGELIST, params)
    assert response.context["cl"].result_count == 200
    assert len(response.context["cl"].result_list) == 50


# -- projects a release is about (news.NewsItemProject) ---------------------------------------


def test_both_change_forms_edit_the_links_with_autocomplete(staff_client):
    project = make_project(title="Border support", project_code="CE.0373")
    item = make_news_item(title="Launch of the border project")
    NewsItemProject.objects.create(news_item=item, project=project)
    news_form = staff_client.get(f"{CHANGELIST}{item.pk}/change/").content.decode()
    heading = re.search(r'<h2 id="project_links-heading"[^>]*>\s*(.*?)\s*</h2>', news_form, re.S)
    assert heading and heading.group(1).startswith("Projects")
    assert 'name="project_links-0-project"' in news_form
    assert "admin-autocomplete" in news_form and "CE.0373 – Border support" in news_form
    project_form = staff_client.get(f"/admin/projects/project/{project.pk}/change/").text
    assert 'name="news_links-0-news_item"' in project_form
    assert "Launch of the border project" in project_form


def test_the_autocompletes_find_projects_and_news_items(staff_client):
    make_project(title="Border support", project_code="CE.0373")
    make_news_item(title="Floods in Piura")
    found = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "newsitemproject", "field_name": "project",
         "term": "border"},
    ).json()  # fmt: skip
    assert [r["text"] for r in found["results"]] == ["CE.0373 – Border support"]
    found = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "newsitemproject", "field_name": "news_item",
         "term": "piura"},
    ).json()  # fmt: skip
    assert [r["text"] for r in found["results"]] == ["Floods in Piura"]


def test_a_translation_draft_keeps_the_projects_in_its_language_where_there_is_one(
    staff_client,
):
    english = make_project(project_code="CE.0373", language="en")
    french = make_project(project_code="CE.0373", language="fr")
    english.link_translation(french)
    alone = make_project(project_code="LM.0412", language="en")
    item = make_news_item(language="en")
    for project in (english, alone):
        NewsItemProject.objects.create(news_item=item, project=project)
    draft = item.draft_translation("fr", "Translation started")
    assert set(draft.projects.all()) == {french, alone}
    assert set(item.projects.all()) == {english, alone}
    reasons = set(NewsItemProject.history.filter(news_item=draft).values_list(
        "history_change_reason", flat=True))  # fmt: skip
    assert reasons == {"Translation started"}
