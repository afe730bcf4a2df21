"""The admin site, and the pieces shared by the content apps: publishing rights, workflow
state, preview.

Who may publish is decided here, on the server, for every path that can change what the
public sees: the change form (the publication fields are read-only without the model's
``publish_<model>`` permission, and ``save_model`` keeps the stored values whatever the form
or a restored revision carries), the bulk actions (``permissions=["publish"]``, which Django
checks again when the action is posted) and the add form (new items start as drafts). An
Editor's changes to a live or scheduled item are not saved but wait for a Publisher's review
(:mod:`iomcms.review`).
"""

import json
from functools import update_wrapper

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import connections, models, transaction
from django.db.models import Max, Min, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_countries import countries
from simple_history.utils import bulk_update_with_history

from . import pagecache
from .admin_trash import TrashAdminMixin, can_use_trash, trash_urls
from .filters import FastSelect, country_condition
from .history import HistoryAdmin
from .permissions import (
    can_audit,
    can_import,
    can_publish,
    edits_need_review,
    is_active_staff,
    second_factor_missing,
)
from .publishing import PublicationStatus, WorkflowState
from .review import ReviewAdminMixin
from .signin import NewsroomLoginForm, two_step_view


class NewsroomAdminSite(admin.AdminSite):
    """The default admin site (``admin.site``; see ``apps.NewsroomAdminConfig``), whose
    templates get the user's rights as flags from :mod:`iomcms.permissions` rather than
    spelling out permission strings.

    Sign-in (:mod:`iomcms.signin`): the form asks for a one-time code from staff who have set
    up an authenticator app, and staff who must use one (``permissions.must_use_otp``) but
    have not passed one in this session reach no admin page but "Two-step sign-in" (and
    sign-out): ``has_permission`` is false for them and every admin view sends them there.
    """

    site_header = _("IOM Newsroom administration")
    site_title = _("IOM Newsroom admin")
    index_title = _("News, projects and press contacts")
    login_form = NewsroomLoginForm
    login_template = "admin/iomcms/login.html"

    def each_context(self, request):
        context = super().each_context(request)
        context["can_import"] = can_import(request.user)
        context["can_use_trash"] = can_use_trash(self, request.user)
        context["can_audit"] = can_audit(request.user)
        return context

    def has_permission(self, request):
        return super().has_permission(request) and not second_factor_missing(request.user)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)
        sign_out = csrf_protect(never_cache(view))

        def inner(request, *args, **kwargs):
            if not second_factor_missing(request.user):
                return checked(request, *args, **kwargs)
            if request.path == reverse("admin:logout", current_app=self.name):
                return sign_out(request, *args, **kwargs)  # signing out is always allowed
            return self._to_two_step(request)

        return update_wrapper(inner, checked)

    def login(self, request, extra_context=None):
        if request.method == "GET" and second_factor_missing(request.user):
            return self._to_two_step(request)
        return super().login(request, extra_context)

    def _to_two_step(self, request):
        response = redirect_to_login(
            request.get_full_path(), reverse("admin:two_step", current_app=self.name)
        )
        add_never_cache_headers(response)
        return response

    def get_urls(self):
        two_step = path("two-step/", self._staff_only(two_step_view), name="two_step")
        audit = path("audit/", self.admin_view(self._audit), name="audit")
        return [two_step, audit, *trash_urls(self), *super().get_urls()]

    def _audit(self, request):
        from .audit import audit_view  # reads the app registry: imported once apps are ready

        return audit_view(request, self)

    def _staff_only(self, view):
        """Signed-in staff, verified or not (the page that verifies them); others sign in."""

        def inner(request):
            request.current_app = self.name
            if not is_active_staff(request.user):
                return redirect_to_login(
                    request.get_full_path(), reverse("admin:login", current_app=self.name)
                )
            return view(request, self)

        return csrf_protect(never_cache(inner))


class WorkflowStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return WorkflowState.choices

    def queryset(self, request, queryset):
        if self.value() in WorkflowState.values:
            return queryset.in_state(self.value())
        return queryset


def _last(value):
    """The last of a filter parameter's values (Django passes each as a list)."""
    if isinstance(value, list):
        value = value[-1] if value else None
    return value


