"""The trash in the admin: deleting moves to the trash, and the Trash page brings items back or
deletes them for ever (what the trash is: :mod:`iomcms.trash`).

- :class:`TrashAdminMixin` (news items, projects, contacts): the delete button and the bulk
  "Move to the trash" action trash instead of deleting, after a confirmation that says what
  happens; the changelist, change form and autocomplete leave trashed rows out; an old version
  of a trashed item cannot be written back from its History page (restore it from the trash).
- The Trash page, ``/admin/trash/`` (:func:`trash_urls`, on ``NewsroomAdminSite``): the
  trashed items of every model the user may delete, with who trashed them, when, and when they
  go for good; "Restore" (POST) and "Delete for ever" (a confirmation page, then POST).

Who may do each: the delete permission of the item's model (``permissions.can_recover``:
Publishers and superusers; Editors cannot delete, so they neither trash nor restore).
"""

from django import http
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.admin.options import IS_POPUP_VAR, ActionLocation
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from .permissions import can_recover
from .publishing import PublishableModel
from .trash import delete_for_ever, restore, trash, trash_days, trashable_models

# The Trash page lists at most this many items per model, the most recently trashed first.
TRASH_PAGE_ROWS = 200

# The bulk confirmation names at most this many of the selected items.
CONFIRMATION_NAMES = 50

TRASHED_LOG = "Moved to the trash."
RESTORED_LOG = "Restored from the trash."


def _log(request, objs, flag, message):
    objs = list(objs)
    if objs:
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=objs,
            action_flag=flag,
            change_message=message,
            single_object=len(objs) == 1,
        )


def _trash_note():
    days = trash_days()
    return ngettext(
        "It leaves the public site at once and stays in the trash for %(days)d day, from "
        "where it can be restored; then it is deleted for ever.",
        "It leaves the public site at once and stays in the trash for %(days)d days, from "
        "where it can be restored; then it is deleted for ever.",
        days,
    ) % {"days": days}


@admin.action(description=gettext_lazy("Move selected items to the trash"), permissions=["delete"])
def delete_selected(modeladmin, request, queryset):
    """Replaces Django's "Delete selected": a confirmation, then :func:`iomcms.trash.trash`."""
    objs = list(queryset)
    if not objs:
        return None
    if request.POST.get("post") == "yes":
        count = trash(modeladmin.model, objs, request.user)
        _log(request, objs, CHANGE, TRASHED_LOG)
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d item moved to the trash. Restore it from the Trash page (admin "
                "home) within %(days)d days if that was a mistake.",
                "%(count)d items moved to the trash. Restore them from the Trash page (admin "
                "home) within %(days)d days if that was a mistake.",
                count,
            )
            % {"count": count, "days": trash_days()},
            messages.SUCCESS,
        )
        return None
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Move to the trash"),
        "subtitle": None,
        "opts": opts,
        "queryset": objs,
        "shown": objs[:CONFIRMATION_NAMES],
        "not_shown": max(0, len(objs) - CONFIRMATION_NAMES),
        "trash_note": _trash_note(),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/iomcms/trash_selected_confirmation.html", context)


class TrashAdminMixin:
    """Deleting in the admin moves to the trash (see the module's docstring)."""

    delete_confirmation_template = "admin/iomcms/trash_confirmation.html"

    def get_queryset(self, request):
        return super().get_queryset(request).outside_trash()

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if "delete_selected" in actions:  # Django's, where the user may delete: ours instead
            actions["delete_selected"] = self.get_action(delete_selected)
        return actions

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted (links and history stay): no list of "related objects".
        return [], {}, set(), []

    def delete_view(self, request, object_id, extra_context=None):
        request._moving_to_trash = True  # see log_deletions
        return super().delete_view(request, object_id, extra_context)

    def log_deletions(self, request, queryset):
        # The delete view logs a deletion before delete_model(); here nothing is deleted
        # (delete_model logs the move). Other callers (a contact merge) do delete.
        if not getattr(request, "_moving_to_trash", False):
            super().log_deletions(request, queryset)

    def delete_model(self, request, obj):
        trash(self.model, [obj], request.user)
        _log(request, [obj], CHANGE, TRASHED_LOG)

    def delete_queryset(self, request, queryset):
        objs = list(queryset)
        trash(self.model, objs, request.user)
        _log(request, objs, CHANGE, TRASHED_LOG)

    def render_delete_form(self, request, context):
        context["trash_note"] = _trash_note()
        return super().render_delete_form(request, context)

    def response_delete(self, request, obj_display, obj_id):
        if IS_POPUP_VAR in request.POST:
            return super().response_delete(request, obj_display, obj_id)
        self.message_user(
            request,
            _(
                "The %(name)s “%(obj)s” was moved to the trash. Restore it from the Trash page "
                "(admin home) within %(days)d days if that was a mistake."
            )
            % {"name": self.opts.verbose_name, "obj": obj_display, "days": trash_days()},
            messages.SUCCESS,
        )
        if not self.has_change_permission(request, None):
            return redirect(reverse("admin:index", current_app=self.admin_site.name))
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return redirect(add_preserved_filters(preserved, url))

    def is_deleted(self, object_id):
        """A trashed item counts as deleted for its history (``HistoryAdmin``): only those who
        may bring it back see it."""
        if super().is_deleted(object_id):
            return True
        return self.model._default_manager.in_trash().filter(pk=object_id).exists()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        in_trash = self.model._default_manager.in_trash().filter(pk=unquote(object_id))
        if in_trash.exists():
            # Saving an old version would take it out of the trash by a side door, with its
            # old status: the Trash page's "Restore" is the way back.
            self.check_history_access(request, object_id)
            self.message_user(
                request,
                _("This item is in the trash: restore it from the Trash page first."),
                messages.WARNING,
            )
            return redirect(reverse("admin:trash", current_app=self.admin_site.name))
        return super().history_form_view(request, object_id, version_id, extra_context)


