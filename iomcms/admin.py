"""Admin pieces shared by the content apps."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .publishing import PublicationStatus

admin.site.site_header = _("IOM Newsroom administration")
admin.site.site_title = _("IOM Newsroom admin")
admin.site.index_title = _("News, projects and press contacts")


def _set_status(modeladmin, request, queryset, status):
    # update() skips save(): fine here, only the status and timestamp change.
    from django.utils import timezone

    count = queryset.exclude(publication_status=status).update(
        publication_status=status, updated=timezone.now()
    )
    verb = _("published") if status == PublicationStatus.PUBLISHED else _("unpublished")
    modeladmin.message_user(
        request,
        ngettext("%(count)d item %(verb)s.", "%(count)d items %(verb)s.", count)
        % {"count": count, "verb": verb},
        messages.SUCCESS,
    )


@admin.action(description=_("Publish selected items"), permissions=["change"])
def publish(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, PublicationStatus.PUBLISHED)


@admin.action(description=_("Unpublish selected items (back to draft)"), permissions=["change"])
def unpublish(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, PublicationStatus.DRAFT)


class PublishableAdmin(admin.ModelAdmin):
    actions = [publish, unpublish]
    readonly_fields = ["created", "updated"]
    list_per_page = 50
