"""Printing a release and a project page (the "Print" rules of static/css/site.css): the
text with its dateline, media contacts and address, without menus, switcher, share links or
footer. Chromium emulates print media; page.pdf() prints it for real."""

import pytest

from .conftest import chromium_page

# Shown on screen, left out on paper.
SCREEN_ONLY = [
    ".site-header nav",
    ".header-search",
    ".language-switcher",
    ".breadcrumb",
    "[data-testid=share]",
    ".site-footer",
    ".skip-link",
]


@pytest.fixture
def pages(demo_content):
    """A release with a dateline and media contacts, and a project (read before Playwright
    starts: its event loop makes the ORM refuse)."""
    from news.models import NewsItem
    from projects.models import Project

    release = (
        NewsItem.objects.published()
        .filter(contacts__isnull=False, language="en")
        .exclude(dateline="")
        .first()
    )
    project = Project.objects.published().filter(language="en").first()
    return {
        "release": (release.get_absolute_url(), release.dateline),
        "project": (project.get_absolute_url(), project.project_code),
    }


@pytest.fixture
def browser_page():
    with chromium_page(viewport={"width": 1280, "height": 800}) as page:
        yield page


def visible(page, selector):
    return page.locator(selector).first.is_visible()


@pytest.mark.parametrize("kind", ["release", "project"])
def test_print_shows_the_text_and_its_address_without_the_site_around_it(
    pages, live_server, browser_page, kind
):
    page = browser_page
    path, fact = pages[kind]
    url = live_server.url + path
    page.goto(url)
    # On screen: the menus and the share links are there, the print-only address is not.
    assert all(visible(page, selector) for selector in SCREEN_ONLY[:6])
    assert not visible(page, "[data-testid=print-url]")

    page.emulate_media(media="print")
    shown = [selector for selector in SCREEN_ONLY if visible(page, selector)]
    assert shown == []
    assert visible(page, "h1") and visible(page, ".brand")  # the title, under the site's name
    assert visible(page, "[data-testid=print-url]")
    assert page.locator("[data-testid=print-url]").inner_text() == f"This page: {url}"
    assert fact in page.locator("main").inner_text()
    if kind == "release":
        assert visible(page, ".dateline")
        assert visible(page, ".contacts-block")
        assert "@" in page.locator(".contacts-block").inner_text()  # their e-mail addresses
    # A link in the text that leaves the site shows where it goes; one within it does not.
    after = page.evaluate(
        """() => {
             const prose = document.querySelector(".prose");
             const out = Object.assign(document.createElement("a"),
                                       {href: "https://example.org/report", textContent: "x"});
             const within = Object.assign(document.createElement("a"),
                                          {href: "/news/", textContent: "y"});
             prose.append(out, within);
             return [out, within].map((a) => getComputedStyle(a, "::after").content);
           }"""
    )
    assert after == ['" (https://example.org/report)"', "none"]
    assert page.pdf(format="A4").startswith(b"%PDF")
    assert page.policy.problems() == []
