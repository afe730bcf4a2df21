"""The admin's sign-in (issue 11, point 6): failed sign-ins lock out a user name and an
address for a cool-off period (django-axes), and one-time passwords from an authenticator app
(django-otp), required of Publishers when IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS is on.

Everything goes through the real sign-in page over HTTP, so the settings (backends,
middleware, the admin site's form) are tested with the code.
"""

import datetime
import json
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from iomcms.permissions import must_use_otp
from iomcms.signin import client_ip
from tests.factories import make_news_item
from tests.test_logging import console, lines  # noqa: F401 (console is a fixture)
from tests.test_settings import PRODUCTION, run

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
TWO_STEP = "/admin/two-step/"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
OFFICE, HOME = "192.0.2.10", "198.51.100.20"


@pytest.fixture(autouse=True)
def frozen():
    """A fixed clock: the cool-off and the one-time codes both depend on it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def staff_user(django_user_model, username, group=None, password="right-password", **extra):
    user = django_user_model.objects.create_user(username, password=password, is_staff=True)
    for name, value in extra.items():
        setattr(user, name, value)
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def sign_in(
    client, username, password="right-password", address=OFFICE, forwarded_for=None, **data
):
    """POST the sign-in form from ``address`` (with ``forwarded_for`` as X-Forwarded-For)."""
    meta = {"REMOTE_ADDR": address}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/", **data}, **meta
    )


def is_locked_out(response):
    return response.status_code == 429 and "Sign-in is paused" in response.content.decode()


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


# -- lockout --------------------------------------------------------------------------------


def test_five_failures_lock_the_user_name_from_every_address(client, django_user_model):
    staff_user(django_user_model, "alice")
    for _ in range(4):
        response = sign_in(client, "alice", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = sign_in(client, "alice", "wrong")  # the fifth
    assert is_locked_out(response)
    assert response["Retry-After"] == "900"
    assert "Wait 15 minutes" in response.content.decode()
    assert "Traceback" not in response.content.decode()

    # The right password does not open it, from here or from elsewhere.
    assert is_locked_out(sign_in(client, "alice"))
    assert is_locked_out(sign_in(client, "alice", address=HOME))
    # Another account from another address is not affected.
    staff_user(django_user_model, "bob")
    assert signed_in(sign_in(client, "bob", address=HOME))


def test_five_failures_lock_the_address_for_every_user_name(client, django_user_model):
    staff_user(django_user_model, "carol")
    for n in range(4):
        assert sign_in(client, f"guess{n}", "wrong").status_code == 200
    assert is_locked_out(sign_in(client, "guess4", "wrong"))

    assert is_locked_out(sign_in(client, "carol"))  # a real account, the right password
    assert signed_in(sign_in(client, "carol", address=HOME))


def test_the_lockout_ends_after_the_cool_off_and_is_not_extended(client, django_user_model, frozen):
    staff_user(django_user_model, "dora")
    for _ in range(5):
        sign_in(client, "dora", "wrong")
    frozen.shift(datetime.timedelta(minutes=14))
    assert is_locked_out(sign_in(client, "dora", "still-wrong"))  # does not restart the clock
    assert is_locked_out(sign_in(client, "dora"))
    frozen.shift(datetime.timedelta(minutes=1, seconds=1))
    assert signed_in(sign_in(client, "dora"))


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_limit_is_a_setting(client, django_user_model):
    staff_user(django_user_model, "erin")
    assert sign_in(client, "erin", "wrong").status_code == 200
    assert is_locked_out(sign_in(client, "erin", "wrong"))


def test_x_forwarded_for_is_ignored_by_default(client, django_user_model):
    # A client rotating the header it sends is still one address.
    staff_user(django_user_model, "fay")
    for n in range(5):
        response = sign_in(client, f"guess{n}", "wrong", forwarded_for=f"203.0.113.{n}")
    assert is_locked_out(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}
    assert is_locked_out(sign_in(client, "fay", forwarded_for="203.0.113.99"))


@override_settings(IOMCMS_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, django_user_model):
    proxy = "10.0.0.2"
    staff_user(django_user_model, "gus")
    for n in range(5):
        # Whatever the client put first, the proxy appended the address it saw.
        header = f"6.6.6.{n}, 203.0.113.7"
        response = sign_in(client, f"guess{n}", "wrong", proxy, forwarded_for=header)
    assert is_locked_out(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # Another client behind the same proxy signs in.
    assert signed_in(sign_in(client, "gus", address=proxy, forwarded_for="203.0.113.8"))
    assert is_locked_out(sign_in(client, "gus", address=proxy, forwarded_for="203.0.113.7"))


@pytest.mark.parametrize(
    ("count", "header", "expected"),
    [
        (0, "203.0.113.5", "192.0.2.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "spoofed, 203.0.113.5", "203.0.113.5"),
        (2, "spoofed, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "192.0.2.1"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip(settings, count, header, expected):
    settings.IOMCMS_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=header)
    assert client_ip(request) == expected


def test_a_lockout_is_logged_in_one_line(client, django_user_model, console):  # noqa: F811
    staff_user(django_user_model, "hal")
    for _ in range(5):
        sign_in(client, "hal", "wrong")
    locking = [line for line in lines(console) if "Locking out" in line]
    assert len(locking) == 1
    assert OFFICE in locking[0]
    assert "hal" not in locking[0]  # the typed user name is not logged (it may be a password)
    assert "Traceback" not in console.getvalue()


def test_force_login_and_the_demo_password_sign_in_still_work(client, django_user_model):
    # Axes sits in the authentication backends; both ways of signing in must still pass.
    user = staff_user(django_user_model, "ivy", is_superuser=True)
    assert signed_in(sign_in(client, "ivy"))
    assert client.get("/admin/").status_code == 200
    client.logout()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_client_login_works_in_tests_and_the_sign_in_form_is_still_guarded(
    client, django_user_model
):
    # Django's Client.login() calls authenticate() without a request, which django-axes
    # refuses with an exception; the test settings let it through (tests/auth.py).
    staff_user(django_user_model, "una")
    assert client.login(username="una", password="right-password")
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert not client.login(username="una", password="wrong-password")
    for _ in range(5):
        sign_in(client, "una", "wrong-password")
    assert is_locked_out(sign_in(client, "una"))


def test_the_site_settings_check_the_lockout_before_any_password():
    # The test settings swap the first backend (above); the real settings keep django-axes'.
    from iomcms.settings import base

    assert base.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


# -- one-time passwords ---------------------------------------------------------------------


def device_for(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=confirmed)


def code(device, *, offset=0):
    """The code the user's app shows now (``offset``: one that is wrong)."""
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{(token + offset) % 10**device.digits:0{device.digits}d}"


