from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import (
    BigIntegerField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, Least, Lower
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iomcms.admin import ContentChangeListMixin, CountryListFilter
from iomcms.admin_trash import TrashAdminMixin
from iomcms.history import HistoryAdmin
from iomcms.permissions import can_merge_contacts
from news.models import NewsItemContact

from .merge import MergeError, merge_contacts
from .models import Contact


def likely_duplicates():
    """Other contacts that are likely the same person as the outer query's row.

    Same match key (normalized name + office), or the same e-mail ignoring case. The
    database's unique constraint rules out the second today; the rule stays for data that
    arrives some other way. Blank keys and e-mails match nothing (rows written without
    ``save()`` have no match key yet).
    """
    return (
        Contact.objects.exclude(pk=OuterRef("pk"))
        .alias(_email_ci=Lower("email"))
        .filter(
            (Q(match_key=OuterRef("match_key")) & ~Q(match_key=""))
            | (Q(_email_ci=Lower(OuterRef("email"))) & ~Q(email=""))
        )
        .order_by()
    )


def _aggregate_subquery(function):
    """``COUNT(id)``/``MIN(id)`` over the likely duplicates, as one correlated subquery."""
    return Subquery(
        likely_duplicates().annotate(v=Func(F("pk"), function=function)).values("v"),
        output_field=IntegerField(),
    )


def duplicate_count():
    return _aggregate_subquery("COUNT")


def release_count():
    """How many news items name the contact (drafts too), as a correlated subquery.

    A subquery rather than ``Count("news_links")``: no GROUP BY, so the changelist's two
    COUNT queries leave this and the duplicate count out and stay plain counts.
    """
    links = NewsItemContact.objects.filter(contact=OuterRef("pk")).order_by()
    # COUNT(contact_id), not COUNT(id): the contact_id index alone answers it (an index-only
    # scan), where counting the ids read every link's row (a contact of 500 releases: 5 ms).
    return Subquery(
        links.annotate(v=Func(F("contact_id"), function="COUNT")).values("v"),
        output_field=IntegerField(),
    )


def duplicate_group():
    """The lowest id among a contact and its likely duplicates: sorts each group together."""
    ids = BigIntegerField()
    return Least(
        F("pk"), Coalesce(_aggregate_subquery("MIN"), F("pk"), output_field=ids), output_field=ids
    )


class LikelyDuplicatesFilter(admin.SimpleListFilter):
    """``?duplicates=yes``: every contact with a likely duplicate, grouped together;
    ``?duplicates=<id>``: that contact and its likely duplicates (the column's links).
    Any other value is ignored."""

    title = _("likely duplicates")
    parameter_name = "duplicates"

    def group_pk(self):
        value = self.value() or ""
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return int(value)
        return None

    def lookups(self, request, model_admin):
        choices = [("yes", _("Yes"))]
        pk = self.group_pk()
        if pk is not None:
            contact = Contact.objects.filter(pk=pk).first()
            label = contact if contact is not None else f"#{pk}"
            choices.append((str(pk), _("Same person as %s") % label))
        return choices

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(Exists(likely_duplicates()))
        pk = self.group_pk()
        if pk is None:
            return queryset
        target = Contact.objects.filter(pk=pk)
        return queryset.alias(_email_ci=Lower("email")).filter(
            Q(pk=pk)
            | Q(match_key__in=target.exclude(match_key="").values("match_key"))
            | Q(_email_ci__in=target.exclude(email="").values(e=Lower("email")))
        )


MAX_MERGE = 20


@admin.register(Contact)
class ContactAdmin(TrashAdminMixin, ContentChangeListMixin, HistoryAdmin):
    list_display = [
        "name",
        "office",
        "email",
        "phone",
        "country_name",
        "is_public",
        "is_spokesperson",
        "release_count",
        "duplicate_count",
    ]
    list_filter = [
        "is_public",
        "is_spokesperson",
        ("country", CountryListFilter),
        "office",
        LikelyDuplicatesFilter,
    ]
    # Full-text (iomcms.admin.ContentChangeListMixin) over iomcms.search.SPECS's fields.
    search_fields = ["name", "job_title", "office", "organization", "email"]
    prepopulated_fields = {"slug": ["name", "office"]}
    readonly_fields = ["is_published", "created", "updated"]
    list_per_page = 50
    # Facets on request (?_facets), unlike the news and projects lists: a few thousand
    # contacts, and the likely-duplicates count is what a merge session starts from.
    show_facets = admin.ShowFacets.ALLOW
    # Explicit: the autocomplete pages through this queryset, and get_ordering() builds on it.
    ordering = ["name", "office"]
    actions = ["merge_contacts"]
    merge_confirmation_template = "admin/contacts/contact/merge_confirmation.html"
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "office", "organization", "country"]}),
        (_("How to reach them"), {"fields": ["email", "phone", "mobile"]}),
        (_("Visibility"), {"fields": ["is_public", "is_spokesperson", "is_published"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created", "updated"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_release_count=release_count(), _duplicate_count=duplicate_count())
        )

    def get_ordering(self, request):
        if request.GET.get(LikelyDuplicatesFilter.parameter_name) == "yes":
            return [duplicate_group().asc(), *self.ordering]
        return super().get_ordering(request)

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        # The stock column looks the code up in the field's choices, rebuilt (250 countries)
        # for every row: 28 ms of a 50-row page.
        return obj.country.name or None

    @admin.display(description=_("press releases"), ordering="_release_count")
    def release_count(self, obj):
        return obj._release_count

    @admin.display(description=_("likely duplicates"), ordering="_duplicate_count")
    def duplicate_count(self, obj):
        count = obj._duplicate_count
        if not count:
            return 0
        url = reverse("admin:contacts_contact_changelist", current_app=self.admin_site.name)
        return format_html(
            '<a href="{}?{}={}" title="{}">{}</a>',
            url,
            LikelyDuplicatesFilter.parameter_name,
            obj.pk,
            _("Show this contact with its likely duplicates"),
            count,
        )

    def response_action(self, request, queryset, *args, **kwargs):
        # Django filters the queryset by the posted ids before any action runs, and a
        # non-numeric id (a crafted POST) would be a server error there.
        try:
            [int(pk) for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)]
        except ValueError:
            self.message_user(
                request, _("Invalid selection. No items have been changed."), messages.ERROR
            )
            return None
        return super().response_action(request, queryset, *args, **kwargs)

    def has_merge_permission(self, request):
        return can_merge_contacts(request.user)

    @admin.action(description=_("Merge selected contacts…"), permissions=["merge"])
    def merge_contacts(self, request, queryset):
        """Confirmation page (choose the contact to keep), then ``contacts.merge``."""
        contacts = list(queryset.order_by("created", "pk"))
        posted = set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
        across = request.POST.get("select_across") == "1"
        stale = not across and posted != {str(c.pk) for c in contacts}
        if stale:
            self.message_user(
                request,
                _(
                    "Some of the selected contacts no longer exist (merged or deleted "
                    "meanwhile) or are not in this list. Nothing was merged."
                ),
                messages.ERROR,
            )
            return None
        if len(contacts) < 2:
            self.message_user(
                request, _("Select at least two contacts to merge."), messages.WARNING
            )
            return None
        if len(contacts) > MAX_MERGE:
            # A merge cannot be undone in one step: "select all" across pages is a slip.
            self.message_user(
                request,
                _("Merge at most %(max)d contacts at a time (%(count)d selected).")
                % {"max": MAX_MERGE, "count": len(contacts)},
                messages.WARNING,
            )
            return None

        if request.POST.get("confirm") != "yes":
            return self._merge_confirmation(request, contacts)

        keep = next((c for c in contacts if str(c.pk) == request.POST.get("keep")), None)
        if keep is None:
            self.message_user(
                request,
                _("Choose the contact to keep among the selected ones. Nothing was merged."),
                messages.ERROR,
            )
            return None
        others = [c for c in contacts if c is not keep]
        try:
            with transaction.atomic():
                result = merge_contacts(keep, others, user=request.user)
                self.log_deletions(request, others)
                merged = ", ".join(f"#{pk} {label}" for pk, label in result.merged)
                self.log_change(request, result.kept, f"Merged {merged} into this contact.")
        except MergeError as error:
            self.message_user(request, f"{error} {_('Nothing was merged.')}", messages.ERROR)
            return None

        moved = ngettext(
            "%d press-release link moved", "%d press-release links moved", result.links_moved
        ) % (result.links_moved,)
        removed = ngettext(
            "%d duplicate link removed", "%d duplicate links removed", result.links_removed
        ) % (result.links_removed,)
        self.message_user(
            request,
            _("Merged %(count)d contacts into %(kept)s: %(moved)s, %(removed)s.")
            % {"count": len(contacts), "kept": result.kept, "moved": moved, "removed": removed},
            messages.SUCCESS,
        )
        return None

    def _merge_confirmation(self, request, contacts):
        # Default: the most press releases; ties go to the oldest record.
        default = min(contacts, key=lambda c: (-c._release_count, c.created, c.pk))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge press contacts"),
            "subtitle": None,
            "opts": opts,
            # (contact, press releases): templates cannot read "_release_count".
            "rows": [(c, c._release_count) for c in contacts],
            "default_keep": default,
            "same_person": len({c.match_key for c in contacts}) == 1,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.merge_confirmation_template, context)
