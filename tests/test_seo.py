"""Canonical links, descriptions, Open Graph / Twitter tags and JSON-LD on every public page."""

import datetime
import json
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template import RequestContext, Template
from django.test import RequestFactory

from iomcms import seo
from iomcms.publishing import PublicationStatus
from news.models import NewsItemProject
from tests.contacts import test_views as contact_views
from tests.factories import make_contact, make_news_item, make_project
from tests.news import test_views as news_views
from tests.projects import test_views as project_views

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
HOST = "http://testserver"
BREAKOUT = "</script><script>alert(1)</script>"


class Page(HTMLParser):
    """What a crawler reads from a page: meta tags, links, and the scripts as a browser sees
    them (the parser ends a <script> at the first "</script", exactly like a browser)."""

    def __init__(self, content):
        super().__init__(convert_charrefs=True)
        self.meta, self.links, self.scripts, self.jsonld = {}, [], [], []
        self._script = None
        self.feed(content)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), []).append(
                attrs.get("content")
            )
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self._script = {"type": attrs.get("type"), "src": attrs.get("src"), "text": ""}
            self.scripts.append(self._script)

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if self._script["type"] == "application/ld+json":
                self.jsonld.append(json.loads(self._script["text"]))
            self._script = None

    def one(self, key):
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    @property
    def canonical(self):
        hrefs = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(hrefs) == 1, hrefs
        return hrefs[0]


def get_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return Page(response.content.decode())


def only_jsonld(page):
    assert len(page.jsonld) == 1, page.jsonld
    return page.jsonld[0]


# --- The shared tags, on every kind of public page ---------------------------------------------


@pytest.fixture
def site(db):
    """One published object of each kind, and per page: (url, status, og:type, og:title)."""
    item = make_news_item(title="Floods in Piura", lead="Families were moved to safety.")
    project = make_project(title="Border community support", summary="Support for border towns.")
    contact = make_contact(name="Ana Pérez", job_title="Press officer", office="IOM Peru")
    return {
        "home": ("/", 200, "website", settings.SITE_NAME),
        "news list": ("/news/", 200, "website", "News"),
        "news detail": (item.get_absolute_url(), 200, "article", "Floods in Piura"),
        "projects list": ("/projects/", 200, "website", "Projects"),
        "project detail": (
            project.get_absolute_url(), 200, "website", "Border community support",
        ),
        "contacts list": ("/contacts/", 200, "website", "Press contacts"),
        "contact detail": (contact.get_absolute_url(), 200, "website", "Ana Pérez"),
        "404": ("/no-such-page/", 404, "website", "Page not found"),
    }  # fmt: skip


PAGE_KINDS = [
    "home",
    "news list",
    "news detail",
    "projects list",
    "project detail",
    "contacts list",
    "contact detail",
    "404",
]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_public_page_has_canonical_description_and_sharing_tags(client, site, kind):
    url, status, og_type, og_title = site[kind]
    page = get_page(client, url, status)

    assert page.canonical == HOST + url
    description = page.one("description")
    assert 20 <= len(description) <= seo.DESCRIPTION_LENGTH
    assert "<" not in description and "&" not in description  # plain text, decoded once

    assert page.one("og:site_name") == settings.SITE_NAME
    assert page.one("og:title") == og_title
    assert page.one("og:description") == description
    assert page.one("og:url") == page.canonical
    assert page.one("og:type") == og_type
    assert page.one("og:locale") == "en_US"
    assert page.one("twitter:card") == "summary"
    assert page.one("twitter:title") == og_title
    assert page.one("twitter:description") == description


