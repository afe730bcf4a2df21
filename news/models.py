from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.utils import bulk_create_with_history

from iomcms.history import AuditedHistory
from iomcms.languages import TranslatableModel, one_per_language, reverse_in
from iomcms.publishing import (
    ProvenanceModel,
    PublicationStatus,
    PublishableModel,
    PublishableQuerySet,
    not_published_in_trash,
    scheduling_indexes,
)
from iomcms.search import SearchableModel, SearchQuerySetMixin
from iomcms.text import ChoiceLabelsMixin, DerivedFieldsMixin


class NewsKind(models.TextChoices):
    PRESS_RELEASE = "press-release", _("Press release")
    NEWS = "news", _("News")
    STATEMENT = "statement", _("Statement")
    STORY = "story", _("Story")
    BRIEFING = "briefing", _("Briefing note")
    UPDATE = "update", _("Update")


class NewsItemQuerySet(SearchQuerySetMixin, PublishableQuerySet):
    def for_list(self):
        """The columns and relations a list page or card needs, and nothing more."""
        return self.defer("body").select_related("lead_picture")


class NewsItem(
    SearchableModel,
    ChoiceLabelsMixin,
    DerivedFieldsMixin,
    PublishableModel,
    TranslatableModel,
    ProvenanceModel,
):
    HTML_FIELDS = ("body",)

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=300,
        unique=True,
        help_text=_("The last part of the page address. Changing it breaks old links."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=NewsKind, default=NewsKind.PRESS_RELEASE
    )
    dateline = models.CharField(
        _("dateline"),
        max_length=120,
        blank=True,
        help_text=_('The place the story is filed from, e.g. "San Salvador".'),
    )
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the date is unknown (some archive items)."),
    )
    lead = models.TextField(
        _("lead"), blank=True, help_text=_("One or two plain sentences shown in lists.")
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Cleaned HTML."))
    captions = models.TextField(
        _("photo captions"),
        blank=True,
        help_text=_(
            "Captions and photo credits the archive page printed, one per line: kept for when "
            "a picture is attached."
        ),
    )
    lead_picture = models.ForeignKey(
        "pictures.Picture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news_items",
        verbose_name=_("lead picture"),
        help_text=_(
            "Shown at the top of the item, in lists and in link previews. The magnifying glass "
            "lists the uploaded pictures, and has a button to add one."
        ),
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    contacts = models.ManyToManyField(
        "contacts.Contact",
        through="NewsItemContact",
        related_name="news_items",
        blank=True,
        verbose_name=_("media contacts"),
    )
    # Staff-chosen (and, where the text names a project code, imported) links to the projects
    # a release is about. Held here, like the media contacts: a release names its projects;
    # the projects app reads them back through ``Project.news_items`` (docs/architecture.md,
    # "Related content").
    projects = models.ManyToManyField(
        "projects.Project",
        through="NewsItemProject",
        related_name="news_items",
        blank=True,
        verbose_name=_("projects"),
    )
    legacy_key = models.CharField(
        _("legacy key"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Stable identity of an imported item (see docs/import_legacy.md)."),
    )
    raw_metadata = models.JSONField(
        _("legacy metadata"),
        default=dict,
        blank=True,
        help_text=_(
            "What the import learned about the archive page beyond its fields (original "
            "address, language, labels it did not know), kept as imported."
        ),
    )

    objects = NewsItemQuerySet.as_manager()
    history = AuditedHistory(index_prefix="news_item")

    class Meta:
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        permissions = [("publish_newsitem", _("Can publish, unpublish and schedule news items"))]
        get_latest_by = "published_on"
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        constraints = [
            one_per_language("news"),
            models.UniqueConstraint(
                fields=["legacy_key"],
                condition=~models.Q(legacy_key=""),
                name="newsitem_legacy_key_unique",
            ),
            not_published_in_trash("news"),
        ]
        # The indexes behind the default ordering, (publication_status, published_on DESC
        # NULLS LAST, id DESC) for the public lists and (published_on DESC NULLS LAST, id DESC)
        # for the admin's list of every item, are created by migrations 0002 and 0007: SQLite
        # rejects NULLS LAST in CREATE INDEX, so they are written per database there.
        indexes = [
            models.Index(fields=["kind"], name="news_kind_idx"),
            models.Index(fields=["source_hash"], name="news_source_hash_idx"),
            *scheduling_indexes("news"),
            PublishableModel.trash_index("news"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.prepare_fields()
        self.set_fields_on_publish()
        super().save(*args, **kwargs)

    def slug_text(self):
        """What the slug is made from."""
        return self.title

    def set_fields_on_publish(self):
        """A release published without a date is dated the day it goes live.

        Otherwise it would sort after the whole archive. Imported undated pages stay undated.
        """
        if (
            self.published_on is None
            and not self.legacy_key
            and self.publication_status == PublicationStatus.PUBLISHED
        ):
            self.published_on = timezone.localdate(self.go_live_at or timezone.now())
            return ["published_on"]
        return []

    def copy_relations_to_translation(self, copy):
        # The same people answer the press whatever the language of the release.
        links = [
            NewsItemContact(news_item=copy, contact_id=link.contact_id, position=link.position)
            for link in self.contact_links.all()
        ]
        bulk_create_with_history(links, NewsItemContact, default_change_reason=copy._change_reason)
        # The projects it is about, each as its version in the new language where there is one.
        projects = list(self.projects.all())
        groups = {project.translation_group for project in projects if project.translation_group}
        versions = (
            {
                project.translation_group: project
                for project in self.projects.model._default_manager.filter(
                    translation_group__in=groups, language=copy.language
                )
            }
            if groups
            else {}
        )
        project_links = [
            NewsItemProject(
                news_item=copy, project=versions.get(project.translation_group, project)
            )
            for project in projects
        ]
        bulk_create_with_history(
            project_links, NewsItemProject, default_change_reason=copy._change_reason
        )

    def get_absolute_url(self):
        # Under the item's own language's prefix (docs/decisions.md, "Three languages").
        return reverse_in(self.language, "news:detail", slug=self.slug)


class NewsItemContact(models.Model):
    """A media contact on a news item, in the order the release lists them."""

    news_item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="contact_links")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="news_links"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # Who linked or unlinked a contact, and when (merges and imports included).
    history = AuditedHistory(index_prefix="news_link")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["news_item", "contact"], name="newsitemcontact_unique_pair"
            ),
        ]

    def __str__(self):
        return f"{self.contact} on {self.news_item}"


class NewsItemProject(models.Model):
    """A project a news item is about: chosen by staff, or found by the importer where the
    release's text names the project's code (``projects.codes``)."""

    news_item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="project_links")
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="news_links",
        verbose_name=_("project"),
    )

    # Who linked or unlinked a project, and when (imports included).
    history = AuditedHistory(index_prefix="news_proj")

    class Meta:
        ordering = ["id"]
        verbose_name = _("project link")
        verbose_name_plural = _("project links")
        constraints = [
            models.UniqueConstraint(
                fields=["news_item", "project"], name="newsitemproject_unique_pair"
            ),
        ]

    def __str__(self):
        return f"{self.project} in {self.news_item}"
