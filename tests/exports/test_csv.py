"""CSV exports of the lists (iomcms/exports.py), through HTTP."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest

from contacts.models import Contact
from iomcms.exports import BOM, safe_cell
from iomcms.publishing import PublicationStatus
from tests.factories import (
    bulk_news_items,
    make_contact,
    make_news_item,
    make_project,
    make_region,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
HOST = "http://testserver"
# Pinned: the rows (one read: a server-side cursor on PostgreSQL) and, for news, one prefetch
# of the releases' contacts per chunk of 2,000 rows; whatever the number of rows below that.
NEWS_QUERIES = 2
PROJECT_QUERIES = 1
CONTACT_QUERIES = 1


def body(response):
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def read(response):
    """(header, rows as dicts) of a CSV response, checked for its encoding and form."""
    data = body(response)
    assert data.startswith(BOM.encode())
    text = data.decode("utf-8-sig")
    assert text.split("\n", 1)[0].endswith("\r") and text.endswith("\r\n")  # CRLF ends
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return reader.fieldnames, list(reader)


def get_csv(client, url, params=None, **extra):
    response = client.get(url, params or {}, **extra)
    header, rows = read(response)
    return response, header, rows


# --- Form of the response -----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/news/export.csv", "/news/?format=csv"])
def test_news_csv_is_streamed_utf8_with_a_header_and_every_column(client, url):
    # (The test client keeps a URL's query string when it is given no parameters.)
    contact = make_contact(name="Ana Pérez", email="ana@iom.int")
    item = make_news_item(
        title="Floods, “Piura”",
        kind="statement",
        countries=["PE", "EC"],
        dateline="Lima",
        lead="Families fled.",
        published_on=datetime.date(2024, 3, 5),
        contacts=[contact],
    )
    response, header, [row] = get_csv(client, url)
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"] == 'attachment; filename="iom-news_lang-en.csv"'
    assert "X-Ignored-Filters" not in response
    assert header == [
        "url",
        "title",
        "kind",
        "published_on",
        "dateline",
        "language",
        "country_codes",
        "country_names",
        "lead",
        "contact_names",
        "contact_emails",
        "contact_urls",
    ]
    assert row == {
        "url": HOST + item.get_absolute_url(),
        "title": "Floods, “Piura”",
        "kind": "statement",
        "published_on": "2024-03-05",
        "dateline": "Lima",
        "language": "en",
        "country_codes": "EC;PE",
        "country_names": "Ecuador;Peru",
        "lead": "Families fled.",
        "contact_names": "Ana Pérez",
        "contact_emails": "ana@iom.int",
        "contact_urls": HOST + contact.get_absolute_url(),
    }


def test_release_contacts_in_order_and_hidden_contacts_left_out(client):
    first, second = make_contact(name="Zoe First"), make_contact(name="Adam Second")
    hidden = make_contact(name="Hidden Person", is_public=False)
    make_news_item(contacts=[first, hidden, second])
    _, _, [row] = get_csv(client, "/news/export.csv")
    assert row["contact_names"] == "Zoe First;Adam Second"
    assert "Hidden" not in row["contact_urls"]


def test_projects_csv_columns_budget_as_decimal_and_dates_iso(client):
    project = make_project(
        title="Border support",
        project_code="CE.0373",
        budget_usd=Decimal("1234567.50"),
        benefiting_states=["CO", "EC"],
        start="2017-03",
        end="2018",
        summary="What it does.",
    )
    response, _, [row] = get_csv(client, "/projects/export.csv")
    assert response["Content-Disposition"] == 'attachment; filename="iom-projects_lang-en.csv"'
    assert row == {
        "url": HOST + project.get_absolute_url(),
        "project_code": "CE.0373",
        "title": "Border support",
        "status": "active",
        "project_type": "Community and Economic Development",
        "region": "Latin America and the Caribbean",
        "coverage": "national",
        "year": "2017",
        "start": "2017-03",
        "end": "2018",
        "budget_usd": "1234567.50",
        "country_codes": "CO;EC",
        "country_names": "Colombia;Ecuador",
        "language": "en",
        "summary": "What it does.",
    }


def test_project_without_budget_or_year_has_empty_cells(client):
    make_project(budget_usd=None, year=None)
    _, _, [row] = get_csv(client, "/projects/export.csv")
    assert row["budget_usd"] == "" and row["year"] == ""


def test_contacts_csv_columns_and_vcard_url(client):
    contact = make_contact(
        name="Ana Pérez",
        job_title="Media officer",
        office="IOM Colombia",
        phone="+57 1 594 6410",
        mobile="",
        country="CO",
    )
    response, _, [row] = get_csv(client, "/contacts/export.csv")
    assert response["Content-Disposition"] == 'attachment; filename="iom-contacts.csv"'
    assert row["url"] == HOST + contact.get_absolute_url()
    assert row["name"] == "Ana Pérez"
    assert row["phone"] == "'+57 1 594 6410"  # text starting with "+": never a formula
    assert row["country_code"] == "CO" and row["country_name"] == "Colombia"
    assert row["vcard_url"] == f"{HOST}/contacts/{contact.slug}.vcf"


def test_country_names_in_the_interface_language(client):
    make_news_item(countries=["DE"], language="fr")
    _, _, [row] = get_csv(client, "/fr/news/export.csv")
    assert row["country_names"] == "Allemagne"
    assert row["url"].startswith(f"{HOST}/fr/news/")


# --- Formula escaping ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]
)
def test_cells_that_would_run_as_formulas_get_a_quote(client, text):
    make_news_item(title=text, lead=text, dateline=text)
    _, _, [row] = get_csv(client, "/news/export.csv")
    assert row["title"] == row["lead"] == row["dateline"] == "'" + text


def test_harmless_text_and_numbers_are_written_as_they_are():
    assert safe_cell("IOM = migration") == "IOM = migration"
    assert safe_cell("") == ""
    assert safe_cell(None) == ""
    # Numbers are numbers to a spreadsheet, never formulas: not mangled, even negative ones.
    assert safe_cell(Decimal("-12.50")) == "-12.50"
    assert safe_cell(-3) == "-3"
    assert safe_cell(datetime.date(2024, 1, 2)) == "2024-01-02"
    # A negative number held as text is still text, and escaped.
    assert safe_cell("-12.50") == "'-12.50"


def test_quotes_commas_and_line_breaks_survive(client):
    make_news_item(title='He said "go", then\nleft', lead="a;b")
    _, _, [row] = get_csv(client, "/news/export.csv")
    assert row["title"] == 'He said "go", then\nleft'
    assert row["lead"] == "a;b"


# --- Public content only -----------------------------------------------------------------------


def test_drafts_scheduled_and_expired_items_are_never_exported(client):
    now = datetime.datetime.now(datetime.UTC)
    live = make_news_item(title="Live item")
    make_news_item(title="Draft item", publication_status=DRAFT)
    make_news_item(title="Scheduled item", go_live_at=now + datetime.timedelta(days=1))
    make_news_item(title="Expired item", expire_at=now - datetime.timedelta(days=1))
    make_project(title="Draft project", publication_status=DRAFT)
    make_contact(name="Unlisted", is_public=False)
    make_contact(name="Only on a draft", is_spokesperson=False)
    make_news_item(publication_status=DRAFT, contacts=[Contact.objects.get(name="Only on a draft")])
    _, _, rows = get_csv(client, "/news/export.csv", {"lang": "all"})
    assert [row["title"] for row in rows] == [live.title]
    _, _, rows = get_csv(client, "/projects/export.csv")
    assert rows == []
    _, _, rows = get_csv(client, "/contacts/export.csv")
    assert rows == []
    # A search for a draft's words finds nothing either.
    _, _, rows = get_csv(client, "/news/export.csv", {"q": "Draft"})
    assert rows == []


# --- Filters: the list's own --------------------------------------------------------------


def test_filters_apply_as_on_the_list_page(client):
    make_news_item(title="Colombia 2024", countries=["CO"], published_on=datetime.date(2024, 1, 2))
    make_news_item(title="Peru 2024", countries=["PE"], published_on=datetime.date(2024, 1, 3))
    make_news_item(title="Colombia 2020", countries=["CO"], published_on=datetime.date(2020, 1, 3))
    make_news_item(
        title="French", countries=["CO"], published_on=datetime.date(2024, 1, 4), language="fr"
    )
    params = {"country": "co", "year": "2024"}
    response, _, rows = get_csv(client, "/news/export.csv", params)
    page = client.get("/news/", params)
    assert [row["title"] for row in rows] == ["Colombia 2024"]
    assert [row["url"] for row in rows] == [
        HOST + item.get_absolute_url() for item in page.context["object_list"]
    ]
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="iom-news_country-CO_year-2024_lang-en.csv"'
    )
    response, _, rows = get_csv(client, "/news/export.csv", {**params, "lang": "fr"})
    assert [row["title"] for row in rows] == ["French"]
    assert response["Content-Disposition"].endswith('_lang-fr.csv"')
    # Without lang, /fr/ exports the French items, and the file name says so.
    response, _, rows = get_csv(client, "/fr/news/export.csv", params)
    assert [row["title"] for row in rows] == ["French"]
    assert response["Content-Disposition"].endswith('_year-2024_lang-fr.csv"')


def test_projects_filters_and_sort_as_the_list(client):
    region = make_region("Middle East and North Africa")
    make_project(title="B big", budget_usd=Decimal("900"), year=2020, region=region)
    make_project(title="A small", budget_usd=Decimal("100"), year=2020, region=region)
    make_project(title="C other region", year=2020)
    make_project(title="D old", year=2010, region=region)
    params = {"region": region.slug, "year": "2020", "sort": "budget"}
    response, _, rows = get_csv(client, "/projects/export.csv", params)
    page = client.get("/projects/", params)
    assert [row["title"] for row in rows] == ["A small", "B big"]
    assert [row["title"] for row in rows] == [p.title for p in page.context["object_list"]]
    assert response["Content-Disposition"] == (
        'attachment; filename="iom-projects_region-middle-east-and-north-africa_year-2020'
        '_lang-en.csv"'
    )
    # The list's default order: newest year first, then title.
    _, _, rows = get_csv(client, "/projects/export.csv")
    assert [row["title"] for row in rows] == [
        p.title for p in client.get("/projects/").context["object_list"]
    ]


def test_search_exports_every_match(client):
    make_news_item(title="Floods in Piura")
    make_news_item(title="Drought in Kenya")
    response, _, rows = get_csv(client, "/news/export.csv", {"q": "floods"})
    assert [row["title"] for row in rows] == ["Floods in Piura"]
    assert response["Content-Disposition"].endswith('_q-floods_lang-en.csv"')


def test_contacts_filters(client):
    make_contact(name="In Colombia", country="CO", office="IOM Colombia")
    make_contact(name="In Ecuador", country="EC", office="IOM Ecuador")
    response, _, rows = get_csv(client, "/contacts/export.csv", {"office": "ecuador"})
    assert [row["name"] for row in rows] == ["In Ecuador"]
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="iom-contacts_office-ecuador.csv"'


@pytest.mark.parametrize(
    ("url", "params", "ignored"),
    [
        ("/news/export.csv", {"year": "abc", "country": "ZZ"}, {"country", "year"}),
        ("/news/", {"format": "csv", "kind": "nope"}, {"kind"}),
        ("/projects/export.csv", {"budget_min": "500", "budget_max": "100"}, {"budget_min"}),
        ("/projects/export.csv", {"region": "atlantis", "status": "x"}, {"region", "status"}),
        ("/contacts/export.csv", {"country": "123"}, {"country"}),
    ],
)
def test_invalid_filters_are_ignored_and_named_in_a_header(client, url, params, ignored):
    make_news_item()
    make_project()
    make_contact()
    response, _, rows = get_csv(client, url, params)
    assert len(rows) == 1  # ignored, as the page ignores them
    messages = json.loads(response["X-Ignored-Filters"])
    assert set(messages) == ignored
    assert all(isinstance(m, str) and m for ms in messages.values() for m in ms)
    assert response["Content-Disposition"].count("_") <= 1  # no ignored value in the name


def test_ignored_filter_header_is_ascii_and_translated(client):
    response, _, _ = get_csv(client, "/fr/news/export.csv", {"year": "abc\u00e9\u201c"})
    header = response["X-Ignored-Filters"]
    assert header.isascii()
    assert json.loads(header)["year"] == ["Saisissez un nombre entier."]


def test_unsafe_characters_never_reach_the_file_name(client):
    response, _, _ = get_csv(client, "/news/export.csv", {"q": 'a"b\r\nX-Evil: 1/../é'})
    disposition = response["Content-Disposition"]
    name = disposition.removeprefix('attachment; filename="').removesuffix('"')
    assert name == "iom-news_q-ab-x-evil-1e_lang-en.csv"
    assert "X-Evil" not in response


@pytest.mark.parametrize("url", ["/projects/", "/contacts/", "/es/news/"])
def test_format_csv_on_every_list_page(client, url):
    make_news_item(language="es")
    make_project()
    make_contact()
    _, _, rows = get_csv(client, url, {"format": "csv"})
    assert len(rows) == 1
    assert client.get(url, {"format": "html"})["Content-Type"].startswith("text/html")


def test_only_get_and_head(client):
    assert client.post("/news/export.csv").status_code == 405
    assert client.head("/projects/export.csv").status_code == 200


# --- Bounded queries -----------------------------------------------------------------------


@pytest.mark.parametrize("rows_count", [1, 30])
def test_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries, rows_count):
    contacts = [make_contact(), make_contact()]
    bulk_news_items(rows_count, contacts=contacts)
    for _ in range(rows_count):
        make_project()
    with django_assert_num_queries(NEWS_QUERIES):
        _, _, rows = get_csv(client, "/news/export.csv", {"country": "EC"})
    assert len(rows) == rows_count
    assert all(row["contact_names"].count(";") == 1 for row in rows)
    with django_assert_num_queries(PROJECT_QUERIES):
        _, _, rows = get_csv(client, "/projects/export.csv", {"year": "2017"})
    assert len(rows) == rows_count
    with django_assert_num_queries(CONTACT_QUERIES):
        _, _, rows = get_csv(client, "/contacts/export.csv")
    assert len(rows) == 2


def test_many_rows_come_in_several_pieces(client):
    bulk_news_items(1500)
    response = client.get("/news/export.csv")
    pieces = list(response.streaming_content)
    assert len(pieces) > 2  # streamed, not built whole
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"), newline="")))
    assert len(rows) == 1501


def test_page_cache_never_stores_an_export(client, settings):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 60
    make_news_item(title="First")
    response, _, rows = get_csv(client, "/news/export.csv")
    assert [row["title"] for row in rows] == ["First"]
    assert "public" in response["Cache-Control"]
    # A new item without a save signal (no new cache generation): a stored copy would hide it.
    bulk_news_items(1, title="Second", published_on=datetime.date(2030, 1, 1))
    _, _, rows = get_csv(client, "/news/export.csv")
    assert [row["title"] for row in rows] == ["Second", "First"]
