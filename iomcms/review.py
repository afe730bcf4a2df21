"""Review before live: an Editor's changes to a live or scheduled item wait for a Publisher.

Who must submit and who may approve is :func:`iomcms.permissions.edits_need_review` and
:func:`~iomcms.permissions.can_review`. For an Editor, saving the change form of such an item
(the "Submit for review" button, a plain "Save" posted by hand, or restoring an old version)
stores the posted form in the item's open :class:`~iomcms.models.PendingRevision` instead of
the item: the item, and so every public surface, is untouched. The Editor's change form then
shows the pending version, to keep working on it.

A Publisher's change form of the item shows what would change (the history's compare rows)
with "Approve and publish" and "Request changes", posted to ``<id>/review/``: approving runs
the stored form through the change form's own path (``save_model``, ``save_related``, so the
page cache is told by the usual signals) with the history reason "Approved revision by
<author>", attributed to the approver. Publishers are told of a submission by e-mail, the
author of the decision.
"""

import copy
import logging

from django import http
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.forms.formsets import TOTAL_FORM_COUNT
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .history import compare_rows
from .models import PendingRevision, ReviewState
from .permissions import can_review, codename, edits_need_review

logger = logging.getLogger(__name__)

# Posted with the change form but no part of the proposed values.
NOT_STORED = frozenset(
    {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew", "_submit_review",
     "review_comment", "_approve", "_request_changes", "revision"}
)  # fmt: skip

REASON_MAX_LENGTH = 100


def approval_reason(revision):
    """The item's history reason when a revision is applied (stored in English, as every
    change reason; the History page shows it as written)."""
    author = revision.author.get_username() if revision.author else "?"
    return f"Approved revision by {author}"[:REASON_MAX_LENGTH]


def revision_token(revision):
    """What the Publisher's buttons carry: approving a version resubmitted since the page was
    read is refused."""
    return f"{revision.pk}:{revision.submitted_at.isoformat()}"


def open_revision(obj):
    """``obj``'s pending version (submitted or sent back), or None. One query."""
    return PendingRevision.objects.of(obj).open().select_related("author", "reviewer").first()


def publishers_of(model):
    """Active staff who may publish ``model``'s items, through a group or their own
    permissions, with an e-mail address. Superusers are not written to unless they are
    Publishers too."""
    opts = model._meta
    permission = Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        codename=codename("publish", opts.model_name),
    ).first()
    if permission is None:
        return []
    users = get_user_model()._default_manager.filter(is_active=True, is_staff=True)
    users = users.filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
    return sorted({user.email for user in users.exclude(email="") if user.email})


def _notify(subject, body, recipients):
    """Send, and never let a mail server's failure undo the decision (it is logged)."""
    if not recipients:
        return
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("Review e-mail not sent: %s", subject)


