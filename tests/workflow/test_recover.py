"""Bringing back a deleted item is a Publisher's decision (issue 11, point 5).

The admin's history views (django-simple-history's version form, our History and compare
pages) of a deleted item answer 403 to an Editor, for GET and POST, while an Editor still
restores earlier versions of items that exist. Every case goes through the admin over HTTP.
"""

import pytest
from django.urls import reverse

from contacts.models import Contact
from iomcms.permissions import can_recover
from news.models import NewsItem
from projects.models import Project
from tests.factories import make_contact, make_news_item, make_project
from tests.test_history import form_data, versions

pytestmark = pytest.mark.django_db

MAKERS = {
    "news item": (make_news_item, {"title": "Old words"}, "title"),
    "project": (make_project, {"title": "Old words"}, "title"),
    "contact": (make_contact, {"name": "Old words"}, "name"),
}


def _url(obj_or_model, name, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)


def _deleted(kind):
    """A deleted item of ``kind``, with (model, pk, its first version)."""
    make, values, _ = MAKERS[kind]
    obj = make(**values)
    model, pk = type(obj), obj.pk
    first = versions(obj)[0]
    obj.delete()
    assert not model.objects.filter(pk=pk).exists()
    return model, pk, first


def _history_urls(model, pk, version):
    compare = _url(model, "history_compare", pk)
    return {
        "history": _url(model, "history", pk),
        "version": _url(model, "simple_history", pk, version.history_id),
        "compare": f"{compare}?older={version.history_id}&newer={version.history_id + 1}",
    }


@pytest.mark.parametrize("kind", MAKERS)
def test_an_editor_can_neither_see_nor_recover_a_deleted_item(
    kind, editor_client, publisher_client
):
    model, pk, first = _deleted(kind)
    urls = _history_urls(model, pk, first)
    for url in urls.values():
        assert editor_client.get(url).status_code == 403, url

    # The POST a browser would send, taken from the form a Publisher is shown.
    data = form_data(publisher_client.get(urls["version"]))
    assert editor_client.post(urls["version"], data).status_code == 403
    assert not model.objects.filter(pk=pk).exists()
    assert versions_of(model, pk)[-1].history_type == "-"


@pytest.mark.parametrize("kind", MAKERS)
def test_a_publisher_sees_and_recovers_a_deleted_item(kind, publisher_client, publisher):
    model, pk, first = _deleted(kind)
    urls = _history_urls(model, pk, first)
    for url in urls.values():
        assert publisher_client.get(url).status_code == 200, url

    response = publisher_client.get(urls["version"])
    data = form_data(response)
    response = publisher_client.post(urls["version"], data)
    assert response.status_code == 302
    field = MAKERS[kind][2]
    assert getattr(model.objects.get(pk=pk), field) == "Old words"
    recovered = versions_of(model, pk)[-1]
    assert recovered.history_user == publisher


@pytest.mark.parametrize("kind", MAKERS)
def test_an_editor_still_restores_a_version_of_an_existing_item(kind, editor_client, editor):
    make, values, field = MAKERS[kind]
    if kind != "contact":  # a live item's restore waits for review (tests/workflow/test_review.py)
        values = {**values, "publication_status": "draft"}
    obj = make(**values)
    setattr(obj, field, "New words")
    obj.save()
    first = versions(obj)[0]
    urls = _history_urls(type(obj), obj.pk, first)
    for url in urls.values():
        assert editor_client.get(url).status_code == 200, url

    data = form_data(editor_client.get(urls["version"]))
    assert editor_client.post(urls["version"], data).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Old words"
    assert versions(obj)[-1].history_user == editor


def test_a_user_who_may_only_view_cannot_post_an_old_version(client, django_user_model):
    """simple-history hides the Revert button from view-only users but would save their POST."""
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_newsitem"))
    item = make_news_item(title="Old words")
    item.title = "New words"
    item.save()
    first = versions(item)[0]
    url = _url(NewsItem, "simple_history", item.pk, first.history_id)

    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200  # viewing a version is allowed
    assert client.post(url, {"title": "Old words"}).status_code == 403
    item.refresh_from_db()
    assert item.title == "New words"
    assert len(versions(item)) == 2


def test_history_pages_of_unknown_ids_are_404_not_403_or_500(editor_client):
    # An id the key cannot hold is "not found", as before, not a 403 or an error page.
    assert editor_client.get(_url(NewsItem, "history", "abc")).status_code == 404
    assert editor_client.get(_url(NewsItem, "history", "999999")).status_code == 404


@pytest.mark.parametrize("model", [NewsItem, Project, Contact])
def test_can_recover_follows_the_delete_permission(model, editor, publisher, django_user_model):
    assert not can_recover(editor, model)
    assert can_recover(publisher, model)
    assert can_recover(publisher, model._meta.label)
    publisher.is_active = False
    assert not can_recover(publisher, model)


def versions_of(model, pk):
    return list(model.history.filter(id=pk).order_by("history_date", "history_id"))