def test_with_a_device_the_sign_in_needs_the_code(client, django_user_model, frozen):
    user = staff_user(django_user_model, "jo", is_superuser=True)
    device = device_for(user)

    response = sign_in(client, "jo")
    assert response.status_code == 200
    assert "Enter the one-time code" in response.content.decode()

    response = sign_in(client, "jo", otp_token=code(device, offset=1))
    assert response.status_code == 200
    assert "That one-time code is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session

    frozen.shift(datetime.timedelta(minutes=1))  # past django-otp's pause after a wrong code
    assert signed_in(sign_in(client, "jo", otp_token=code(device)))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_verified()


def test_a_used_code_is_refused_the_second_time(client, django_user_model):
    user = staff_user(django_user_model, "kim", is_superuser=True)
    device = device_for(user)
    token = code(device)
    assert signed_in(sign_in(client, "kim", otp_token=token))
    client.logout()
    assert sign_in(client, "kim", otp_token=token).status_code == 200


def test_without_a_device_the_password_is_enough(client, django_user_model):
    staff_user(django_user_model, "lee", "Editors")
    assert signed_in(sign_in(client, "lee"))
    assert client.get("/admin/").status_code == 200


def test_the_sign_in_page_offers_the_code_field(client):
    content = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in content and 'autocomplete="one-time-code"' in content


