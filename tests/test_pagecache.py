"""The anonymous page cache (iomcms/pagecache.py): pages come from the cache until something
the public may see changes, and a scheduled go-live or expiry shows on the second."""

import datetime
import io
import re
import threading
import time

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from contacts.merge import merge_contacts
from contacts.models import Contact
from iomcms import pagecache
from iomcms.publishing import PublicationStatus
from news.models import NewsItem
from tests.factories import make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

# A legacy text as the old site's scrapes look (docs/import_legacy.md).
RELEASE = """IOM Opens Shelter for Flood Survivors in Sylhet

Dhaka – IOM opened a shelter today for families displaced by the floods in Sylhet.

The shelter hosts 400 people.
"""

UTC = datetime.UTC
NOW = datetime.datetime(2031, 3, 10, 8, 0, tzinfo=UTC)
GO_LIVE = datetime.datetime(2031, 3, 10, 9, 0, tzinfo=UTC)
EXPIRY = datetime.datetime(2031, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    settings.IOMCMS_BROWSER_MAX_AGE = 60
    settings.IOMCMS_CDN_MAX_AGE = 120
    settings.IOMCMS_STALE_WHILE_REVALIDATE = 30


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...``: run what the block's transactions would run on commit (the
    test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cached(client, url, django_assert_num_queries, **headers):
    """GET ``url`` and check it came from the cache: no query at all."""
    with django_assert_num_queries(0):
        return client.get(url, headers=headers)


# -- hits and what is never cached ------------------------------------------------------------


def test_a_second_anonymous_request_is_served_from_the_cache(
    client, committed, django_assert_num_queries
):
    with committed():
        make_news_item(title="Floods in the delta")
    first = client.get("/news/")
    assert "Floods in the delta" in first.content.decode()
    again = cached(client, "/news/", django_assert_num_queries)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_each_hit_gets_a_fresh_nonce_in_the_page_and_the_header(settings):
    """A page that uses the CSP nonce (an inline script or style) keeps a placeholder in the
    cache; each hit gets its own nonce, in the page and in the header alike."""
    from django.middleware.csp import ContentSecurityPolicyMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request._csp_nonce}">go()</script>')

    chain = ContentSecurityPolicyMiddleware(pagecache.PageCacheMiddleware(view))
    cache.set(f"pagecache:{pagecache.generation()}:next", {"at": None}, 600)
    nonces = []
    for _ in range(3):
        response = chain(RequestFactory().get("/with-a-script/"))
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3
    assert all(pagecache.NONCE_PLACEHOLDER in entry["body"] for entry in stored_entries())


def stored_entries():
    """The page entries in the cache: local memory (its own pickled store) or Redis (the
    suite run with REDIS_URL)."""
    import pickle

    def is_entry(key):
        return "pagecache:" in key and not key.endswith(
            (":next", ":lock", pagecache.GENERATION_KEY)
        )

    if hasattr(cache._cache, "get_client"):  # Redis
        client = cache._cache.get_client()
        keys = [key.decode() for key in client.scan_iter("*pagecache:*")]
        return [cache._cache._serializer.loads(client.get(k)) for k in keys if is_entry(k)]
    return [pickle.loads(value) for key, value in list(cache._cache.items()) if is_entry(key)]


@pytest.mark.parametrize(
    "url",
    ["/", "/news/", "/projects/", "/contacts/", "/search/?q=floods", "/news/feed/rss/",
     "/sitemap.xml", "/sitemap-news.xml", "/robots.txt", "/countries/co/",
     "/sitemap-countries.xml"],
)  # fmt: skip
def test_every_public_page_feed_and_sitemap_is_cached(
    client, committed, url, django_assert_num_queries
):
    with committed():
        item = make_news_item(title="Floods in the delta")
        make_project(title="Floods resilience")
    client.get(url)
    client.get(item.get_absolute_url())
    assert cached(client, url, django_assert_num_queries).status_code == 200
    assert cached(client, item.get_absolute_url(), django_assert_num_queries).status_code == 200


def test_signed_in_staff_bypass_the_cache_both_ways(staff_client, committed):
    client = Client()  # anonymous (staff_client is the signed-in ``client`` fixture)
    with committed():
        draft = make_news_item(title="Draft release", publication_status=PublicationStatus.DRAFT)
    preview = staff_client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and "Draft release" in preview.content.decode()
    assert "no-cache" in preview["Cache-Control"]
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.get("/news/")  # the public list is cached...
    staff_list = staff_client.get("/news/")  # ...but staff never get it from there
    assert "private" in staff_list["Cache-Control"]
    assert "Cookie" in staff_list["Vary"]


