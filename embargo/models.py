"""Embargo links: a signed address at which named journalists read a draft or scheduled item
before it goes live (docs/architecture.md, "Embargo links").

A link is a row, so that it can be revoked and its openings counted; the address carries the
row's id signed with Django's signing (:mod:`embargo.tokens`), never the item's. Deleting the
item deletes its links and their openings (the address then says "withdrawn").

This app is not one of the page cache's content apps (``iomcms.pagecache.CONTENT_APPS``): a
link created, revoked or opened changes nothing the public sees, so it keeps every cached page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How much of a reader's User-Agent an opening keeps: enough to tell a browser from a link
# preview robot (Slack, Teams), not a fingerprint.
USER_AGENT_LENGTH = 200


class LinkState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Withdrawn")


class EmbargoLinkQuerySet(models.QuerySet):
    def for_item(self, item):
        """The links to ``item`` (a news item or a project), newest first."""
        return self.filter(**{EmbargoLink.field_for(item): item})


class EmbargoLink(models.Model):
    news_item = models.ForeignKey(
        "news.NewsItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="embargo_links",
        verbose_name=_("news item"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="embargo_links",
        verbose_name=_("project"),
    )
    recipients = models.CharField(
        _("recipients"),
        max_length=300,
        help_text=_('Who receives this link, e.g. "Reuters Geneva desk".'),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(
        _("valid until"),
        help_text=_("After this moment the link shows a page saying it has expired."),
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = EmbargoLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("embargo link")
        verbose_name_plural = _("embargo links")
        # Creating and withdrawing links is one right, "share" (iomcms.permissions
        # .can_share_embargo); links are never edited or deleted by hand, only withdrawn.
        default_permissions = ("view",)
        permissions = [("share_embargolink", _("Can create and withdraw embargo links"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(news_item__isnull=False, project__isnull=True)
                | Q(news_item__isnull=True, project__isnull=False),
                name="embargolink_one_item",
            ),
        ]

    def __str__(self):
        return f"{self.recipients} → {self.item}"

    @staticmethod
    def field_for(item):
        """The foreign key that points at ``item``'s model."""
        return {"newsitem": "news_item", "project": "project"}[item._meta.model_name]

    @property
    def item(self):
        return self.news_item if self.news_item_id else self.project

    def state(self, at=None):
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if self.expires_at <= (at or timezone.now()):
            return LinkState.EXPIRED
        return LinkState.ACTIVE


class EmbargoOpening(models.Model):
    """One reading of an embargo link's page. No IP address: the time and a short User-Agent
    say enough to see whether (and roughly by what) the link was read."""

    link = models.ForeignKey(
        EmbargoLink, on_delete=models.CASCADE, related_name="openings", verbose_name=_("link")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    user_agent = models.CharField(_("browser"), max_length=USER_AGENT_LENGTH, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        indexes = [models.Index(fields=["link", "-opened_at"], name="embargo_opening_link_idx")]

    def __str__(self):
        return f"{self.link_id} @ {self.opened_at:%Y-%m-%d %H:%M}"