class CountryListFilter(admin.FieldListFilter):
    """Every country (django-countries' list), with no query: the stock filter offers the
    countries in use, a ``SELECT DISTINCT`` over the whole table on every changelist page.
    Rows are chosen by :func:`iomcms.filters.country_condition`, the public lists' rule, for a
    single or a multiple CountryField. ``?<field>=co`` works in any case; an unknown code
    is ignored."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = field_path
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self):
        return [self.lookup_kwarg]

    @cached_property
    def code(self):
        value = _last(self.used_parameters.get(self.lookup_kwarg))
        code = str(value or "").strip().upper()
        return code if code in countries else None

    def queryset(self, request, queryset):
        if self.code is None:
            return queryset
        return queryset.filter(country_condition(self.field.model, self.field.name, self.code))

    def get_facet_counts(self, pk_attname, filtered_qs):
        # Only when asked (?_facets) and allowed: one COUNT per country over the list.
        return {
            f"{index}__c": models.Count(
                pk_attname, filter=country_condition(self.field.model, self.field.name, code)
            )
            for index, (code, _name) in enumerate(countries)
        }

    # A <select> in a small GET form rather than 250 links: each link is a query string built
    # for the whole changelist (a fifth of a changelist page's time), and a list of 250
    # countries is easier to use as a select. With facet counts asked for, the links remain.
    template = "admin/iomcms/select_filter.html"

    def choices(self, changelist):
        if changelist.add_facets:
            yield from self._links(changelist)
            return
        kept = {
            name: value
            for name, value in changelist.params.items()
            if name not in (self.lookup_kwarg, PAGE_VAR)
        }
        options = [("", _("All")), *((code, name) for code, name in countries)]
        yield {
            "selected": self.code is None,
            "hidden": format_html_join(
                "",
                '<input type="hidden" name="{}" value="{}">',
                ((name, value) for name, values in kept.items() for value in _listed(values)),
            ),
            "select": FastSelect(choices=options).render(
                self.lookup_kwarg, self.code or "", {"aria-label": self.title}
            ),
        }

    def _links(self, changelist):
        counts = self.get_facet_queryset(changelist)
        yield {
            "selected": self.code is None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg]),
            "display": _("All"),
        }
        for index, (code, name) in enumerate(countries):
            yield {
                "selected": code == self.code,
                "query_string": changelist.get_query_string({self.lookup_kwarg: code}),
                "display": f"{name} ({counts[f'{index}__c']})",
            }


def _listed(values):
    return values if isinstance(values, (list, tuple)) else [values]


class YearListFilter(admin.FieldListFilter):
    """One link per year, newest first, for a date field (``?<field>__year=``) or a year
    number (``?<field>=``). Its years run from the oldest to the newest in the table, read in
    one query that two index lookups answer (MIN and MAX over an index on the field), where
    ``date_hierarchy`` or the stock filter list the distinct values of the whole table. A
    value that is not a year is ignored. No facet counts: it serves lists that show none
    (``ContentChangeListMixin.show_facets``)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        is_date = isinstance(field, models.DateField)
        self.lookup_kwarg = f"{field_path}__year" if is_date else field_path
        super().__init__(field, request, params, model, model_admin, field_path)
        if is_date:
            self.title = _("year of %s") % self.title
        bounds = model._default_manager.aggregate(low=Min(field_path), high=Max(field_path))
        low, high = bounds["low"], bounds["high"]
        if is_date and low is not None:
            low, high = low.year, high.year
        self.years = [] if low is None else list(range(high, low - 1, -1))

    def expected_parameters(self):
        return [self.lookup_kwarg]

    @cached_property
    def year(self):
        value = str(_last(self.used_parameters.get(self.lookup_kwarg)) or "")
        return int(value) if value.isascii() and value.isdigit() and len(value) == 4 else None

    def has_output(self):
        return bool(self.years)

    def queryset(self, request, queryset):
        if self.year is None:
            return queryset
        return queryset.filter(**{self.lookup_kwarg: self.year})

    def choices(self, changelist):
        yield {
            "selected": self.year is None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg]),
            "display": _("All"),
        }
        for year in self.years:
            yield {
                "selected": year == self.year,
                "query_string": changelist.get_query_string({self.lookup_kwarg: year}),
                "display": str(year),
            }


