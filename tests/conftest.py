import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: nothing one test stored shows up in the next.

    On Redis (the suite run with REDIS_URL) this empties the Redis database the URL names, so
    give the tests a database number of their own.
    """
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language. A request activates its own interface
    language for the thread (iomcms/i18n.py) and leaves it there, as Django's LocaleMiddleware
    does: without this, a /fr/ request in one test would make the next one's reverse() French."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def staff_client(client, django_user_model):
    """A client logged in as a superuser, for admin pages."""
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def _member_of(django_user_model, username, group_name):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "pw", is_staff=True
    )
    # The groups exist from the roles migration and the post_migrate sync (iomcms/roles.py).
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    """A staff user in the Editors group: writes, cannot publish."""
    return _member_of(django_user_model, "editor", "Editors")


@pytest.fixture
def publisher(django_user_model):
    """A staff user in the Publishers group."""
    return _member_of(django_user_model, "publisher", "Publishers")


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(publisher):
    from django.test import Client

    client = Client()
    client.force_login(publisher)
    return client


@pytest.fixture
def page_link():
    """``page_link(response, "next")``: the URL of a pagination link, as a browser resolves it."""
    import html
    import re
    from urllib.parse import urljoin

    def find(response, rel):
        content = response.content.decode()
        match = re.search(rf'<a href="([^"]*)" rel="{rel}"', content)
        assert match, f'no rel="{rel}" link on the page'
        return urljoin(response.wsgi_request.path, html.unescape(match.group(1)))

    return find


def _known_next_change():
    import time

    from iomcms import pagecache

    pagecache.next_change(pagecache.generation(), time.time())


# pytest-django's query counters, counting what a page costs: the page cache asks the database
# for the next scheduled go-live or expiry once per change of content (iomcms/pagecache.py),
# not per page, so that lookup is made before counting starts.
@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    def counting(*args, **kwargs):
        _known_next_change()
        return django_assert_num_queries(*args, **kwargs)

    return counting


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    def counting(*args, **kwargs):
        _known_next_change()
        return django_assert_max_num_queries(*args, **kwargs)

    return counting


@pytest.fixture(autouse=True)
def _content_ids_start_low(request):
    """On PostgreSQL, each database test starts the content tables' ids just above their
    highest row. A rolled-back test does not give its sequence values back, so after a few
    thousand rows made by earlier tests (the CSV streaming tests make 1,500 at once) new
    rows would get ids past 5,000, and the sitemaps, paged by id range (iomcms/sitemaps.py),
    would put them on a second page that tests reading the first one do not expect. SQLite
    reuses the ids of rolled-back rows, so it needs nothing."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("news_newsitem", "projects_project", "contacts_contact"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
