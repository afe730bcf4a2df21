"""The layout in a browser: no public page is wider than a phone's screen, and the filters sit
behind a disclosure on a phone and in the open on a desktop, without JavaScript."""

import pytest

from .conftest import AXE, chromium_page, inject_axe, public_paths, require

# The narrowest phones still sold, a common one, and a desktop.
WIDTHS = (320, 390, 1280)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# Unbroken text that must wrap: a URL, an e-mail address and a long word.
LONG_URL = "https://www.iom.int/" + "very-long-path-segment-" * 8 + "end"
LONG_EMAIL = "press-office-for-the-regional-bureau-of-east-and-horn-of-africa@iom.int"
LONG_WORD = "Rechtsschutzversicherungsgesellschaften" * 2


@pytest.fixture
def paths(demo_content):
    """Every public page of the demo site, and two pages holding text that does not break by
    itself (read before Playwright starts: its event loop makes the ORM refuse)."""
    from tests.factories import make_contact, make_news_item

    contact = make_contact(name=f"Office {LONG_WORD}", email=LONG_EMAIL)
    item = make_news_item(
        title=f"On {LONG_WORD}",
        lead=f"See {LONG_URL}",
        body=f'<p>Read <a href="{LONG_URL}">{LONG_URL}</a> or write to {LONG_EMAIL}.</p>',
        contacts=[contact],
    )
    return [*public_paths(), item.get_absolute_url(), contact.get_absolute_url()]


def overflow(page):
    """How far the page is wider than the window (0: not at all)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_public_page_is_wider_than_the_screen(paths, live_server, width):
    too_wide = {}
    with chromium_page(viewport={"width": width, "height": 800}) as page:
        for path in paths:
            page.goto(live_server.url + path)
            if excess := overflow(page):
                too_wide[path] = excess
            # Opened, the filters must fit too.
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true })")
            if excess := overflow(page):
                too_wide[f"{path} (filters open)"] = excess
            if problems := page.policy.problems():
                too_wide[path] = problems
    assert too_wide == {}


@pytest.fixture
def list_with_two_filters(demo_content, live_server):
    return live_server.url + "/news/?q=&country=KE&year=2019&kind=&lang=en"


def test_on_a_phone_the_filters_are_one_keypress_away(list_with_two_filters):
    with chromium_page(viewport=PHONE, java_script_enabled=False) as page:
        page.goto(list_with_two_filters)
        summary = page.locator(".filter-disclosure > summary")
        assert summary.inner_text() == "Filter (2 active)"
        assert summary.is_visible() and not page.locator("#id_country").is_visible()
        # The results come first: the closed disclosure is short.
        assert page.locator(".filter-disclosure").bounding_box()["height"] < 60
        summary.focus()
        page.keyboard.press("Enter")
        assert page.locator(".filter-disclosure").get_attribute("open") == ""
        assert page.locator("#id_country").is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "id_q"
        # Keeps what was chosen; Space on the summary closes it again.
        assert page.locator("#id_country").input_value() == "KE"
        summary.focus()
        page.keyboard.press(" ")
        assert not page.locator("#id_country").is_visible()


def test_on_a_desktop_the_filters_are_open(list_with_two_filters):
    with chromium_page(viewport=DESKTOP, java_script_enabled=False) as page:
        page.goto(list_with_two_filters)
        assert not page.locator(".filter-disclosure > summary").is_visible()
        assert page.locator("#id_country").is_visible()
        # The keyboard reaches them straight after the list's data links.
        page.locator(".data-links a").last.focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "id_q"
        with page.expect_navigation():
            page.keyboard.press("Enter")  # submits the filters, no script involved
        assert "country=KE" in page.url and "year=2019" in page.url


def test_the_project_table_is_a_stacked_list_on_a_phone(demo_content, live_server):
    labels = """[...document.querySelectorAll('.data tbody tr:first-child td')]
                  .map(td => getComputedStyle(td, '::before').content)"""
    display = "getComputedStyle(document.querySelector('.data tbody tr')).display"
    with chromium_page(viewport=PHONE) as page:
        page.goto(live_server.url + "/projects/")
        # Each row a block of "Label: value" lines under the code, the column heads hidden.
        assert page.evaluate(display) == "block"
        assert page.evaluate(labels) == [
            "none",
            '"Status: "',
            '"Region: "',
            '"Year: "',
            '"Budget (USD): "',
        ]
        assert page.locator(".data thead").bounding_box()["width"] <= 1
        page.set_viewport_size(DESKTOP)
        assert page.evaluate(display) == "table-row"
        assert set(page.evaluate(labels)) == {"none"}
        assert page.locator(".data thead").bounding_box()["width"] > 500


def test_home_grid_has_no_holes(demo_content, live_server):
    """Six news cards fill two rows of three and four project cards one row of four, each
    row's cards as tall as each other."""
    with chromium_page(viewport=DESKTOP) as page:
        page.goto(live_server.url + "/")
        for section, columns in (("#latest-news", 3), ("#projects-heading", 4)):
            boxes = page.evaluate(
                """(heading) => [...document.querySelector(heading).parentElement
                                  .querySelectorAll('.cards > li > .card')]
                     .map(card => { const r = card.getBoundingClientRect();
                                    return [Math.round(r.top), Math.round(r.height)]; })""",
                section,
            )
            rows = {}
            for top, height in boxes:
                rows.setdefault(top, set()).add(height)
            assert all(len(heights) == 1 for heights in rows.values()), (section, rows)
            counts = [len([b for b in boxes if b[0] == top]) for top in rows]
            assert counts == [columns] * (len(boxes) // columns), (section, counts)


def test_dark_colours_keep_aa_contrast(paths, live_server):
    """axe's colour-contrast rule with the reader's system set to dark (prefers-color-scheme),
    on the English pages (the French and Spanish ones have the same colours)."""
    require(AXE.exists(), "axe-core (node_modules)")
    failures = {}
    with chromium_page(viewport=DESKTOP, color_scheme="dark") as page:
        for path in [p for p in paths if not p.startswith(("/fr/", "/es/"))]:
            page.goto(live_server.url + path)
            inject_axe(page)
            result = page.evaluate(
                "axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}})"
            )
            if result["violations"]:
                failures[path] = [n["target"] for v in result["violations"] for n in v["nodes"]]
    assert failures == {}