def test_document_titles_keep_the_site_name(client, site):
    content = client.get("/news/").content.decode()
    assert f"<title>News · {settings.SITE_NAME}</title>" in content
    content = client.get(site["project detail"][0]).content.decode()
    assert f"<title>Border community support · Projects · {settings.SITE_NAME}</title>" in content
    assert f"<title>{settings.SITE_NAME}</title>" in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("news detail", "Families were moved to safety."),
        ("project detail", "Support for border towns."),
        ("contact detail", "Ana Pérez, Press officer, IOM Peru: press contact."),
        ("news list", "Press releases, statements, stories and briefing notes from IOM offices"),
        ("projects list", "Search and filter IOM projects"),
        ("contacts list", "Press officers and media contacts"),
        ("404", "The page you asked for does not exist"),
    ],
)
def test_descriptions_say_what_the_page_is(client, site, kind, expected):
    url, status, *_ = site[kind]
    assert get_page(client, url, status).one("description").startswith(expected)


def test_list_page_number_is_in_title_and_description(client):
    for _ in range(21):
        make_news_item()
    page = get_page(client, "/news/?page=2")
    assert page.one("og:title") == "News (page 2)"
    assert page.one("description").endswith(", page 2.")
    assert page.canonical == f"{HOST}/news/?page=2"


def test_detail_description_is_plain_text_cut_at_a_word(client):
    body = "<p>" + "Migrants &amp; <b>refugees</b> crossed the border. " * 20 + "</p>"
    item = make_news_item(lead="", body=body)
    description = get_page(client, item.get_absolute_url()).one("description")
    assert len(description) <= 160
    assert description.startswith("Migrants & refugees crossed the border. Migrants & refugees")
    assert description.endswith("…")
    kept, plain = description[:-1], seo.plain_text(body)
    assert plain.startswith(kept)
    assert not plain[len(kept)].isalnum()  # cut between words, not inside one


def test_detail_without_lead_or_body_falls_back_to_the_title(client):
    item = make_news_item(title="Statement on Darién", lead="", body="<p> </p>")
    assert get_page(client, item.get_absolute_url()).one("description") == "Statement on Darién"
    project = make_project(title="Quiet project", summary="", description="")
    assert get_page(client, project.get_absolute_url()).one("description") == "Quiet project"


def test_project_description_falls_back_to_the_html_description(client):
    project = make_project(summary="", description="<p>Builds <em>wells</em> &amp; schools.</p>")
    page = get_page(client, project.get_absolute_url())
    assert page.one("description") == "Builds wells & schools."


# --- Canonical URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/news/?kind=story&utm_source=newsletter", "/news/?kind=story"),
        ("/news/?q=&country=&kind=story", "/news/?kind=story"),
        ("/news/?kind=story&country=CO", "/news/?country=CO&kind=story"),  # the form's order
        ("/news/?country=CO&kind=story", "/news/?country=CO&kind=story"),
        ("/news/?year=abc&kind=story", "/news/?kind=story"),  # an ignored filter is left out
        ("/news/?page=1&kind=story", "/news/?kind=story"),
        ("/news/?page=abc", "/news/"),
        ("/news/?q=+floods+", "/news/?q=floods"),
        ("/projects/?sort=-budget&status=active", "/projects/?status=active"),
        ("/projects/?sort=title", "/projects/"),
        ("/contacts/?office=IOM+Peru&page=", "/contacts/?office=IOM+Peru"),
    ],
)
def test_list_canonical_keeps_only_the_applied_filters(client, url, canonical):
    make_news_item(kind="story", countries=["CO"])
    assert get_page(client, url).canonical == HOST + canonical


def test_list_canonical_names_the_page_actually_shown(client):
    for _ in range(25):
        make_news_item(kind="story")
    assert get_page(client, "/news/?kind=story&page=2").canonical == (
        f"{HOST}/news/?kind=story&page=2"
    )
    # Past the end, the list shows its last page: that is the page the canonical names.
    assert get_page(client, "/news/?page=99&kind=story").canonical == (
        f"{HOST}/news/?kind=story&page=2"
    )


