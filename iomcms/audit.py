"""The admin's audit page: who did what, when, on which item, across the whole site.

Two kinds of record, merged newest first into one list:

- the history of every model django-simple-history tracks (news items and their media
  contacts, projects, contacts: whatever registers ``HistoricalRecords``), which holds every
  write, bulk actions and imports included, with the user and the change reason;
- Django's admin log (``LogEntry``) for the models that keep no history (users, groups,
  project types, regions, redirects ...). A model with a history is read from its history
  only: the admin log would list each of its admin saves a second time, and misses its bulk
  actions and imports.

It stays fast at 1,000,000 history rows because it never unites whole tables: each source is
asked, with the filters, for the time and id of its newest ``LIST_CAP + 1`` rows only
(``ORDER BY history_date DESC LIMIT 501`` on an index: ``history_date``, or
``(history_user, history_date)`` and ``(history_type, history_date)``, which
:class:`iomcms.history.AuditedHistory` adds), those short lists are merged in Python (the
count, "500+", and the order of every page), and the 50 rows of the page shown are then read
whole, one query per source that has any. Pages are a
:class:`~iomcms.pagination.CappedPaginator`'s: older records are reached by narrowing the
dates, the user or the kind of record.

Who may open it: :func:`iomcms.permissions.can_audit`.
"""

import csv
import datetime
import heapq
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .exports import safe_cell
from .pagination import LIST_CAP, CappedPaginator, page_url
from .permissions import can_audit

PER_PAGE = 50

CREATED, CHANGED, DELETED = "created", "changed", "deleted"
ACTIONS = {
    CREATED: pgettext_lazy("audit action", "Created"),
    CHANGED: pgettext_lazy("audit action", "Changed"),
    DELETED: pgettext_lazy("audit action", "Deleted"),
}
HISTORY_TYPES = {"+": CREATED, "~": CHANGED, "-": DELETED}
LOG_FLAGS = {ADDITION: CREATED, CHANGE: CHANGED, DELETION: DELETED}


@dataclass
class Entry:
    """One row of the audit page."""

    when: datetime.datetime
    user: object
    action: str
    kind: str
    object_id: str
    label: str
    detail: str
    url: str | None

    @property
    def action_label(self):
        return ACTIONS[self.action]


@dataclass
class Filters:
    user_id: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    action: str | None = None


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _history_url(model, pk):
    """The History page of ``model``'s item ``pk``, if the admin has one."""
    if not admin.site.is_registered(model):
        return None
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[quote(pk)])
    except NoReverseMatch:
        return None


class HistorySource:
    """The historical table of one tracked model."""

    def __init__(self, model, rank):
        self.model = model
        self.historical = model.history.model
        self.rank = rank
        self.key = model._meta.label_lower
        self.label = capfirst(model._meta.verbose_name_plural)

    @cached_property
    def foreign_keys(self):
        return [
            f
            for f in self.historical._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.name != "history_user"
        ]

    @cached_property
    def heavy_fields(self):
        # Bodies and metadata: a historical row is a full copy; the list needs none of them.
        return [
            f.name
            for f in self.historical._meta.concrete_fields
            if isinstance(f, models.TextField | models.JSONField)
            and f.name != "history_change_reason"
        ]

    def queryset(self, filters):
        qs = self.historical._default_manager.all()
        if filters.user_id is not None:
            qs = qs.filter(history_user_id=filters.user_id)
        if filters.since:
            qs = qs.filter(history_date__gte=_day_start(filters.since))
        if filters.until:
            qs = qs.filter(history_date__lt=_day_start(filters.until + datetime.timedelta(1)))
        if filters.action:
            qs = qs.filter(history_type={v: k for k, v in HISTORY_TYPES.items()}[filters.action])
        return qs.order_by("-history_date", "-history_id")

    def keys(self, filters, stop):
        """(time, id) of the newest ``stop`` rows that pass ``filters``."""
        return list(self.queryset(filters).values_list("history_date", "history_id")[:stop])

    def entries(self, ids):
        qs = (
            self.historical._default_manager.filter(history_id__in=ids)
            .select_related("history_user", *(f.name for f in self.foreign_keys))
            .defer(*self.heavy_fields)
        )
        return {record.history_id: self.entry(record) for record in qs}

    def entry(self, record):
        pk = getattr(record, self.model._meta.pk.attname)
        return Entry(
            when=record.history_date,
            user=record.history_user,
            action=HISTORY_TYPES[record.history_type],
            kind=capfirst(self.model._meta.verbose_name),
            object_id=str(pk),
            label=self.describe(record, pk),
            detail=record.history_change_reason or "",
            url=self.url(record, pk),
        )

    def describe(self, record, pk):
        # The model's own __str__ on the historical row, which has the same field names (and
        # the related rows it names, selected above): the item as it was then.
        try:
            return str(self.model.__str__(record))
        except ObjectDoesNotExist:
            return f"#{pk}"

    def url(self, record, pk):
        """The item's History page; for a link row (a release's media contact, no admin
        page of its own), the History page of the item it belongs to."""
        url = _history_url(self.model, pk)
        if url is not None:
            return url
        for field in self.foreign_keys:
            target = getattr(record, field.attname)
            if target is not None and (url := _history_url(field.related_model, target)):
                return url
        return None


