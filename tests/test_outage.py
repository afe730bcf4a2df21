"""A database that refuses connections: 503 "back soon", one log line per outage (iomcms/outage.py).

The HTTP tests run the site in a child process whose database really is unreachable: a
PostgreSQL port nothing listens on, or a SQLite file in a folder that does not exist yet (which
the test then creates, to bring the database back). The child's settings are read once, at
start-up, so the suite's own database (SQLite or PostgreSQL) is never involved.
"""

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.test import override_settings

from iomcms import outage

ROOT = Path(__file__).resolve().parent.parent

# Pages that need the database, each a different way in: function views, a class-based list
# and detail, search, a feed, the sitemap, the admin (its session looked up), a template that
# evaluates a lazy queryset while it renders, and a session saved by SessionMiddleware on the
# way out (a failure Django hands to handler500, not to process_exception).
PAGES = [
    "/",
    "/news/",
    "/projects/",
    "/news/some-item/",
    "/search/?q=migrants",
    "/news/feed/rss/",
    "/sitemap.xml",
    "/admin/",
    "/lazy-template/",
    "/session-on-the-way-out/",
]

CHILD = r"""
import json, logging, os, shutil, sys

import django

django.setup()

from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client, override_settings
from django.urls import path

from iomcms.urls import handler404, handler500, urlpatterns as site_urls
from news.models import NewsItem

records = []


class Keep(logging.Handler):
    def emit(self, record):
        records.append({"logger": record.name, "level": record.levelname,
                        "message": record.getMessage(), "traceback": bool(record.exc_info)})


logging.getLogger().addHandler(Keep())


def lazy_template(request):
    template = engines["django"].from_string("{% for n in items %}{{ n }}{% endfor %}")
    return TemplateResponse(request, template, {"items": NewsItem.objects.all()})


def session_on_the_way_out(request):
    request.session["seen"] = True  # no cookie: nothing loaded; saved by the middleware
    return HttpResponse("ok")


urlpatterns = [path("lazy-template/", lazy_template),
               path("session-on-the-way-out/", session_on_the_way_out), *site_urls]


def visit(rounds):
    # raise_request_exception off: a real server does not re-raise what handler500 handled.
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32  # a signed-in editor's cookie: the admin looks it up
    newcomer = Client(raise_request_exception=False)  # no session yet: nothing to look up
    seen = []
    for _ in range(rounds):
        for url in json.loads(os.environ["PAGES"]):
            r = (newcomer if url == "/session-on-the-way-out/" else client).get(url)
            seen.append({"url": url, "status": r.status_code, "retry_after": r.get("Retry-After"),
                         "cache_control": r.get("Cache-Control"), "body": r.content.decode()})
    return seen


with override_settings(ROOT_URLCONF="__main__"):
    down = visit(int(os.environ["ROUNDS"]))
    down_records = list(records)
    up = []
    if os.environ.get("RESTORE_FROM"):
        target = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(target))
        shutil.copy(os.environ["RESTORE_FROM"], target)
        up = visit(2)
print(json.dumps({"down": down, "up": up, "down_records": down_records,
                  "up_records": records[len(down_records):]}))
"""


def run_child(database_url, rounds=3, restore_from=None):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iomcms.settings.test",
        "DATABASE_URL": database_url,
        "PAGES": json.dumps(PAGES),
        "ROUNDS": str(rounds),
        "RESTORE_FROM": str(restore_from or ""),
        "IOMCMS_OUTAGE_RETRY_AFTER": "45",
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def assert_back_soon(visits):
    for visit in visits:
        assert visit["status"] == 503, visit["url"]
        assert visit["retry_after"] == "45", visit["url"]
        assert "no-store" in visit["cache_control"], visit["url"]
        assert "We will be back soon" in visit["body"], visit["url"]
        assert "Please try again in 45 seconds." in visit["body"], visit["url"]
        assert '<meta name="robots" content="noindex">' in visit["body"], visit["url"]


def assert_one_outage_line(records):
    assert len(records) == 1, records  # not one per request, not Django's "Service Unavailable"
    (line,) = records
    assert line["logger"] == "iomcms.outage"
    assert line["level"] == "WARNING"
    assert line["message"].startswith("Database unavailable (OperationalError: ")
    assert not line["traceback"]


