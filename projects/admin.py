from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
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
from news.history import news_as_of
from news.models import NewsItemProject

from . import sanity
from .models import Project, ProjectType, Region


@admin.register(ProjectType, Region)
class NamedListAdmin(admin.ModelAdmin):
    # Each name in its own column, whatever the admin's language (str() follows it).
    list_display = ["name", "name_fr", "name_es", "slug"]
    search_fields = ["name", "name_fr", "name_es"]
    fields = ["name", "name_fr", "name_es", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class LabelledAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete <select> with its empty option labelled: HTML forbids an empty
    ``<option>`` without a ``label`` (the Nu checker's error). Select2 shows its placeholder
    for that option either way."""

    def create_option(self, name, value, label, *args, **kwargs):
        option = super().create_option(name, value, label, *args, **kwargs)
        if value == "" and not label:
            option["attrs"]["label"] = "—"
        return option


class ProjectNewsInline(admin.TabularInline):
    """The releases about this project: the same links as the news item form's "Projects"
    (held by the news app, ``news.NewsItemProject``), edited from either side."""

    model = NewsItemProject
    fk_name = "project"
    autocomplete_fields = ["news_item"]
    extra = 1
    verbose_name = _("news item")
    verbose_name_plural = _("news about this project (shown first on its page)")


@admin.register(Project)
class ProjectAdmin(EmbargoLinksAdminMixin, TranslatableAdminMixin, PublishableAdmin):
    actions = [*PublishableAdmin.actions, *TRANSLATE_ACTIONS]
    list_display = [
        "project_code", "title", "status", "project_type", "region", "year", "budget_usd",
        "coverage", "language", "state_badge",
    ]  # fmt: skip
    list_display_links = ["project_code", "title"]
    list_select_related = ["project_type", "region"]
    list_filter = [
        WorkflowStateFilter, WaitingForReviewFilter, "language", MissingTranslationFilter,
        "status", "project_type",
        "region", "coverage", ("year", YearListFilter), "featured",
        ("benefiting_states", CountryListFilter),
    ]  # fmt: skip
    # Full-text (iomcms.admin.ContentChangeListMixin) over iomcms.search.SPECS's fields.
    search_fields = ["project_code", "title", "summary", "description"]
    exact_search_fields = ["prima_id"]
    prepopulated_fields = {"slug": ["project_code", "title"]}
    autocomplete_fields = ["project_type", "region"]
    inlines = [ProjectNewsInline]
    history_compare_help = _(
        "News items are shown as they stood until the next recorded change of the project. "
        "Restoring a version brings back its fields, not its news items: set those in the "
        "change form."
    )

    def history_extra_rows(self, obj, older, newer):
        news = news_as_of(obj.pk, [older, newer])
        old, new = news[older.history_id], news[newer.history_id]
        return [Row("news", _("News items"), list_html(old), list_html(new), old != new)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    readonly_fields = [
        *PublishableAdmin.readonly_fields, "source_file", "source_hash", "legacy_metadata",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "project_code", "prima_id",
                           "featured"]}),
        (_("Publishing"), {"fields": ["publication_status", "go_live_at", "expire_at"]}),
        (_("Facts"), {"fields": ["status", "project_type", "start", "end", "year", "budget_usd",
                                 "coverage", "region", "benefiting_states"]}),
        (_("Text"), {"fields": ["summary", "description"]}),
        (_("Record"), {"classes": ["collapse"], "fields": [
            "created", "updated", "source_file", "source_hash", "legacy_metadata"]}),
    ]  # fmt: skip

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Allowed but unusual facts: warnings after the save, not errors (projects/sanity.py).
        for message in sanity.warnings(obj):
            self.message_user(request, message, messages.WARNING)
