"""Content-Security-Policy and Permissions-Policy on every response (iomcms/settings/base.py).

The browser side (no page breaks the policy) is tests/browser/test_csp.py.
"""

import ast
import re
from html.parser import HTMLParser

import pytest
from django.utils.csp import CSP

from iomcms.headers import permissions_policy
from tests.factories import make_contact, make_news_item, make_project
from tests.test_settings import run

ENFORCE, REPORT_ONLY = str(CSP.HEADER_ENFORCE), str(CSP.HEADER_REPORT_ONLY)


def directives(header):
    """``"default-src 'self'; img-src 'self'"`` → ``{"default-src": ["'self'"], ...}``."""
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"{name} given twice"
        parsed[name] = values
    return parsed


def assert_strict(header):
    policy = directives(header)
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    for name in ("script-src", "style-src", "img-src"):
        # 'self' and at most this response's nonce: no host, scheme or wildcard.
        assert policy[name][0] == "'self'", name
        assert all(re.fullmatch(r"'nonce-[\w-]+'", value) for value in policy[name][1:]), name
    return policy


class Scripts(HTMLParser):
    """The page's inline <script>s and <style>s (their nonce attribute), and style attributes."""

    def __init__(self, content):
        super().__init__()
        self.inline, self.style_attributes = [], []
        self.feed(content)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.style_attributes.append(tag)
        if tag == "style" or (tag == "script" and "src" not in attrs):
            self.inline.append((tag, attrs.get("type"), attrs.get("nonce")))


@pytest.fixture
def pages(db):
    news = make_news_item(title="Floods in the north")
    project = make_project(title="Shelter for returnees")
    contact = make_contact(name="Ana Pérez")
    make_news_item(title="With a contact", contacts=[contact])
    return {
        "home": "/",
        "news list": "/news/?kind=press-release&page=2",
        "news detail": news.get_absolute_url(),
        "project list": "/projects/",
        "project detail": project.get_absolute_url(),
        "contact list": "/contacts/",
        "contact detail": contact.get_absolute_url(),
        "search": "/search/?q=floods",
        "not found": "/no-such-page/",
    }


def test_every_public_page_sends_the_strict_policy(client, pages):
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        assert REPORT_ONLY not in response, name
        assert_strict(response[ENFORCE])
        assert response["Permissions-Policy"].startswith("accelerometer=()"), name
        page = Scripts(response.content.decode())
        assert page.style_attributes == [], name


@pytest.mark.parametrize(
    "url",
    ["/news/feed/rss/", "/news/feed/atom/", "/sitemap.xml", "/sitemap-news.xml", "/robots.txt"],
)
def test_feeds_sitemaps_and_robots_carry_the_policy_too(client, db, url):
    # Not HTML, so nothing in them runs; the headers come anyway, from the same middleware,
    # so a browser that renders one (an XML or text view) still gets the restrictions.
    response = client.get(url)
    assert response.status_code == 200
    policy = assert_strict(response[ENFORCE])
    assert not any("nonce" in value for value in policy["script-src"])
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("kind", ["news", "project", "contact"])
def test_the_jsonld_script_carries_the_nonce_of_the_header(client, db, kind):
    if kind == "news":
        obj = make_news_item(title="Floods")
    elif kind == "project":
        obj = make_project(title="Shelter")
    else:
        obj = make_contact(name="Ana Pérez")
    nonces = []
    for _ in range(2):
        response = client.get(obj.get_absolute_url())
        policy = assert_strict(response[ENFORCE])
        script_nonce = policy["script-src"][1].removeprefix("'nonce-").removesuffix("'")
        inline = Scripts(response.content.decode()).inline
        # Every inline script or style on the page (here the JSON-LD) has the header's nonce.
        assert inline == [("script", "application/ld+json", script_nonce)]
        assert policy["style-src"] == ["'self'", f"'nonce-{script_nonce}'"]
        nonces.append(script_nonce)
    assert len(nonces[0]) >= 16
    assert nonces[0] != nonces[1]  # a fresh nonce on every response


def test_a_page_without_inline_script_sends_no_nonce(client, db):
    # The nonce is made only when a template asks for it: a list page needs none.
    policy = assert_strict(client.get("/news/")[ENFORCE])
    assert policy["script-src"] == ["'self'"]


def test_admin_pages_send_the_policy_and_nonce_their_inline_tags(staff_client):
    news = make_news_item(title="Floods")
    for url in [
        "/admin/",
        "/admin/news/newsitem/",
        f"/admin/news/newsitem/{news.pk}/change/",
        f"/admin/news/newsitem/{news.pk}/history/",
        "/admin/news/newsitem/add/",
        "/admin/import-legacy/",
        "/admin/audit/",
    ]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        policy = assert_strict(response[ENFORCE])
        page = Scripts(response.content.decode())
        assert page.style_attributes == [], url
        nonces = {f"'nonce-{nonce}'" for _tag, _type, nonce in page.inline}
        assert nonces <= set(policy["script-src"]) & set(policy["style-src"]), url
        assert None not in {nonce for _tag, _type, nonce in page.inline}, url


