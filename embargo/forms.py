import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iomcms.publishing import WorkflowState


def default_expiry(item, now=None):
    """A scheduled item's go-live moment (after it the link leads to the public page), else
    ``IOMCMS_EMBARGO_LINK_DAYS`` from now."""
    now = now or timezone.now()
    if item.state(now) == WorkflowState.SCHEDULED:
        return item.go_live_at
    return now + datetime.timedelta(days=settings.IOMCMS_EMBARGO_LINK_DAYS)


class EmbargoLinkForm(forms.Form):
    recipients = forms.CharField(
        label=_("Recipients"),
        max_length=300,
        help_text=_('Who receives this link, e.g. "Reuters Geneva desk".'),
    )
    expires_at = forms.DateTimeField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Empty: until the item's go-live time if it is scheduled, else for %(days)s days."
        ),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        days = settings.IOMCMS_EMBARGO_LINK_DAYS
        self.fields["expires_at"].help_text = self.fields["expires_at"].help_text % {"days": days}

    def clean(self):
        cleaned = super().clean()
        if self.item.state() not in (WorkflowState.DRAFT, WorkflowState.SCHEDULED):
            raise forms.ValidationError(
                _("Embargo links are for drafts and scheduled items; this one is not."),
                code="not_unpublished",
            )
        return cleaned

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"] or default_expiry(self.item)
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future."), code="past")
        return value
