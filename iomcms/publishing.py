"""What "visible to the public" means, defined once for every content model.

Each content model's manager is built from :class:`PublishableQuerySet`; every public surface
(lists, detail pages, home page, related items, feeds, sitemaps, search and exports) starts from
``Model.objects.published()`` and nothing else.

Scheduling needs no cron job: an item is public when its status is *published*, its go-live
time (if any) has passed and its expiry time (if any) has not. ``published()`` compares with the
clock at query time, so a scheduled item appears on every surface at the second it goes live.

An item in the trash (:mod:`iomcms.trash`) is never public: moving it there unpublishes it
(:meth:`PublishableModel.move_to_trash`) and a check constraint (:func:`not_published_in_trash`)
keeps a trashed row from being published by any path, so ``published()`` needs no column of
its own for the trash and the indexes built for it stay index-only.
"""

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .trash import TrashableModel, TrashQuerySetMixin


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class WorkflowState(models.TextChoices):
    """What the public sees now: derived from the status and the two times, never stored."""

    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Live")
    EXPIRED = "expired", _("Expired")


def _state_q(state, now):
    published = Q(publication_status=PublicationStatus.PUBLISHED)
    not_yet = Q(go_live_at__gt=now)
    over = Q(expire_at__lte=now)
    return {
        WorkflowState.DRAFT: ~published,
        WorkflowState.SCHEDULED: published & not_yet,
        WorkflowState.EXPIRED: published & ~not_yet & over,
        WorkflowState.LIVE: published
        & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        & (Q(expire_at__isnull=True) | Q(expire_at__gt=now)),
    }[state]


class PublishableQuerySet(TrashQuerySetMixin, models.QuerySet):
    def published(self, at=None):
        """Rows the public may see at ``at`` (default: now). Trashed rows are drafts (see the
        module's docstring), so they are never among them."""
        return self.filter(_state_q(WorkflowState.LIVE, at or timezone.now()))

    def in_state(self, state, at=None):
        return self.filter(_state_q(WorkflowState(state), at or timezone.now()))

    def expiring(self, at=None):
        """Published items whose expiry time is still ahead at ``at``: live or scheduled."""
        return self.filter(
            publication_status=PublicationStatus.PUBLISHED, expire_at__gt=at or timezone.now()
        )

    def with_public_change(self):
        """Annotate ``public_change``: :meth:`PublishableModel.last_public_change` in SQL."""
        return self.annotate(public_change=public_change_expression())


def publishable_models():
    """Every concrete model with a publication workflow, in app order."""
    return [model for model in apps.get_models() if issubclass(model, PublishableModel)]


def scheduling_indexes(prefix):
    """The indexes behind "what goes live or expires next" (the admin's "Coming up",
    :func:`next_public_change`): published rows only, and only those with a time set, so each
    stays as small as the schedule however large the table grows. A query that says
    ``publication_status = 'published' AND go_live_at > …`` reads them in order."""
    published = Q(publication_status=PublicationStatus.PUBLISHED)
    return [
        models.Index(
            fields=[column],
            condition=published & Q(**{f"{column}__isnull": False}),
            name=f"{prefix}_{column}_sched_idx",
        )
        for column in ("go_live_at", "expire_at")
    ]


def not_published_in_trash(prefix):
    """The constraint behind "a trashed item is never public": a row in the trash is not
    published (the trash unpublishes it; nothing may publish it there)."""
    return models.CheckConstraint(
        condition=Q(trashed_at__isnull=True) | ~Q(publication_status=PublicationStatus.PUBLISHED),
        name=f"{prefix}_trashed_not_published",
        violation_error_message=_(
            "An item in the trash cannot be published: restore it from the trash first."
        ),
    )


