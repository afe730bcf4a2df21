"""Revision history in the admin, on top of django-simple-history.

``HistoryAdmin`` is the base of every content ModelAdmin: the object's History page lists
every recorded change (who, when, what changed) and lets staff open an earlier version and
restore it (a restore goes through the normal change form and ``save_model``, so it is itself
a recorded change, with the reason "Restored the version of <date> (#<id>)", and obeys the
publishing rules).

It adds a compare page, ``<object_id>/history/compare/?older=<history_id>&newer=<history_id>``
(URL name ``<app>_<model>_history_compare``): every tracked field of the two versions side by
side, changed fields first, long texts as a word-level diff. Everything stored is escaped; a
bad or foreign version id is an admin message and a redirect to the History page, never an
error page.

A deleted item's history (its History page, its versions, the compare page) is for those who
may bring it back, ``permissions.can_recover`` (Publishers): opening a version of a deleted
item and saving it recreates the item, and an Editor, who cannot delete, cannot undelete
either. Restoring an earlier version of an item that exists stays open to everyone who may
change it. Both are refused with 403 for GET and POST alike.
"""

import difflib
import json
import re
from dataclasses import dataclass

from django import http
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries.fields import CountryField
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalRecords

from .permissions import can_recover

EMPTY = "—"

# Fields that change on every save or are bookkeeping; left out of the compare page and of the
# "Changes" column of the History page.
NOISE_FIELDS = frozenset({"updated", "created", "source_hash", "search_document", "legacy_key"})

# Long text: shown as a word-level diff rather than two opaque blobs.
TEXT_DIFF_FIELDS = frozenset({"body", "description", "lead", "summary"})

# Beyond this many tokens a side, the diff is computed per line (difflib is quadratic).
MAX_WORD_DIFF_TOKENS = 20_000

# A tag, a run of white space, or a run of anything else: tags stay whole in a diff.
TOKEN_RE = re.compile(r"<[^>]*>|\s+|[^\s<]+|<")

# Change reasons are a CharField(max_length=100) on the historical tables.
REASON_MAX_LENGTH = 100


class AuditedHistory(HistoricalRecords):
    """``HistoricalRecords`` with the indexes the audit page (:mod:`iomcms.audit`) filters
    by: ``(history_user, history_date)`` and ``(history_type, history_date)``, so one user's
    or one action's newest rows are an index walk at any table size (the library indexes
    ``history_date`` and ``history_user`` alone). ``index_prefix`` names them (index names
    have at most 30 characters): ``<prefix>_hist_user_idx``, ``<prefix>_hist_type_idx``."""

    def __init__(self, *args, index_prefix, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_prefix = index_prefix

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["indexes"] = (
            *meta.get("indexes", ()),
            models.Index(
                fields=["history_user", "history_date"],
                name=f"{self.index_prefix}_hist_user_idx",
            ),
            models.Index(
                fields=["history_type", "history_date"],
                name=f"{self.index_prefix}_hist_type_idx",
            ),
        )
        return meta


def restore_reason(record):
    """The change reason of a restore: "Restored the version of <date> (#<history_id>)"."""
    when = date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
    reason = _("Restored the version of %(date)s (#%(id)s)") % {
        "date": when,
        "id": record.history_id,
    }
    return reason[:REASON_MAX_LENGTH]


# -- showing values -------------------------------------------------------------------------


def _related(record, field):
    try:
        related = getattr(record, field.name)
    except field.related_model.DoesNotExist:
        return _("#%s (deleted)") % getattr(record, field.attname)
    return str(related) if related is not None else None


def _countries(field, value):
    countries = list(value or []) if field.multiple else [value]
    return [country for country in countries if country]


def display_value(record, field):
    """A historical record's value of ``field`` as plain text for people (None when empty)."""
    if isinstance(field, models.ForeignKey):
        return _related(record, field) if getattr(record, field.attname) is not None else None
    value = getattr(record, field.attname)
    if isinstance(field, CountryField):
        names = [str(country.name) for country in _countries(field, value)]
        return ", ".join(names) or None
    if value is None or value == "" or value == [] or value == {}:
        return None
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return date_format(value, "DATE_FORMAT")
    if isinstance(field, models.JSONField):
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField):
        return localize(value)
    return str(value)


def comparable_value(record, field):
    """What decides whether a field changed between two versions."""
    value = getattr(record, field.attname)
    if isinstance(field, CountryField):
        return [country.code for country in _countries(field, value)]
    return value