def planned_rows(queryset):
    """PostgreSQL's estimate of how many rows ``queryset`` returns: planning only, no rows
    read (for an unfiltered table it is ``pg_class.reltuples`` scaled to the table's size)."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """A changelist paginator that does not count a large result row by row.

    The admin shows a count and page links above every list; counting 1,000,000 rows (or the
    600,000 a common word matches) reads them all. On PostgreSQL the rows are counted up to
    ``EXACT_BELOW`` (one query, however large the table); a result that reaches it gets the
    planner's estimate instead (``estimated`` is then true and the changelist says so). On
    SQLite (development) every result is counted.
    """

    EXACT_BELOW = 1_000
    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if connections[queryset.db].vendor != "postgresql" or queryset.query.is_empty():
            return super().count
        counted = queryset.order_by().values("pk")[: self.EXACT_BELOW].count()
        if counted < self.EXACT_BELOW:
            return counted
        self.estimated = True
        return max(counted, planned_rows(queryset))


class ContentChangeListMixin:
    """What the changelists of the content tables (news, projects, contacts) share, so that
    each stays as fast at 1,000,000 rows as at 10,000 (docs/decisions.md, "A fast admin").

    - The search box goes through the full-text search (:mod:`iomcms.search`), the public
      search's index and syntax, over every row the list holds: drafts, scheduled and expired
      items too. Results keep the changelist's order (newest first, or the column the user
      sorts by), not relevance: editors look for a release they know, sort and select across
      pages, and ranking every match of a common word would read them all.
    - Counts: no second count of the whole table (``show_full_result_count``), an estimate
      for a large result (:class:`EstimatedCountPaginator`), and no facet counts (one per
      filter choice, 250 for the country filter).
    """

    exact_search_fields = ()  # also found when equal to the whole query (see get_search_results)
    paginator = EstimatedCountPaginator
    change_list_template = "admin/iomcms/content_change_list.html"
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    search_help_text = _(
        'Words (all must appear), "an exact phrase", "or" between alternatives, -word to '
        "exclude. Drafts, scheduled and expired items are searched too."
    )

    def action_checkbox(self, obj):
        # The stock column renders a form widget through the template engine for each row,
        # about a tenth of a changelist page's time; this is the same input, written directly
        # (the column's header is Django's: it recognizes the name).
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def get_search_results(self, request, queryset, search_term):
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            # A relation's autocomplete (the contacts of a release) completes the letters
            # typed so far, which full-text search (whole words, prefixes from three letters)
            # does not do; it pages through a small table (press contacts).
            return super().get_search_results(request, queryset, search_term)
        result = queryset.search(search_term)
        matches = result.matches
        if self.exact_search_fields and result.query:
            # Identifiers the text search does not hold, as typed or upper-cased (an index
            # lookup each).
            values = {result.query, result.query.upper()}
            exact = Q()
            for name in self.exact_search_fields:
                exact |= Q(**{f"{name}__in": values})
            matches |= queryset.filter(exact)
        return matches, False


def _save_in_bulk(modeladmin, request, objs, fields, reason):
    now = timezone.now()
    for obj in objs:
        obj.updated = now  # bulk_update() skips save(), so auto_now too
    with transaction.atomic():
        bulk_update_with_history(
            objs,
            modeladmin.model,
            [*fields, "updated"],
            batch_size=500,
            default_user=request.user,
            default_change_reason=reason,
        )
        # bulk_update() sends no post_save: say so to the page cache here.
        pagecache.content_changed()


@admin.action(description=_("Publish selected items"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    """Publish; an item with a future go-live time becomes Scheduled, an expired one live again."""
    now = timezone.now()
    objs = list(queryset.select_for_update(of=("self",)))
    changed, fields = [], set()
    for obj in objs:
        before = obj.state(now)
        set_fields = obj.publish(now)
        if obj.state(now) != before:
            changed.append(obj)
            fields.update(set_fields)
    _save_in_bulk(modeladmin, request, changed, sorted(fields), "Published from the list")
    scheduled = sum(1 for obj in changed if obj.state(now) == WorkflowState.SCHEDULED)
    live = len(changed) - scheduled
    parts = []
    if live:
        parts.append(ngettext("%d item is live now", "%d items are live now", live) % live)
    if scheduled:
        parts.append(
            ngettext(
                "%d item is scheduled and goes live at its go-live time",
                "%d items are scheduled and go live at their go-live times",
                scheduled,
            )
            % scheduled
        )
    unchanged = len(objs) - len(changed)
    if unchanged:
        parts.append(
            ngettext("%d item was already published", "%d items were already published", unchanged)
            % unchanged
        )
    modeladmin.message_user(request, "; ".join(parts) + ".", messages.SUCCESS)


@admin.action(description=_("Unpublish selected items (back to draft)"), permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    objs = list(
        queryset.select_for_update(of=("self",)).exclude(publication_status=PublicationStatus.DRAFT)
    )
    fields = set()
    for obj in objs:
        fields.update(obj.unpublish())
    _save_in_bulk(modeladmin, request, objs, sorted(fields), "Unpublished from the list")
    count = len(objs)
    modeladmin.message_user(
        request,
        ngettext(
            "%d item unpublished: it is a draft again.",
            "%d items unpublished: they are drafts again.",
            count,
        )
        % count,
        messages.SUCCESS,
    )


class PublishableAdmin(TrashAdminMixin, ReviewAdminMixin, ContentChangeListMixin, HistoryAdmin):
    actions = [publish, unpublish]
    readonly_fields = ["created", "updated"]
    list_per_page = 50
    change_form_template = "admin/iomcms/publishable_change_form.html"

    def has_publish_permission(self, request, obj=None):
        return can_publish(request.user, self.model)

    @admin.display(description=_("legacy metadata"))
    def legacy_metadata(self, obj):
        """An imported item's ``raw_metadata``, read-only: what the archive page said."""
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.raw_metadata, indent=2, ensure_ascii=False)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request, obj):
            fields += [f for f in self.model.PUBLICATION_FIELDS if f not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request, obj):
            # The form had no publication fields for this user; this also covers a crafted
            # POST and a restored revision, whose instance carries the old version's values.
            self._keep_stored_publication_fields(obj, change)
            if change and edits_need_review(request.user, obj):
                # A live or scheduled item: the changes wait for a Publisher (iomcms/review.py).
                self.submit_for_review(request, obj)
                return
        super().save_model(request, obj, form, change)

    def _keep_stored_publication_fields(self, obj, change):
        fields = self.model.PUBLICATION_FIELDS
        stored = None
        if change and obj.pk is not None:
            stored = self.model._default_manager.filter(pk=obj.pk).values(*fields).first()
        if stored is None:  # a new item: a draft with no schedule
            stored = {f: self.model._meta.get_field(f).get_default() for f in fields}
        for name, value in stored.items():
            setattr(obj, name, value)

    @admin.display(description=_("state"), ordering="publication_status")
    def state_badge(self, obj):
        state = obj.state()
        detail = ""
        if state == WorkflowState.SCHEDULED:
            detail = date_format(timezone.localtime(obj.go_live_at), "SHORT_DATETIME_FORMAT")
        elif state == WorkflowState.EXPIRED:
            detail = date_format(timezone.localtime(obj.expire_at), "SHORT_DATETIME_FORMAT")
        elif state == WorkflowState.LIVE and obj.expire_at:
            detail = _("until %s") % date_format(
                timezone.localtime(obj.expire_at), "SHORT_DATETIME_FORMAT"
            )
        return format_html(
            '<span class="state-badge state-{}">{}</span>{}',
            state.value,
            state.label,
            format_html("<br><small>{}</small>", detail) if detail else "",
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["workflow_state"] = obj.state()
            context["review"] = self.review_context(request, obj)
            context["review_box_template"] = self.review_box_template
            context["review_required"] = edits_need_review(
                request.user, obj
            ) and self.has_change_permission(request, obj)
        context["can_publish"] = self.has_publish_permission(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
