"""What the console log says (issue 11, point 7): a refused request is one line, a real
error keeps its traceback. The checks read the output of the configured console handler, so
they test the LOGGING setting itself, not just the filter class."""

import io
import logging
import sys

import pytest
from django.test import Client

from iomcms.logfilters import OneLineRefusals

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """The text the site's console handler writes during the test."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def lines(console):
    return console.getvalue().splitlines()


def test_a_disallowed_host_is_one_line(client, console):
    response = client.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    (line,) = lines(console)
    assert "ERROR django.security.DisallowedHost: Invalid HTTP_HOST header" in line
    assert "attacker.example" in line
    assert "Traceback" not in console.getvalue()


def test_a_permission_denied_is_one_line(client, django_user_model, console):
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/news/newsitem/").status_code == 403
    (line,) = lines(console)
    assert "WARNING django.request: Forbidden (Permission denied): /admin/news/newsitem/" in line


def test_a_csrf_refusal_is_one_line(django_user_model, console):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 403
    (line,) = lines(console)
    assert "WARNING django.security.csrf: Forbidden (CSRF cookie not set.)" in line


@pytest.mark.urls("tests.urls_raising")
def test_a_500_keeps_its_traceback(client, console):
    client.raise_request_exception = False
    assert client.get("/broken/").status_code == 500
    output = console.getvalue()
    assert "ERROR django.request: Internal Server Error: /broken/" in output
    assert "Traceback (most recent call last)" in output
    assert "DeliberateError: raised on purpose" in output


def test_the_filter_leaves_the_record_itself_alone():
    # Other handlers get the same record object; only the console's copy loses the exception.
    try:
        raise PermissionError("refused")
    except PermissionError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: /x", (), exc_info
    )
    record.status_code = 403
    shown = OneLineRefusals().filter(record)
    assert shown is not record and shown.exc_info is None
    assert record.exc_info is exc_info

    record.status_code = 500
    assert OneLineRefusals().filter(record) is True  # a server error passes as it is
    other = logging.LogRecord("news", logging.ERROR, __file__, 1, "failed", (), exc_info)
    assert OneLineRefusals().filter(other) is True


def test_runserver_still_logs_every_request():
    # Configuring the "django" logger resets its children; django.server is set up again.
    server = logging.getLogger("django.server")
    assert server.level == logging.INFO and not server.propagate
    assert "django.server" in [h.get_name() for h in server.handlers]