def test_detail_canonical_drops_the_query_string(client, site):
    url = site["news detail"][0]
    page = get_page(client, url + "?utm_source=newsletter&page=3")
    assert page.canonical == HOST + url
    assert only_jsonld(page)["url"] == HOST + url


def test_canonical_never_points_at_another_host(client):
    # A path starting with "//" would be a host to urljoin(); the canonical keeps it a path.
    response = client.get("/", PATH_INFO="//evil.example/path/")
    assert response.wsgi_request.path == "//evil.example/path/"
    assert response.status_code == 404
    assert Page(response.content.decode()).canonical == f"{HOST}//evil.example/path/"
    page = get_page(client, "/news/%3Fq%3D1/", 404)  # an encoded "?" stays in the path
    assert page.canonical == f"{HOST}/news/%3Fq%3D1/"


# --- JSON-LD: news -----------------------------------------------------------------------------


def test_news_article_jsonld(client):
    item = make_news_item(
        title="IOM helps families displaced by floods",
        kind="statement",
        dateline="San Salvador",
        published_on=datetime.date(2023, 8, 9),
        lead="<b>Families</b> were moved to safety.",
        countries=["SV", "GT"],
    )
    url = HOST + item.get_absolute_url()
    page = get_page(client, url)
    data = only_jsonld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "IOM helps families displaced by floods"
    assert data["description"] == "Families were moved to safety."
    assert data["datePublished"] == "2023-08-09"
    modified = datetime.datetime.fromisoformat(data["dateModified"])
    assert modified.tzinfo is not None
    assert abs(modified - item.updated) < datetime.timedelta(seconds=1)
    assert data["dateline"] == "San Salvador"
    assert data["articleSection"] == "Statement"
    assert data["inLanguage"] == "en"
    assert data["url"] == url == page.canonical
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == settings.SITE_NAME
    assert publisher["url"] == f"{HOST}/"
    assert data["author"] == publisher
    assert data["contentLocation"] == [  # in the field's order (codes sorted)
        {"@type": "Country", "name": "Guatemala", "identifier": "GT"},
        {"@type": "Country", "name": "El Salvador", "identifier": "SV"},
    ]
    # The Open Graph article tags agree with it.
    assert page.one("article:published_time") == "2023-08-09"
    assert page.one("article:section") == "Statement"


def test_news_article_jsonld_leaves_unknown_facts_out(client):
    item = make_news_item(published_on=None, dateline="", countries=[])
    page = get_page(client, item.get_absolute_url())
    data = only_jsonld(page)
    assert "datePublished" not in data
    assert "dateline" not in data
    assert "contentLocation" not in data
    assert "dateModified" in data
    assert "article:published_time" not in page.meta


def test_news_article_jsonld_is_about_its_public_projects(client):
    item = make_news_item()
    live = make_project(title="Border support", project_code="CE.0373")
    draft = make_project(publication_status=PublicationStatus.DRAFT)
    for project in (live, draft):
        NewsItemProject.objects.create(news_item=item, project=project)
    data = only_jsonld(get_page(client, HOST + item.get_absolute_url()))
    assert data["about"] == [
        {"@type": "Project", "name": "Border support", "identifier": "CE.0373",
         "url": HOST + live.get_absolute_url()},
    ]  # fmt: skip
    alone = make_news_item()
    assert "about" not in only_jsonld(get_page(client, alone.get_absolute_url()))


def test_news_headline_is_cut_to_110_characters(client):
    title = "Migration " * 25  # 250 characters, within the 300 the field holds
    item = make_news_item(title=title.strip())
    data = only_jsonld(get_page(client, item.get_absolute_url()))
    assert len(data["headline"]) <= 110
    assert data["headline"].endswith("Migration…")


@pytest.mark.parametrize(
    ("site_name", "expected"), [("", settings.ORGANIZATION_NAME), ("IOM UK", "IOM UK")]
)
def test_publisher_is_the_site_name_or_the_organization(client, settings, site_name, expected):
    settings.SITE_NAME = site_name
    item = make_news_item()
    data = only_jsonld(get_page(client, item.get_absolute_url()))
    assert data["publisher"]["name"] == expected
    assert ("parentOrganization" in data["publisher"]) is (expected != settings.ORGANIZATION_NAME)


