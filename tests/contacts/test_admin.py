import pytest

from contacts.models import Contact
from iomcms.publishing import PublicationStatus
from tests.factories import bulk_contacts, bulk_news_items, make_contact, make_news_item

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/contacts/contact/"

# Pinned (same on SQLite and PostgreSQL): session, user, the offices the office filter offers,
# the COUNT (no full count), the page of rows with their release and likely-duplicate counts
# (subqueries in that one query). The country filter lists every country without a query.
CHANGELIST_QUERIES = 5


def results(response):
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_changelist_add_and_change_forms_load(staff_client):
    contact = make_contact(name="Loaded contact")
    hidden = make_contact(name="Hidden contact", is_public=False)
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Loaded contact" in content and "Hidden contact" in content
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 200
    assert staff_client.get(f"{CHANGELIST}{contact.pk}/change/").status_code == 200
    assert staff_client.get(f"{CHANGELIST}{hidden.pk}/change/").status_code == 200


def test_changelist_shows_the_press_release_count(staff_client):
    busy = make_contact(name="Busy officer")
    make_contact(name="Idle officer")
    make_news_item(contacts=[busy])
    make_news_item(contacts=[busy, make_contact()])
    # Drafts are press releases too, in the admin's count.
    make_news_item(contacts=[busy], publication_status=PublicationStatus.DRAFT)
    response = staff_client.get(CHANGELIST, {"q": "officer"})
    content = response.content.decode()
    assert "column-release_count" in content
    assert "press releases" in content.lower()
    counts = {c.name: c._release_count for c in response.context["cl"].result_list}
    assert counts["Busy officer"] == 3
    assert counts["Idle officer"] == 0
    assert '<td class="field-release_count">3</td>' in content


def test_changelist_sorts_by_the_press_release_count(staff_client):
    few = make_contact(name="A few")
    many = make_contact(name="B many")
    none = make_contact(name="C none")
    make_news_item(contacts=[few])
    make_news_item(contacts=[many])
    make_news_item(contacts=[many])
    position = [
        *["name", "office", "email", "phone", "country", "is_public", "is_spokesperson"],
        "release_count",
    ]
    column = position.index("release_count") + 1
    response = staff_client.get(CHANGELIST, {"o": f"-{column}"})
    assert list(response.context["cl"].result_list) == [many, few, none]


def test_changelist_search(staff_client):
    by_name = make_contact(name="Marta Rojas", job_title="", email="m@iom.int")
    by_email = make_contact(name="Other", job_title="", email="rojas@iom.int")
    by_title = make_contact(name="Third", job_title="Head of Rojas unit", email="t@iom.int")
    make_contact(name="Unrelated", job_title="", email="u@iom.int")
    assert results(staff_client.get(CHANGELIST, {"q": "rojas"})) == {by_name, by_email, by_title}


def test_list_filters(staff_client):
    peru = make_contact(country="PE", office="IOM Peru", is_public=False)
    chile = make_contact(country="CL", office="IOM Chile")
    cases = [
        ({"is_public__exact": "0"}, {peru}),
        ({"is_public__exact": "1"}, {chile}),
        ({"country": "CL"}, {chile}),
        ({"office": "IOM Peru"}, {peru}),
        ({"is_public__exact": "1", "office": "IOM Peru"}, set()),
    ]
    for params, expected in cases:
        assert results(staff_client.get(CHANGELIST, params)) == expected, params
    # The country filter offers every country, in use or not.
    content = staff_client.get(CHANGELIST).content.decode()
    for code, name in (("CL", "Chile"), ("PE", "Peru"), ("FR", "France")):
        assert f'<option value="{code}">{name}</option>' in content
    # With facet counts asked for, the countries are links with their counts.
    facets = staff_client.get(CHANGELIST, {"_facets": "True"}).content.decode()
    assert "?_facets=True&amp;country=CL" in facets or "?country=CL&amp;_facets=True" in facets


@pytest.mark.parametrize("params", [{}, {"country": "EC", "q": "bulk"}])
def test_changelist_query_count_is_constant(staff_client, django_assert_num_queries, params):
    contacts = bulk_contacts(5)
    bulk_news_items(3, contacts=contacts[:2])
    staff_client.get(CHANGELIST, params)  # warm the per-process caches
    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = staff_client.get(CHANGELIST, params)
    assert len(response.context["cl"].result_list) == 5
    more = bulk_contacts(195)
    bulk_news_items(20, contacts=more[:3])
    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = staff_client.get(CHANGELIST, params)
    assert response.context["cl"].result_count == 200
    assert len(response.context["cl"].result_list) == 50


def contact_data(**overrides):
    data = {
        "name": "Added Officer",
        "slug": "",
        "job_title": "Press officer",
        "office": "IOM Chile",
        "organization": "IOM",
        "country": "CL",
        "email": "added@iom.int",
        "phone": "+56 2 2963 3700",
        "mobile": "",
        "is_public": "on",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_add_form_saves_a_contact_with_a_generated_slug(staff_client):
    response = staff_client.post(f"{CHANGELIST}add/", contact_data(email="Added@IOM.int"))
    assert response.status_code == 302, response.context["errors"]
    contact = Contact.objects.get(name="Added Officer")
    assert (contact.slug, contact.email) == ("added-officer-iom-chile", "added@iom.int")


def test_add_form_refuses_an_e_mail_used_by_another_contact_in_other_case(staff_client):
    make_contact(email="press@iom.int")
    response = staff_client.post(f"{CHANGELIST}add/", contact_data(email="PRESS@iom.int"))
    assert response.status_code == 200
    assert "Another contact already has this e-mail address." in response.content.decode()
    assert not Contact.objects.filter(name="Added Officer").exists()
