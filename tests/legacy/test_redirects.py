"""Redirects from the old site's addresses, through HTTP and the admin."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iomcms.publishing import PublicationStatus
from legacy.addresses import parse_address
from legacy.models import Redirect
from news.models import NewsItem
from tests.factories import make_news_item, make_project
from tests.legacy.test_import import news_text, run, write

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
CHANGELIST = "/admin/legacy/redirect/"


def redirect_to(target, old_url):
    field = "news_item" if isinstance(target, NewsItem) else "project"
    return Redirect.objects.create(old_url=old_url, **{field: target})


def location(response):
    assert response.status_code == 301, response.status_code
    return response["Location"]


# -- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.IOM.int/news/Foo/", ("www.iom.int", "/news/Foo", "")),
        ("http://www.iom.int:8080/news/foo", ("www.iom.int", "/news/foo", "")),
        ("https://rosanjose.iom.int/es/caf%C3%A9?b=2&a=1#top",
         ("rosanjose.iom.int", "/es/café", "a=1&b=2")),
        ("/news//foo//", ("", "/news//foo", "")),
        ("https://www.iom.int", ("www.iom.int", "/", "")),
    ],
)  # fmt: skip
def test_addresses_are_normalized(url, expected):
    assert parse_address(url).key == expected


# -- through HTTP -----------------------------------------------------------------------------


def test_command_import_with_manifest_then_the_old_address_redirects(client, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    write(folder, "a.txt", news_text("Mobile Clinics Reach Herders"))
    csv = tmp_path / "m.csv"
    csv.write_text(
        "file,url,published,language\n"
        "a.txt,https://www.iom.int/en/news/mobile-clinics-reach-herders?lang=en,2014-03-07,en\n"
    )
    _, _, error = run(folder, manifest=csv)
    assert error is None
    item = NewsItem.objects.get()
    old = "/en/news/mobile-clinics-reach-herders"
    assert location(client.get(old, {"lang": "en"})) == item.get_absolute_url()
    assert location(client.get(old + "/", {"lang": "en"})) == item.get_absolute_url()
    assert client.get(old).status_code == 404  # the old site named the page by its query too
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200 and "Mobile Clinics Reach Herders" in page.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/news/old-title", "/news/old-title/", "/news/old%2Dtitle", "/news/old-title?utm_source=x"],
)
def test_path_variants_reach_the_record(client, path):
    item = make_news_item()
    redirect_to(item, "https://WWW.iom.int/news/old-title/")
    assert location(client.get(path)) == item.get_absolute_url()


def test_head_is_redirected_and_post_is_not(client):
    item = make_news_item()
    redirect_to(item, "/news/old-title")
    assert location(client.head("/news/old-title")) == item.get_absolute_url()
    assert client.post("/news/old-title/").status_code == 405  # public pages: GET and HEAD


def test_a_draft_or_expired_record_is_not_redirected_to(client):
    draft = make_news_item(title="Secret draft title", publication_status=DRAFT)
    redirect_to(draft, "/news/secret")
    expired = make_news_item(expire_at=timezone.now() - datetime.timedelta(days=1))
    redirect_to(expired, "/news/gone")
    for path in ("/news/secret/", "/news/gone/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Secret draft title" not in response.content.decode()
        assert draft.slug not in response.content.decode()


def test_an_unknown_old_address_gets_the_404_page(client):
    response = client.get("/news/never-existed/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_a_redirect_never_shadows_a_page_of_ours(client):
    item = make_news_item()
    other = make_news_item()
    redirect_to(other, item.get_absolute_url())  # the old site's path is one of our pages
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert response.context["object"] == item


def test_the_redirect_follows_the_records_slug_and_goes_with_the_record(client):
    item = make_news_item()
    redirect_to(item, "/news/old-title")
    item.slug = "a-new-slug"
    item.save()
    assert location(client.get("/news/old-title")) == "/news/a-new-slug/"
    item.delete()
    assert not Redirect.objects.exists()
    assert client.get("/news/old-title/").status_code == 404


def test_projects_are_redirected_to(client):
    project = make_project()
    redirect_to(project, "https://www.iom.int/jahia/Jahia/project/ce0001")
    assert location(client.get("/jahia/Jahia/project/ce0001")) == project.get_absolute_url()


@pytest.fixture
def old_hosts(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "www.iom.int", "rosanjose.iom.int"]


def test_the_request_host_chooses_between_two_old_sites(client, old_hosts):
    main, country, plain = make_news_item(), make_news_item(), make_news_item()
    redirect_to(main, "https://www.iom.int/es/noticias/x")
    redirect_to(country, "https://rosanjose.iom.int/es/noticias/x")
    assert location(client.get("/es/noticias/x", HTTP_HOST="rosanjose.iom.int")) == (
        country.get_absolute_url()
    )
    assert location(client.get("/es/noticias/x", HTTP_HOST="www.iom.int")) == (
        main.get_absolute_url()
    )
    # Another host: a redirect given as a path first, else the oldest.
    assert location(client.get("/es/noticias/x")) == main.get_absolute_url()
    redirect_to(plain, "/es/noticias/x/")
    assert location(client.get("/es/noticias/x")) == plain.get_absolute_url()


def test_a_draft_on_the_matching_host_gives_way_to_a_public_one(client, old_hosts):
    draft, public = make_news_item(publication_status=DRAFT), make_news_item()
    redirect_to(draft, "https://rosanjose.iom.int/p")
    redirect_to(public, "https://www.iom.int/p")
    response = client.get("/p", HTTP_HOST="rosanjose.iom.int")
    assert location(response) == public.get_absolute_url()


def test_normal_pages_never_look_redirects_up(client):
    item = make_news_item()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(item.get_absolute_url()).status_code == 200
        assert client.get("/news/").status_code == 200
    assert not [q for q in queries if "legacy_redirect" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/no/such/page").status_code == 404
    assert len([q for q in queries if "legacy_redirect" in q["sql"]]) == 1


# -- caching --------------------------------------------------------------------------------


def max_age(response, name):
    return int(re.search(rf"\b{name}=(\d+)", response["Cache-Control"]).group(1))


@pytest.fixture
def page_cache_on(settings, django_capture_on_commit_callbacks):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    settings.IOMCMS_BROWSER_MAX_AGE = 60
    settings.IOMCMS_CDN_MAX_AGE = 120
    # ``with committed(): ...`` runs what a commit would (the test's transaction never does).
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_301_is_cacheable_until_the_next_scheduled_moment(client, settings, page_cache_on):
    committed = page_cache_on
    with committed():
        item = make_news_item()
        redirect_to(item, "/news/old-title")
    response = client.get("/news/old-title")
    assert location(response) == item.get_absolute_url()
    assert "public" in response["Cache-Control"]
    assert max_age(response, "s-maxage") == settings.IOMCMS_CDN_MAX_AGE
    # A record that expires in 30 seconds: no copy of its redirect outlives that.
    item.expire_at = timezone.now() + datetime.timedelta(seconds=30)
    with committed():
        item.save()
    response = client.get("/news/old-title")
    assert location(response) == item.get_absolute_url()
    assert max_age(response, "max-age") <= 30 and max_age(response, "s-maxage") <= 30


def test_the_301_is_never_stored_by_the_page_cache(client, page_cache_on):
    item = make_news_item()
    redirect_to(item, "/news/old-title")
    assert client.get("/news/old-title/").status_code == 301
    NewsItem.objects.filter(pk=item.pk).update(publication_status=DRAFT)  # no signal at all
    assert client.get("/news/old-title/").status_code == 404


def test_staff_get_a_private_redirect(staff_client):
    item = make_news_item()
    redirect_to(item, "/news/old-title")
    response = staff_client.get("/news/old-title")
    assert location(response) == item.get_absolute_url()
    assert "private" in response["Cache-Control"]


# -- the admin -----------------------------------------------------------------------------


def test_admin_lists_adds_edits_and_deletes_redirects(staff_client, client):
    item, other = make_news_item(title="First target"), make_news_item(title="Second target")
    redirect = redirect_to(item, "https://www.iom.int/news/one")
    changelist = staff_client.get(CHANGELIST, {"q": "one"})
    assert changelist.status_code == 200
    assert "https://www.iom.int/news/one" in changelist.content.decode()
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 200

    change = f"{CHANGELIST}{redirect.pk}/change/"
    assert staff_client.get(change).status_code == 200
    response = staff_client.post(
        change, {"old_url": "https://www.iom.int/news/One-Two/", "news_item": other.pk}
    )
    assert response.status_code == 302
    redirect.refresh_from_db()
    assert (redirect.path, redirect.news_item) == ("/news/One-Two", other)
    assert location(client.get("/news/One-Two")) == other.get_absolute_url()

    added = staff_client.post(f"{CHANGELIST}add/", {"old_url": "/news/three", "news_item": item.pk})
    assert added.status_code == 302
    assert location(client.get("/news/three")) == item.get_absolute_url()

    delete = staff_client.post(f"{CHANGELIST}{redirect.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 302
    assert client.get("/news/One-Two/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_url": "news/x", "news_item": "ITEM"}, "not an http(s) URL or a path"),
        ({"old_url": "https://WWW.iom.int/news/taken/", "news_item": "ITEM"}, "already has a"),
        ({"old_url": "/news/y"}, "Choose one target"),
        ({"old_url": "/news/y", "news_item": "ITEM", "project": "PROJECT"}, "Choose one target"),
    ],
)
def test_admin_refuses_bad_redirects_with_a_message(staff_client, data, message):
    item, project = make_news_item(), make_project()
    redirect_to(item, "https://www.iom.int/news/taken")
    data = {k: {"ITEM": item.pk, "PROJECT": project.pk}.get(v, v) for k, v in data.items()}
    response = staff_client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Redirect.objects.count() == 1


def test_admin_target_pickers_find_records(staff_client):
    make_news_item(title="Floods in Piura")
    make_project(title="Border community support in Tumbes")
    pickers = [
        ("news_item", "Piura", "Floods in Piura"),
        ("project", "Tumbes", "Border community support in Tumbes"),
    ]
    for field, term, title in pickers:
        response = staff_client.get(
            "/admin/autocomplete/",
            {"app_label": "legacy", "model_name": "redirect", "field_name": field, "term": term},
        )
        assert response.status_code == 200
        [found] = response.json()["results"]
        assert found["text"].endswith(title)  # a project shows its code first