# --- JSON-LD: projects and contacts ------------------------------------------------------------


def test_project_jsonld(client):
    project = make_project(
        title="Border community support",
        project_code="CE.0373",
        prima_id="CO10P0012",
        status="active",
        start="2017-03",
        end="2018",
        year=2017,
        budget_usd=Decimal("1250000.50"),
        coverage="national",
        benefiting_states=["CO", "EC"],
        summary="Support for border towns.",
    )
    url = HOST + project.get_absolute_url()
    data = only_jsonld(get_page(client, url))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Project"
    assert data["name"] == "Border community support"
    assert data["identifier"] == [
        "CE.0373",
        {"@type": "PropertyValue", "propertyID": "Prima ID", "value": "CO10P0012"},
    ]
    assert data["description"] == "Support for border towns."
    assert data["url"] == url
    assert data["areaServed"] == [
        {"@type": "Country", "name": "Colombia", "identifier": "CO"},
        {"@type": "Country", "name": "Ecuador", "identifier": "EC"},
    ]
    assert data["foundingDate"] == "2017-03"
    assert data["dissolutionDate"] == "2018"
    facts = {fact["name"]: fact["value"] for fact in data["additionalProperty"]}
    assert facts == {
        "Status": "Active",
        "Project type": "Community and Economic Development",
        "Coverage": "National",
        "Region": "Latin America and the Caribbean",
        "Funding year": 2017,
        "Budget": {"@type": "MonetaryAmount", "currency": "USD", "value": 1250000.5},
    }
    assert all(fact["@type"] == "PropertyValue" for fact in data["additionalProperty"])
    assert data["parentOrganization"]["name"] == settings.ORGANIZATION_NAME
    assert not {"funder", "sponsor"} & data.keys()  # not recorded, so not claimed


def test_project_jsonld_leaves_unknown_facts_out(client):
    project = make_project(
        prima_id="", status="", start="", end="", year=None, budget_usd=None, coverage="",
        region=None, project_type=None, benefiting_states=[],
    )  # fmt: skip
    data = only_jsonld(get_page(client, project.get_absolute_url()))
    assert data["identifier"] == [project.project_code]
    for key in ("foundingDate", "dissolutionDate", "areaServed", "additionalProperty"):
        assert key not in data


def test_whole_budget_is_an_integer(client):
    project = make_project(budget_usd=Decimal("100000.00"))
    data = only_jsonld(get_page(client, project.get_absolute_url()))
    budget = next(f["value"] for f in data["additionalProperty"] if f["name"] == "Budget")
    assert budget["value"] == 100000 and isinstance(budget["value"], int)


def test_person_jsonld(client):
    contact = make_contact(
        name="Ana Pérez",
        job_title="Press officer",
        office="IOM Peru",
        organization="International Organization for Migration",
        email="APerez@iom.int",
        phone="+51 1 633 0000",
        mobile="+51 999 000 000",
    )
    url = HOST + contact.get_absolute_url()
    data = only_jsonld(get_page(client, url))
    assert data == {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": "Ana Pérez",
        "jobTitle": "Press officer",
        "worksFor": {
            "@type": "Organization",
            "name": "IOM Peru",
            "parentOrganization": {
                "@type": "Organization",
                "name": "International Organization for Migration",
            },
        },
        "email": "aperez@iom.int",
        "telephone": ["+51 1 633 0000", "+51 999 000 000"],
        "url": url,
    }


def test_person_jsonld_with_few_details(client):
    contact = make_contact(name="Press desk", office="", job_title="", email="", mobile="")
    data = only_jsonld(get_page(client, contact.get_absolute_url()))
    assert data["name"] == "Press desk"
    assert data["telephone"] == "+57 1 594 6410"
    for key in ("jobTitle", "worksFor", "email"):
        assert key not in data


