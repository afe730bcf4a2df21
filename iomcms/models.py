"""The project package's one model: an Editor's proposed change to a public item, waiting for
a Publisher (:mod:`iomcms.review` is its admin side; docs/decisions.md, "Review before live")."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    CHANGES_REQUESTED = "changes-requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


# A revision in one of these states is the item's pending version (at most one per item).
OPEN_STATES = (ReviewState.SUBMITTED, ReviewState.CHANGES_REQUESTED)


class PendingRevisionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def of(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )


class PendingRevision(models.Model):
    """Changes to a live or scheduled item, kept out of the item until a Publisher approves.

    ``data`` is the change form as it was posted (``{name: [values]}``, inline forms such as
    the media contacts included, publication fields left out): approving runs it through the
    same form again, so it is checked against the item as it is by then. Each transition
    (submitted, changes requested, approved) is a row of the revision's own history, with who
    and when; the approved item's history names the approver and the author.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("proposed values"), default=dict)
    state = models.CharField(
        _("state"), max_length=20, choices=ReviewState, default=ReviewState.SUBMITTED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    comment = models.TextField(_("note for the Publisher"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = PendingRevisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        get_latest_by = "submitted_at"
        verbose_name = _("pending revision")
        verbose_name_plural = _("pending revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(state__in=OPEN_STATES),
                name="pendingrevision_one_open_per_item",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ReviewState.values),
                name="pendingrevision_state_valid",
            ),
        ]
        indexes = [
            # The admin home's list and the changelists' filter: open revisions by model.
            models.Index(
                fields=["content_type", "state", "object_id"], name="pendingrevision_state_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_state_display()}: {self.content_type.model} #{self.object_id}"

    def querydict(self):
        """``data`` as the form reads a POST."""
        result = QueryDict(mutable=True)
        for name, values in self.data.items():
            result.setlist(name, list(values))
        return result