class WaitingForReviewFilter(admin.SimpleListFilter):
    """``?review=submitted`` (waiting for a Publisher) or ``?review=changes-requested``: the
    items with an open pending revision in that state. One ``EXISTS`` on the revisions'
    index."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            (ReviewState.SUBMITTED.value, ReviewState.SUBMITTED.label),
            (ReviewState.CHANGES_REQUESTED.value, ReviewState.CHANGES_REQUESTED.label),
        ]

    def queryset(self, request, queryset):
        if self.value() not in (ReviewState.SUBMITTED, ReviewState.CHANGES_REQUESTED):
            return queryset
        revisions = PendingRevision.objects.filter(
            content_type=ContentType.objects.get_for_model(queryset.model),
            object_id=OuterRef("pk"),
            state=self.value(),
        )
        return queryset.filter(Exists(revisions))


class ReviewAdminMixin:
    """The review workflow for a :class:`~iomcms.admin.PublishableAdmin` (see the module)."""

    review_box_template = "admin/iomcms/review_box.html"

    def get_urls(self):
        opts = self.model._meta
        review = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name=f"{opts.app_label}_{opts.model_name}_review",
        )
        return [review, *super().get_urls()]

    # -- the Editor's side: submitting ----------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request._review_change_form = object_id is not None
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _revision_for(self, request, obj):
        cache = request.__dict__.setdefault("_review_revisions", {})
        if obj.pk not in cache:
            cache[obj.pk] = open_revision(obj)
        return cache[obj.pk]

    def _editing_pending(self, request, obj):
        """The revision whose values the change form shows instead of the item's: on the
        change form (GET) of an item whose edits need review, when one is open."""
        if (
            obj is None
            or obj.pk is None
            or request.method != "GET"
            or not getattr(request, "_review_change_form", False)
            or not edits_need_review(request.user, obj)
        ):
            return None
        return self._revision_for(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        revision = self._editing_pending(request, obj)
        if revision is None:
            return form
        data = revision.querydict()

        class PendingVersionForm(form):
            def __init__(self, *args, **kw):
                if not args and "data" not in kw:
                    kw["data"] = data
                super().__init__(*args, **kw)

        PendingVersionForm.__name__ = form.__name__
        return PendingVersionForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        revision = self._editing_pending(request, obj)
        if revision is not None and f"{prefix}-{TOTAL_FORM_COUNT}" in revision.data:
            kwargs["data"] = revision.querydict()
        return kwargs

    def submit_for_review(self, request, obj):
        """Store the posted form as ``obj``'s pending version (``obj`` itself is not saved)
        and tell the Publishers."""
        publication = self.model.PUBLICATION_FIELDS
        data = {
            name: request.POST.getlist(name)
            for name in request.POST
            if name not in NOT_STORED
            # A date-time field posts <name>_0 and <name>_1.
            and name.rsplit("_", 1)[0] not in publication
            and name not in publication
        }
        now = timezone.now()
        with transaction.atomic():
            pending = PendingRevision.objects.of(obj).open().select_for_update()
            revision = pending.first() or PendingRevision(item=obj)
            revision.data = data
            revision.state = ReviewState.SUBMITTED
            revision.author = request.user
            revision.comment = request.POST.get("review_comment", "").strip()
            revision.submitted_at = now
            revision._change_reason = "Submitted for review"
            revision.save()
        request._review_submitted = revision
        opts = self.model._meta
        # ``obj`` holds the proposed values; the mail names the item as the public knows it.
        obj = self.model._default_manager.filter(pk=obj.pk).first() or obj
        url = request.build_absolute_uri(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        )
        _notify(
            gettext("Waiting for your review: %(title)s") % {"title": obj},
            gettext(
                "%(author)s submitted changes to the %(kind)s “%(title)s” for review.\n\n"
                "%(comment)s\n\nReview them (approve and publish, or request changes): %(url)s"
            )
            % {
                "author": request.user.get_username(),
                "kind": opts.verbose_name,
                "title": obj,
                "comment": revision.comment or gettext("(No note.)"),
                "url": url,
            },
            publishers_of(self.model),
        )
        return revision

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_review_submitted", None) is None:
            super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_review_submitted", None) is None:
            return super().construct_change_message(request, form, formsets, add)
        return []  # nothing was saved (the formsets were not either)

    def log_change(self, request, obj, message):
        if getattr(request, "_review_submitted", None) is None:
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request, obj):
        if getattr(request, "_review_submitted", None) is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            gettext(
                "Your changes to “%(title)s” were submitted for review. The public sees the "
                "approved version until a Publisher approves them."
            )
            % {"title": obj},
            messages.SUCCESS,
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
                current_app=self.admin_site.name,
            )
        )

    # -- the Publisher's side: reviewing -------------------------------------------------

    def review_field_names(self, request, obj):
        """The fields a revision may change: the change form's, less the publication fields
        (publishing stays the Publisher's own act)."""
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        return [name for name in fields if name not in self.model.PUBLICATION_FIELDS]

    def review_forms(self, request, obj, revision):
        """The change form and inline formsets bound to the revision's values, for ``obj``
        (which the form changes in memory when validated)."""
        data = revision.querydict()
        form_class = self.get_form(
            request, obj, change=True, fields=self.review_field_names(request, obj)
        )
        form = form_class(data, instance=obj)
        formsets = []
        for formset_class, inline in self.get_formsets_with_inlines(request, obj):
            prefix = formset_class.get_default_prefix()
            if f"{prefix}-{TOTAL_FORM_COUNT}" not in data:
                continue  # e.g. a restored version: its inline rows are left as they are
            formsets.append(
                formset_class(
                    data=data, instance=obj, prefix=prefix, queryset=inline.get_queryset(request)
                )
            )
        return form, formsets

    def review_extra_rows(self, obj, formsets):
        """Compare rows beyond the model's fields (a news item's media contacts)."""
        return []

    def review_context(self, request, obj):
        """What the change form shows of the pending version, for anyone who opens it."""
        revision = self._revision_for(request, obj)
        if revision is None:
            return None
        context = {
            "revision": revision,
            "token": revision_token(revision),
            "may_review": can_review(request.user, self.model),
            "needs_review": edits_need_review(request.user, obj),
        }
        if context["may_review"] and revision.state == ReviewState.SUBMITTED:
            proposed = copy.copy(obj)
            form, formsets = self.review_forms(request, proposed, revision)
            valid = form.is_valid() and all(formset.is_valid() for formset in formsets)
            rows = compare_rows(
                self.model,
                obj,
                proposed,
                exclude=self.history_noise_fields,
                text_fields=self.history_text_fields,
            )
            if valid:
                rows += self.review_extra_rows(obj, formsets)
            context.update(
                rows=[row for row in rows if row.changed],
                errors=[] if valid else self._form_errors(form, formsets),
                action=reverse(
                    f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_review",
                    args=[quote(obj.pk)],
                    current_app=self.admin_site.name,
                ),
            )
        return context

    @staticmethod
    def _form_errors(form, formsets):
        errors = [
            f"{form.fields[name].label if name in form.fields else ''}: {message}".lstrip(": ")
            for name, messages_ in form.errors.items()
            for message in messages_
        ]
        for formset in formsets:
            errors += [str(message) for message in formset.non_form_errors()]
            errors += [
                str(message)
                for form_errors in formset.errors
                for messages_ in form_errors.values()
                for message in messages_
            ]
        return errors

    def review_view(self, request, object_id):
        """POST only: "Approve and publish" (``_approve``) or "Request changes"
        (``_request_changes``, with ``review_comment``). 403 without :func:`can_review`."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can_review(request.user, self.model):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise http.Http404
        opts = self.model._meta
        change_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[quote(obj.pk)],
            current_app=self.admin_site.name,
        )
        with transaction.atomic():
            revision = (
                PendingRevision.objects.of(obj)
                .filter(state=ReviewState.SUBMITTED)
                .select_for_update(of=("self",))
                .select_related("author")
                .first()
            )
            if revision is None or request.POST.get("revision") != revision_token(revision):
                self.message_user(
                    request,
                    gettext(
                        "These changes are no longer waiting for review, or were submitted "
                        "again while you read them: look at them again."
                    ),
                    messages.WARNING,
                )
                return HttpResponseRedirect(change_url)
            comment = request.POST.get("review_comment", "").strip()
            if "_approve" in request.POST:
                done = self._approve(request, obj, revision, comment)
            elif "_request_changes" in request.POST:
                done = self._request_changes(request, obj, revision, comment)
            else:
                done = False
                self.message_user(request, gettext("Choose approve or request changes."))
        if done:
            self._tell_author(request, obj, revision, change_url)
        return HttpResponseRedirect(change_url)

    def _approve(self, request, obj, revision, comment):
        form, formsets = self.review_forms(request, obj, revision)
        if not (form.is_valid() and all(formset.is_valid() for formset in formsets)):
            self.message_user(
                request,
                gettext(
                    "These changes cannot be applied to the item as it is now (%(errors)s). "
                    "Request changes so that the author brings them up to date."
                )
                % {"errors": "; ".join(self._form_errors(form, formsets))},
                messages.ERROR,
            )
            return False
        new_object = self.save_form(request, form, change=True)
        new_object._change_reason = approval_reason(revision)
        self.save_model(request, new_object, form, change=True)
        self.save_related(request, form, formsets, change=True)
        self.log_change(request, new_object, self.construct_change_message(request, form, formsets))
        revision.state = ReviewState.APPROVED
        revision.reviewer = request.user
        revision.reviewed_at = timezone.now()
        revision.review_comment = comment
        revision._change_reason = "Approved"
        revision.save()
        self.message_user(
            request,
            gettext("The changes are approved and public.")
            if new_object.is_public()
            else gettext("The changes are approved; the item shows them when it goes live."),
            messages.SUCCESS,
        )
        return True

    def _request_changes(self, request, obj, revision, comment):
        if not comment:
            self.message_user(
                request,
                gettext("Say what should change: the comment is sent to the author."),
                messages.ERROR,
            )
            return False
        revision.state = ReviewState.CHANGES_REQUESTED
        revision.reviewer = request.user
        revision.reviewed_at = timezone.now()
        revision.review_comment = comment
        revision._change_reason = "Changes requested"
        revision.save()
        self.message_user(
            request, gettext("The changes were sent back to their author."), messages.SUCCESS
        )
        return True

    def _tell_author(self, request, obj, revision, change_url):
        author = revision.author
        if author is None or not author.email:
            return
        approved = revision.state == ReviewState.APPROVED
        subject = (
            gettext("Approved: %(title)s") if approved else gettext("Changes requested: %(title)s")
        ) % {"title": obj}
        body = (
            gettext("%(reviewer)s approved your changes to “%(title)s”.")
            if approved
            else gettext("%(reviewer)s asks for changes to your revision of “%(title)s”.")
        ) % {"reviewer": request.user.get_username(), "title": obj}
        if revision.review_comment:
            body += "\n\n" + revision.review_comment
        body += "\n\n" + request.build_absolute_uri(change_url)
        _notify(subject, body, [author.email])

    # -- the History page --------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        log = []
        try:
            object_pk = int(unquote(object_id))
        except ValueError:
            object_pk = None
        if object_pk is not None:
            log = list(
                PendingRevision.history.filter(
                    content_type=ContentType.objects.get_for_model(self.model),
                    object_id=object_pk,
                )
                .select_related("history_user")
                .order_by("-history_date", "-history_id")
            )
        context = {"review_log": log, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)
