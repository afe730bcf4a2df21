"""Embargo links in the admin: a panel on the change form of each news item and project
(its links, their state and openings; Create and Withdraw for those who may share) and the two
admin addresses the panel's forms post to. News and project admins take
:class:`EmbargoLinksAdminMixin`; there is no separate list of links."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iomcms.languages import reverse_in
from iomcms.permissions import can_share_embargo, has_model_perm, is_active_staff
from iomcms.publishing import WorkflowState

from . import tokens
from .forms import EmbargoLinkForm
from .models import EmbargoLink, EmbargoOpening, LinkState

# Openings listed on the change form, newest first, all links together.
OPENINGS_SHOWN = 50


def link_address(request, link, item):
    """The absolute address to send, under the item's own language."""
    path_ = reverse_in(item.language, "embargo:page", token=tokens.make_token(link))
    return request.build_absolute_uri(path_)


class EmbargoLinksAdminMixin:
    """For a :class:`iomcms.admin.PublishableAdmin` of a model embargo links point at."""

    change_form_template = "admin/embargo/change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/embargo-links/",
                wrap(require_POST(self.embargo_create_view)),
                name="{}_{}_embargo_create".format(*info),
            ),
            path(
                "<path:object_id>/embargo-links/<int:link_id>/withdraw/",
                wrap(require_POST(self.embargo_withdraw_view)),
                name="{}_{}_embargo_withdraw".format(*info),
            ),
            *super().get_urls(),
        ]

    def _shared_item(self, request, object_id):
        if not can_share_embargo(request.user, self.model):
            raise PermissionDenied
        item = self.get_object(request, object_id)
        if item is None:
            raise Http404
        return item

    def _back(self, item):
        info = self.opts.app_label, self.opts.model_name
        url = reverse("admin:{}_{}_change".format(*info), args=[item.pk])
        return HttpResponseRedirect(f"{url}#embargo-links")

    def embargo_create_view(self, request, object_id):
        item = self._shared_item(request, object_id)
        form = EmbargoLinkForm(request.POST, item=item)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self._back(item)
        link = EmbargoLink.objects.create(
            **{EmbargoLink.field_for(item): item},
            recipients=form.cleaned_data["recipients"],
            expires_at=form.cleaned_data["expires_at"],
            created_by=request.user,
        )
        messages.success(
            request,
            _("Embargo link for %(recipients)s created: %(address)s")
            % {"recipients": link.recipients, "address": link_address(request, link, item)},
        )
        return self._back(item)

    def embargo_withdraw_view(self, request, object_id, link_id):
        item = self._shared_item(request, object_id)
        link = EmbargoLink.objects.for_item(item).filter(pk=link_id).first()
        if link is None:
            raise Http404
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.revoked_by = request.user
            link.save(update_fields=["revoked_at", "revoked_by"])
            messages.success(
                request,
                _("The embargo link for %(recipients)s was withdrawn.")
                % {"recipients": link.recipients},
            )
        return self._back(item)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and self._sees_embargo_links(request):
            context["embargo_panel"] = self.embargo_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _sees_embargo_links(self, request):
        return is_active_staff(request.user) and has_model_perm(request.user, "view", EmbargoLink)

    def embargo_panel(self, request, item):
        """The change form's panel: two queries (the links with their counts, the latest
        openings of all of them)."""
        now = timezone.now()
        may_share = can_share_embargo(request.user, self.model)
        links = list(
            EmbargoLink.objects.for_item(item)
            .select_related("created_by", "revoked_by")
            .annotate(opening_count=Count("openings"), last_opened=Max("openings__opened_at"))
        )
        openings = []
        if links:
            openings = list(
                EmbargoOpening.objects.filter(link__in=[link.pk for link in links])
                .select_related("link")
                .order_by("-opened_at", "-id")[:OPENINGS_SHOWN]
            )
        rows = []
        info = self.opts.app_label, self.opts.model_name
        for link in links:
            state = link.state(now)
            rows.append(
                {
                    "link": link,
                    "state": state,
                    "address": (
                        link_address(request, link, item)
                        if may_share and state == LinkState.ACTIVE
                        else ""
                    ),
                    "withdraw_url": reverse(
                        "admin:{}_{}_embargo_withdraw".format(*info), args=[item.pk, link.pk]
                    )
                    if may_share and state != LinkState.REVOKED
                    else "",
                }
            )
        unpublished = item.state(now) in (WorkflowState.DRAFT, WorkflowState.SCHEDULED)
        form = None
        if may_share and unpublished:
            form = EmbargoLinkForm(item=item, auto_id="id_embargo_%s")
        return {
            "rows": rows,
            "openings": openings,
            "openings_shown": OPENINGS_SHOWN,
            "form": form,
            "create_url": reverse("admin:{}_{}_embargo_create".format(*info), args=[item.pk]),
            "may_share": may_share,
            "unpublished": unpublished,
        }