@override_settings(IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS=True)
def test_a_publisher_is_sent_to_set_up_a_device_when_required(publisher_client):
    for url in ["/admin/", "/admin/news/newsitem/", "/admin/news/newsitem/add/"]:
        response = publisher_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{TWO_STEP}?next=")
    response = publisher_client.post("/admin/news/newsitem/add/", {"title": "x"})
    assert response.status_code == 302 and response["Location"].startswith(TWO_STEP)
    # The sign-in page, too, sends a signed-in Publisher on rather than asking again.
    assert publisher_client.get(LOGIN)["Location"].startswith(TWO_STEP)

    response = publisher_client.get(TWO_STEP)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content and "otpauth://totp/" in content
    assert re.search(r'<code class="otp-secret">[A-Z2-7]{32}</code>', content)
    # Signing out stays possible.
    assert publisher_client.post("/admin/logout/").status_code == 200
    assert "_auth_user_id" not in publisher_client.session


@override_settings(IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS=True)
def test_a_held_publisher_cannot_preview_a_draft_until_the_code(publisher_client, publisher):
    # A preview at the public URL shows embargoed text: the same door as the admin's.
    draft = make_news_item(title="Embargoed", publication_status="draft")
    assert publisher_client.get(draft.get_absolute_url()).status_code == 404
    device = device_for(publisher)
    publisher_client.post(TWO_STEP, {"otp_token": code(device)})
    response = publisher_client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "Embargoed" in response.content.decode()


@override_settings(IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS=True)
def test_an_editor_who_is_not_held_still_previews(editor_client):
    draft = make_news_item(title="Embargoed", publication_status="draft")
    assert editor_client.get(draft.get_absolute_url()).status_code == 200


@override_settings(IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS=True)
def test_a_superuser_is_held_too_but_an_editor_is_not(staff_client, editor_client):
    assert staff_client.get("/admin/")["Location"].startswith(TWO_STEP)
    assert editor_client.get("/admin/").status_code == 200
    assert editor_client.get("/admin/news/newsitem/").status_code == 200


def test_when_not_required_a_publisher_goes_straight_in(publisher_client):
    assert publisher_client.get("/admin/").status_code == 200


