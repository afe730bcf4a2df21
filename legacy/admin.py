from django.contrib import admin

from .models import Redirect


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_url", "news_item", "project", "created"]
    list_select_related = ["news_item", "project"]
    search_fields = ["old_url"]
    autocomplete_fields = ["news_item", "project"]
    readonly_fields = ["host", "path", "query", "created"]
    fields = ["old_url", "news_item", "project", "host", "path", "query", "created"]
