from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from iomcms.admin import PublishableAdmin, WorkflowStateFilter

from .models import NewsItem, NewsItemContact


class NewsItemContactInline(admin.TabularInline):
    model = NewsItemContact
    autocomplete_fields = ["contact"]
    extra = 1
    verbose_name = _("media contact")
    verbose_name_plural = _("media contacts (in the order shown on the page)")


@admin.register(NewsItem)
class NewsItemAdmin(PublishableAdmin):
    list_display = ["title", "kind", "dateline", "published_on", "state_badge", "updated"]
    list_filter = [WorkflowStateFilter, "kind", ("countries", CountryFilter), "published_on"]
    search_fields = ["title", "slug", "lead", "dateline"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [NewsItemContactInline]
    readonly_fields = [*PublishableAdmin.readonly_fields, "source_file", "source_hash"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind"]}),
        (_("Publishing"), {"fields": ["publication_status", "go_live_at", "expire_at"]}),
        (_("Dateline"), {"fields": ["dateline", "published_on", "countries"]}),
        (_("Text"), {"fields": ["lead", "body"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": ["created", "updated", "source_file", "source_hash"],
            },
        ),
    ]
