from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from iomcms.history import AuditedHistory
from iomcms.languages import (
    TranslatableModel,
    interface_language,
    localized,
    one_per_language,
    original_of,
    reverse_in,
)
from iomcms.publishing import (
    ProvenanceModel,
    PublishableModel,
    PublishableQuerySet,
    not_published_in_trash,
    scheduling_indexes,
)
from iomcms.search import SearchableModel, SearchQuerySetMixin
from iomcms.text import ChoiceLabelsMixin, DerivedFieldsMixin, unique_slug
from iomcms.validators import MAX_YEAR, MIN_YEAR, year_validators

from .fields import PartialDateField


class NamedList(models.Model):
    """An editable list entry (a project type, a region): staff add them in the admin.

    ``name`` is the English name, the one the importer matches and the slug is made from;
    ``name_fr`` and ``name_es`` are shown on French and Spanish pages (blank: the English one).
    Wherever an entry is shown it is through ``str()`` / :attr:`localized_name`
    (:func:`iomcms.languages.localized`); filters keep using the slug in every language.
    """

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("In English."))
    name_fr = models.CharField(
        _("name in French"),
        max_length=200,
        blank=True,
        help_text=_("Shown on French pages; leave empty to show the English name."),
    )
    name_es = models.CharField(
        _("name in Spanish"),
        max_length=200,
        blank=True,
        help_text=_("Shown on Spanish pages; leave empty to show the English name."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.localized_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    @property
    def localized_name(self):
        """The name in the reader's language, else in English."""
        return localized(self, "name")


class ProjectType(NamedList):
    class Meta(NamedList.Meta):
        verbose_name = _("project type")
        verbose_name_plural = _("project types")


class Region(NamedList):
    class Meta(NamedList.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class ProjectStatus(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class Coverage(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    GLOBAL = "global", _("Global")


class ProjectQuerySet(SearchQuerySetMixin, PublishableQuerySet):
    def for_list(self):
        return self.select_related("project_type", "region").defer("description", "raw_metadata")

    def for_code(self, code, language=None):
        """The project known by ``code`` among these rows, for a reader of ``language``
        (default: the interface's): its version in that language, else the original of its
        versions (:func:`~iomcms.languages.original_of`); ``None`` when no row has the code.
        Translations share their project's code, one per language."""
        if not code:
            return None
        return version_for(self.filter(project_code=code), language or interface_language())


def version_for(versions, language):
    """Which of one project code's versions stands for it in ``language``: the version in
    that language, else the original (:func:`~iomcms.languages.original_of`); ``None`` for
    no versions. Asked by :meth:`ProjectQuerySet.for_code` and by the importer's links from a
    release to the projects it names (``legacy.loader``)."""
    versions = list(versions)
    mine = [version for version in versions if version.language == language]
    return mine[0] if mine else original_of(versions)


class Project(
    SearchableModel,
    ChoiceLabelsMixin,
    DerivedFieldsMixin,
    PublishableModel,
    TranslatableModel,
    ProvenanceModel,
):
    HTML_FIELDS = ("description",)
    RESERVED_SLUGS = frozenset({"statistics"})  # /projects/statistics/ (projects/urls.py)

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=300, unique=True)
    project_code = models.CharField(
        _("project code"),
        max_length=40,
        blank=True,
        help_text=_(
            'The project\'s code, e.g. "CE.0373". Its translations share it (one project per '
            "code in each language); empty for archive projects whose page gave none."
        ),
    )
    prima_id = models.CharField(_("Prima ID"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus, blank=True)
    project_type = models.ForeignKey(
        ProjectType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("project type"),
    )
    start = PartialDateField(_("start"), blank=True)
    end = PartialDateField(_("end"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("funding year"),
        null=True,
        blank=True,
        validators=year_validators(),
        help_text=_("The year the project was funded."),
    )
    budget_usd = models.DecimalField(
        _("budget (USD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    coverage = models.CharField(_("coverage"), max_length=20, choices=Coverage, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("region"),
    )
    benefiting_states = CountryField(_("benefiting member states"), multiple=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Plain text for lists."))
    description = models.TextField(_("description"), blank=True, help_text=_("Cleaned HTML."))
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Tick to show this project on the home page.")
    )
    raw_metadata = models.JSONField(
        _("legacy metadata"),
        default=dict,
        blank=True,
        help_text=_("Every label and value of the legacy page, kept as imported."),
    )
    legacy_key = models.CharField(
        _("legacy key"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "Identity of an imported project whose page gave no code (see docs/import_legacy.md)."
        ),
    )

    objects = ProjectQuerySet.as_manager()
    history = AuditedHistory(index_prefix="project")

    class Meta:
        ordering = ["-year", "title"]
        permissions = [("publish_project", _("Can publish, unpublish and schedule projects"))]
        get_latest_by = "year"
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            one_per_language("project"),
            # A project code names one project; its translations share it, one per language
            # (docs/decisions.md, "A project code is shared by its translations").
            models.UniqueConstraint(
                fields=["project_code", "language"],
                condition=~models.Q(project_code=""),
                name="project_code_language_unique",
                violation_error_message=_(
                    "A project with this project code already exists in this language."
                ),
            ),
            models.UniqueConstraint(
                fields=["legacy_key"],
                condition=~models.Q(legacy_key=""),
                name="project_legacy_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_usd__isnull=True) | models.Q(budget_usd__gte=0),
                name="project_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(year__isnull=True)
                | models.Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="project_year_plausible",
            ),
            # Partial dates are "YYYY", "YYYY-MM" or "YYYY-MM-DD" (see fields.py).
            models.CheckConstraint(
                condition=models.Q(start="") | models.Q(In(Length("start"), [4, 7, 10])),
                name="project_start_partial_date",
            ),
            models.CheckConstraint(
                condition=models.Q(end="") | models.Q(In(Length("end"), [4, 7, 10])),
                name="project_end_partial_date",
            ),
            not_published_in_trash("project"),
        ]
        indexes = [
            models.Index(
                fields=["publication_status", "-year", "title"], name="project_public_order_idx"
            ),
            # The home page's featured projects: -featured, -year, title among the public ones.
            models.Index(
                fields=["publication_status", "-featured", "-year", "title"],
                name="project_home_order_idx",
            ),
            models.Index(fields=["status"], name="project_status_idx"),
            models.Index(fields=["budget_usd"], name="project_budget_idx"),
            models.Index(fields=["source_hash"], name="project_source_hash_idx"),
            # The admin's list of every project, in the default order with the id that makes
            # it total (Django's changelist adds "-pk").
            models.Index(fields=["-year", "title", "-id"], name="project_admin_order_idx"),
            models.Index(fields=["prima_id"], name="project_prima_id_idx"),  # admin search
            *scheduling_indexes("project"),
            PublishableModel.trash_index("project"),
        ]

    def __str__(self):
        return f"{self.project_code} – {self.title}" if self.project_code else self.title

    def clean(self):
        super().clean()  # the publication times, the slug
        # Compare only to the precision both dates have: "2017" ends after "2017-03-01".
        if self.start and self.end:
            width = min(len(self.start), len(self.end))
            if self.end[:width] < self.start[:width]:
                raise ValidationError({"end": _("The end comes before the start.")})

    def save(self, *args, **kwargs):
        self.prepare_fields()
        super().save(*args, **kwargs)

    def slug_text(self):
        """What the slug is made from."""
        return f"{self.project_code} {self.title}".strip()

    def get_absolute_url(self):
        # Under the project's own language's prefix (docs/decisions.md, "Three languages").
        return reverse_in(self.language, "projects:detail", slug=self.slug)