@override_settings(IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS=True)
def test_setting_up_confirms_the_device_after_a_valid_code(publisher_client, publisher, frozen):
    url = f"{TWO_STEP}?next=/admin/news/newsitem/"
    assert publisher_client.get(url).status_code == 200
    (device,) = TOTPDevice.objects.filter(user=publisher)
    assert not device.confirmed
    # Reloading shows the same secret (the same pending device), not a new one each time.
    assert publisher_client.get(url).status_code == 200
    assert TOTPDevice.objects.filter(user=publisher).count() == 1

    response = publisher_client.post(url, {"otp_token": code(device, offset=3)})
    assert response.status_code == 200
    assert "That one-time code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    frozen.shift(datetime.timedelta(minutes=1))
    response = publisher_client.post(url, {"otp_token": code(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/news/newsitem/"
    device.refresh_from_db()
    assert device.confirmed
    assert publisher_client.get("/admin/news/newsitem/").status_code == 200


@override_settings(IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS=True)
def test_a_session_without_a_code_verifies_with_the_existing_device(publisher_client, publisher):
    device = device_for(publisher)
    response = publisher_client.get(TWO_STEP)
    assert response.status_code == 200
    assert "otp-secret" not in response.content.decode()  # the secret is shown only once
    response = publisher_client.post(TWO_STEP, {"otp_token": code(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert publisher_client.get("/admin/").status_code == 200


@override_settings(IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS=True)
def test_a_publisher_with_a_device_signs_in_with_the_code_straight_to_the_admin(
    client, django_user_model
):
    user = staff_user(django_user_model, "max", "Publishers")
    device = device_for(user)
    assert signed_in(sign_in(client, "max", otp_token=code(device)))
    assert client.get("/admin/").status_code == 200


def test_an_editor_may_set_up_a_device(editor_client, editor):
    content = editor_client.get("/admin/").content.decode()
    assert f'href="{TWO_STEP}"' in content  # offered in the user links
    editor_client.get(TWO_STEP)
    device = TOTPDevice.objects.get(user=editor)
    assert editor_client.post(TWO_STEP, {"otp_token": code(device)}).status_code == 302
    assert TOTPDevice.objects.get(user=editor).confirmed
    response = editor_client.get(TWO_STEP)
    assert "Two-step sign-in is set up for your account" in response.content.decode()


@pytest.mark.parametrize("target", ["https://attacker.example/", "//attacker.example/x"])
def test_the_two_step_page_does_not_redirect_off_site(editor_client, editor, target):
    editor_client.get(TWO_STEP)
    device = TOTPDevice.objects.get(user=editor)
    response = editor_client.post(TWO_STEP, {"otp_token": code(device), "next": target})
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_two_step_page_needs_a_signed_in_staff_user(client, django_user_model):
    assert client.get(TWO_STEP)["Location"].startswith(f"{LOGIN}?next=")
    user = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(user)
    assert client.get(TWO_STEP)["Location"].startswith(f"{LOGIN}?next=")
    assert not TOTPDevice.objects.exists()


def test_who_must_use_otp(settings, editor, publisher, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw")
    settings.IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS = False
    assert not any(must_use_otp(u) for u in (editor, publisher, admin))
    settings.IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS = True
    assert must_use_otp(publisher) and must_use_otp(admin)
    assert not must_use_otp(editor)


def test_the_two_step_url_is_named():
    assert reverse("admin:two_step") == TWO_STEP


def test_superusers_manage_devices_and_lockouts_in_the_admin(staff_client, django_user_model):
    user = staff_user(django_user_model, "nia")
    device = device_for(user)
    response = staff_client.get("/admin/otp_totp/totpdevice/")
    assert response.status_code == 200
    assert "nia" in response.content.decode()
    change = staff_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert change.status_code == 200
    assert device.key not in change.content.decode()  # OTP_ADMIN_HIDE_SENSITIVE_DATA
    assert staff_client.get("/admin/axes/accessattempt/").status_code == 200


# -- settings -------------------------------------------------------------------------------

SHOW_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps([settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(), "
    "settings.IOMCMS_TRUSTED_PROXY_COUNT, settings.IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS]))"
)


def settings_of(**env):
    result = run(["-c", SHOW_SETTINGS], **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DJANGO_SETTINGS_MODULE": "iomcms.settings.dev"}, [5, 900, 0, False]),
        ({}, [5, 900, 0, True]),  # production
        (
            {
                "IOMCMS_LOGIN_FAILURE_LIMIT": "3",
                "IOMCMS_LOGIN_COOLOFF_MINUTES": "30",
                "IOMCMS_TRUSTED_PROXY_COUNT": "2",
                "IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS": "false",
            },
            [3, 1800, 2, False],
        ),
    ],
)
def test_sign_in_settings_come_from_the_environment(env, expected):
    assert settings_of(**env) == expected


def test_a_garbage_sign_in_setting_stops_start_up_with_a_clear_message():
    result = run(["manage.py", "check"], **{**PRODUCTION, "IOMCMS_LOGIN_FAILURE_LIMIT": "five"})
    assert result.returncode != 0
    assert "IOMCMS_LOGIN_FAILURE_LIMIT must be a whole number >= 1 (got 'five')" in result.stderr
