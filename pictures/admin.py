from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from . import images
from .models import Picture


class PictureForm(forms.ModelForm):
    class Meta:
        model = Picture
        fields = ["file", "alt_text", "caption", "credit"]
        widgets = {
            "file": forms.ClearableFileInput(attrs={"accept": images.ACCEPT}),
            "caption": forms.Textarea(attrs={"rows": 3}),
        }


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    form = PictureForm
    list_display = ["thumbnail", "alt_text", "credit", "size", "uploaded_by", "created"]
    list_display_links = ["thumbnail", "alt_text"]
    list_select_related = ["uploaded_by"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["preview", "size", "uploaded_by", "created"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "alt_text", "caption", "credit"]}),
        (_("Record"), {"fields": ["size", "uploaded_by", "created"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return self._img(obj, 120)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return self._img(obj, 480) if obj.pk else "–"

    @admin.display(description=_("size in pixels"))
    def size(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "–"

    def _img(self, obj, width):
        sources = obj.sources(max_width=width)
        if not sources:
            return "–"
        source = sources[-1]
        shown = min(width, source["width"])
        return render_to_string(
            "pictures/includes/admin_thumbnail.html",
            {
                "src": source["jpeg"],
                "width": shown,
                "height": max(1, round(source["height"] * shown / source["width"])),
            },
        )
