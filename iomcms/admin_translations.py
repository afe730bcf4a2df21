"""The admin's side of translations (the rule itself is :mod:`iomcms.languages`): a
"Translations" box on the change form, the actions and buttons "Translate into French /
Spanish", and the list filters by language and by missing translation.

A translation draft is a new item: whoever may add items of the model may make one
(:func:`iomcms.permissions.can_translate`, Editors included). It is always a draft; publishing
it stays a Publisher's decision, as for any other item.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .languages import language_codes, language_name
from .permissions import can_translate


def translation_reason(item, language):
    """The history reason of a translation draft and of its original."""
    return f"Translation draft into {language} of #{item.pk}"[:100]


class MissingTranslationFilter(admin.SimpleListFilter):
    """Items that have no version in a language yet (``?missing=fr``): those of another
    language whose group holds none in it, alone ones included. One anti-join on the
    ``translation_group`` index."""

    title = _("missing a translation into")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, language_name(code)) for code in language_codes()]

    def queryset(self, request, queryset):
        language = self.value()
        if language not in language_codes():
            return queryset
        versions = queryset.model._default_manager.filter(
            translation_group=OuterRef("translation_group"), language=language
        )
        return queryset.exclude(language=language).filter(~Exists(versions))


def _translate_action(language):
    def translate(modeladmin, request, queryset):
        modeladmin.translate_items(request, list(queryset), language)

    translate.__name__ = f"translate_into_{language}"  # the action's name in the form
    name = language_name(language)
    return admin.action(
        permissions=["translate"],
        description=_("Translate into %(language)s (a linked draft copy)") % {"language": name},
    )(translate)


# "Translate into English / Français / Español" for the changelists' actions.
TRANSLATE_ACTIONS = [_translate_action(code) for code in language_codes()]


class TranslatableAdminMixin:
    """For the admin of a :class:`~iomcms.languages.TranslatableModel`, before its other
    bases; the app's admin puts ``language`` in its fieldsets, ``"language",
    MissingTranslationFilter`` in ``list_filter`` and :data:`TRANSLATE_ACTIONS` in
    ``actions``. The change form template shows the box."""

    def has_translate_permission(self, request, obj=None):
        return can_translate(request.user, self.model)

    def get_urls(self):
        opts = self.model._meta
        translate = path(
            "<path:object_id>/translate/<str:language>/",
            self.admin_site.admin_view(self.translate_view),
            name=f"{opts.app_label}_{opts.model_name}_translate",
        )
        return [translate, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["translations_box"] = self.translations_box(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def translations_box(self, request, obj):
        """The "Translations" box: each other language, with its version's state and a link,
        or "missing" and (for those who may) a button that makes the draft. The button posts
        the change form, CSRF token included, to :meth:`translate_view` (``formaction``: no
        form inside the form, no JavaScript). One query."""
        versions = {version.language: version for version in obj.translations()}
        opts = self.model._meta
        may_translate = self.has_translate_permission(request)
        rows = []
        for code in language_codes():
            if code == obj.language:
                continue
            version = versions.get(code)
            if version is not None and version.is_trashed:
                # It keeps its language in the group until deleted for ever (iomcms/trash.py).
                trash_url = reverse("admin:trash", current_app=self.admin_site.name)
                link = format_html('<a href="{}">{}</a>', trash_url, gettext("Trash"))
                rows.append((language_name(code), "trashed", gettext("In the trash"), link))
                continue
            if version is not None:
                state = version.state()
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[version.pk])
                link = format_html('<a href="{}" lang="{}">{}</a>', url, code, version)
                rows.append((language_name(code), state.value, state.label, link))
                continue
            button = ""
            if may_translate:
                action = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_translate", args=[obj.pk, code]
                )
                button = format_html(
                    '<button type="submit" formaction="{}" formmethod="post" formnovalidate '
                    'class="button">{}</button>',
                    action,
                    gettext("Translate into %(language)s") % {"language": language_name(code)},
                )
            rows.append((language_name(code), "missing", gettext("Missing"), button))
        return format_html_join(
            "",
            '<tr><th scope="row">{}</th><td><span class="state-badge state-{}">{}</span></td>'
            "<td>{}</td></tr>",
            rows,
        )

    def translate_view(self, request, object_id, language):
        """POST only: make the draft in ``language`` and open its change form."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_translate_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, object_id)
        if obj is None or language not in language_codes():
            raise Http404
        created = self.translate_items(request, [obj], language)
        opts = self.model._meta
        target = created[0] if created else obj
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[target.pk])
        )

    def translate_items(self, request, items, language):
        """A draft in ``language`` for each of ``items`` that has none; tells the user what
        was made and what was skipped. Returns the drafts."""
        created, skipped = [], 0
        taken = set(
            self.model._default_manager.filter(
                translation_group__in=[i.translation_group for i in items if i.translation_group],
                language=language,
            ).values_list("translation_group", flat=True)
        )
        for item in items:
            if item.language == language or item.translation_group in taken:
                skipped += 1
                continue
            try:
                with transaction.atomic():
                    created.append(
                        item.draft_translation(language, translation_reason(item, language))
                    )
            except IntegrityError:  # another editor made it meanwhile
                skipped += 1
        name = language_name(language)
        if created:
            self.message_user(
                request,
                ngettext(
                    "%(count)d draft in %(language)s made: translate its text, then a "
                    "Publisher publishes it.",
                    "%(count)d drafts in %(language)s made: translate their text, then a "
                    "Publisher publishes them.",
                    len(created),
                )
                % {"count": len(created), "language": name},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d item skipped: it is in %(language)s or has a version in it already.",
                    "%(count)d items skipped: they are in %(language)s or have a version in "
                    "it already.",
                    skipped,
                )
                % {"count": skipped, "language": name},
                messages.WARNING,
            )
        return created
