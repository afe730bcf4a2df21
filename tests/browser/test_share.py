"""The share block's "Copy link" (templates/includes/share.html, static/js/share.js): with
JavaScript a button copies the address; without it the address is in a read-only field."""

import pytest

from .conftest import chromium_page


@pytest.fixture
def release(demo_content):
    from news.models import NewsItem

    return NewsItem.objects.published().filter(language="en").first().get_absolute_url()


def test_copy_link_button_copies_the_address(release, live_server):
    url = live_server.url + release
    with chromium_page(permissions=["clipboard-read", "clipboard-write"]) as page:
        page.goto(url)
        button = page.get_by_role("button", name="Copy link")
        assert button.is_visible()
        button.click()
        status = page.locator(".share-status")
        status.filter(has_text="Link copied.").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == url
        assert page.policy.problems() == []  # the script is the site's own: the CSP allows it


def test_without_javascript_the_address_is_there_to_select(release, live_server):
    url = live_server.url + release
    with chromium_page(java_script_enabled=False) as page:
        page.goto(url)
        assert not page.get_by_role("button", name="Copy link").is_visible()
        field = page.get_by_label("Link to this page")
        assert field.input_value() == url
        assert field.get_attribute("readonly") is not None
        field.select_text()  # selectable, to copy by hand
        assert page.get_by_role("link", name="Share on LinkedIn (opens in a new tab)").is_visible()


def test_the_share_block_fits_a_small_phone(release, live_server):
    with chromium_page(viewport={"width": 320, "height": 640}) as page:
        page.goto(live_server.url + release)
        block = page.get_by_test_id("share").bounding_box()
        assert block["x"] >= 0 and block["x"] + block["width"] <= 320
        field = page.get_by_label("Link to this page").bounding_box()
        assert field["x"] + field["width"] <= 320
