"""The interface languages (iomcms/i18n.py): English unprefixed, French under /fr/, Spanish
under /es/; the language switcher; dates, numbers, budgets and country names per locale."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from iomcms import i18n
from iomcms.templatetags.locale_tags import budget
from legacy.models import Redirect
from projects.templatetags.project_tags import partial_date
from tests.factories import make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


# -- addresses and the language they are answered in ---------------------------------------


@pytest.mark.parametrize(
    ("url", "language"),
    [("/", "en"), ("/fr/", "fr"), ("/es/", "es"), ("/news/", "en"), ("/fr/news/", "fr"),
     ("/es/projects/", "es"), ("/fr/contacts/", "fr"), ("/es/search/?q=floods", "es")],
)  # fmt: skip
def test_every_public_page_answers_in_the_language_of_its_prefix(client, url, language):
    make_news_item(title="Floods in the delta")
    response = client.get(url)
    assert response.status_code == 200
    assert html_lang(response) == language
    assert response["Content-Language"] == language


def test_accept_language_never_redirects_or_changes_an_english_address(client):
    response = client.get("/news/", headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("url", ["/news/", "/fr/news/", "/es/news/feed/rss/", "/robots.txt"])
def test_public_responses_do_not_vary_on_accept_language(client, url):
    # The language is in the address: a CDN keeps one copy per address (docs/operations.md).
    response = client.get(url, headers={"accept-language": "es"})
    assert "accept-language" not in vary(response)
    assert "cookie" in vary(response)


def test_a_prefixed_detail_page_serves_the_item(client):
    item = make_news_item(title="Floods in the delta", slug="floods-in-the-delta")
    response = client.get("/fr/news/floods-in-the-delta/")
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    assert item.title in response.content.decode()


def test_unknown_addresses_get_the_404_page_in_their_language(client):
    english = client.get("/no-such-page/", headers={"accept-language": "fr"})
    french = client.get("/fr/no-such-page/")
    assert english.status_code == french.status_code == 404
    assert html_lang(english) == "en"
    assert html_lang(french) == "fr"
    # An unknown language is not a prefix.
    assert client.get("/de/news/").status_code == 404


@pytest.mark.urls("tests.urls_raising")
@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/fr", "fr"), ("/es", "es")])
def test_the_500_page_is_in_the_interface_language(client, prefix, language):
    client.raise_request_exception = False
    response = client.get(f"{prefix}/broken-page/")
    assert response.status_code == 500
    assert html_lang(response) == language
    assert f'href="{prefix}/"' in response.content.decode()


def test_a_prefixed_address_without_its_slash_is_redirected_in_one_step(client):
    response = client.get("/fr/news")
    assert response.status_code == 301
    assert response["Location"] == "/fr/news/"


def test_the_admin_robots_and_sitemaps_have_no_prefixed_copies(client):
    for url in ("/fr/admin/", "/es/robots.txt", "/fr/sitemap.xml"):
        assert client.get(url).status_code == 404, url


def test_the_admin_speaks_the_staff_members_language(client):
    response = client.get("/admin/login/", headers={"accept-language": "fr"})
    assert response["Content-Language"] == "fr"
    assert "accept-language" in vary(response)


def test_robots_and_sitemaps_ignore_accept_language(client):
    make_news_item(slug="floods")
    english = client.get("/sitemap-pages.xml")
    asked_in_french = client.get("/sitemap-pages.xml", headers={"accept-language": "fr"})
    assert asked_in_french.content == english.content
    robots = client.get("/robots.txt", headers={"accept-language": "es"})
    assert robots.content == client.get("/robots.txt").content


@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/fr", "fr"), ("/es", "es")])
def test_feeds_say_their_language(client, prefix, language):
    make_news_item(title="Floods", published_on=datetime.date(2024, 5, 2))
    rss = client.get(f"{prefix}/news/feed/rss/").content.decode()
    assert f"<language>{language}</language>" in rss
    atom = client.get(f"{prefix}/news/feed/atom/").content.decode()
    assert f'xml:lang="{language}"' in atom


def test_an_old_address_under_a_language_prefix_still_redirects(client):
    item = make_news_item(slug="cafe-release")
    old_url = "https://rosanjose.iom.int/es/cafe-release.html"
    Redirect.objects.create(old_url=old_url, news_item=item)
    response = client.get("/es/cafe-release.html")
    assert response.status_code == 301
    assert response["Location"].endswith("/news/cafe-release/")


# -- the page cache ---------------------------------------------------------------------------


def test_the_page_cache_keeps_each_language_apart(
    client, settings, django_capture_on_commit_callbacks
):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    with django_capture_on_commit_callbacks(execute=True):
        make_news_item(title="Floods in the delta")
    for _ in range(2):  # the second round comes from the cache
        for url, language in (("/news/", "en"), ("/fr/news/", "fr"), ("/es/news/", "es")):
            response = client.get(url, headers={"accept-language": "fr"})
            assert html_lang(response) == language
            assert response["Content-Language"] == language


def test_the_page_cache_key_carries_the_language():
    from iomcms.pagecache import _entry_key

    request = RequestFactory().get("/robots.txt")
    keys = set()
    for language in ("en", "fr", "es"):
        with translation.override(language):
            keys.add(_entry_key(request, ""))
    assert len(keys) == 3


# -- the language switcher ----------------------------------------------------------------------


def switcher(response):
    html = response.content.decode()
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return re.findall(r"<a ([^>]*)>([^<]*)</a>", nav)


def test_the_switcher_links_to_the_same_list_with_its_filters(client):
    response = client.get("/fr/news/?country=KE&year=2019&page=2")
    links = switcher(response)
    assert [name for _attrs, name in links] == ["English", "Français", "Español"]
    hrefs = [re.search(r'href="([^"]+)"', attrs).group(1) for attrs, _name in links]
    assert hrefs == [
        "/news/?country=KE&amp;year=2019&amp;page=2",
        "/fr/news/?country=KE&amp;year=2019&amp;page=2",
        "/es/news/?country=KE&amp;year=2019&amp;page=2",
    ]
    for attrs, _name in links:
        code = re.search(r'hreflang="([^"]+)"', attrs).group(1)
        assert f'lang="{code}"' in attrs
    current = [name for attrs, name in links if 'aria-current="true"' in attrs]
    assert current == ["Français"]


def test_the_switcher_works_on_a_404_page(client):
    links = switcher(client.get("/es/no-such-page/"))
    assert 'href="/fr/no-such-page/"' in links[1][0]


def test_the_switcher_goes_to_the_public_translation_the_view_names(rf):
    request = rf.get("/news/floods/")
    alternates = [("en", "English", "/news/floods/"), ("es", "Español", "/es/news/inundaciones/")]
    with translation.override("en"):
        links = {link["code"]: link for link in i18n.language_links(request, alternates)}
        html = Template("{% load locale_tags %}{% language_switcher %}").render(
            Context({"request": request, "language_alternates": alternates})
        )
    assert links["es"]["url"] == "/es/news/inundaciones/"
    assert links["es"]["is_translation"]
    # No French translation: the same item with the interface in French.
    assert links["fr"]["url"] == "/fr/news/floods/"
    assert not links["fr"]["is_translation"]
    assert links["en"]["current"]
    assert 'href="/es/news/inundaciones/" lang="es" hreflang="es"' in html


# -- dates, numbers, budgets and countries --------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", f"USD{NBSP}1,250,000"), ("fr", f"1{NBSP}250{NBSP}000{NBSP}USD"),
     ("es", f"1{NBSP}250{NBSP}000{NBSP}USD")],
)  # fmt: skip
def test_budgets_are_written_as_the_locale_writes_them(language, expected):
    with translation.override(language):
        assert budget(Decimal("1250000")) == expected
    assert budget(None) == "" and budget("n/a") == ""


def test_budgets_are_rounded_not_cut():
    with translation.override("en"):
        assert budget(Decimal("999.99")) == f"USD{NBSP}1,000"
        assert budget("1250.005", 2) == f"USD{NBSP}1,250.01"


def test_budget_decimals_use_the_locale_separator():
    with translation.override("fr"):
        assert budget(Decimal("1250.5"), 2) == f"1{NBSP}250,50{NBSP}USD"
    with translation.override("en"):
        assert budget(Decimal("1250.5"), 2) == f"USD{NBSP}1,250.50"


@pytest.mark.parametrize(
    ("language", "day", "month"),
    [("en", "1 March 2017", "March 2017"), ("fr", "1 mars 2017", "mars 2017"),
     ("es", "1 de marzo de 2017", "marzo de 2017")],
)  # fmt: skip
def test_partial_dates_per_locale(language, day, month):
    with translation.override(language):
        assert partial_date("2017-03-01") == day
        assert partial_date("2017-03") == month
        assert partial_date("2017") == "2017"


@pytest.mark.parametrize(
    ("prefix", "date", "budget_text", "country"),
    [("", "2 May 2024", f"USD{NBSP}1,250,000.00", "Colombia"),
     ("/fr", "2 mai 2024", f"1{NBSP}250{NBSP}000,00{NBSP}USD", "Colombie"),
     ("/es", "2 de mayo de 2024", f"1{NBSP}250{NBSP}000,00{NBSP}USD", "Colombia")],
)  # fmt: skip
def test_pages_write_dates_budgets_and_countries_in_their_language(
    client, prefix, date, budget_text, country
):
    make_news_item(slug="floods", published_on=datetime.date(2024, 5, 2), countries=["CO"])
    project = make_project(slug="shelter", budget_usd=Decimal("1250000"), benefiting_states=["DE"])
    news = client.get(f"{prefix}/news/floods/").content.decode()
    assert f">{date}</time>" in news
    assert f">{country}</a>" in news
    page = client.get(f"{prefix}/projects/{project.slug}/").content.decode()
    assert budget_text in page
    germany = {"": "Germany", "/fr": "Allemagne", "/es": "Alemania"}[prefix]
    assert f">{germany}</a>" in page


def test_a_contacts_country_is_named_in_the_interface_language(client):
    contact = make_contact(country="CO")
    page = client.get(f"/fr{contact.get_absolute_url()}").content.decode()
    assert "Colombie" in page


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/fr", ["/", "/fr/", "/es/"]), ("/", ["/", "/fr/", "/es/"]),
     ("/es/news/caf%C3%A9/", ["/news/caf%C3%A9/", "/fr/news/caf%C3%A9/", "/es/news/caf%C3%A9/"]),
     ("/fr-ca/news/", ["/fr-ca/news/", "/fr/fr-ca/news/", "/es/fr-ca/news/"])],
)  # fmt: skip
def test_the_fallback_swaps_only_a_real_language_prefix(rf, path, expected):
    links = i18n.language_links(rf.get(path))
    assert [link["url"] for link in links] == expected


@pytest.mark.parametrize(
    ("prefix", "germany", "before_it"),
    [("", "Germany", "Georgia"), ("/fr", "Allemagne", "Algérie"), ("/es", "Alemania", "Albania")],
)  # fmt: skip
def test_the_country_filter_names_and_sorts_countries_in_the_interface_language(
    client, prefix, germany, before_it
):
    # Countries as often used come in alphabetical order (iomcms/facets.py: most used first).
    for language in ("en", "fr", "es"):
        make_news_item(countries=["DE", "GE", "DZ", "AL"], language=language)
    html = client.get(f"{prefix}/news/").content.decode()
    names = re.findall(r'<option value="[A-Z]{2}">([^<]+) \(1\)</option>', html)
    assert names[names.index(germany) - 1] == before_it
