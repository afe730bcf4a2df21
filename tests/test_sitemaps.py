import datetime
import xml.etree.ElementTree as ET

import pytest

from contacts.models import Contact
from iomcms.publishing import PublicationStatus
from iomcms.sitemaps import PublishedSitemap
from news.models import NewsItem
from news.sitemaps import NewsItemSitemap
from projects.models import Project
from tests.factories import (
    bulk_contacts,
    bulk_news_items,
    bulk_projects,
    make_contact,
    make_news_item,
    make_project,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SECTIONS = ["pages", "news", "projects", "contacts", "countries"]

# Pinned (SQLite and PostgreSQL): the index reads the latest change and the last public id of
# each content section (two index reads each); a section page reads the last public id and the
# (slug, updated) rows of its id range; a news or projects page whose rows have translations
# reads their groups' public versions too, one query more (tests/test_translations.py). The
# countries section counts its pages from the one query that lists the countries with public
# content (countries/content.py, public_country_codes; tests/countries/).
INDEX_QUERIES = 7
SECTION_QUERIES = 2


def get_xml(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return response, ET.fromstring(response.content)


def index_entries(client):
    """``{loc: lastmod or None}`` of the sitemap index."""
    _, root = get_xml(client, "/sitemap.xml")
    return {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root.findall("sm:sitemap", NS)
    }


def section(client, name, page=None):
    """``{loc: lastmod or None}`` of one sitemap page."""
    _, root = get_xml(client, f"/sitemap-{name}.xml", data={"p": page} if page else None)
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def absolute(obj):
    return f"http://testserver{obj.get_absolute_url()}"


def test_index_lists_every_section_with_absolute_urls(client):
    make_news_item()
    assert list(index_entries(client)) == [
        f"http://testserver/sitemap-{name}.xml" for name in SECTIONS
    ]
    for name in SECTIONS:
        assert client.get(f"/sitemap-{name}.xml").status_code == 200
    assert client.get("/sitemap-drafts.xml").status_code == 404


def test_static_pages_section(client):
    assert list(section(client, "pages")) == [
        f"http://testserver{prefix}{path}"
        for path in ("/", "/news/", "/projects/", "/projects/statistics/", "/contacts/")
        for prefix in ("", "/fr", "/es")
    ]
    _, root = get_xml(client, "/sitemap-pages.xml")
    links = root.findall("sm:url", NS)[4].iter("{http://www.w3.org/1999/xhtml}link")
    assert {link.get("hreflang"): link.get("href") for link in links} == {
        "en": "http://testserver/news/",
        "fr": "http://testserver/fr/news/",
        "es": "http://testserver/es/news/",
        "x-default": "http://testserver/news/",
    }


def test_static_pages_list_their_other_languages(client):
    _, root = get_xml(client, "/sitemap-pages.xml")
    french_news = next(
        url for url in root.findall("sm:url", NS)
        if url.findtext("sm:loc", namespaces=NS) == "http://testserver/fr/news/"
    )  # fmt: skip
    links = {
        link.get("hreflang"): link.get("href")
        for link in french_news.findall("{http://www.w3.org/1999/xhtml}link")
    }
    assert links == {
        "en": "http://testserver/news/",
        "fr": "http://testserver/fr/news/",
        "es": "http://testserver/es/news/",
        "x-default": "http://testserver/news/",
    }


def test_news_section_has_published_items_only_with_lastmod(client):
    dated = make_news_item()
    undated = make_news_item(published_on=None)
    draft = make_news_item(publication_status=DRAFT)
    NewsItem.objects.filter(pk=dated.pk).update(
        updated=datetime.datetime(2021, 5, 6, 7, 8, tzinfo=datetime.UTC)
    )
    urls = section(client, "news")
    assert urls == {
        absolute(dated): "2021-05-06",
        absolute(undated): NewsItem.objects.get(pk=undated.pk).updated.date().isoformat(),
    }
    assert absolute(draft) not in urls


def test_projects_section_has_published_projects_only(client):
    project = make_project()
    draft = make_project(publication_status=DRAFT)
    Project.objects.filter(pk=project.pk).update(
        updated=datetime.datetime(2022, 1, 2, tzinfo=datetime.UTC)
    )
    urls = section(client, "projects")
    assert urls == {absolute(project): "2022-01-02"}
    assert absolute(draft) not in urls


def test_contacts_section_has_public_contacts_only(client):
    public = make_contact()
    hidden = make_contact(is_public=False)
    Contact.objects.filter(pk=public.pk).update(
        updated=datetime.datetime(2020, 12, 31, 23, 59, tzinfo=datetime.UTC)
    )
    urls = section(client, "contacts")
    assert urls == {absolute(public): "2020-12-31"}
    assert absolute(hidden) not in urls


def test_index_lastmod_is_the_latest_change_of_published_rows(client):
    old, new = make_news_item(), make_news_item()
    draft = make_news_item(publication_status=DRAFT)
    NewsItem.objects.filter(pk=old.pk).update(
        updated=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    NewsItem.objects.filter(pk=new.pk).update(
        updated=datetime.datetime(2023, 4, 5, 6, 7, 8, tzinfo=datetime.UTC)
    )
    NewsItem.objects.filter(pk=draft.pk).update(
        updated=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    entries = index_entries(client)
    assert entries["http://testserver/sitemap-news.xml"] == "2023-04-05T06:07:08+00:00"
    # Nothing published yet: no lastmod to give.
    assert entries["http://testserver/sitemap-projects.xml"] is None


def test_sections_are_paginated_by_id_range(client, monkeypatch):
    # Page p holds the public rows with id in ((p - 1) * limit, p * limit]: no count, no
    # OFFSET. A page whose ids are all hidden or deleted is an empty list, not a 404.
    monkeypatch.setattr(PublishedSitemap, "limit", 2)
    items = bulk_news_items(9)
    assert [item.pk for item in items] == list(range(items[0].pk, items[0].pk + 9))
    # A page holds ids 2p - 1 and 2p: hide both ids of one page, one deleted, one a draft.
    first = 2 if items[2].pk % 2 else 3
    NewsItem.objects.filter(pk=items[first].pk).delete()
    NewsItem.objects.filter(pk=items[first + 1].pk).update(publication_status=DRAFT)
    make_news_item(publication_status=DRAFT)  # the last id, not public: no page for it
    public = [item for n, item in enumerate(items) if n not in (first, first + 1)]
    pages = -(-items[8].pk // 2)
    entries = index_entries(client)
    news_pages = [loc for loc in entries if "sitemap-news" in loc]
    assert news_pages == ["http://testserver/sitemap-news.xml"] + [
        f"http://testserver/sitemap-news.xml?p={page}" for page in range(2, pages + 1)
    ]
    listed = [url for page in range(1, pages + 1) for url in section(client, "news", page)]
    assert listed == [absolute(item) for item in public]  # each once, in id order
    assert section(client, "news", (items[first].pk + 1) // 2) == {}
    assert client.get("/sitemap-news.xml", {"p": pages + 1}).status_code == 404
    assert client.get("/sitemap-news.xml", {"p": "x"}).status_code == 404


def test_the_real_page_size_keeps_each_file_small():
    assert 5_000 <= NewsItemSitemap.limit <= 10_000


def test_sitemap_uses_the_request_host_and_scheme(client):
    item = make_news_item()
    _, root = get_xml(client, "/sitemap-news.xml", HTTP_HOST="localhost", secure=True)
    assert root.findtext("sm:url/sm:loc", namespaces=NS) == (
        f"https://localhost{item.get_absolute_url()}"
    )


@pytest.mark.parametrize("rows_count", [1, 40])
def test_index_query_count_is_constant(client, django_assert_num_queries, rows_count):
    bulk_news_items(rows_count)
    bulk_projects(rows_count)
    bulk_contacts(rows_count)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get("/sitemap.xml")
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["news", "projects", "contacts"])
@pytest.mark.parametrize("rows_count", [1, 40])
def test_section_query_count_is_constant(client, django_assert_num_queries, name, rows_count):
    contacts = bulk_contacts(rows_count)
    bulk_news_items(rows_count, contacts=contacts[:2])
    bulk_projects(rows_count)
    with django_assert_num_queries(SECTION_QUERIES) as captured:
        response = client.get(f"/sitemap-{name}.xml")
    rows_sql = captured.captured_queries[-1]["sql"]
    assert '"slug"' in rows_sql and '"updated"' in rows_sql
    assert '"title"' not in rows_sql and '"name"' not in rows_sql  # two columns, not the rows
    assert response.content.count(b"<url>") == rows_count


def test_static_pages_section_reads_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/sitemap-pages.xml").status_code == 200


# --- robots.txt --------------------------------------------------------------------------------


def test_robots_txt_allows_the_public_site_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not [
        line for line in lines if line.startswith("Disallow:") and line != "Disallow: /admin/"
    ]


def test_robots_txt_sitemap_url_follows_the_request(client):
    response = client.get("/robots.txt", HTTP_HOST="localhost", secure=True)
    assert "Sitemap: https://localhost/sitemap.xml\n" in response.content.decode()


def test_a_contacts_lastmod_is_their_own_last_edit(client):
    # Not the latest of their releases: that would read every release of every contact (a
    # minute at 1,000,000 releases); each release has its own entry and date.
    person = make_contact(is_spokesperson=False)
    spokesperson = make_contact(is_spokesperson=True)
    live = make_news_item(
        contacts=[person, spokesperson],
        go_live_at=datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC),
    )
    Contact.objects.update(updated=datetime.datetime(2020, 12, 31, tzinfo=datetime.UTC))
    NewsItem.objects.update(updated=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    assert section(client, "contacts") == {
        absolute(person): "2020-12-31",
        absolute(spokesperson): "2020-12-31",
    }
    Contact.objects.filter(pk=person.pk).update(
        updated=datetime.datetime(2025, 2, 3, tzinfo=datetime.UTC)
    )
    assert section(client, "contacts")[absolute(person)] == "2025-02-03"
    assert live.contacts.count() == 2


def test_a_spokesperson_without_releases_has_their_own_lastmod(client):
    spokesperson = make_contact(is_spokesperson=True)
    Contact.objects.update(updated=datetime.datetime(2020, 12, 31, tzinfo=datetime.UTC))
    assert section(client, "contacts") == {absolute(spokesperson): "2020-12-31"}


def test_the_urlset_written_in_python_matches_djangos_template():
    import datetime
    import re

    from django.template.loader import render_to_string

    from iomcms.sitemaps import urlset_xml

    urlset = [
        {"location": "https://example.org/a/?x=1&y=<2>", "lastmod": datetime.date(2030, 1, 2),
         "changefreq": "daily", "priority": "0.5",
         "alternates": [{"lang_code": "fr", "location": "https://example.org/fr/news/a-b/"}]},
        {"location": "https://example.org/news/c/", "lastmod": None, "changefreq": None,
         "priority": None, "alternates": []},
    ]  # fmt: skip

    def squeezed(xml):
        return re.sub(r">\s+<", "><", xml).strip()

    assert squeezed(urlset_xml(urlset)) == squeezed(
        render_to_string("sitemap.xml", {"urlset": urlset})
    )


def test_the_contacts_lastmod_in_the_index_is_the_latest_of_their_pages(client):
    def at(*args):
        return datetime.datetime(*args, tzinfo=datetime.UTC)

    def index_lastmod():
        return index_entries(client)["http://testserver/sitemap-contacts.xml"]

    person = make_contact(is_spokesperson=False)
    spokesperson = make_contact(is_spokesperson=True)
    hidden = make_contact(is_public=False)
    unseen = make_contact(is_spokesperson=False)  # only on a draft: not public
    make_news_item(contacts=[person])
    make_news_item(contacts=[unseen], publication_status=DRAFT)
    Contact.objects.update(updated=at(2020, 1, 1))
    Contact.objects.filter(pk=spokesperson.pk).update(updated=at(2021, 1, 1))
    Contact.objects.filter(pk__in=[hidden.pk, unseen.pk]).update(updated=at(2025, 1, 1))

    assert max(section(client, "contacts").values()) == "2021-01-01"
    assert index_lastmod() == "2021-01-01T00:00:00+00:00"  # not the hidden ones' edits
    Contact.objects.filter(pk=person.pk).update(updated=at(2022, 2, 2))
    assert index_lastmod() == "2022-02-02T00:00:00+00:00"
    Contact.objects.filter(pk=person.pk).update(is_public=False)
    assert index_lastmod() == "2021-01-01T00:00:00+00:00"
    Contact.objects.all().delete()
    assert index_lastmod() is None
