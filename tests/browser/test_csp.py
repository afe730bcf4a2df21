"""The Content-Security-Policy in a real browser: no page, public or admin, breaks it.

The policy is strict (no 'unsafe-inline', no 'unsafe-eval'; see iomcms/settings/base.py), so
an inline style attribute, an inline script without the nonce or an eval in our templates or
in the admin's own scripts would be refused by Chromium and reported here. The admin part signs
in through the login form and uses the admin's scripts (calendar, autocomplete, the action bar),
as an editor does.
"""

import pytest

from .conftest import chromium_page, public_paths


@pytest.fixture
def browser_page():
    with chromium_page() as page:
        yield page


@pytest.fixture
def site(demo_content):
    """Public paths, and the objects the admin part opens (read before Playwright starts: its
    event loop makes the ORM refuse)."""
    from django.contrib.auth import get_user_model

    from contacts.models import Contact
    from news.models import NewsItem

    user = get_user_model().objects.create_superuser("csp", "csp@example.org", "csp-password")
    item = NewsItem.objects.published().filter(contacts__isnull=False).first()
    item.title += " (edited)"
    item.save()
    older, newer = item.history.order_by("history_id")[:2]
    return {
        "paths": public_paths(),
        "item": item.pk,
        "user": user.pk,
        "compare": f"?older={older.history_id}&newer={newer.history_id}",
        "contacts": list(Contact.objects.order_by("pk").values_list("pk", flat=True)[:2]),
    }


def record_problems(page, failures, name):
    """Once the page has loaded, what the policy watch saw, under ``name``."""
    page.wait_for_load_state("load")
    if problems := page.policy.problems():
        failures[name] = problems


def test_the_watch_sees_a_violation(live_server, browser_page):
    """The checks below could fail: an inline script added without the nonce is reported."""
    page = browser_page
    page.goto(live_server.url + "/")
    assert page.policy.problems() == []
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None  # refused, and reported:
    assert any("script-src" in problem for problem in page.policy.problems())


def test_public_pages_report_no_violation(site, live_server, browser_page):
    page = browser_page
    failures = {}
    for path in site["paths"]:
        page.goto(live_server.url + path)
        if problems := page.policy.problems():
            failures[path] = problems
    assert failures == {}


def test_admin_pages_report_no_violation(site, live_server, browser_page):
    page = browser_page
    base = live_server.url
    item = site["item"]
    failures = {}

    def check(name):
        record_problems(page, failures, name)

    page.goto(base + "/admin/login/")
    check("login")
    page.fill("#id_username", "csp")
    page.fill("#id_password", "csp-password")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url == base + "/admin/"
    check("admin index")

    for name, path in {
        "news changelist": "/admin/news/newsitem/?kind__exact=press-release",
        "change form": f"/admin/news/newsitem/{item}/change/",
        "history": f"/admin/news/newsitem/{item}/history/",
        "compare": f"/admin/news/newsitem/{item}/history/compare/{site['compare']}",
        "import page": "/admin/import-legacy/",
        "project changelist": "/admin/projects/project/",
        "picture changelist": "/admin/pictures/picture/",
        "picture upload form": "/admin/pictures/picture/add/",
        "picture popup": "/admin/pictures/picture/add/?_to_field=id&_popup=1",
        "user change form": f"/admin/auth/user/{site['user']}/change/",
        "password change": "/admin/password_change/",
    }.items():
        response = page.goto(base + path)
        assert response.status == 200, name
        check(name)

    # The add form's scripts: the slug filled from the title, the calendar and the clock, the
    # autocomplete of a contact in the inline.
    page.goto(base + "/admin/news/newsitem/add/")
    page.locator("#id_title").press_sequentially("Policy check")  # prepopulate.js: keyup
    assert page.input_value("#id_slug") == "policy-check"
    page.locator(".datetimeshortcuts a").first.click()
    page.locator(".datetimeshortcuts a").nth(1).click()
    page.locator(".select2-selection").first.click()
    page.wait_for_selector(".select2-results__option")
    check("add form with widgets")

    # The merge action: the action bar's script, then our confirmation page.
    page.goto(base + "/admin/contacts/contact/")
    for pk in site["contacts"]:
        page.check(f"input.action-select[value='{pk}']")
    page.select_option("select[name=action]", "merge_contacts")
    with page.expect_navigation():
        page.click("button[name=index]")
    assert "Merge press contacts" in page.content()
    check("merge confirmation")

    assert failures == {}


def test_sign_in_door_and_error_pages_report_no_violation(
    editor_session, live_server, browser_page
):
    """The pages of the admin door (lockout, two-step set-up with its inline SVG) and the 404,
    which the admin walk above does not reach."""
    page = browser_page
    base = live_server.url
    failures = {}

    def check(name):
        record_problems(page, failures, name)

    page.goto(base + "/admin/login/")
    for _ in range(5):
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "wrong")
        page.click("input[type=submit]")
    page.wait_for_selector(".sign-in-lockout")
    check("lockout")

    page.context.add_cookies([{"name": "sessionid", "value": editor_session, "url": base}])
    response = page.goto(base + "/admin/two-step/")
    assert response.status == 200
    assert page.locator("svg.otp-qr").count() == 1
    check("two-step")

    response = page.goto(base + "/news/no-such-item/")
    assert response.status == 404
    check("404")
    assert failures == {}
