"""The sign-in pages of issue 11 under axe-core: the sign-in form with its one-time code
field, the lockout page, and the two-step set-up page with its QR code."""

import pytest

from .conftest import AXE, chromium_page, require
from .test_accessibility import axe_violations


@pytest.fixture
def page(editor_session):
    # After editor_session: once Playwright's event loop runs, the ORM refuses to work.
    require(AXE.exists(), "axe-core (node_modules)")
    with chromium_page() as page:
        yield page


def test_sign_in_lockout_and_two_step_pages_have_no_axe_violations(
    page, live_server, editor_session
):
    failures = {}
    page.goto(f"{live_server.url}/admin/login/")
    failures["sign-in"] = axe_violations(page)

    for _ in range(5):
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "wrong")
        page.click("input[type=submit]")
    page.wait_for_selector(".sign-in-lockout")
    assert "Sign-in is paused" in page.content()
    failures["lockout"] = axe_violations(page)

    page.context.add_cookies(
        [{"name": "sessionid", "value": editor_session, "url": live_server.url}]
    )
    response = page.goto(f"{live_server.url}/admin/two-step/")
    assert response.status == 200
    assert page.locator("svg.otp-qr").count() == 1
    failures["two-step"] = axe_violations(page)
    assert {name: v for name, v in failures.items() if v} == {}
