"""One filter vocabulary: every filter of every list reaches every output of that list.

For each parameter of each list's FilterSet, the list page's "This list as" links (RSS, Atom,
CSV, JSON, IATI: iomcms/outputs.py ``DATA_OUTPUTS``) are followed and each must answer the rows
the page answers, in the page's order when the parameter is ``sort``. The outputs are read from
the page's own links, so a format added to ``DATA_OUTPUTS`` is walked too, and a filter added to a
FilterSet without a value here fails the test: no output can drop a parameter unnoticed."""

import csv
import datetime
import io
from decimal import Decimal

import feedparser
import pytest
from lxml import etree

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
    # A year: IATI needs a date (projects without any are left out of it, docs/iati.md).
    make_project(title="Projet en français", language="fr", benefiting_states=["CO"], year=2021)


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


def feed_urls(response):
    return [entry.link for entry in feedparser.parse(response.content).entries]


def api_urls(client, response):
    urls = []
    while True:
        assert response.status_code == 200, response.content
        payload = response.json()
        urls += [row["url"] for row in payload["results"]]
        if not payload["next"]:
            return urls
        response = client.get(payload["next"])


def iati_urls(response):
    document = etree.fromstring(b"".join(response.streaming_content))
    return document.xpath("//iati-activity/document-link/@url")


def output_urls(client, link):
    """The page addresses of the rows an output link answers, in its order."""
    response = client.get(link["url"])
    assert response.status_code == 200, (link["url"], response.status_code)
    assert "X-Ignored-Filters" not in response, link["url"]
    read = {
        "RSS": feed_urls,
        "Atom": feed_urls,
        "CSV": csv_urls,
        "IATI": iati_urls,
        "JSON": lambda response: api_urls(client, response),
    }[link["label"]]
    return read(response)


@pytest.mark.parametrize(("section", "name"), CASES)
def test_every_output_answers_the_rows_of_the_list_for_each_filter(client, section, name):
    _, make_rows, values = LISTS[section]
    make_rows()
    params = {name: values[name]}
    page = client.get(f"/{section}/", params)
    expected = [HOST + row.get_absolute_url() for row in page.context["object_list"]]
    everything = client.get(f"/{section}/", {"lang": "all"} if section != "contacts" else {})
    assert 0 < len(expected) < len(everything.context["object_list"]), "the filter must choose"
    links = page.context["data_links"]
    assert {link["label"] for link in links} >= {"CSV", "JSON"}
    html = page.content.decode()
    for link in links:
        assert f'href="{link["url"].replace("&", "&amp;")}"' in html, link
        got = output_urls(client, link)
        if name == "sort":  # reorders only: the same rows, in the page's order
            assert got == expected, (link, params)
        else:
            assert sorted(got) == sorted(expected), (link, params)
    # The list page itself as CSV answers the same rows.
    response = client.get(f"/{section}/", {**params, "format": "csv"})
    assert csv_urls(response) == expected, params


def test_search_sections_link_their_rows_in_every_format(client):
    news_rows()
    project_rows()
    contact_rows()
    page = client.get("/search/", {"q": "floods"})
    sections = page.context["sections"]
    walked = 0
    for section in sections:
        expected = sorted(HOST + row.get_absolute_url() for row in section["rows"])
        for link in section["data_links"]:
            assert sorted(output_urls(client, link)) == expected, link
            walked += 1
    assert walked >= 5