# -- the Trash page -----------------------------------------------------------------------------


def trash_models(site):
    """The trashable models registered on ``site``, in app order."""
    return [model for model in trashable_models() if model in site._registry]


def can_use_trash(site, user):
    """The admin home's "Trash" link: a user who may delete some trashable model."""
    return any(can_recover(user, model) for model in trash_models(site))


def _model_or_404(site, app_label, model_name):
    for model in trash_models(site):
        if (model._meta.app_label, model._meta.model_name) == (app_label, model_name):
            return model
    raise http.Http404


def _trashed_or_none(model, pk):
    try:
        return model._default_manager.in_trash().filter(pk=unquote(pk)).first()
    except (ValueError, TypeError):
        return None


def _check(request, model):
    if not can_recover(request.user, model):
        raise PermissionDenied


def _gone(request, site):
    messages.warning(
        request,
        _("That item is no longer in the trash (restored or deleted meanwhile)."),
    )
    return redirect(reverse("admin:trash", current_app=site.name))


def trash_view(request, site):
    request.current_app = site.name
    allowed = [model for model in trash_models(site) if can_recover(request.user, model)]
    if not allowed:
        raise PermissionDenied
    sections = []
    for model in allowed:
        # Long texts are not shown: not read either.
        long_texts = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.TextField, models.JSONField))
        ]
        trashed = model._default_manager.in_trash().select_related("trashed_by").defer(*long_texts)
        rows = list(trashed.order_by("-trashed_at", "-pk")[:TRASH_PAGE_ROWS])
        sections.append(
            {
                "opts": model._meta,
                "rows": rows,
                "more": len(rows) == TRASH_PAGE_ROWS,
                "publishable": issubclass(model, PublishableModel),
            }
        )
    context = {
        **site.each_context(request),
        "title": _("Trash"),
        "subtitle": None,
        "sections": sections,
        "days": trash_days(),
        "limit": TRASH_PAGE_ROWS,
    }
    return TemplateResponse(request, "admin/iomcms/trash.html", context)


@require_POST
def restore_view(request, site, app_label, model_name, pk):
    request.current_app = site.name
    model = _model_or_404(site, app_label, model_name)
    _check(request, model)
    obj = _trashed_or_none(model, pk)
    if obj is None:
        return _gone(request, site)
    restore(model, [obj], request.user)
    _log(request, [obj], CHANGE, RESTORED_LOG)
    change_url = reverse(
        f"admin:{app_label}_{model_name}_change", args=(quote(obj.pk),), current_app=site.name
    )
    if isinstance(obj, PublishableModel):
        text = _(
            "“%(obj)s” is back, as a draft, with its links and translations: publish it again "
            "to put it on the public site."
        )
    else:
        text = _("“%(obj)s” is back, with their links to press releases.")
    messages.success(request, format_html('<a href="{}">{}</a>', change_url, text % {"obj": obj}))
    return redirect(reverse("admin:trash", current_app=site.name))


def delete_view(request, site, app_label, model_name, pk):
    request.current_app = site.name
    model = _model_or_404(site, app_label, model_name)
    _check(request, model)
    obj = _trashed_or_none(model, pk)
    if obj is None:
        return _gone(request, site)
    if request.method == "POST":
        _log(request, [obj], DELETION, "")
        name = str(obj)
        delete_for_ever([obj])
        messages.success(request, _("“%(obj)s” was deleted for ever.") % {"obj": name})
        return redirect(reverse("admin:trash", current_app=site.name))
    context = {
        **site.each_context(request),
        "title": _("Delete for ever"),
        "subtitle": None,
        "object": obj,
        "opts": model._meta,
    }
    return TemplateResponse(request, "admin/iomcms/trash_delete_confirmation.html", context)


def trash_urls(site):
    def view(function):
        def inner(request, **kwargs):
            return function(request, site, **kwargs)

        return site.admin_view(inner)

    item = "trash/<str:app_label>/<str:model_name>/<path:pk>/"
    return [
        path("trash/", view(trash_view), name="trash"),
        path(f"{item}restore/", view(restore_view), name="trash_restore"),
        path(f"{item}delete/", view(delete_view), name="trash_delete"),
    ]