# -- text diffs -----------------------------------------------------------------------------


def _tokens(text):
    tokens = TOKEN_RE.findall(text)
    if len(tokens) > MAX_WORD_DIFF_TOKENS:
        return text.splitlines(keepends=True)
    return tokens


def text_diff(old, new):
    """(old, new) as escaped HTML: removed words in <del> on the old side, added in <ins>.

    Every piece of the stored text is escaped; the only markup is the <del>/<ins> added here.
    """
    old, new = old or "", new or ""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    old_html, new_html = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            old_html.append(escape(removed))
            new_html.append(escape(added))
            continue
        if removed:
            old_html.append(format_html("<del>{}</del>", removed))
        if added:
            new_html.append(format_html("<ins>{}</ins>", added))
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # escaped above


# -- the compare table ----------------------------------------------------------------------


@dataclass
class Row:
    name: str
    label: str
    older: str
    newer: str
    changed: bool
    is_text: bool = False


def compare_rows(model, older, newer, *, exclude=NOISE_FIELDS, text_fields=TEXT_DIFF_FIELDS):
    """One :class:`Row` per tracked, editable field of ``model``, in the model's field order.

    ``older`` and ``newer`` are historical records or instances of ``model`` (a pending
    revision compared with the live item, :mod:`iomcms.review`)."""
    history = getattr(model, model._meta.simple_history_manager_attribute)
    tracked = {f.name for f in history.model.tracked_fields}
    rows = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name not in tracked or field.name in exclude:
            continue
        if not field.editable:
            continue
        changed = comparable_value(older, field) != comparable_value(newer, field)
        old_text, new_text = display_value(older, field), display_value(newer, field)
        is_text = field.name in text_fields or isinstance(field, models.JSONField)
        if is_text and changed and old_text and new_text:
            old_html, new_html = text_diff(old_text, new_text)
        else:
            old_html = EMPTY if old_text is None else escape(old_text)
            new_html = EMPTY if new_text is None else escape(new_text)
        rows.append(
            Row(field.name, capfirst(field.verbose_name), old_html, new_html, changed, is_text)
        )
    return rows


