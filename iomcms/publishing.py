"""What "visible to the public" means, defined once for every content model.

Each content model's manager is built from :class:`PublishableQuerySet`; every public surface
(lists, detail pages, home page, related items, and later feeds, sitemaps, search and exports)
starts from ``Model.objects.published()`` and nothing else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def drafts(self):
        return self.filter(publication_status=PublicationStatus.DRAFT)


class PublishableModel(models.Model):
    publication_status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=PublicationStatus,
        default=PublicationStatus.DRAFT,
        help_text=_("Only published items are visible on the public site."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED

    is_published.boolean = True
    is_published.short_description = _("published")


class ProvenanceModel(models.Model):
    """Where an imported record came from, so a re-import can find and compare it."""

    source_file = models.CharField(
        _("source file"),
        max_length=500,
        blank=True,
        help_text=_("Name of the legacy text this record was imported from, if any."),
    )
    source_hash = models.CharField(
        _("source content hash"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the normalized legacy text; an unchanged file is skipped."),
    )

    class Meta:
        abstract = True