def test_the_admin_login_page_sends_the_policy(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_strict(response[ENFORCE])


def test_the_500_page_styles_itself_with_the_nonce(client, db, settings):
    settings.ROOT_URLCONF = "tests.urls_raising"
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    policy = assert_strict(response[ENFORCE])
    [(tag, _type, nonce)] = Scripts(response.content.decode()).inline
    assert tag == "style"
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]


def test_report_only_setting_changes_the_header_name(client, db, settings):
    # What IOMCMS_CSP_REPORT_ONLY=1 sets (the environment itself: the test below).
    settings.SECURE_CSP_REPORT_ONLY, settings.SECURE_CSP = settings.IOMCMS_CSP, {}
    response = client.get(make_news_item(title="Floods").get_absolute_url())
    assert ENFORCE not in response
    policy = assert_strict(response[REPORT_ONLY])
    assert len(policy["script-src"]) == 2  # the JSON-LD's nonce, as in enforcing mode


# robots.txt touches no database, so the child process can answer it without one.
SHOW_HEADERS = (
    "import django; django.setup(); from django.test import Client; "
    "r = Client().get('/robots.txt'); "
    "print(repr(r.get('Content-Security-Policy'))); "
    "print(repr(r.get('Content-Security-Policy-Report-Only')))"
)


@pytest.mark.parametrize(
    "env, enforced",
    [
        ({}, True),
        ({"IOMCMS_CSP_REPORT_ONLY": "1"}, False),
        ({"IOMCMS_CSP_REPORT_ONLY": "no"}, True),
    ],
)
def test_report_only_comes_from_the_environment(env, enforced):
    result = run(
        ["-c", SHOW_HEADERS],
        DJANGO_SETTINGS_MODULE="iomcms.settings.test",
        IOMCMS_CSP_REPORT_URI="https://csp.example.org/report",
        **env,
    )
    assert result.returncode == 0, result.stderr
    enforce, report_only = result.stdout.splitlines()
    sent, absent = (enforce, report_only) if enforced else (report_only, enforce)
    assert absent == "None"
    policy = assert_strict(ast.literal_eval(sent))
    assert policy["report-uri"] == ["https://csp.example.org/report"]


def test_a_bad_report_uri_stops_start_up_with_a_clear_message():
    result = run(
        ["-c", "import django; django.setup()"],
        DJANGO_SETTINGS_MODULE="iomcms.settings.test",
        IOMCMS_CSP_REPORT_URI="https://a.example/; script-src *",
    )
    assert result.returncode != 0
    assert "IOMCMS_CSP_REPORT_URI must be one URL" in result.stderr


def test_permissions_policy_syntax():
    assert permissions_policy({"camera": [], "fullscreen": ["self", "https://a.example"]}) == (
        'camera=(), fullscreen=(self "https://a.example")'
    )


def test_a_view_may_set_its_own_permissions_policy(rf, settings):
    from django.http import HttpResponse

    from iomcms.headers import PermissionsPolicyMiddleware

    own = HttpResponse()
    own["Permissions-Policy"] = "fullscreen=(self)"
    middleware = PermissionsPolicyMiddleware(lambda request: own)
    assert middleware(rf.get("/"))["Permissions-Policy"] == "fullscreen=(self)"
    settings.IOMCMS_PERMISSIONS_POLICY = {}
    assert "Permissions-Policy" not in PermissionsPolicyMiddleware(lambda r: HttpResponse())(
        rf.get("/")
    )


def test_pictures_on_a_media_host_are_allowed_by_img_src():
    result = run(
        ["-c", SHOW_HEADERS],
        DJANGO_SETTINGS_MODULE="iomcms.settings.test",
        IOMCMS_MEDIA_URL="https://media.example.org/newsroom/",
    )
    assert result.returncode == 0, result.stderr
    policy = directives(ast.literal_eval(result.stdout.splitlines()[0]))
    assert policy["img-src"] == ["'self'", "https://media.example.org"]
    assert policy["default-src"] == ["'self'"]


@pytest.mark.parametrize("url", ["http://media.example.org/", "https://a.example/x; script-src *"])
def test_a_bad_media_url_stops_start_up_with_a_clear_message(url):
    result = run(
        ["-c", "import django; django.setup()"],
        DJANGO_SETTINGS_MODULE="iomcms.settings.test",
        IOMCMS_MEDIA_URL=url,
    )
    assert result.returncode != 0
    assert "IOMCMS_MEDIA_URL must be a path" in result.stderr