def test_list_and_home_pages_have_no_jsonld(client, site):
    for kind in ("home", "news list", "projects list", "contacts list", "404"):
        url, status, *_ = site[kind]
        assert get_page(client, url, status).jsonld == [], kind


# --- Escaping ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["news", "project", "contact"])
def test_a_title_cannot_break_out_of_the_jsonld_script(client, kind):
    title = f"Floods {BREAKOUT} & <!-- more"
    if kind == "news":
        obj, key = make_news_item(title=title), "headline"
    elif kind == "project":
        obj, key = make_project(title=title), "name"
    else:
        obj, key = make_contact(name=title), "name"
    content = client.get(obj.get_absolute_url()).content.decode()
    page = Page(content)
    # One inline script on the page, the JSON-LD, and it holds the exact title (the share
    # block's script is a file of the site's own).
    assert [s["type"] for s in page.scripts if not s["src"]] == ["application/ld+json"]
    assert all(s["src"].startswith("/static/js/") for s in page.scripts if s["src"])
    assert only_jsonld(page)[key] == title
    assert "<script>alert(1)" not in content
    assert "\\u003C/script\\u003E" in content
    assert page.one("og:title") == title  # attributes are escaped too


def test_jsonld_script_escapes_markup_characters():
    value = {"a": "</script><b>&amp;", "b": "\u2028 ñ"}
    html = seo.jsonld_script(value)
    inner = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not {"<", ">", "&"} & set(inner)
    assert json.loads(inner) == value


# --- Drafts and hidden contacts ----------------------------------------------------------------


def test_drafts_and_hidden_contacts_are_still_404(client):
    draft = make_news_item(title="Secret draft", publication_status=DRAFT)
    draft_project = make_project(title="Secret project", publication_status=DRAFT)
    hidden = make_contact(name="Hidden Person", is_public=False)
    for obj, name in [(draft, "Secret draft"), (draft_project, "Secret project"),
                      (hidden, "Hidden Person")]:  # fmt: skip
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 404
        content = response.content.decode()
        assert name not in content
        assert Page(content).jsonld == []


# --- Query counts and templates of other pages -------------------------------------------------


def test_structured_data_adds_no_query(client, django_assert_num_queries):
    contact = make_contact()
    item = make_news_item(contacts=[contact], countries=["CO", "EC"])
    project = make_project(benefiting_states=["CO", "EC", "PE"])
    pages = [
        (item.get_absolute_url(), news_views.DETAIL_QUERIES),
        (project.get_absolute_url(), project_views.DETAIL_QUERIES),
        (contact.get_absolute_url(), contact_views.DETAIL_QUERIES),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            page = Page(client.get(url).content.decode())
        assert len(page.jsonld) == 1


def test_a_page_that_only_overrides_the_title_block_still_gets_every_tag(db):
    request = RequestFactory().get("/search/", {"q": "floods"})
    template = Template(
        '{% extends "base.html" %}{% block title %}Search · {{ SITE_NAME }}{% endblock %}'
    )
    page = Page(template.render(RequestContext(request)))
    assert page.one("og:title") == f"Search · {settings.SITE_NAME}"
    assert page.canonical == f"{HOST}/search/"  # not a list page: no query string
    assert page.one("description") == page.one("og:description")


def test_capture_tag_needs_a_name():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load seo_tags %}{% capture %}x{% endcapture %}")


@pytest.mark.parametrize("limit", [5, 20, 110, 160])
def test_shorten_never_exceeds_the_limit(limit):
    for text in ["word " * 100, "x" * 500, "a, b; c. " * 50, "short"]:
        result = seo.shorten(text.strip(), limit)
        assert len(result) <= limit
        assert result == text.strip() or result.endswith("…")
