"""The page skeleton as HTML: the organization's mark in the header (IOMCMS_LOGO), and the
labels the project table's stacked form shows on a phone. The widths themselves are measured in
a browser (tests/browser/test_layout.py)."""

import re

import pytest

from iomcms.apps import check_logo
from tests.factories import make_project

pytestmark = pytest.mark.django_db


def brand(response):
    return re.search(r'<a class="brand" href="/">(.*?)</a>', response.text, re.S).group(1)


def test_the_header_shows_the_mark_beside_the_site_name(client):
    html = brand(client.get("/"))
    # Decorative beside the name (alt=""), the link's text is the name.
    assert html == (
        '<img class="brand-mark" src="/static/img/logo-placeholder.svg" alt="" width="40"'
        ' height="40"><span class="wordmark">IOM Newsroom</span>'
    )


def test_without_a_logo_the_header_shows_the_name_alone(client, settings):
    settings.IOMCMS_LOGO = ""
    assert brand(client.get("/news/")) == '<span class="wordmark">IOM Newsroom</span>'


def test_a_logo_that_is_not_a_static_file_stops_the_checks(settings):
    assert check_logo(None) == []
    settings.IOMCMS_LOGO = "img/no-such-logo.svg"
    (error,) = check_logo(None)
    assert error.id == "iomcms.E001" and "img/no-such-logo.svg" in error.msg


@pytest.mark.parametrize(
    ("prefix", "labels"),
    [
        ("", ["Status", "Region", "Year", "Budget (USD)"]),
        ("/fr", ["Statut", "Région", "Année", "Budget (USD)"]),
    ],
)
def test_each_project_cell_carries_its_column_label(client, prefix, labels):
    make_project(status="active", year=2021)
    html = client.get(f"{prefix}/projects/?lang=all").text
    assert '<table class="data stack">' in html
    assert re.findall(r'<td(?: class="num")? data-label="([^"]+)">', html) == labels