def test_a_closed_postgresql_port_gives_503_on_every_page_and_one_log_line():
    result = run_child("postgres://postgres@127.0.0.1:1/iomcms", rounds=3)
    assert len(result["down"]) == 3 * len(PAGES)
    assert_back_soon(result["down"])
    assert_one_outage_line(result["down_records"])


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    """A migrated SQLite database file, copied into place when the test brings the database
    back."""
    database = tmp_path_factory.mktemp("outage") / "migrated.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "iomcms.settings.test",
           "DATABASE_URL": f"sqlite:///{database}"}  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True,
        timeout=120,
    )  # fmt: skip
    return database


def test_pages_come_back_when_the_database_does_with_one_back_line(tmp_path, migrated_sqlite):
    missing = tmp_path / "not-yet" / "db.sqlite3"
    result = run_child(f"sqlite:///{missing}", rounds=2, restore_from=migrated_sqlite)
    assert_back_soon(result["down"])
    assert_one_outage_line(result["down_records"])

    statuses = {visit["url"]: visit["status"] for visit in result["up"]}
    assert statuses == {
        "/": 200,
        "/news/": 200,
        "/projects/": 200,
        "/news/some-item/": 404,  # an empty database: the page's own answer, not a 503
        "/search/?q=migrants": 200,
        "/news/feed/rss/": 200,
        "/sitemap.xml": 200,
        "/admin/": 302,  # an unknown session: to the login page
        "/lazy-template/": 200,
        "/session-on-the-way-out/": 200,
    }
    assert all("back soon" not in visit["body"] for visit in result["up"])
    # Django's own "Not Found: /news/some-item/" aside: one line for the recovery, then silence.
    lines = [r for r in result["up_records"] if r["message"] != "Not Found: /news/some-item/"]
    (back,) = lines
    assert back["logger"] == "iomcms.outage"
    assert back["level"] == "INFO"
    assert back["message"].startswith("Database back after ")


# --- units ---------------------------------------------------------------------------------


@pytest.fixture
def no_outage():
    outage._down_since = None
    yield
    outage._down_since = None


def unreachable_database_error(tmp_path):
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "no" / "db")}}
    )
    wrapper = handler["default"]
    try:
        # What ensure_connection() does (pytest-django blocks that call outside database tests).
        with wrapper.wrap_database_errors:
            wrapper.connect()
    except OperationalError as exc:
        return exc
    finally:
        handler.close_all()
    pytest.fail("the database was reachable")


def test_only_failures_to_connect_count_as_an_outage(tmp_path):
    refused = unreachable_database_error(tmp_path)
    assert outage.is_connection_failure(refused)
    try:
        raise RuntimeError("a view wrapped it") from refused
    except RuntimeError as wrapped:
        assert outage.is_connection_failure(wrapped)
    try:
        raise OperationalError("deadlock detected")  # a query's error: still a server error
    except OperationalError as exc:
        assert not outage.is_connection_failure(exc)
    assert not outage.is_connection_failure(ValueError("no"))
    assert not outage.is_connection_failure(None)


@override_settings(IOMCMS_OUTAGE_RETRY_AFTER=7)
def test_the_503_page_needs_no_database():
    # No django_db mark: a query here would raise.
    response = outage.unavailable_response()
    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Please try again in 7 seconds." in content


def test_one_warning_per_outage_and_one_info_when_back(tmp_path, caplog, no_outage):
    refused = unreachable_database_error(tmp_path)
    caplog.set_level(logging.INFO, logger="iomcms.outage")
    for _ in range(5):
        assert outage.failure_response(refused).status_code == 503
    assert outage.is_down()
    outage.note_connected(sender=None, connection=None)
    outage.note_connected(sender=None, connection=None)
    assert not outage.is_down()
    assert [(r.levelname, r.getMessage().split(" (")[0]) for r in caplog.records] == [
        ("WARNING", "Database unavailable"),
        ("INFO", "Database back after 0 s; serving pages again."),
    ]
    # A second outage is a new one: one more warning.
    outage.failure_response(refused)
    assert [r.levelname for r in caplog.records] == ["WARNING", "INFO", "WARNING"]


def test_other_errors_stay_server_errors(no_outage):
    assert outage.failure_response(ValueError("a bug")) is None
    assert not outage.is_down()


def test_threads_failing_together_log_one_line(tmp_path, caplog, no_outage):
    # gunicorn's threads: many requests meet the same outage at once.
    refused = unreachable_database_error(tmp_path)
    caplog.set_level(logging.INFO, logger="iomcms.outage")
    start = threading.Barrier(8)

    def request():
        start.wait()
        for _ in range(20):
            outage.failure_response(refused)

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.levelname for r in caplog.records] == ["WARNING"]