def list_html(items):
    """A compare-page value that is a list (media contacts in their order): escaped items."""
    if not items:
        return EMPTY
    return format_html(
        "<ol class='history-contacts'>{}</ol>",
        mark_safe("".join(format_html("<li>{}</li>", item) for item in items)),  # escaped
    )


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_template = "admin/iomcms/history_object.html"
    object_history_list_template = "admin/iomcms/history_list.html"
    history_compare_template = "admin/iomcms/history_compare.html"
    history_noise_fields = NOISE_FIELDS
    history_text_fields = TEXT_DIFF_FIELDS
    # A note under the compare table, e.g. on what a restore does not bring back.
    history_compare_help = None

    @property
    def _url_prefix(self):
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}"

    def get_urls(self):
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name=f"{self._url_prefix}_history_compare",
        )
        # First: simple-history's "<id>/history/<version>/" would take "compare" as a version.
        return [compare, *super().get_urls()]

    # -- who may see and restore what ---------------------------------------------------

    def is_deleted(self, object_id):
        """Whether ``object_id`` names no stored item (then only its history remains).

        An id the primary key cannot hold is 404 (simple-history's own History page would
        let the ValueError through as a 500).
        """
        try:
            return not self.model._default_manager.filter(pk=object_id).exists()
        except (ValidationError, ValueError, TypeError):
            raise http.Http404 from None

    def has_recover_permission(self, request):
        return can_recover(request.user, self.model)

    def check_history_access(self, request, object_id):
        """403 for the history of a deleted item without the right to recover it."""
        object_id = unquote(object_id)
        if self.is_deleted(object_id) and not self.has_recover_permission(request):
            history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
            if not history.filter(**{self.model._meta.pk.attname: object_id}).exists():
                raise http.Http404  # never existed: the same answer as for anyone
            raise PermissionDenied

    # -- history list -------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        self.check_history_access(request, object_id)
        context = {
            "compare_url": reverse(
                f"admin:{self._url_prefix}_history_compare",
                args=(quote(unquote(object_id)),),
                current_app=self.admin_site.name,
            )
        }
        context.update(extra_context or {})
        return super().history_view(request, object_id, extra_context=context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """simple-history's "Changes" column, without the bookkeeping fields."""
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=self.history_noise_fields,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history's, minus a bare select_related() (deprecated) when nothing is tracked.
        return history_manager.filter(**{pk_name: object_id}).select_related(
            "history_user", *self._tracked_foreign_keys()
        )

    def _tracked_foreign_keys(self):
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        return [f.name for f in history_model.tracked_fields if isinstance(f, models.ForeignKey)]

    # -- restore ------------------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.check_history_access(request, object_id)
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        try:
            history_model._meta.pk.to_python(version_id)
        except ValidationError:
            # simple-history looks the version up as given: "abc" would be a 500.
            raise http.Http404 from None
        if request.method == "POST" and self.revert_disabled(request):
            # simple-history only hides the button: its view saves any valid POST, which
            # would let a user who may only view an item write an old version back. (No
            # admin here has per-object permissions, so the model-level answer is the one.)
            raise PermissionDenied
        # save_model() (reached only through a valid POST of this view) names the version.
        request._history_restoring = (unquote(object_id), version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        restoring = getattr(request, "_history_restoring", None)
        if restoring is not None and change:
            record = (
                getattr(self.model, self.model._meta.simple_history_manager_attribute)
                .filter(history_id=restoring[1], **{self.model._meta.pk.attname: obj.pk})
                .only("history_id", "history_date")
                .first()
            )
            if record is not None:
                obj._change_reason = restore_reason(record)
        super().save_model(request, obj, form, change)

    # -- compare ------------------------------------------------------------------------

    def history_extra_rows(self, obj, older, newer):
        """Extra rows (:class:`Row`) for the compare page beyond the model's own fields: what a
        model admin knows belongs to a version (a news item's media contacts, say)."""
        return []

    def history_compare_view(self, request, object_id, extra_context=None):
        request.current_app = self.admin_site.name
        self.check_history_access(request, object_id)
        model = self.model
        opts = model._meta
        object_id = unquote(object_id)
        history = getattr(model, opts.simple_history_manager_attribute)
        obj = self.get_object(request, object_id)
        object_exists = obj is not None
        try:
            records = history.filter(**{opts.pk.attname: object_id})
            if obj is None:  # deleted: its history remains
                obj = records.latest("history_date").instance
        except (history.model.DoesNotExist, ValidationError, ValueError, TypeError):
            raise http.Http404 from None
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied

        history_url = reverse(
            f"admin:{self._url_prefix}_history",
            args=(quote(obj.pk),),
            current_app=self.admin_site.name,
        )
        versions, error = self._versions_to_compare(request, records)
        if error:
            self.message_user(request, error, messages.WARNING)
            return redirect(history_url)
        older, newer = versions

        rows = compare_rows(
            model,
            older,
            newer,
            exclude=self.history_noise_fields,
            text_fields=self.history_text_fields,
        )
        rows += self.history_extra_rows(obj, older, newer)
        changed = [row for row in rows if row.changed]
        unchanged = [row for row in rows if not row.changed]

        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions: %s") % obj,
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "object": obj,
            "object_exists": object_exists,
            "history_url": history_url,
            "older": older,
            "newer": newer,
            "versions": [older, newer],
            "changed_rows": changed,
            "unchanged_rows": unchanged,
            "revert_disabled": self.revert_disabled(request, obj),
            "history_compare_help": self.history_compare_help,
            "older_revert_url": reverse(
                f"admin:{self._url_prefix}_simple_history",
                args=(quote(obj.pk), older.history_id),
                current_app=self.admin_site.name,
            ),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.history_compare_template, context)

    def _versions_to_compare(self, request, records):
        """(older, newer) historical records from ?older=&newer=, or (None, error message)."""
        ids = []
        for name in ("older", "newer"):
            raw = request.GET.get(name, "").strip()
            if not raw.isdigit() or not 0 < int(raw) < 2**63:
                return None, _("Choose two versions from the list to compare them.")
            ids.append(int(raw))
        if ids[0] == ids[1]:
            return None, _("Choose two different versions to compare.")
        found = list(
            records.filter(history_id__in=ids)
            .select_related("history_user", *self._tracked_foreign_keys())
            .order_by("history_date", "history_id")
        )
        if len(found) != 2:
            return None, _(
                "Those versions are not in the history of this %(name)s; choose two from the list."
            ) % {"name": self.model._meta.verbose_name}
        return (found[0], found[1]), None
