"""The admin home's "Coming up" box: the next go-lives and expiries, soonest first."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission

from iomcms.publishing import PublicationStatus
from tests.factories import make_news_item, make_project

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2031, 5, 1, 12, 0, tzinfo=datetime.UTC)


def hours(n):
    return NOW + datetime.timedelta(hours=n)


def box(response):
    html = response.content.decode()
    match = re.search(r'<div class="module" id="coming-up-module">(.*?)</div>', html, re.S)
    return match.group(1) if match else None


def rows(response):
    return re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>', box(response) or "")


@pytest.fixture
def schedule():
    with time_machine.travel(NOW - datetime.timedelta(days=1), tick=False):
        return {
            "embargo": make_news_item(title="Embargoed release", go_live_at=hours(2)),
            "project": make_project(title="Scheduled project", go_live_at=hours(5)),
            "expiring": make_news_item(title="Expiring release", expire_at=hours(3)),
            "draft": make_news_item(
                title="Draft with a time",
                publication_status=PublicationStatus.DRAFT,
                go_live_at=hours(1),
            ),
            "past": make_news_item(title="Already live", go_live_at=hours(-1)),
        }


def test_the_admin_home_lists_what_goes_live_or_expires_next(editor_client, editor, schedule):
    with time_machine.travel(NOW, tick=False):
        editor_client.force_login(editor)
        response = editor_client.get("/admin/")
    assert [title for _url, title in rows(response)] == [
        "Embargoed release",
        "Expiring release",
        "Scheduled project",
    ]
    assert rows(response)[0][0] == f"/admin/news/newsitem/{schedule['embargo'].pk}/change/"
    assert rows(response)[2][0] == f"/admin/projects/project/{schedule['project'].pk}/change/"
    content = box(response)
    assert "goes live" in content and "expires" in content
    assert 'datetime="2031-05-01T14:00:00+00:00"' in content


def test_only_models_the_user_may_view_and_no_box_when_nothing_is_coming(
    client, django_user_model, schedule
):
    user = django_user_model.objects.create_user("desk", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_project"))
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        client.force_login(user)
        assert [t for _u, t in rows(client.get("/admin/"))] == ["Scheduled project"]
    with time_machine.travel(hours(10), tick=False):
        client.force_login(user)
        assert box(client.get("/admin/")) is None


def test_the_box_query_count_does_not_grow_with_the_schedule(
    staff_client, django_user_model, schedule
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with time_machine.travel(NOW, tick=False):
            staff_client.force_login(django_user_model.objects.get(username="admin"))
            with CaptureQueriesContext(connection) as queries:
                staff_client.get("/admin/")
        return len(queries)

    before = count()
    with time_machine.travel(NOW - datetime.timedelta(days=1), tick=False):
        for n in range(10):
            make_news_item(go_live_at=hours(20 + n))
            make_project(expire_at=hours(20 + n))
    assert count() == before


def test_the_box_covers_every_publishable_model_the_admin_manages():
    from iomcms.templatetags.workflow_tags import publishable_models
    from news.models import NewsItem
    from projects.models import Project

    assert publishable_models() == [NewsItem, Project]
