"""Every filter of every list reaches its CSV (and the projects feed): each output answers
the rows the list page answers for each parameter. A filter added to a FilterSet without a
value here fails the test, so a new filter cannot be dropped by an output unnoticed."""

import csv
import datetime
import io
from decimal import Decimal

import feedparser
import pytest

from contacts.filters import ContactFilter
from news.filters import NewsItemFilter
from projects.filters import ProjectFilter
from tests.factories import (
    make_contact,
    make_news_item,
    make_project,
    make_project_type,
    make_region,
)

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def news_rows():
    make_news_item(title="Floods in Colombia", countries=["CO"], kind="statement",
                   published_on=datetime.date(2024, 5, 1))  # fmt: skip
    make_news_item(title="Drought in Kenya", countries=["KE"], kind="story",
                   published_on=datetime.date(2020, 5, 1))  # fmt: skip
    make_news_item(title="Inondations", countries=["CO"], language="fr",
                   published_on=datetime.date(2024, 6, 1))  # fmt: skip


def project_rows():
    other_region = make_region("Asia and the Pacific")
    other_type = make_project_type("Emergency")
    make_project(title="Floods response", budget_usd=Decimal("5000"), year=2020,
                 benefiting_states=["CO"], status="active", coverage="national")  # fmt: skip
    make_project(title="Drought response", budget_usd=Decimal("900000"), year=2018,
                 benefiting_states=["KE"], status="completed", coverage="regional",
                 region=other_region, project_type=other_type)  # fmt: skip
    make_project(title="Projet en français", language="fr", benefiting_states=["CO"])


def contact_rows():
    make_contact(name="Floods officer", country="CO", office="IOM Colombia")
    make_contact(name="Kenya officer", country="KE", office="IOM Kenya")


LISTS = {
    "news": (NewsItemFilter, news_rows, {
        "q": "floods", "country": "CO", "year": "2024", "kind": "statement", "lang": "fr",
    }),
    "projects": (ProjectFilter, project_rows, {
        "q": "floods", "region": "asia-and-the-pacific", "country": "KE", "status": "completed",
        "type": "emergency", "coverage": "regional", "year": "2018", "budget_min": "10000",
        "budget_max": "10000", "lang": "fr", "sort": "-budget",
    }),
    "contacts": (ContactFilter, contact_rows, {"q": "floods", "country": "KE", "office": "kenya"}),
}  # fmt: skip
CASES = [(section, name) for section, (_, _, values) in LISTS.items() for name in values]


@pytest.mark.parametrize("section", LISTS)
def test_every_filter_has_a_value_here(section):
    filterset_class, _, values = LISTS[section]
    assert set(values) == set(filterset_class.base_filters)


def csv_urls(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["url"] for row in csv.DictReader(io.StringIO(text, newline=""))]


@pytest.mark.parametrize(("section", "name"), CASES)
def test_csv_answers_the_rows_of_the_list_for_each_filter(client, section, name):
    _, make_rows, values = LISTS[section]
    make_rows()
    params = {name: values[name]}
    page = client.get(f"/{section}/", params)
    expected = [HOST + row.get_absolute_url() for row in page.context["object_list"]]
    everything = client.get(f"/{section}/", {"lang": "all"} if section != "contacts" else {})
    assert 0 < len(expected) < len(everything.context["object_list"]), "the filter must choose"
    for url in (f"/{section}/export.csv", f"/{section}/"):
        query = params if url.endswith(".csv") else {**params, "format": "csv"}
        response = client.get(url, query)
        assert "X-Ignored-Filters" not in response
        assert csv_urls(response) == expected, (url, params)


@pytest.mark.parametrize("name", LISTS["projects"][2])
def test_projects_feed_answers_the_rows_of_the_list_for_each_filter(client, name):
    project_rows()
    params = {name: LISTS["projects"][2][name]}
    page = client.get("/projects/", params)
    expected = {HOST + row.get_absolute_url() for row in page.context["object_list"]}
    feed = feedparser.parse(client.get("/projects/feed/atom/", params).content)
    assert {entry.link for entry in feed.entries} == expected
