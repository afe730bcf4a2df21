"""Signing in to the admin: the client's address, the lockout page, one-time passwords.

django-axes counts failed sign-ins (settings ``AXES_*``); this module tells it the client's
address (``client_ip``) and answers a locked-out attempt (``lockout_response``). django-otp
holds the staff's authenticator-app devices (TOTP); the admin's sign-in form asks for a code
from the user's device once one is set up (``NewsroomLoginForm``), and the "Two-step sign-in"
page (``two_step_view``) sets one up or, for a session that has not passed a code yet,
verifies one. Who *must* use a code is ``permissions.must_use_otp``; the admin site
(``iomcms.admin.NewsroomAdminSite``) sends them here before any other admin page.
"""

import base64
import io
import ipaddress
import logging

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import must_use_otp

logger = logging.getLogger(__name__)

DEVICE_NAME = "Authenticator app"

# -- the client's address -------------------------------------------------------------------


def _address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The address failed sign-ins are counted against (``AXES_CLIENT_IP_CALLABLE``).

    ``REMOTE_ADDR``, unless ``IOMCMS_TRUSTED_PROXY_COUNT`` says N proxies of ours stand in
    front of the app: each appends the address it was connected from to X-Forwarded-For, so
    the client is the N-th entry from the right. Entries further left were written by the
    client and are never used. A header with fewer entries than that, or a malformed entry,
    did not come through our proxies: ``REMOTE_ADDR`` then.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.IOMCMS_TRUSTED_PROXY_COUNT
    if count:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry for entry in header.split(",") if entry.strip()]
        if len(entries) >= count and (forwarded := _address(entries[-count])):
            return forwarded
    return _address(remote) or remote


# -- the lockout page -----------------------------------------------------------------------


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: 429 Too Many Requests, a page that says how long to wait,
    and ``Retry-After`` (the whole cool-off; the real wait is at most that)."""
    from django.contrib import admin

    cool_off = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cool_off.total_seconds() / 60))
    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed sign-ins"),
        "minutes": minutes,
    }
    # Rendered now: AxesMiddleware hands it back after the response middleware has run.
    response = render(request, "admin/iomcms/lockout.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# -- one-time passwords ---------------------------------------------------------------------


def confirmed_device(user):
    """The user's authenticator-app device, once set up (None before)."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


TOKEN_FIELD = forms.CharField(
    label=gettext_lazy("One-time code"),
    required=False,
    max_length=10,
    widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 10}
    ),
)


class NewsroomLoginForm(AdminAuthenticationForm, OTPAuthenticationFormMixin):
    """The admin's sign-in: user name and password, then, for staff who have set up an
    authenticator app, the code it shows. Without a device the code is not asked for (the
    admin site itself sends those who must have one to set it up)."""

    otp_token = TOKEN_FIELD
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": gettext_lazy(
            "Enter the one-time code from your authenticator app as well."
        ),
        "invalid_token": gettext_lazy(
            "That one-time code is not right, or has been used already. Try the next one."
        ),
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and confirmed_device(user) is not None:
            self.clean_otp(user)
        return cleaned_data

    def _chosen_device(self, user):
        # One device per user: no device list to choose from.
        return confirmed_device(user)

    def _update_form(self, user):
        pass  # the mixin would fill a device list this form does not have


class TokenForm(forms.Form):
    """A code from ``device``, checked with django-otp (throttled after failures)."""

    otp_token = forms.CharField(label=TOKEN_FIELD.label, max_length=10, widget=TOKEN_FIELD.widget)

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip().replace(" ", "")
        allowed, details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Too many wrong codes: wait %(seconds)s seconds and try again.")
                % {"seconds": _seconds_until(details.get("locked_until"))}
            )
        if not self.device.verify_token(token):
            raise forms.ValidationError(NewsroomLoginForm.otp_error_messages["invalid_token"])
        return token


def _seconds_until(locked_until):
    """Whole seconds (at least 1) until django-otp's throttle (``locked_until``) lifts."""
    if locked_until is None:
        return 1
    return max(1, round((locked_until - timezone.now()).total_seconds()))


def _pending_device(user):
    """The unconfirmed device whose secret the set-up page shows (the same one until used)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_svg(text):
    """``text`` as a QR code, inline SVG markup (segno: no image service, no script)."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(
        out,
        kind="svg",
        scale=5,
        border=4,
        xmldecl=False,
        svgclass="otp-qr",
        lineclass=None,
        dark="#000",
        light="#fff",
        title=_("QR code for your authenticator app"),
    )
    return out.getvalue().decode()


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def two_step_view(request, admin_site):
    """Set up an authenticator app (secret, QR code, first code), or, with one set up, pass a
    code for this session. Reached by staff only (``NewsroomAdminSite.get_urls``)."""
    user = request.user
    index = reverse("admin:index", current_app=admin_site.name)
    next_url = _next_url(request, index)
    device = confirmed_device(user)
    verified = bool(getattr(user, "is_verified", lambda: False)())
    setting_up = device is None
    if setting_up:
        device = _pending_device(user)

    form = None
    if not (verified and not setting_up):
        form = TokenForm(device, request.POST if request.method == "POST" else None)
        if form.is_valid():
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                logger.warning("Two-step sign-in set up for user %r", user.get_username())
                messages.success(request, _("Two-step sign-in is set up."))
            django_otp.login(request, device)
            return redirect(next_url)

    context = {
        **admin_site.each_context(request),
        "title": _("Two-step sign-in"),
        "subtitle": None,
        "form": form,
        "setting_up": setting_up,
        "verified": verified and not setting_up,
        "required": must_use_otp(user),
        "next": next_url,
    }
    if setting_up:
        context.update(
            {
                "secret": base64.b32encode(device.bin_key).decode(),
                "config_url": device.config_url,
                "qr_svg": qr_svg(device.config_url),
            }
        )
    return TemplateResponse(request, "admin/iomcms/two_step.html", context)
