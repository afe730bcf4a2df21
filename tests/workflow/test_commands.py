import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from iomcms.permissions import can_publish
from news.models import NewsItem

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_create_staff_user_with_a_generated_password():
    out = run("create_staff_user", "maria", "--role", "editor", "--email", "m@example.org",
              "--generate-password")  # fmt: skip
    password = out.split("Password (shown once): ")[1].strip()
    user = get_user_model().objects.get(username="maria")
    assert user.is_staff and not user.is_superuser and user.email == "m@example.org"
    assert user.check_password(password)
    assert [g.name for g in user.groups.all()] == ["Editors"]
    assert user.has_perm("news.change_newsitem") and not can_publish(user, NewsItem)


def test_moving_a_user_to_publisher_replaces_the_role_and_keeps_the_password():
    out = run("create_staff_user", "maria", "--role", "editor", "--generate-password")
    password = out.split("Password (shown once): ")[1].strip()
    out = run("create_staff_user", "maria", "--role", "publisher")
    assert "Updated staff user 'maria' in Publishers." in out
    user = get_user_model().objects.get(username="maria")
    assert [g.name for g in user.groups.all()] == ["Publishers"]
    assert user.check_password(password)
    assert can_publish(user, NewsItem)


def test_create_staff_user_refuses_bad_input_and_writes_nothing():
    with pytest.raises(CommandError, match="not a valid e-mail"):
        run("create_staff_user", "x", "--role", "editor", "--email", "nope", "--generate-password")
    with pytest.raises(CommandError, match="No terminal"):
        run("create_staff_user", "x", "--role", "editor")  # stdin is not a terminal in tests
    with pytest.raises(CommandError):
        run("create_staff_user", "x", "--role", "owner", "--generate-password")
    assert not get_user_model().objects.filter(username="x").exists()


@override_settings(DEBUG=True)
def test_demo_logins_cover_the_three_roles():
    out = run("ensure_demo_user")
    password = out.split("password '")[1].split("'")[0]
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["demo"].is_superuser
    assert [g.name for g in users["demo-editor"].groups.all()] == ["Editors"]
    assert [g.name for g in users["demo-publisher"].groups.all()] == ["Publishers"]
    assert all(u.check_password(password) and u.is_staff for u in users.values())


@override_settings(DEBUG=False)
def test_demo_logins_refuse_to_exist_without_debug():
    with pytest.raises(CommandError):
        run("ensure_demo_user")
    assert not get_user_model().objects.exists()