def next_public_change(after=None):
    """The earliest moment strictly after ``after`` (default: now) at which a published item
    of any publishable model goes live or expires; ``None`` when nothing is scheduled.

    Until then what the public sees changes only by an edit, so a cached page may live that
    long. Two index lookups per model (:func:`scheduling_indexes`), whatever the table's size.
    Contacts have no times of their own: one becomes public when a release naming them goes
    live (or stops being public when it expires), which is one of these moments.
    """
    after = after or timezone.now()
    moments = []
    for model in publishable_models():
        published = model._default_manager.filter(publication_status=PublicationStatus.PUBLISHED)
        for column in ("go_live_at", "expire_at"):
            upcoming = published.filter(**{f"{column}__gt": after}).order_by(column)
            moments += upcoming.values_list(column, flat=True)[:1]
    return min(moments, default=None)


def public_change_expression():
    """The last edit, or the go-live moment if later: a scheduled item appears, and so changes
    for the public, without being saved."""
    return Greatest("updated", Coalesce("go_live_at", "updated"))


class PublishableModel(TrashableModel):
    publication_status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=PublicationStatus,
        default=PublicationStatus.DRAFT,
        help_text=_(
            "Drafts are never public. A published item is public from its go-live time (if "
            "any) until its expiry time (if any)."
        ),
    )
    go_live_at = models.DateTimeField(
        _("go live at"),
        null=True,
        blank=True,
        help_text=_(
            "Embargo: a published item stays hidden until this moment, then appears on its "
            "own. Leave empty to go live as soon as it is published."
        ),
    )
    expire_at = models.DateTimeField(
        _("expire at"),
        null=True,
        blank=True,
        help_text=_("Optional: the item leaves the public site at this moment."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # Changes waiting for a Publisher (iomcms/review.py); deleted with the item.
    pending_revisions = GenericRelation("iomcms.PendingRevision")

    objects = PublishableQuerySet.as_manager()

    # The fields only a user with the model's "publish" permission may change.
    PUBLICATION_FIELDS = ("publication_status", "go_live_at", "expire_at")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.go_live_at and self.expire_at and self.expire_at <= self.go_live_at:
            raise ValidationError(
                {"expire_at": _("The expiry time must be after the go-live time.")}
            )

    def set_fields_on_publish(self):
        """Fill in what follows from being published; return the names of the fields set.

        Called by ``save()`` in subclasses that need it and by the bulk publish action, which
        saves only the fields it knows about.
        """
        return []

    def publish(self, at=None):
        """Set this item published: live at ``at``, or scheduled if its go-live time is still
        ahead; an expired item comes back (its expiry is cleared). Returns the names of the
        fields set, for a bulk update; the caller saves."""
        now = at or timezone.now()
        self.publication_status = PublicationStatus.PUBLISHED
        fields = ["publication_status"]
        if self.expire_at and self.expire_at <= now:
            self.expire_at = None
            fields.append("expire_at")
        return fields + list(self.set_fields_on_publish())

    def unpublish(self):
        """Back to draft (its times are kept, for when it is published again)."""
        self.publication_status = PublicationStatus.DRAFT
        return ["publication_status"]

    def move_to_trash(self, user=None, at=None):
        """To the trash, unpublished: off every public surface at once (``published()``)."""
        return [*super().move_to_trash(user, at), *self.unpublish()]

    def state(self, at=None):
        now = at or timezone.now()
        if self.publication_status != PublicationStatus.PUBLISHED:
            return WorkflowState.DRAFT
        if self.go_live_at and self.go_live_at > now:
            return WorkflowState.SCHEDULED
        if self.expire_at and self.expire_at <= now:
            return WorkflowState.EXPIRED
        return WorkflowState.LIVE

    def is_public(self, at=None):
        return self.state(at) == WorkflowState.LIVE

    def last_public_change(self):
        """When the public last saw this item change: an edit, or its go-live moment (the
        same as ``with_public_change()``, for one loaded item)."""
        if self.go_live_at and self.go_live_at > self.updated:
            return self.go_live_at
        return self.updated


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
