"""The read replica: visitors' page views read from it, staff, the admin and writes do not.

The ``replica`` fixture adds a second database alias for this module, pointing at the test
database itself (what ``TEST={"MIRROR": "default"}`` does when ``DATABASE_REPLICA_URL`` is
set). It is a second connection, so it sees only committed rows: the tests that read through
it use ``transaction=True``. Queries are captured per alias, which tells where each one went.
"""

import pytest
from django.db import connections, router, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from iomcms.routers import PublicReadsMiddleware, ReplicaRouter
from news.models import NewsItem
from tests.factories import inline_management, make_news_item
from tests.news.test_admin import CHANGELIST, item_data
from tests.test_settings import PRODUCTION, run

BOTH = ["default", "replica"]
# Reads through the replica alias: a second connection, which sees committed rows only.
replica_reads = pytest.mark.django_db(transaction=True, databases=BOTH)


@pytest.fixture(scope="module", autouse=True)
def replica():
    """The "replica" alias, for this module's tests only.

    Module-scoped, so it exists before each test declares the databases it uses (and before
    the test databases are set up, when this module runs first: Django then mirrors it).
    """
    settings_dict = dict(connections["default"].settings_dict)
    settings_dict["TEST"] = {**settings_dict["TEST"], "MIRROR": "default"}
    connections.settings["replica"] = settings_dict
    try:
        yield
    finally:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]


class Queries:
    """The SQL each alias ran inside the block."""

    def __enter__(self):
        self.captures = {
            alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")
        }
        for capture in self.captures.values():
            capture.__enter__()
        return self

    def __exit__(self, *exc):
        for capture in self.captures.values():
            capture.__exit__(*exc)

    def on(self, alias):
        return [query["sql"] for query in self.captures[alias].captured_queries]


@replica_reads
def test_a_visitors_page_view_reads_from_the_replica(client):
    item = make_news_item(title="Read from the replica")
    for url in (item.get_absolute_url(), "/news/", "/"):
        with Queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert "Read from the replica" in response.content.decode()
        assert queries.on("default") == [], url
        assert any("news_newsitem" in sql for sql in queries.on("replica")), url


@replica_reads
def test_signed_in_staff_read_and_write_on_the_primary(staff_client):
    item = make_news_item(title="Before")
    # A public page, viewed by signed-in staff: the primary, in case they just changed it.
    with Queries() as queries:
        assert staff_client.get(item.get_absolute_url()).status_code == 200
    assert queries.on("replica") == []
    assert queries.on("default")
    # An admin save, then the change form again: all on the primary, and it shows the change.
    data = item_data(title="Just saved", slug=item.slug)
    data.update({**inline_management("contact_links"), **inline_management("project_links")})
    with Queries() as queries:
        response = staff_client.post(f"{CHANGELIST}{item.pk}/change/", data)
        assert response.status_code == 302, response.context and response.context["errors"]
        page = staff_client.get(f"{CHANGELIST}{item.pk}/change/")
    assert 'value="Just saved"' in page.content.decode()
    assert queries.on("replica") == []


@replica_reads
def test_the_admin_sign_in_page_reads_from_the_primary(client):
    with Queries() as queries:
        assert client.get("/admin/login/").status_code == 200
    assert queries.on("replica") == []


@replica_reads  # not inside the transaction that wraps an ordinary test
def test_after_a_write_or_inside_a_transaction_reads_go_to_the_primary():
    seen = []

    def view(request):
        seen.append(router.db_for_read(NewsItem))
        with transaction.atomic():
            seen.append(router.db_for_read(NewsItem))
        seen.append(router.db_for_write(NewsItem))
        seen.append(router.db_for_read(NewsItem))
        return None

    PublicReadsMiddleware(view)(RequestFactory().get("/news/"))
    assert seen == ["replica", "default", "default", "default"]
    # Outside a request (management commands, the importer): the primary.
    assert router.db_for_read(NewsItem) == "default"


def test_which_requests_may_read_from_the_replica():
    def where(request):
        return PublicReadsMiddleware(lambda request: router.db_for_read(NewsItem))(request)

    factory = RequestFactory()
    assert where(factory.get("/news/")) == "replica"
    assert where(factory.head("/")) == "replica"
    assert where(factory.post("/search/")) == "default"
    assert where(factory.get("/admin/news/newsitem/")) == "default"
    signed_in = factory.get("/news/")
    signed_in.COOKIES["sessionid"] = "anything"
    assert where(signed_in) == "default"


def test_only_the_primary_is_migrated():
    assert ReplicaRouter().allow_migrate("default", "news") is True
    assert ReplicaRouter().allow_migrate("replica", "news") is False


def test_database_replica_url_adds_the_replica_alias():
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "r = settings.DATABASES['replica']; "
        "print(json.dumps([r['HOST'], r['NAME'], r['TEST']['MIRROR'], settings.DATABASE_ROUTERS]))"
    )
    url = "postgres://reader@replica.invalid:5432/iomcms"
    result = run(["-c", code], **{**PRODUCTION, "DATABASE_REPLICA_URL": url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        '["replica.invalid", "iomcms", "default", ["iomcms.routers.ReplicaRouter"]]'
    )


@replica_reads
def test_a_page_stored_just_after_a_change_is_read_from_the_primary(client, settings):
    """The page cache stores a page for everyone: right after a change (a young generation)
    it renders it from the primary, which has the change; later, from the replica."""
    from iomcms import pagecache

    settings.IOMCMS_PAGE_CACHE_SECONDS = 600
    settings.IOMCMS_REPLICA_LAG_SECONDS = 10
    make_news_item(title="Fresh release")  # committed (transaction=True): a new generation
    assert pagecache._age(pagecache.generation()) < 10
    with Queries() as young:
        assert "Fresh release" in client.get("/news/").content.decode()
    assert young.on("default") and not young.on("replica")

    settings.IOMCMS_REPLICA_LAG_SECONDS = 0  # the same change, long enough ago
    with Queries() as old:
        assert client.get("/projects/").status_code == 200
    assert old.on("replica") and not old.on("default")


def test_the_cache_coming_back_starts_a_new_generation():
    """Writes made while the cache was away were dropped, a new generation among them."""
    from django.core.cache import caches

    from iomcms import pagecache
    from iomcms.cache import cache_back

    before = pagecache.generation()
    cache_back.send(sender=caches["default"])
    assert pagecache.generation() != before