def test_error_pages_are_never_stored(client, committed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with committed():
        make_news_item()
    client.get("/news/no-such-item/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/news/no-such-item/").status_code == 404
    assert len(queries) > 0  # rendered again: a stored 404 would ask the database nothing
    assert stored_entries() == []


def test_parameter_order_and_tracking_tags_do_not_make_new_entries(
    client, committed, django_assert_num_queries
):
    with committed():
        make_news_item(kind="statement", published_on=datetime.date(2020, 5, 1))
        for n in range(25):
            make_news_item(kind="statement", published_on=datetime.date(2020, 6, 1 + n % 28))
    client.get("/news/?kind=statement&year=2020")
    swapped = cached(client, "/news/?year=2020&kind=statement", django_assert_num_queries)
    assert swapped.status_code == 200
    tagged = cached(
        client, "/news/?utm_source=newsletter&kind=statement&year=2020&fbclid=x1",
        django_assert_num_queries,
    )  # fmt: skip
    assert "utm_source" not in tagged.content.decode()


def test_tracking_tags_never_reach_the_page_links(client, committed):
    with committed():
        for n in range(25):
            make_news_item(published_on=datetime.date(2020, 6, 1 + n % 28))
    first = client.get("/news/?utm_campaign=spring&kind=press-release")
    assert "utm_campaign" not in first.content.decode()
    assert "kind=press-release" in first.content.decode()


# -- a change makes stale pages invisible at once -----------------------------------------------


def test_a_saved_change_shows_at_once(client, committed):
    with committed():
        item = make_news_item(title="Old title")
    assert "Old title" in client.get("/news/").content.decode()
    with committed():
        item.title = "New title"
        item.save()
    assert "New title" in client.get("/news/").content.decode()


def test_a_change_that_rolls_back_keeps_the_cached_pages(
    client, committed, django_assert_num_queries
):
    from django.db import transaction

    with committed():
        make_news_item(title="Stays")
    client.get("/news/")
    with committed():
        try:
            with transaction.atomic():
                make_news_item(title="Rolled back")
                raise RuntimeError
        except RuntimeError:
            pass
    assert "Rolled back" not in cached(client, "/news/", django_assert_num_queries).content.decode()


def test_deleting_an_item_removes_it_at_once(client, committed):
    with committed():
        item = make_news_item(title="Withdrawn release")
    assert "Withdrawn release" in client.get("/news/").content.decode()
    with committed():
        item.delete()
    assert "Withdrawn release" not in client.get("/news/").content.decode()
    assert client.get(item.get_absolute_url()).status_code == 404


def test_unpublishing_in_bulk_from_the_admin_removes_it_at_once(staff_client, committed):
    client = Client()  # anonymous
    with committed():
        item = make_news_item(title="Pulled back")
    assert client.get(item.get_absolute_url()).status_code == 200
    with committed():
        response = staff_client.post(
            reverse("admin:news_newsitem_changelist"),
            {"action": "unpublish", "_selected_action": [item.pk]},
        )
    assert response.status_code == 302
    assert NewsItem.objects.get(pk=item.pk).publication_status == PublicationStatus.DRAFT
    assert client.get(item.get_absolute_url()).status_code == 404
    assert "Pulled back" not in client.get("/news/").content.decode()


def test_publishing_in_bulk_from_the_admin_shows_it_at_once(staff_client, committed):
    client = Client()  # anonymous
    with committed():
        item = make_news_item(title="Now public", publication_status=PublicationStatus.DRAFT)
    assert "Now public" not in client.get("/news/").content.decode()
    with committed():
        staff_client.post(
            reverse("admin:news_newsitem_changelist"),
            {"action": "publish", "_selected_action": [item.pk]},
        )
    assert "Now public" in client.get("/news/").content.decode()


def test_a_merge_shows_at_once(client, committed):
    with committed():
        kept = make_contact(name="Ana Ruiz", is_spokesperson=True)
        twin = make_contact(name="Ana Ruiz (IOM)", email="ana.other@iom.int", is_spokesperson=True)
    assert "Ana Ruiz (IOM)" in client.get("/contacts/").content.decode()
    with committed():
        merge_contacts(kept, [twin])
    assert not Contact.objects.filter(pk=twin.pk).exists()
    assert "Ana Ruiz (IOM)" not in client.get("/contacts/").content.decode()


def test_an_import_shows_at_once(client, committed, tmp_path):
    with committed():
        make_news_item(title="Already here")
    client.get("/news/")
    (tmp_path / "release.txt").write_text(RELEASE, encoding="utf-8")
    with committed():
        call_command("import_legacy", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    imported = NewsItem.objects.exclude(title="Already here").get()
    assert imported.is_public()
    assert imported.title in client.get("/news/").content.decode()


def test_an_import_alone_moves_the_generation(committed, tmp_path):
    (tmp_path / "release.txt").write_text(RELEASE, encoding="utf-8")
    before = pagecache.generation()
    with committed():
        call_command("import_legacy", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert NewsItem.objects.exists()
    assert pagecache.generation() != before


def test_restoring_a_version_shows_at_once(staff_client, committed):
    client = Client()  # anonymous
    from tests.test_history import edit, restore, versions

    with committed():
        item = make_news_item(title="Original title")
    with committed():
        edit(staff_client, item, title="Edited title")
    assert "Edited title" in client.get("/news/").content.decode()
    with committed():
        response = restore(staff_client, item, versions(item)[0].history_id)
    assert response.status_code == 302
    assert "Original title" in client.get("/news/").content.decode()


def test_a_project_change_shows_on_the_home_page_at_once(client, committed):
    with committed():
        project = make_project(title="Water for Tigray", featured=True)
    assert "Water for Tigray" in client.get("/").content.decode()
    with committed():
        project.title = "Clean water for Tigray"
        project.save()
    assert "Clean water for Tigray" in client.get("/").content.decode()


def test_many_rows_changed_in_one_transaction_move_the_generation_once(committed):
    from django.db import connection, transaction

    with committed() as callbacks, transaction.atomic():
        for n in range(5):
            make_news_item(title=f"Batch {n}")
        registered = [f for _, f, _ in connection.run_on_commit if is_bump(f)]
        assert len(registered) == 1
    assert len([c for c in callbacks if is_bump(c)]) == 1


def is_bump(callback):
    return isinstance(callback, pagecache._BumpOnCommit)


# -- scheduled go-live and expiry, on the second ------------------------------------------------


@pytest.fixture
def scheduled(committed):
    with time_machine.travel(NOW, tick=False), committed():
        make_news_item(title="Already public")
        make_news_item(
            title="Embargoed appeal",
            published_on=datetime.date(2031, 3, 10),
            go_live_at=GO_LIVE,
            expire_at=EXPIRY,
        )


SURFACES = ["/", "/news/", "/news/feed/rss/", "/sitemap-news.xml", "/search/?q=embargoed"]


def shows(client, url):
    content = client.get(url).content.decode()
    return "Embargoed appeal" in content or "embargoed-appeal" in content


def test_a_scheduled_item_appears_on_cached_pages_on_the_second(client, scheduled):
    one_second = datetime.timedelta(seconds=1)
    with time_machine.travel(GO_LIVE - datetime.timedelta(minutes=30), tick=False):
        assert not any(shows(client, url) for url in SURFACES)
    with time_machine.travel(GO_LIVE - one_second, tick=False):
        assert not any(shows(client, url) for url in SURFACES)  # cached, still true
    with time_machine.travel(GO_LIVE, tick=False):
        assert all(shows(client, url) for url in SURFACES)


def test_an_expiring_item_leaves_cached_pages_on_the_second(client, scheduled):
    with time_machine.travel(EXPIRY - datetime.timedelta(minutes=5), tick=False):
        assert all(shows(client, url) for url in SURFACES)
    with time_machine.travel(EXPIRY - datetime.timedelta(milliseconds=1), tick=False):
        assert all(shows(client, url) for url in SURFACES)
    with time_machine.travel(EXPIRY, tick=False):
        assert not any(shows(client, url) for url in SURFACES)


def test_no_cache_header_outlives_the_next_go_live(client, scheduled):
    with time_machine.travel(GO_LIVE - datetime.timedelta(seconds=45), tick=False):
        response = client.get("/news/")
    directives = cache_control(response)
    assert directives["public"] is True
    assert directives["max-age"] == 45
    assert directives["s-maxage"] == 45
    assert "stale-while-revalidate" not in directives
    with time_machine.travel(GO_LIVE + datetime.timedelta(seconds=1), tick=False):
        later = client.get("/news/")  # the next moment is the expiry, hours away
    assert cache_control(later) == {
        "public": True, "max-age": 60, "s-maxage": 120, "stale-while-revalidate": 30,
    }  # fmt: skip
    with time_machine.travel(EXPIRY - datetime.timedelta(seconds=130), tick=False):
        near_expiry = client.get("/news/")
    assert cache_control(near_expiry)["s-maxage"] == 120
    assert cache_control(near_expiry)["stale-while-revalidate"] == 10  # 120 + 10 = 130


def cache_control(response):
    directives = {}
    for part in response["Cache-Control"].split(","):
        name, _, value = part.strip().partition("=")
        directives[name] = int(value) if value else True
    return directives


def test_a_404_for_an_embargoed_page_is_not_kept_past_its_go_live(client, scheduled):
    item = NewsItem.objects.get(title="Embargoed appeal")
    with time_machine.travel(GO_LIVE - datetime.timedelta(seconds=20), tick=False):
        response = client.get(item.get_absolute_url())
    assert response.status_code == 404
    assert cache_control(response)["max-age"] == 20
    with time_machine.travel(GO_LIVE, tick=False):
        assert client.get(item.get_absolute_url()).status_code == 200


# -- HTTP validators ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/news/", "/news/feed/rss/", "/sitemap-news.xml"])
def test_a_matching_etag_or_date_gets_304(client, committed, url):
    with committed():
        make_news_item()
    first = client.get(url)
    assert first["ETag"].startswith('W/"')
    assert "Cookie" in first["Vary"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    dated = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert dated.status_code == 304
    other = client.get(url, headers={"if-none-match": 'W/"something-else"'})
    assert other.status_code == 200


def test_the_etag_follows_the_content_with_the_page_cache_off(client, committed, settings):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 0  # rendered every time
    with committed():
        item = make_news_item(title="First title")
    one, two = client.get("/news/"), client.get("/news/")
    assert one["ETag"] == two["ETag"]
    assert client.get("/news/", headers={"if-none-match": one["ETag"]}).status_code == 304
    with committed():
        item.title = "Second title"
        item.save()
    assert client.get("/news/")["ETag"] != one["ETag"]


def test_the_feed_answers_if_modified_since_with_its_own_date(client, committed):
    with committed():
        make_news_item()
    first = client.get("/news/feed/rss/")
    later = datetime.datetime(2100, 1, 1, tzinfo=UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert client.get("/news/feed/rss/", headers={"if-modified-since": later}).status_code == 304
    earlier = "Mon, 01 Jan 1990 00:00:00 GMT"
    assert client.get("/news/feed/rss/", headers={"if-modified-since": earlier}).status_code == 200
    assert first.status_code == 200


# -- a burst, and a cache that is down ------------------------------------------------------------


def test_a_burst_of_requests_for_a_missing_page_renders_it_once(settings):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    renders = []

    def slow_view(request):
        renders.append(1)
        time.sleep(0.3)
        return HttpResponse(b"the page", content_type="text/plain")

    middleware = pagecache.PageCacheMiddleware(slow_view)
    cache.set(f"pagecache:{pagecache.generation()}:next", {"at": None}, 600)
    factory = RequestFactory()
    bodies, errors = [], []

    def one():
        try:
            bodies.append(middleware(factory.get("/burst/")).content)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert bodies == [b"the page"] * 12
    assert len(renders) == 1


def test_pages_are_served_when_the_cache_is_down(client, committed, settings):
    with committed():
        make_news_item(title="Still here")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    response = client.get("/news/")
    assert response.status_code == 200
    assert "Still here" in response.content.decode()


def test_the_command_expires_every_cached_page(client, committed):
    with committed():
        item = make_news_item(title="Before the hand-made change")
    client.get("/news/")
    NewsItem.objects.filter(pk=item.pk).update(title="Changed by hand")  # no signal, no bump
    assert "Before the hand-made change" in client.get("/news/").content.decode()
    out = io.StringIO()
    call_command("expire_cached_pages", stdout=out)
    assert "expired" in out.getvalue()
    assert "Changed by hand" in client.get("/news/").content.decode()


def test_the_command_says_so_when_the_cache_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("expire_cached_pages", stderr=err)
    assert exit_.value.code == 1
    assert "could not be reached" in err.getvalue()


def test_a_burst_for_a_page_that_is_not_stored_does_not_wait(settings):
    """Requests waiting for another's render stop waiting when it ends without an entry."""
    renders = []

    def not_found(request):
        renders.append(1)
        time.sleep(0.2)
        return HttpResponse(b"gone", status=404)

    middleware = pagecache.PageCacheMiddleware(not_found)
    cache.set(f"pagecache:{pagecache.generation()}:next", {"at": None}, 600)
    started = time.monotonic()
    threads = [
        threading.Thread(target=middleware, args=(RequestFactory().get("/missing/"),))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started < pagecache.PAGE_CACHE_WAIT / 2
    assert 1 <= len(renders) <= 6


def test_head_requests_are_answered_from_the_page_a_get_stored(
    client, committed, django_assert_num_queries
):
    with committed():
        make_news_item(title="Heads up")
    client.head("/news/")  # a HEAD alone stores nothing...
    assert stored_entries() == []
    client.get("/news/")
    with django_assert_num_queries(0):
        response = client.head("/news/")  # ...but is answered from the GET's entry
    assert response.status_code == 200
