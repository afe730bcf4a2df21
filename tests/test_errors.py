"""Error pages, and query strings that must never become a server error."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import RequestFactory

from iomcms import views
from tests.factories import make_contact, make_news_item, make_project

LISTS = ["/news/", "/projects/", "/contacts/"]


# --- 404 and 500 -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/no-such-page/", "/news/no-such-item/", "/projects/nope/", "/contacts/nope/"]
)
def test_404_uses_the_custom_template(client, url):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page not found</h1>" in content
    # The site chrome: context processors ran.
    assert f'<span class="wordmark">{settings.SITE_NAME}</span></a>' in content
    assert "404.html" in [t.name for t in response.templates]


def test_server_error_handler_renders_500_html():
    # No django_db mark: any database query here would raise, and the page must not need one.
    request = RequestFactory().get("/anything/")
    response = views.server_error(request)
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong on our side" in content
    assert "<title>Server error</title>" in content


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_raising")
def test_a_failing_view_gets_the_custom_500_page(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_raising")
def test_the_raising_urlconf_still_serves_the_site(client):
    # Guards the test above: the temporary urlconf is the real site plus the broken view.
    assert client.get("/").status_code == 200
    assert client.get("/nope/").status_code == 404


# --- Malformed query strings -------------------------------------------------------------------

ODD_UNICODE = "ñandú 移民 🙂 \u202eevil\u202c \u200b\ufeff Ω̸̢"

# Query strings every list gets: (query string, expected status, whether the page must say a
# filter was "ignored", how many of the one row per list it shows). Values that only one
# list's filters refuse (?year=abc, ?budget_min=x, ?region=nope, ...) are tested with that
# list in tests/<app>/test_views.py, with a valid filter next to them that must still apply.
MALFORMED = [
    ("page=abc", 200, False, 1),
    ("page=999", 200, False, 1),
    ("page=-1", 200, False, 1),
    ("page=1.5", 200, False, 1),
    ("page=99999999999999999999999999", 200, False, 1),
    ("page=1&page=x", 200, False, 1),
    ("country=co", 200, False, 1),  # a code in any case: Colombia, as ?country=CO
    ("country=CO&country=EC", 200, False, 0),  # the last value wins
    ("q=" + "x" * 5000, 200, True, 1),
    ("q=a%00b", 200, True, 1),
    ("q=" + quote(ODD_UNICODE), 200, False, 0),
    ("q=%FF%FE%C3%28", 200, False, 0),  # not UTF-8
    ("q=%25_%5C'%22;--", 200, False, 0),  # LIKE wildcards and quotes match literally
    ("%00=1&q%00=2&=3&&", 200, False, 1),
    ("&".join(f"p{i}=1" for i in range(300)), 400, False, None),
    ("q=a&" * 300, 400, False, None),
]


@pytest.fixture
def one_of_each(db):
    make_news_item(title="Visible news", countries=["CO"])
    make_project(title="Visible project", benefiting_states=["CO"])
    make_contact(name="Visible contact", country="CO")


@pytest.mark.parametrize(
    ("query", "status", "ignored", "rows"), MALFORMED, ids=lambda v: str(v)[:40]
)
def test_malformed_query_strings_never_500(client, one_of_each, query, status, ignored, rows):
    client.raise_request_exception = True  # a crash fails the test with its traceback
    for url in LISTS:
        response = client.get(f"{url}?{query}")
        assert response.status_code == status, url
        if status == 200:
            content = response.content.decode()
            assert "Filter the list" in content, url  # the list page, not an error page
            assert ("ignored" in content) is ignored, url
            assert len(response.context["object_list"]) == rows, url


def test_two_hundred_query_parameters_are_still_accepted(client, db):
    query = "&".join(f"p{i}=1" for i in range(200))
    assert client.get(f"/projects/?{query}").status_code == 200