class AdminLogSource:
    """Django's admin log, for the models that keep no history."""

    key = "admin.logentry"
    label = _("Other admin changes (users, groups, lists ...)")

    def __init__(self, tracked_models, rank):
        self.tracked = tracked_models
        self.rank = rank

    def queryset(self, filters):
        qs = LogEntry.objects.all()
        for model in self.tracked:
            opts = model._meta
            qs = qs.exclude(
                content_type__app_label=opts.app_label, content_type__model=opts.model_name
            )
        if filters.user_id is not None:
            qs = qs.filter(user_id=filters.user_id)
        if filters.since:
            qs = qs.filter(action_time__gte=_day_start(filters.since))
        if filters.until:
            qs = qs.filter(action_time__lt=_day_start(filters.until + datetime.timedelta(1)))
        if filters.action:
            qs = qs.filter(action_flag={v: k for k, v in LOG_FLAGS.items()}[filters.action])
        return qs.order_by("-action_time", "-id")

    def keys(self, filters, stop):
        return list(self.queryset(filters).values_list("action_time", "id")[:stop])

    def entries(self, ids):
        qs = LogEntry.objects.filter(id__in=ids).select_related("user", "content_type")
        return {log.id: self.entry(log) for log in qs}

    def entry(self, log):
        model = log.content_type.model_class() if log.content_type_id else None
        kind = capfirst(model._meta.verbose_name) if model else ""
        url = None if log.action_flag == DELETION else log.get_admin_url() or None
        return Entry(
            when=log.action_time,
            user=log.user,
            action=LOG_FLAGS.get(log.action_flag, CHANGED),
            kind=kind,
            object_id=log.object_id or "",
            label=log.object_repr,
            detail=log.get_change_message(),
            url=url,
        )


def sources():
    """Every tracked model's history (in the app registry's order), then the admin log."""
    tracked = [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]
    found = [HistorySource(model, rank) for rank, model in enumerate(tracked)]
    return [*found, AdminLogSource(tracked, len(found))]


class AuditLog:
    """The merged list, as a paginator wants it: ``count()`` and slices.

    Two steps: each source's newest ``cap + 1`` keys (time and id: one query a source, on
    the indexes), merged newest first, give the count and each page's rows; then the rows of a
    page are read whole from the sources they come from (one query each).
    """

    def __init__(self, chosen, filters, cap=LIST_CAP):
        self.sources = chosen
        self.filters = filters
        self.cap = cap

    @cached_property
    def keys(self):
        lists = [
            [(when, source.rank, pk) for when, pk in source.keys(self.filters, self.cap + 1)]
            for source in self.sources
        ]
        return list(heapq.merge(*lists, reverse=True))

    def count(self):
        return min(len(self.keys), self.cap + 1)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("AuditLog takes slices only")
        wanted = self.keys[index]
        found = {}
        for source in self.sources:
            ids = [pk for _when, rank, pk in wanted if rank == source.rank]
            if ids:
                found.update(
                    ((source.rank, pk), entry) for pk, entry in source.entries(ids).items()
                )
        # A row deleted between the two steps is left out.
        return [found[rank, pk] for _when, rank, pk in wanted if (rank, pk) in found]


class AuditPaginator(CappedPaginator):
    @cached_property
    def count(self):
        return self.object_list.count()

    def page(self, number):
        # Django's last page runs to ``count``, one past the cap here: it stops at the cap.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.cap)
        return self._get_page(self.object_list[bottom:top], number, self)


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User"), queryset=get_user_model().objects.order_by("username"), required=False
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    model = forms.ChoiceField(label=_("Records"), required=False)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit", "Action"),
        required=False,
        choices=[("", _("All")), *ACTIONS.items()],
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All")), *((s.key, s.label) for s in sources)]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("The end date comes before the start date."))
        return data


def chosen(request):
    """(form, sources, filters) from the query string; invalid values are ignored (the form
    says which)."""
    every = sources()
    form = AuditFilterForm(request.GET or None, sources=every)
    filters = Filters()
    picked = every
    if form.is_bound:
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        if "__all__" in form.errors:
            data = {k: v for k, v in data.items() if k not in ("since", "until")}
        user = data.get("user")
        filters = Filters(
            user_id=user.pk if user else None,
            since=data.get("since"),
            until=data.get("until"),
            action=data.get("action") or None,
        )
        if data.get("model"):
            picked = [s for s in every if s.key == data["model"]]
    return form, picked, filters


CSV_COLUMNS = ("time", "user", "action", "record", "id", "item", "detail")


def audit_csv(entries):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        cells = [e.when, e.user and str(e.user), e.action, e.kind, e.object_id, e.label, e.detail]
        writer.writerow([safe_cell(cell) for cell in cells])
    return response


def audit_view(request, site):
    if not can_audit(request.user):
        raise PermissionDenied
    form, picked, filters = chosen(request)
    log = AuditLog(picked, filters, cap=AuditPaginator.cap)
    if request.GET.get("format") == "csv":
        return audit_csv(log[0:LIST_CAP])
    paginator = AuditPaginator(log, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    kept.pop("format", None)
    querystring = kept.urlencode()
    context = {
        **site.each_context(request),
        "title": _("Audit"),
        "form": form,
        "page": page,
        "paginator": paginator,
        "past_cap": paginator.is_past_cap(request.GET.get("page")),
        "page_links": [
            (number, page_url(querystring, number) if number else None) for number in page.window
        ],
        "csv_url": f"?{querystring}&format=csv" if querystring else "?format=csv",
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/iomcms/audit.html", context)
