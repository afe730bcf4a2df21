import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from iomcms.publishing import PublicationStatus
from tests.factories import make_contact, make_news_item

pytestmark = pytest.mark.django_db

# Pinned query counts (the same on SQLite and PostgreSQL). List: COUNT + one page of rows + the
# country facet's counts (iomcms/facets.py). Detail: the contact + its published releases.
LIST_QUERIES = 2 + 1
DETAIL_QUERIES = 2


def rows(response):
    return list(response.context["object_list"])


def get_rows(client, **params):
    response = client.get("/contacts/", params)
    assert response.status_code == 200
    assert "ignored" not in response.content.decode()
    return rows(response)


def test_list_shows_public_contacts_only(client):
    public = make_contact(name="Public Person")
    hidden = make_contact(name="Hidden Person", email="hidden@iom.int", is_public=False)
    response = client.get("/contacts/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Public Person" in content and public.get_absolute_url() in content
    assert "Hidden Person" not in content and "hidden@iom.int" not in content
    assert hidden.get_absolute_url() not in content
    assert rows(response) == [public]


def test_list_card_has_mailto_and_tel_links(client):
    make_contact(email="press@iom.int", phone="+57.1.594.6410 ext. 142", mobile="")
    content = client.get("/contacts/").content.decode()
    assert '<a href="mailto:press@iom.int">press@iom.int</a>' in content
    assert '<a href="tel:+5715946410;ext=142">+57.1.594.6410 ext. 142</a>' in content


def test_phone_without_digits_is_shown_without_link(client):
    make_contact(phone="via the switchboard")
    content = client.get("/contacts/").content.decode()
    assert "Tel: via the switchboard" in content
    assert 'href="tel:' not in content


def test_filter_country(client):
    ecuador = make_contact(country="EC")
    make_contact(country="CO")
    make_contact(country="")
    assert get_rows(client, country="EC") == [ecuador]


def test_filter_office_is_a_case_insensitive_substring(client):
    geneva = make_contact(office="IOM Headquarters, Geneva")
    make_contact(office="IOM Colombia")
    assert get_rows(client, office="geneva") == [geneva]


def test_filter_q_searches_name_office_job_title_and_email(client):
    by_name = make_contact(name="Marta Rojas", job_title="", email="m1@iom.int")
    by_title = make_contact(name="X", job_title="Rojas liaison", email="m2@iom.int")
    by_email = make_contact(name="Y", job_title="", email="rojasm@iom.int")
    make_contact(name="Z", job_title="Press officer", email="z@iom.int")
    assert set(get_rows(client, q="ROJAS")) == {by_name, by_title, by_email}
    assert get_rows(client, q="marta rojas") == [by_name]


def test_pagination_keeps_the_filters(client, page_link):
    wanted = [make_contact(country="PE") for _ in range(31)]
    make_contact(country="CL")
    first = client.get("/contacts/", {"country": "PE"})
    assert len(rows(first)) == 30
    next_url = page_link(first, "next")
    assert parse_qs(urlsplit(next_url).query) == {"country": ["PE"], "page": ["2"]}
    second = client.get(next_url)
    assert set(rows(first)) | set(rows(second)) == set(wanted)


@pytest.mark.parametrize(
    "bad", [{"country": "ZZZ"}, {"office": "o" * 500}, {"q": "q" * 5000}, {"q": "\x00"}]
)
def test_invalid_filter_is_shown_as_ignored_and_the_valid_one_still_applies(client, bad):
    wanted = make_contact(country="CO", office="IOM Colombia")
    other_office = make_contact(country="CO", office="IOM Bogotá sub-office")
    other_country = make_contact(country="EC", office="IOM Colombia")
    valid = {"country": "CO", "office": "IOM Colombia"}
    response = client.get("/contacts/", {**valid, **bad})
    assert response.status_code == 200
    assert "ignored" in response.content.decode()
    expected = {wanted}
    if "country" in bad:
        expected.add(other_country)
    if "office" in bad:
        expected.add(other_office)
    assert set(rows(response)) == expected


def test_detail_shows_the_contact_and_published_releases_only(client):
    contact = make_contact(
        name="Jorge Gallo", office="IOM Colombia", job_title="Media officer", country="CO"
    )
    published = make_news_item(
        title="Published release", contacts=[contact], published_on=datetime.date(2020, 1, 1)
    )
    newer = make_news_item(
        title="Newer release", contacts=[contact], published_on=datetime.date(2021, 1, 1)
    )
    make_news_item(
        title="Draft release", contacts=[contact], publication_status=PublicationStatus.DRAFT
    )
    make_news_item(title="Someone else's release", contacts=[make_contact()])
    response = client.get(contact.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Jorge Gallo</h1>" in content
    assert "Media officer" in content
    assert 'Country: <a href="/countries/co/">Colombia</a>' in content
    assert response.context["releases"] == [newer, published]
    assert "Published release" in content and published.get_absolute_url() in content
    assert "Draft release" not in content
    assert "Someone else" not in content


def test_detail_without_releases(client):
    contact = make_contact()
    make_news_item(contacts=[contact], publication_status=PublicationStatus.DRAFT)
    content = client.get(contact.get_absolute_url()).content.decode()
    assert "No published press release names this contact yet." in content


def test_non_public_contact_detail_is_404(client):
    hidden = make_contact(is_public=False)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("rows_count", [1, 25])
def test_list_query_count_is_constant(client, django_assert_num_queries, rows_count):
    for _ in range(rows_count):
        make_contact()
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/contacts/")
    assert len(rows(response)) == rows_count
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/contacts/", {"country": "CO", "office": "iom", "q": "officer"})


@pytest.mark.parametrize("releases", [1, 25])
def test_detail_query_count_is_constant(client, django_assert_num_queries, releases):
    contact = make_contact()
    for _ in range(releases):
        make_news_item(contacts=[contact, make_contact()], countries=["CO", "EC"])
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(contact.get_absolute_url())
    assert len(response.context["releases"]) == releases
