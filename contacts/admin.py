from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from iomcms.history import HistoryAdmin

from .models import Contact


@admin.register(Contact)
class ContactAdmin(HistoryAdmin):
    list_display = ["name", "office", "email", "phone", "country", "is_public", "release_count"]
    list_filter = ["is_public", ("country", CountryFilter), "office"]
    search_fields = ["name", "office", "email", "job_title"]
    prepopulated_fields = {"slug": ["name", "office"]}
    readonly_fields = ["created", "updated"]
    list_per_page = 50
    # Explicit: the annotate() below makes a GROUP BY, which drops Meta.ordering, and the
    # autocomplete pages through this queryset.
    ordering = ["name", "office"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "office", "organization", "country"]}),
        (_("How to reach them"), {"fields": ["email", "phone", "mobile"]}),
        (_("Visibility"), {"fields": ["is_public"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created", "updated"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_release_count=Count("news_links"))

    @admin.display(description=_("press releases"), ordering="_release_count")
    def release_count(self, obj):
        return obj._release_count
