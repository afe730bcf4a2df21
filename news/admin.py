from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from embargo.admin import EmbargoLinksAdminMixin
from iomcms.admin import CountryListFilter, PublishableAdmin, WorkflowStateFilter, YearListFilter
from iomcms.admin_translations import (
    TRANSLATE_ACTIONS,
    MissingTranslationFilter,
    TranslatableAdminMixin,
)
from iomcms.history import Row, list_html
from iomcms.review import WaitingForReviewFilter

from .history import media_contacts_as_of, projects_as_of
from .models import NewsItem, NewsItemContact, NewsItemProject


class NewsItemContactInline(admin.TabularInline):
    model = NewsItemContact
    autocomplete_fields = ["contact"]
    extra = 1
    verbose_name = _("media contact")
    verbose_name_plural = _("media contacts (in the order shown on the page)")


class NewsItemProjectInline(admin.TabularInline):
    """The projects a release is about (its page lists them; their pages list it first)."""

    model = NewsItemProject
    fk_name = "news_item"
    autocomplete_fields = ["project"]
    extra = 1
    verbose_name = _("project")
    verbose_name_plural = _("projects")


class DateKnownFilter(admin.SimpleListFilter):
    """Undated archive items (imported pages that printed no date), for staff to find and date.

    Django's date filter offers "No date" too, among five other choices; this one says it in
    the words the public pages use ("Date unknown").
    """

    title = _("date")
    parameter_name = "date"

    def lookups(self, request, model_admin):
        return [("unknown", _("Date unknown")), ("known", _("Date known"))]

    def queryset(self, request, queryset):
        if self.value() == "unknown":
            return queryset.filter(published_on__isnull=True)
        if self.value() == "known":
            return queryset.filter(published_on__isnull=False)
        return queryset


class CaptionWithoutPictureFilter(admin.SimpleListFilter):
    """Items whose archive page printed photo captions (kept by the importer in ``captions``)
    but which have no lead picture yet: the ones to illustrate first."""

    title = _("picture")
    parameter_name = "picture"

    def lookups(self, request, model_admin):
        return [
            ("caption-only", _("Has caption, no picture")),
            ("yes", _("Has a picture")),
            ("no", _("No picture")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "caption-only":
            return queryset.filter(lead_picture__isnull=True).exclude(captions="")
        if self.value() == "yes":
            return queryset.filter(lead_picture__isnull=False)
        if self.value() == "no":
            return queryset.filter(lead_picture__isnull=True)
        return queryset


@admin.register(NewsItem)
class NewsItemAdmin(EmbargoLinksAdminMixin, TranslatableAdminMixin, PublishableAdmin):
    actions = [*PublishableAdmin.actions, *TRANSLATE_ACTIONS]
    list_display = [
        "title", "kind", "dateline", "published_on", "language", "state_badge", "updated",
    ]  # fmt: skip
    list_filter = [
        WorkflowStateFilter, WaitingForReviewFilter, "language", MissingTranslationFilter,
        DateKnownFilter, "kind", CaptionWithoutPictureFilter,
        ("countries", CountryListFilter),
        "published_on",
        ("published_on", YearListFilter),
    ]  # fmt: skip
    # The search box is full-text (iomcms.admin.ContentChangeListMixin), over the fields of
    # iomcms.search.SPECS; this list only makes Django show the box. No date_hierarchy: its
    # links are the distinct dates of the whole table, a scan on every page (the year filter
    # gives the same way in from two index lookups).
    search_fields = ["title", "lead", "dateline", "body"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [NewsItemContactInline, NewsItemProjectInline]
    # The magnifier's popup lists the pictures with thumbnails and an "Add picture" button. Not
    # autocomplete: Django's select2 box has no accessible name (tests/browser).
    raw_id_fields = ["lead_picture"]
    history_compare_help = _(
        "Media contacts and projects are shown as they stood until the next recorded change of "
        "the item. Restoring a version brings back its fields, not its media contacts or "
        "projects: set those in the change form."
    )
    readonly_fields = [
        *PublishableAdmin.readonly_fields, "source_file", "source_hash", "legacy_metadata",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "kind"]}),
        (_("Publishing"), {"fields": ["publication_status", "go_live_at", "expire_at"]}),
        (_("Dateline"), {"fields": ["dateline", "published_on", "countries"]}),
        (_("Text"), {"fields": ["lead", "body"]}),
        (_("Picture"), {"fields": ["lead_picture", "captions"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": [
                    "created",
                    "updated",
                    "source_file",
                    "source_hash",
                    "legacy_metadata",
                ],
            },
        ),
    ]

    def review_extra_rows(self, obj, formsets):
        """The media contacts now and as the pending revision lists them, in their order."""
        current = [str(link.contact) for link in obj.contact_links.select_related("contact")]
        proposed = []
        for formset in formsets:
            kept = [
                form.cleaned_data
                for form in formset.forms
                if form.cleaned_data.get("contact") and not form.cleaned_data.get("DELETE")
            ]
            kept.sort(key=lambda data: data.get("position") or 0)
            proposed += [str(data["contact"]) for data in kept]
        return [
            Row(
                "contacts",
                _("Media contacts"),
                list_html(current),
                list_html(proposed),
                current != proposed,
            )
        ]

    def history_extra_rows(self, obj, older, newer):
        contacts = media_contacts_as_of(obj.pk, [older, newer])
        old, new = contacts[older.history_id], contacts[newer.history_id]
        projects = projects_as_of(obj.pk, [older, newer])
        old_projects, new_projects = projects[older.history_id], projects[newer.history_id]
        return [
            Row("contacts", _("Media contacts"), list_html(old), list_html(new), old != new),
            Row(
                "projects",
                _("Projects"),
                list_html(old_projects),
                list_html(new_projects),
                old_projects != new_projects,
            ),
        ]
