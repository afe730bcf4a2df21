from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import images


def validate_picture(value):
    """Model-level check of a new upload (the admin form shows its message on the field).

    The checked and processed picture is kept on the field's file for ``Picture.save``, so
    the work is done once, inside validation, where a failure is a form error.
    """
    if getattr(value, "_committed", True):
        return  # the stored original, unchanged
    value._prepared = images.prepare(value)


class Picture(models.Model):
    """A picture uploaded once, with the words that go with it, and the renditions made from it.

    A news item names one as its lead picture (``NewsItem.lead_picture``). The files are public
    to anyone who knows their address (docs/decisions.md, "Pictures"): a draft's picture is
    shown on no public page, but its files have addresses that cannot be guessed.
    """

    file = models.FileField(
        _("file"),
        max_length=200,
        validators=[validate_picture],
        help_text=_(
            "A JPEG, PNG or WebP picture. It is stored turned upright and without its camera "
            "data (EXIF, including the place it was taken)."
        ),
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_(
            "What the picture shows, for readers who cannot see it (read aloud by screen "
            'readers). One sentence, e.g. "Women queue for water at a camp near Cox\'s Bazar."'
        ),
    )
    caption = models.TextField(
        _("caption"), blank=True, help_text=_("Shown under the picture on the item's page.")
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        help_text=_('Who took the picture and who holds the rights, e.g. "© IOM 2024/Jane Doe".'),
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    renditions = models.JSONField(
        _("renditions"),
        default=list,
        editable=False,
        help_text=_("The smaller copies the pages use, made when the picture is uploaded."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        get_latest_by = "created"
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt_text=""), name="picture_alt_text_not_empty"
            ),
        ]

    def __str__(self):
        return Truncator(self.alt_text).chars(80)

    def save(self, *args, **kwargs):
        file = self.file
        if file and not file._committed:
            prepared = getattr(file, "_prepared", None) or images.prepare(file)
            replaced = []
            if self.pk:  # a new file for a saved picture: the old files go once it is saved
                old = Picture.objects.filter(pk=self.pk).first()
                replaced = old.stored_names() if old else []
            name, renditions = images.store(prepared)
            self.file = name
            self.width, self.height, self.renditions = prepared.width, prepared.height, renditions
            try:
                super().save(*args, **kwargs)
            except BaseException:
                # The row was refused: the files just written belong to nothing.
                images.delete(self.stored_names())
                raise
            if replaced:
                transaction.on_commit(lambda: images.delete(replaced))
            return
        super().save(*args, **kwargs)

    def stored_names(self):
        """The names of every file stored for this picture: the original and renditions."""
        names = [self.file.name] if self.file else []
        for row in self.renditions:
            names += [row.get("webp"), row.get("jpeg")]
        return [name for name in names if name]

    # --- What the templates and the structured data use (no query) ---------------------------

    def sources(self, max_width=None):
        """The renditions up to ``max_width`` pixels wide (at least the narrowest one), each
        with its URLs: ``[{"width", "height", "webp", "jpeg"}]``, narrowest first."""
        rows = [r for r in self.renditions if max_width is None or r["width"] <= max_width]
        rows = rows or self.renditions[:1]
        return [
            {
                "width": r["width"],
                "height": r["height"],
                "webp": default_storage.url(r["webp"]),
                "jpeg": default_storage.url(r["jpeg"]),
            }
            for r in rows
        ]

    def share_rendition(self):
        """The widest JPEG rendition (link previews: og:image, JSON-LD), or None."""
        if not self.renditions:
            return None
        widest = self.renditions[-1]
        return {
            "url": default_storage.url(widest["jpeg"]),
            "width": widest["width"],
            "height": widest["height"],
        }


@receiver(post_delete, sender=Picture, dispatch_uid="pictures-delete-files")
def _delete_files(sender, instance, **kwargs):
    names = instance.stored_names()
    transaction.on_commit(lambda: images.delete(names))
