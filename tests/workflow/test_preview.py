"""Staff preview drafts, scheduled and expired items at their public URL; nobody else can."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from iomcms.publishing import PublicationStatus
from tests.factories import make_news_item, make_project

pytestmark = pytest.mark.django_db

BANNER = "Preview – not public."


def is_never_cached(response):
    cache_control = response.headers.get("Cache-Control", "")
    return all(word in cache_control for word in ("no-cache", "no-store", "private"))


@pytest.fixture
def items():
    now = timezone.now()
    return {
        "draft": make_news_item(publication_status=PublicationStatus.DRAFT, title="A draft"),
        "scheduled": make_news_item(go_live_at=now + datetime.timedelta(days=2)),
        "expired": make_news_item(expire_at=now - datetime.timedelta(days=2)),
        "project": make_project(publication_status=PublicationStatus.DRAFT),
    }


@pytest.mark.parametrize("name", ["draft", "scheduled", "expired", "project"])
def test_staff_preview_with_a_banner_never_cached_and_not_indexed(editor_client, items, name):
    response = editor_client.get(items[name].get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert BANNER in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert is_never_cached(response)
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert items[name].title in page


def test_the_banner_says_why_the_item_is_not_public(editor_client, items):
    assert "This is a draft" in editor_client.get(items["draft"].get_absolute_url()).text
    assert (
        "goes live on its own at" in editor_client.get(items["scheduled"].get_absolute_url()).text
    )
    assert (
        "the public no longer sees" in editor_client.get(items["expired"].get_absolute_url()).text
    )


@pytest.mark.parametrize("name", ["draft", "scheduled", "expired", "project"])
def test_the_public_gets_404_for_the_same_url(client, items, name):
    assert client.get(items[name].get_absolute_url()).status_code == 404


def test_staff_without_the_view_permission_get_404(client, django_user_model, items):
    user = django_user_model.objects.create_user("intern", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(items["draft"].get_absolute_url()).status_code == 404
    user.user_permissions.add(Permission.objects.get(codename="view_newsitem"))
    user = django_user_model.objects.get(pk=user.pk)  # drop the permission cache
    client.force_login(user)
    assert client.get(items["draft"].get_absolute_url()).status_code == 200
    assert client.get(items["project"].get_absolute_url()).status_code == 404  # news only


def test_an_inactive_or_logged_out_user_gets_404(editor_client, editor, items):
    url = items["draft"].get_absolute_url()
    assert editor_client.get(url).status_code == 200
    editor.is_active = False
    editor.save()
    assert editor_client.get(url).status_code == 404
    editor.is_active = True
    editor.save()
    editor_client.force_login(editor)
    editor_client.logout()
    assert editor_client.get(url).status_code == 404


def test_a_live_item_is_the_normal_page_for_staff_too(editor_client):
    item = make_news_item()
    response = editor_client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert BANNER not in response.text
    assert "X-Robots-Tag" not in response.headers


def test_public_detail_pages_do_not_touch_the_session(client):
    item = make_news_item()
    response = client.get(item.get_absolute_url())
    assert not response.wsgi_request.session.accessed
    assert client.get("/news/no-such-item/").status_code == 404


def test_change_form_links_to_the_preview_or_the_live_page(staff_client, items):
    draft = items["draft"]
    page = staff_client.get(f"/admin/news/newsitem/{draft.pk}/change/").text
    assert "Preview (not public)" in page and "View on site" not in page
    assert 'class="state-badge state-draft">Draft<' in page
    live = make_news_item()
    page = staff_client.get(f"/admin/news/newsitem/{live.pk}/change/").text
    assert "View on site" in page and "Preview (not public)" not in page

    # The admin's "view on site" redirect lands on the public URL, where staff see the preview.
    response = staff_client.get(f"/admin/news/newsitem/{draft.pk}/change/")
    redirect = staff_client.get(response.context["absolute_url"])
    assert redirect.status_code == 302
    assert redirect.headers["Location"].endswith(draft.get_absolute_url())
    assert BANNER in staff_client.get(draft.get_absolute_url()).text


def test_preview_costs_no_more_queries_than_the_public_page_plus_the_lookup(
    editor_client, client, items, django_assert_max_num_queries
):
    live = make_news_item()
    # Public page: 4 queries (item, contacts, projects, related). Preview: a miss, the session
    # and the user, the permission check, then the same four.
    with django_assert_max_num_queries(4):
        client.get(live.get_absolute_url())
    with django_assert_max_num_queries(9):
        editor_client.get(items["draft"].get_absolute_url())
