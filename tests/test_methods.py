"""Public URLs answer GET and HEAD, OPTIONS says so, other methods get 405 (iomcms/methods.py).

The client enforces CSRF checks, as a browser or an attacker meets them: a refused POST must
be a 405 from the view, not a 403 from the CSRF middleware that runs first.
"""

import pytest
from django.test import Client

from tests.factories import make_contact, make_news_item, make_project

ALLOW = "GET, HEAD, OPTIONS"
REFUSED = ["post", "put", "patch", "delete", "trace"]


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def public_urls(db):
    contact = make_contact(name="Ana Pérez")
    news = make_news_item(title="Floods", contacts=[contact])
    project = make_project(title="Shelter")
    return {
        "home": "/",
        "search": "/search/?q=floods",
        "news list": "/news/?kind=press-release",
        "news detail": news.get_absolute_url(),
        "project list": "/projects/",
        "project detail": project.get_absolute_url(),
        "contact list": "/contacts/",
        "contact detail": contact.get_absolute_url(),
        "rss feed": "/news/feed/rss/",
        "atom feed": "/news/feed/atom/",
        "sitemap index": "/sitemap.xml",
        "sitemap section": "/sitemap-news.xml",
        "robots.txt": "/robots.txt",
    }


def call(client, method, url):
    return getattr(client, method)(url)


def test_get_and_head_answer_200(csrf_client, public_urls):
    for name, url in public_urls.items():
        get = csrf_client.get(url)
        head = csrf_client.head(url)
        assert (get.status_code, head.status_code) == (200, 200), name
        assert get.content and not head.content, name
        assert head["Content-Type"] == get["Content-Type"], name


@pytest.mark.parametrize("method", REFUSED)
def test_other_methods_get_a_405_with_allow(csrf_client, public_urls, method):
    for name, url in public_urls.items():
        response = call(csrf_client, method, url)
        assert response.status_code == 405, (name, method, response.status_code)
        assert response["Allow"] == ALLOW, name
        # A small page saying so, never cached, with the site's security headers.
        assert response["Content-Type"].startswith("text/html"), name
        assert b"Method not allowed" in response.content, name
        assert b"Traceback" not in response.content, name
        assert "no-store" in response["Cache-Control"], name
        assert "Content-Security-Policy" in response, name


def test_options_answers_200_with_allow_and_no_body(csrf_client, public_urls):
    for name, url in public_urls.items():
        response = csrf_client.options(url)
        assert response.status_code == 200, name
        assert response["Allow"] == ALLOW, name
        assert response.content == b"", name


def test_a_refused_method_does_not_run_the_view(csrf_client, db, django_assert_num_queries):
    # Nothing is read for a refused request, not even whether the item exists.
    with django_assert_num_queries(0):
        response = csrf_client.post("/news/no-such-item/", {"title": "x"})
    assert response.status_code == 405
    assert csrf_client.post("/no-such-page/").status_code == 404  # no view, no 405


def test_a_draft_answers_405_to_post_and_404_to_get(csrf_client, db):
    draft = make_news_item(title="Secret", publication_status="draft")
    assert csrf_client.get(draft.get_absolute_url()).status_code == 404
    response = csrf_client.post(draft.get_absolute_url())
    assert response.status_code == 405  # as for any slug: says nothing about the draft
    assert b"Secret" not in response.content


def test_the_admin_still_takes_post_and_checks_csrf(csrf_client, admin_user):
    # Without a token, the admin's login form is refused by the CSRF middleware as before.
    response = csrf_client.post("/admin/login/", {"username": "admin", "password": "password"})
    assert response.status_code == 403
    # With the token from the form, the POST signs in.
    csrf_client.get("/admin/login/")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": "password", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_admin_change_form_still_saves(staff_client):
    contact = make_contact(name="Ana Pérez")
    url = f"/admin/contacts/contact/{contact.pk}/change/"
    assert staff_client.options(url).status_code == 200  # Django's admin views: unchanged
    response = staff_client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(name="Ana Pérez Gómez", _save="Save")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    contact.refresh_from_db()
    assert contact.name == "Ana Pérez Gómez"
