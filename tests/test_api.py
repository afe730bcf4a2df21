"""The JSON API (/api/v1/), through the HTTP client: what it shows, its filters and their
errors, cursor paging, caching headers, CORS, throttling, the schema and the docs page."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from contacts.filters import ContactFilter
from iomcms.publishing import PublicationStatus
from news.filters import NewsItemFilter
from projects.filters import ProjectFilter
from tests.factories import (
    bulk_contacts,
    bulk_news_items,
    make_contact,
    make_news_item,
    make_project,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def walk(client, url):
    """Every row of a list, following ``next``; the ids in order."""
    seen, pages = [], 0
    while url:
        response = client.get(url)
        seen += ids(response)
        url = response.json()["next"]
        pages += 1
        assert pages < 200
    return seen


def walk_back(client, url):
    """From the last page of a walk, every row again following ``previous``."""
    response = client.get(url)
    while response.json()["next"]:
        response = client.get(response.json()["next"])
    seen = ids(response)
    while response.json()["previous"]:
        response = client.get(response.json()["previous"])
        seen = ids(response) + seen
    return seen


# -- what is public ---------------------------------------------------------------------------


@pytest.fixture
def states():
    now = timezone.now()
    live = make_news_item(title="Live release")
    hidden = [
        make_news_item(title="Draft release", publication_status=PublicationStatus.DRAFT),
        make_news_item(title="Embargoed release", go_live_at=now + HOUR),
        make_news_item(title="Expired release", expire_at=now - HOUR),
    ]
    live_project = make_project(title="Live project")
    hidden_projects = [
        make_project(title="Draft project", publication_status=PublicationStatus.DRAFT),
        make_project(title="Embargoed project", go_live_at=now + HOUR),
        make_project(title="Expired project", expire_at=now - HOUR),
    ]
    return live, hidden, live_project, hidden_projects


def test_drafts_scheduled_and_expired_items_are_never_listed_nor_served(client, states):
    live, hidden, live_project, hidden_projects = states
    assert ids(client.get("/api/v1/news/")) == [live.pk]
    assert ids(client.get("/api/v1/projects/")) == [live_project.pk]
    for item in hidden:
        response = client.get(f"/api/v1/news/{item.slug}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
    for project in hidden_projects:
        assert client.get(f"/api/v1/projects/{project.slug}/").status_code == 404
    assert client.get(f"/api/v1/news/{live.slug}/").json()["title"] == "Live release"


def test_a_scheduled_item_appears_at_its_go_live_second(client):
    go_live = timezone.now() + HOUR
    item = make_news_item(title="Embargoed", go_live_at=go_live)
    with time_machine.travel(go_live - datetime.timedelta(seconds=1), tick=False):
        assert client.get(f"/api/v1/news/{item.slug}/").status_code == 404
        assert item.pk not in ids(client.get("/api/v1/news/"))
    with time_machine.travel(go_live, tick=False):
        assert client.get(f"/api/v1/news/{item.slug}/").status_code == 200
        assert item.pk in ids(client.get("/api/v1/news/"))


def test_contacts_are_listed_only_when_public(client):
    hidden = make_contact(name="Only on a draft", is_spokesperson=False)
    make_news_item(publication_status=PublicationStatus.DRAFT, contacts=[hidden])
    unlisted = make_contact(name="Unlisted", is_public=False)
    public = make_contact(name="Spokesperson")
    assert ids(client.get("/api/v1/contacts/")) == [public.pk]
    assert client.get(f"/api/v1/contacts/{hidden.slug}/").status_code == 404
    assert client.get(f"/api/v1/contacts/{unlisted.slug}/").status_code == 404


# -- payloads -----------------------------------------------------------------------------------


def test_a_release_as_its_page_shows_it(client):
    first = make_contact(name="Ana", phone="+57 1", mobile="+57 300", email="ana@iom.int")
    second = make_contact(name="Bo", phone="", mobile="", email="")
    item = make_news_item(
        title="Floods",
        countries=["CO", "EC"],
        published_on=datetime.date(2024, 5, 17),
        contacts=[second, first],
        body="<p>Text</p>",
    )
    french = item.draft_translation("fr", reason="test")
    spanish = item.draft_translation("es", reason="test")
    french.publish()
    french.save()
    data = client.get(f"/api/v1/news/{item.slug}/").json()
    assert data["url"] == f"http://testserver/news/{item.slug}/"
    assert data["language"] == "en"
    assert data["published_on"] == "2024-05-17"
    assert data["kind"] == {"code": "press-release", "name": "Press release"}
    assert data["countries"] == [
        {"code": "CO", "name": "Colombia"},
        {"code": "EC", "name": "Ecuador"},
    ]
    assert data["body"] == "<p>Text</p>"
    # The public French version only: the Spanish one is a draft.
    assert data["translations"] == [
        {"language": "fr", "url": f"http://testserver/fr/news/{french.slug}/"}
    ]
    assert spanish.slug not in str(data)
    assert [contact["name"] for contact in data["contacts"]] == ["Bo", "Ana"]
    ana = data["contacts"][1]
    assert ana["phones"] == ["+57 1", "+57 300"]
    assert ana["emails"] == ["ana@iom.int"]
    assert ana["url"] == f"http://testserver/contacts/{first.slug}/"
    assert datetime.datetime.fromisoformat(data["modified"])
    french_data = client.get(f"/api/v1/news/{french.slug}/").json()
    assert french_data["url"] == f"http://testserver/fr/news/{french.slug}/"
    assert french_data["translations"] == [
        {"language": "en", "url": f"http://testserver/news/{item.slug}/"}
    ]


def test_a_project_as_its_page_shows_it(client):
    project = make_project(
        budget_usd=Decimal("1250000.5"), start="2017-03", end="", benefiting_states=["CO"]
    )
    data = client.get(f"/api/v1/projects/{project.slug}/").json()
    assert data["budget"] == {"amount": "1250000.50", "currency": "USD"}
    assert data["start"] == "2017-03"
    assert data["end"] is None
    assert data["status"] == {"code": "active", "name": "Active"}
    assert data["type"]["slug"] == project.project_type.slug
    assert data["region"]["slug"] == project.region.slug
    assert data["coverage"] == {"code": "national", "name": "National"}
    assert data["countries"] == [{"code": "CO", "name": "Colombia"}]
    assert data["project_code"] == project.project_code
    assert data["url"] == f"http://testserver/projects/{project.slug}/"
    no_budget = make_project(budget_usd=None, status="", coverage="")
    data = client.get(f"/api/v1/projects/{no_budget.slug}/").json()
    assert data["budget"] is None and data["status"] is None and data["coverage"] is None


def test_a_contact_with_their_public_releases(client):
    contact = make_contact(name="Ana", is_spokesperson=False)
    live = make_news_item(contacts=[contact])
    make_news_item(contacts=[contact], publication_status=PublicationStatus.DRAFT)
    data = client.get(f"/api/v1/contacts/{contact.slug}/").json()
    assert [release["id"] for release in data["releases"]] == [live.pk]
    assert data["country"] == {"code": "CO", "name": "Colombia"}


# -- filters: the pages' FilterSets -------------------------------------------------------------


def test_news_filters_apply(client):
    colombia = make_news_item(countries=["CO"], kind="statement")
    ecuador = make_news_item(countries=["EC"], published_on=datetime.date(2010, 5, 1))
    french = make_news_item(countries=["EC"], language="fr")
    assert ids(client.get("/api/v1/news/?country=co")) == [colombia.pk]
    assert ids(client.get("/api/v1/news/?kind=statement")) == [colombia.pk]
    assert ids(client.get("/api/v1/news/?year=2010")) == [ecuador.pk]
    # lang: every language unless given.
    assert set(ids(client.get("/api/v1/news/"))) == {colombia.pk, ecuador.pk, french.pk}
    assert ids(client.get("/api/v1/news/?lang=fr")) == [french.pk]
    assert set(ids(client.get("/api/v1/news/?lang="))) == {colombia.pk, ecuador.pk, french.pk}


def test_search_lists_every_match_newest_first(client):
    older = make_news_item(title="Floods in the north", published_on=datetime.date(2020, 1, 1))
    newer = make_news_item(title="Floods in the south", published_on=datetime.date(2021, 1, 1))
    make_news_item(title="Drought")
    assert ids(client.get("/api/v1/news/?q=floods")) == [newer.pk, older.pk]


def test_project_filters_and_sort(client):
    cheap = make_project(budget_usd=Decimal("10"), status="completed", year=2015)
    dear = make_project(budget_usd=Decimal("1000"), status="active", year=2016)
    unknown = make_project(budget_usd=None, year=None)
    assert ids(client.get("/api/v1/projects/?status=completed")) == [cheap.pk]
    assert ids(client.get("/api/v1/projects/?budget_min=100")) == [dear.pk]
    assert ids(client.get("/api/v1/projects/?sort=budget")) == [cheap.pk, dear.pk, unknown.pk]
    assert ids(client.get("/api/v1/projects/?sort=-budget"))[1:] == [dear.pk, cheap.pk]


def test_contact_filters_apply(client):
    quito = make_contact(office="IOM Quito", country="EC")
    make_contact(office="IOM Bogotá", country="CO")
    assert ids(client.get("/api/v1/contacts/?office=quito")) == [quito.pk]
    assert ids(client.get("/api/v1/contacts/?country=EC")) == [quito.pk]


@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        ("/api/v1/news/?year=abc", "year", "Enter a whole number."),
        ("/api/v1/news/?year=99999", "year", "less than or equal to"),
        ("/api/v1/news/?country=ZZ", "country", "Select a valid choice."),
        ("/api/v1/news/?lang=de", "lang", "Select a valid choice."),
        ("/api/v1/news/?kind=poem", "kind", "Select a valid choice."),
        ("/api/v1/news/?q=" + "x" * 201, "q", "at most 200 characters"),
        ("/api/v1/news/?contry=CO", "contry", "no such parameter"),
        ("/api/v1/news/?page_size=0", "page_size", "from 1 to 100"),
        ("/api/v1/news/?page_size=abc", "page_size", "from 1 to 100"),
        ("/api/v1/news/?cursor=!!!", "cursor", "not one this list gave"),
        ("/api/v1/news/?cursor=e30", "cursor", "not one this list gave"),
        ("/api/v1/projects/?budget_min=10&budget_max=5", "budget_min", "Budget up to"),
        ("/api/v1/projects/?region=atlantis", "region", "Select a valid choice."),
        ("/api/v1/projects/?sort=colour", "sort", "Select a valid choice."),
        ("/api/v1/contacts/?office=" + "x" * 201, "office", "at most 200 characters"),
    ],
)
def test_a_parameter_that_cannot_be_used_is_a_400_naming_it(client, url, parameter, message):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["detail"]
    errors = [error for error in data["errors"] if error["parameter"] == parameter]
    assert errors, data
    assert message in errors[0]["message"]


@pytest.mark.parametrize(
    "values",
    [
        ["not a date", 3],
        ["2020-01-01", 10**30],  # past a bigint
        ["2020-01-01", "x\u0000"],
        [{"a": 1}, 3],
        ["2020-01-01"],
    ],
)
def test_a_cursor_with_values_it_cannot_hold_is_a_400(client, values):
    import base64
    import json

    make_news_item()
    token = json.dumps({"o": ["-published_on", "-id"], "v": values}).encode()
    cursor = base64.urlsafe_b64encode(token).decode().rstrip("=")
    response = client.get(f"/api/v1/news/?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "cursor"


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "q",
                    "country",
                    "year",
                    "kind",
                    "lang",
                    "sort",
                    "budget_min",
                    "region",
                    "office",
                    "cursor",
                    "page_size",
                    "x",
                ]
            ),
            st.text(max_size=30),
        ),
        max_size=4,
    ),
    path=st.sampled_from(["/api/v1/news/", "/api/v1/projects/", "/api/v1/contacts/"]),
)
def test_no_query_string_is_a_server_error(client, query, path):
    response = client.get(path, dict(query))
    assert response.status_code in (200, 400), (path, query, response.content)


def test_every_filter_of_every_list_is_a_parameter_of_its_endpoint(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path, filterset in [
        ("/api/v1/news/", NewsItemFilter),
        ("/api/v1/projects/", ProjectFilter),
        ("/api/v1/contacts/", ContactFilter),
    ]:
        names = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
        assert set(filterset.base_filters) <= names, path


# -- cursor paging ------------------------------------------------------------------------------


def test_cursor_paging_walks_every_row_exactly_once_both_ways(client):
    # Many items share a date, and some are undated (they come last).
    items = bulk_news_items(30, published_on=datetime.date(2020, 5, 1))
    items += bulk_news_items(7, published_on=None, legacy_key="")
    items += [make_news_item(published_on=datetime.date(2021, 1, 1))]
    for n, item in enumerate(items[:5]):
        item.published_on = datetime.date(2019, 1, n + 1)
        item.save()
    expected = ids(client.get("/api/v1/news/?page_size=100"))
    assert len(expected) == len(items) == len(set(expected))
    assert expected[0] == items[-1].pk  # the newest
    assert set(expected[-7:]) == {item.pk for item in items[30:37]}  # undated last
    assert walk(client, "/api/v1/news/?page_size=4") == expected
    assert walk_back(client, "/api/v1/news/?page_size=4") == expected


def test_cursor_paging_follows_the_chosen_sort(client):
    projects = [make_project(budget_usd=Decimal(n % 4) if n % 3 else None) for n in range(13)]
    projects += [make_project(year=None, budget_usd=Decimal(2))]
    for sort in ("", "budget", "-budget", "title", "-year"):
        expected = ids(client.get(f"/api/v1/projects/?sort={sort}&page_size=100"))
        assert len(expected) == len(projects)
        assert walk(client, f"/api/v1/projects/?sort={sort}&page_size=3") == expected, sort
        assert walk_back(client, f"/api/v1/projects/?sort={sort}&page_size=3") == expected


def test_a_cursor_of_another_sort_is_refused(client):
    for _ in range(3):
        make_project()
    cursor_link = client.get("/api/v1/projects/?sort=budget&page_size=1").json()["next"]
    cursor = re.search(r"cursor=([^&]+)", cursor_link).group(1)
    response = client.get(f"/api/v1/projects/?sort=title&cursor={cursor}")
    assert response.status_code == 400
    assert "another order" in response.json()["errors"][0]["message"]


def test_contacts_page_by_name(client):
    bulk_contacts(9)
    expected = ids(client.get("/api/v1/contacts/?page_size=100"))
    assert walk(client, "/api/v1/contacts/?page_size=2") == expected


def test_links_keep_the_filters(client):
    bulk_news_items(5, countries=["EC"])
    link = client.get("/api/v1/news/?country=EC&page_size=2").json()["next"]
    assert "country=EC" in link and "page_size=2" in link and link.startswith("http://testserver")


# -- query counts -------------------------------------------------------------------------------


def test_news_list_queries_are_bounded(client, django_assert_num_queries):
    contacts = bulk_contacts(2)
    items = bulk_news_items(30, contacts=contacts)
    for item in items[::2]:  # translated, on every page
        french = item.draft_translation("fr", reason="test")
        french.publish()
        french.save()
    # The rows, their contacts, their public translations: 45 rows in pages of 20.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/news/?page_size=20")
    assert len(ids(response)) == 20
    with django_assert_num_queries(3):
        response = client.get(response.json()["next"])
    assert len(ids(response)) == 20
    # The page that reaches the end of the dated items also reads the undated ones.
    with django_assert_num_queries(4):
        response = client.get(response.json()["next"])
    assert len(ids(response)) == 5


def test_detail_queries_are_bounded(client, django_assert_num_queries):
    contact = make_contact()
    item = make_news_item(contacts=[contact])
    with django_assert_num_queries(2):  # the item, its contacts (no translation group)
        assert client.get(f"/api/v1/news/{item.slug}/").status_code == 200
    item.draft_translation("fr", reason="test")
    with django_assert_num_queries(3):  # and its public translations
        assert client.get(f"/api/v1/news/{item.slug}/").status_code == 200
    project = make_project()
    with django_assert_num_queries(1):
        assert client.get(f"/api/v1/projects/{project.slug}/").status_code == 200
    with django_assert_num_queries(2):  # the contact, their releases
        assert client.get(f"/api/v1/contacts/{contact.slug}/").status_code == 200


def test_project_and_contact_lists_queries_are_bounded(client, django_assert_num_queries):
    for _ in range(5):
        make_project()
    bulk_contacts(5)
    with django_assert_num_queries(1):  # no project has a translation: no second query
        assert client.get("/api/v1/projects/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/api/v1/contacts/").status_code == 200


# -- HTTP: caching, CORS, methods, throttling ---------------------------------------------------


def test_conditional_get_answers_304(client):
    item = make_news_item()
    for url in ("/api/v1/news/", f"/api/v1/news/{item.slug}/"):
        response = client.get(url)
        assert response["ETag"] and response["Last-Modified"]
        assert "public" in response["Cache-Control"]
        again = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304
        assert not again.content


def test_cache_lifetime_ends_at_the_next_go_live(client):
    now = timezone.now()
    make_news_item()
    make_news_item(go_live_at=now + datetime.timedelta(seconds=20))
    with time_machine.travel(now, tick=False):
        response = client.get("/api/v1/news/")
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age <= 20


def test_cors_lets_any_origin_read(client):
    response = client.get("/api/v1/news/", headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/news/",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert preflight["Access-Control-Allow-Headers"] == "if-none-match"
    # Only the API.
    assert "Access-Control-Allow-Origin" not in client.get("/news/")


def test_other_methods_are_a_json_405(client):
    response = client.post("/api/v1/news/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "GET" in response["Allow"]
    assert client.get("/api/v1/nothing-here/").json() == {"detail": "Not found."}


def test_head_answers_like_get(client):
    make_news_item()
    response = client.head("/api/v1/news/")
    assert response.status_code == 200


def test_anonymous_clients_are_throttled(client, settings):
    settings.IOMCMS_API_THROTTLE_RATE = "2/minute"
    assert client.get("/api/v1/news/").status_code == 200
    assert client.get("/api/v1/news/").status_code == 200
    response = client.get("/api/v1/news/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert int(response["Retry-After"]) > 0
    # Another address has its own allowance.
    assert client.get("/api/v1/news/", REMOTE_ADDR="10.0.0.9").status_code == 200


# -- schema and docs ----------------------------------------------------------------------------


def test_the_schema_is_valid_openapi_3(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    validate_schema(SchemaGenerator().get_schema(request=None, public=True))
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/news/", "/api/v1/news/{slug}/", "/api/v1/projects/"} <= set(schema["paths"])
    responses = schema["paths"]["/api/v1/news/"]["get"]["responses"]
    assert {"200", "400", "429"} <= set(responses)
    assert "404" in schema["paths"]["/api/v1/news/{slug}/"]["get"]["responses"]


def test_the_docs_page_is_served_here_without_scripts(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "/api/v1/news/" in content and "<script" not in content
    assert "<code>translations</code></td><td>array of Translation" in content
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "cdn" not in content.lower()
