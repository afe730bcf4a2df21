"""Share links and the address to copy on news and project pages (issue 15): plain links,
no third-party script, built from the canonical URL, never on a staff preview."""

import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from iomcms import seo
from iomcms.publishing import PublicationStatus
from tests.factories import make_news_item, make_project
from tests.news.test_views import DETAIL_QUERIES as NEWS_DETAIL_QUERIES
from tests.projects.test_views import DETAIL_QUERIES as PROJECT_DETAIL_QUERIES

pytestmark = pytest.mark.django_db

TITLE = "Floods & storms: 5,000 displaced in Bogotá? #Aid 100%"
LINK = re.compile(r'<a class="share-(\w+)" href="([^"]+)" aria-label="([^"]+)"([^>]*)>([^<]+)</a>')


def share_links(page):
    """``{key: (href, label, attributes, text)}`` of the page's share links."""
    section = page.split('data-testid="share"', 1)[1].split("</section>", 1)[0]
    return {
        key: (html.unescape(href), html.unescape(label), attrs, text)
        for key, href, label, attrs, text in LINK.findall(section)
    }


def canonical(page):
    return re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)


def query(href):
    return parse_qs(urlsplit(href).query, keep_blank_values=True)


@pytest.mark.parametrize("kind", ["news", "project"])
def test_detail_pages_share_their_canonical_url(client, django_assert_num_queries, kind):
    if kind == "news":
        obj, queries = make_news_item(title=TITLE), NEWS_DETAIL_QUERIES
    else:
        obj, queries = make_project(title=TITLE), PROJECT_DETAIL_QUERIES
    with django_assert_num_queries(queries):  # the links cost no query
        response = client.get(obj.get_absolute_url(), {"utm_source": "newsletter"})
    page = response.content.decode()
    url = canonical(page)
    assert url == f"http://testserver{obj.get_absolute_url()}"  # tracking tags dropped
    links = share_links(page)
    assert list(links) == ["email", "x", "linkedin", "whatsapp", "facebook"]

    email, label, attrs, text = links["email"]
    assert email.startswith("mailto:?subject=")
    assert "+" not in email and " " not in email  # spaces are %20 in a mailto
    assert query(email) == {"subject": [TITLE], "body": [f"{TITLE}\n\n{url}"]}
    assert (label, text, attrs) == ("Share by e-mail", "E-mail", "")

    expected = {
        "x": ("https://x.com/intent/post", {"text": [TITLE], "url": [url]}),
        "linkedin": ("https://www.linkedin.com/sharing/share-offsite/", {"url": [url]}),
        "whatsapp": ("https://wa.me/", {"text": [f"{TITLE} {url}"]}),
        "facebook": ("https://www.facebook.com/sharer/sharer.php", {"u": [url]}),
    }
    for key, (address, params) in expected.items():
        href, label, attrs, text = links[key]
        assert href.split("?")[0] == address, key
        assert query(href) == params, key  # "&", "#", "?" and "%" in the title stay in it
        assert 'target="_blank"' in attrs and 'rel="noopener noreferrer"' in attrs, key
        assert label == f"Share on {text} (opens in a new tab)", key

    # The address to copy: a labelled read-only field; the button comes with the script.
    assert f'<input id="share-url" type="url" value="{url}" readonly>' in page
    assert '<label for="share-url">Link to this page</label>' in page
    assert re.search(r"<button [^>]*hidden>Copy link</button>", page)
    assert re.search(r'<script src="/static/js/share\.js[^"]*" defer></script>', page)
    assert f"This page: {url}" in page  # the print-only line


def test_the_links_speak_the_interface_language(client):
    item = make_news_item(title="Inondations", language="fr")
    page = client.get(f"/es{item.get_absolute_url().removeprefix('/fr')}").content.decode()
    links = share_links(page)
    assert links["linkedin"][1] == "Compartir en LinkedIn (se abre en una pestaña nueva)"
    assert links["email"][1:4:2] == ("Compartir por correo electrónico", "Correo electrónico")
    # Still the item's canonical address (its own language), not the Spanish interface's.
    assert query(links["facebook"][0])["u"] == [f"http://testserver{item.get_absolute_url()}"]
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Partager sur LinkedIn (s’ouvre dans un nouvel onglet)" in html.unescape(page)


@pytest.mark.parametrize("kind", ["news", "project"])
def test_no_share_links_on_a_preview(editor_client, kind):
    # A preview's address is a draft's: sharing it would send it out before it is public.
    make = make_news_item if kind == "news" else make_project
    draft = make(title="Embargoed release", publication_status=PublicationStatus.DRAFT)
    page = editor_client.get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="preview-banner"' in page
    assert 'data-testid="share"' not in page
    assert 'data-testid="print-url"' not in page
    assert not any(host in page for host in ("linkedin.com", "wa.me", "x.com", "facebook.com"))
    assert "mailto:?subject" not in page and "share.js" not in page
    # The same staff member on a live item gets them.
    live = make(title="Live release")
    assert 'data-testid="share"' in editor_client.get(live.get_absolute_url()).content.decode()


def test_share_links_encode_every_value_whole():
    links = {link["key"]: link for link in seo.share_links("https://a.org/n/x/?p=1", 'a&b c#d"')}
    assert links["x"]["href"] == (
        "https://x.com/intent/post?text=a%26b%20c%23d%22&url=https%3A%2F%2Fa.org%2Fn%2Fx%2F%3Fp%3D1"
    )
    assert links["email"]["href"] == (
        "mailto:?subject=a%26b%20c%23d%22&body=a%26b%20c%23d%22%0A%0Ahttps%3A%2F%2Fa.org%2Fn%2Fx%2F%3Fp%3D1"
    )
    assert unquote(links["whatsapp"]["href"].split("text=")[1]) == 'a&b c#d" https://a.org/n/x/?p=1'
    assert [link["external"] for link in links.values()] == [False, True, True, True, True]
