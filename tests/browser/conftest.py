"""Tools for the browser checks: Debian's chromium, axe-core and the Nu HTML checker (npm).

On a developer machine without them the checks are skipped, saying what to install; in CI
(``CI=true``) a missing tool is a failure, so the checks can never silently stop running.
`.ci/run` installs them.
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")


def require(condition, what):
    if condition:
        return
    message = f"{what} is missing: run `npm ci` and `apt-get install chromium default-jre-headless`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def demo_content(transactional_db):
    """The demo site (the importer over demo/legacy, as bin/serve runs it), in the test database."""
    from django.core.management import call_command

    call_command(
        "import_legacy",
        str(ROOT / "demo" / "legacy"),
        manifest=str(ROOT / "demo" / "manifest.csv"),
        verbosity=0,
    )


@pytest.fixture
def editor_session(transactional_db):
    """The session key of a signed-in staff user without a group (read before Playwright
    starts: its event loop makes the ORM refuse)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_user("door", password="pw", is_staff=True)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def public_paths():
    """One URL of every kind of public page, taken from the demo content."""
    from contacts.models import Contact
    from countries.links import country_url
    from news.models import NewsItem
    from projects.models import Project

    news = NewsItem.objects.published().filter(contacts__isnull=False).first()
    project = Project.objects.published().exclude(benefiting_states="").first()
    contact = Contact.objects.published().first()
    # A release with French and Spanish versions: its page has the "Also in" block.
    translated = (
        NewsItem.objects.published().filter(language="en").exclude(translation_group=None)[0]
    )
    english = [
        "/",
        "/news/",
        "/news/?country=KE&year=2019&page=1",
        "/news/?year=abc",  # a form error is shown
        # Found in English; under /fr/ and /es/, none in the reader's language: the empty
        # list links to the languages that hold matches (includes/languages_elsewhere.html).
        "/news/?q=migrants",
        news.get_absolute_url(),
        translated.get_absolute_url(),
        "/projects/",
        "/projects/?status=active&sort=-budget",
        "/projects/statistics/",  # charts, the map and its list (issue 17)
        "/projects/statistics/?status=active&year=abc",  # filtered, with a form error
        project.get_absolute_url(),
        "/contacts/",
        contact.get_absolute_url(),
        "/contacts/?country=KE",
        # A country page (countries/): the first country a public project benefits, and the
        # news list filtered by it, which links to that page.
        country_url(project.benefiting_states[0]),
        f"/news/?country={project.benefiting_states[0].code}",
        "/search/",
        "/search/?q=migrants",
        "/does-not-exist/",
        *embargo_paths(contact),
    ]
    # The same pages with the French and Spanish interface (iomcms/i18n.py): same path words;
    # the API's documentation has one address (api/urls.py).
    return [
        *english,
        *(f"/{code}{path}" for code in ("fr", "es") for path in english),
        "/api/v1/docs/",
    ]


def embargo_paths(contact):
    """An embargo link's page (a scheduled release) and a withdrawn link's 410 page."""
    import datetime

    from django.utils import timezone

    from embargo.tokens import make_token
    from tests.factories import make_embargo_link, make_news_item

    release = make_news_item(
        go_live_at=timezone.now() + datetime.timedelta(days=1), contacts=[contact]
    )
    withdrawn = make_embargo_link(release, revoked_at=timezone.now())
    return [f"/embargo/{make_token(link)}/" for link in (make_embargo_link(release), withdrawn)]


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs in every document before its own scripts (an init script, which the page's
# Content-Security-Policy does not govern) and records each violation the browser reports.
_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || location.pathname}:${event.lineNumber})`
  );
});
"""
# Chromium's console lines for a refused script, style, frame or form target, a
# report-only violation, and a Permissions-Policy header it cannot parse.
_CONSOLE_MARKERS = ("Content Security Policy", "Permissions-Policy", "Permissions policy")


class PolicyWatch:
    """What the browser said about the site's security headers on the pages it loaded."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(_RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message):
        if any(marker in message.text for marker in _CONSOLE_MARKERS):
            self.console.append(f"{self.page.url}: {message.text}")

    def problems(self):
        """Violations on the page now loaded, and every console complaint so far; clears both."""
        events = self.page.evaluate(
            "window.__cspViolations ? window.__cspViolations.splice(0) : []"
        )
        found = [f"{self.page.url}: {event}" for event in events] + self.console
        self.console = []
        return found


@contextmanager
def chromium_page(**page_options):
    """A page in headless Chromium (closed afterwards) whose ``page.policy`` is a
    :class:`PolicyWatch`. Start it after every database read: Playwright's event loop makes
    the ORM refuse."""
    require(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(**page_options)
            page.policy = PolicyWatch(page)
            yield page
        finally:
            browser.close()


def inject_axe(page):
    """Load axe-core into the page through DevTools, which its CSP does not block (a
    <script> tag would need the page's nonce)."""
    page.evaluate(AXE.read_text())
