"""One summary line per item wherever it appears (news/includes/summary.html,
projects/includes/summary.html): kind · date · place for news, "Date unknown" when undated, the
same order on every page, and no separator left hanging when a part is missing."""

import datetime
import html
import re

import pytest

from tests.factories import make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db


def summary_lines(response):
    """The text of every summary line (``<p class="meta">``) on the page."""
    content = response.content.decode()
    assert response.status_code == 200
    lines = re.findall(r'<p class="meta">(.*?)</p>', content, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", line)).split()) for line in lines]


def assert_no_dangling_separator(response):
    assert not re.search(r"·\s*</", response.content.decode()), "a separator before a closing tag"
    for line in summary_lines(response):
        assert not line.startswith("·") and not line.endswith("·") and "· ·" not in line, line


@pytest.fixture
def undated(client):
    """An undated press release filed from Tbilisi, and a dated one sharing its country (its
    related item, and the other way round), both named by a contact."""
    contact = make_contact(name="Nino Press")
    item = make_news_item(
        title="Floods in the valley", published_on=None, dateline="Tbilisi",
        countries=["GE"], contacts=[contact],
    )  # fmt: skip
    dated = make_news_item(
        title="Floods again", published_on=datetime.date(2021, 5, 4), dateline="Tbilisi",
        countries=["GE"], contacts=[contact],
    )  # fmt: skip
    return item, dated, contact


UNDATED = "Press release · Date unknown · Tbilisi"
DATED = "Press release · 4 May 2021 · Tbilisi"


def surfaces(item, dated, contact):
    """Every page that shows the undated item: the list, the search, its own page, the dated
    item's related news and the contact's releases."""
    return {
        "list": "/news/",
        "search": "/search/?q=floods",
        "search, one type": "/search/?q=floods&type=news",
        "detail": item.get_absolute_url(),
        "related": dated.get_absolute_url(),
        "contact": contact.get_absolute_url(),
    }


def test_an_undated_item_reads_date_unknown_in_the_same_order_everywhere(client, undated):
    for name, url in surfaces(*undated).items():
        response = client.get(url)
        assert UNDATED in summary_lines(response), name
        assert_no_dangling_separator(response)


def test_a_dated_item_reads_in_the_same_order_everywhere(client, undated):
    item, dated, contact = undated
    urls = {**surfaces(item, dated, contact), "home": "/", "related": item.get_absolute_url(),
            "detail": dated.get_absolute_url()}  # fmt: skip
    for name, url in urls.items():
        assert DATED in summary_lines(client.get(url)), name


def test_missing_parts_leave_no_separator(client):
    bare = make_news_item(title="Floods, no details", published_on=None, dateline="", countries=[])
    many = make_news_item(
        title="Floods everywhere", dateline="", countries=["GE", "AM", "AZ", "TR"],
        published_on=datetime.date(2021, 5, 5),
    )  # fmt: skip
    kindless = make_news_item(title="Floods, no kind", published_on=None, dateline="", kind="")
    for url in ("/news/", "/search/?q=floods", bare.get_absolute_url()):
        response = client.get(url)
        assert "Press release · Date unknown" in summary_lines(response)
        assert_no_dangling_separator(response)
    assert summary_lines(client.get(kindless.get_absolute_url()))[0] == "Date unknown · Colombia"
    # No dateline: the item's countries are its place, three at most.
    assert "Press release · 5 May 2021 · Armenia, Azerbaijan, Georgia, …" in summary_lines(
        client.get(many.get_absolute_url())
    )


def test_the_summary_line_speaks_the_readers_language(client, undated):
    item = undated[0]
    for prefix, line in (("fr", "Communiqué de presse · Date inconnue · Tbilisi"),
                         ("es", "Comunicado de prensa · Fecha desconocida · Tbilisi")):  # fmt: skip
        response = client.get(f"/{prefix}/news/", {"lang": "all"})
        assert line in summary_lines(response)
    assert "Date unknown" in summary_lines(client.get(item.get_absolute_url()))[0]


def test_a_project_summary_leaves_out_what_is_unknown(client):
    make_project(title="Floods response", project_code="", status="", year=None, region=None)
    make_project(title="Floods recovery", project_code="GE10P0001", status="active", year=2021)
    for url in ("/", "/search/?q=floods", "/search/?q=floods&type=projects"):
        response = client.get(url)
        lines = summary_lines(response)
        assert "Project" in lines, url
        assert "GE10P0001 · Active · 2021 · Latin America and the Caribbean" in lines, url
        assert_no_dangling_separator(response)
