"""Redirects from the old site's addresses to the records imported from its pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .addresses import MAX_URL_LENGTH, BadAddress, parse_address
from .report import in_language


class Redirect(models.Model):
    """A permanent redirect from an old page's address to the record made from it.

    It points at the record, not at a path: the redirect follows the record's slug, and goes
    when the record is deleted. It answers only while the record is public, and only where our
    own site has no page (see :mod:`legacy.redirects`).
    """

    old_url = models.CharField(
        _("old address"),
        max_length=MAX_URL_LENGTH,
        help_text=_(
            "The page's address on the old site, e.g. https://www.iom.int/news/some-title or "
            "/news/some-title. Visitors following it are sent to the item or project below."
        ),
    )
    # The old address as compared with requests (legacy.addresses), set from old_url on save.
    host = models.CharField(_("old host"), max_length=253, blank=True, editable=False)
    path = models.CharField(_("old path"), max_length=MAX_URL_LENGTH, editable=False)
    query = models.CharField(_("old query"), max_length=MAX_URL_LENGTH, blank=True, editable=False)
    news_item = models.ForeignKey(
        "news.NewsItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="old_addresses",
        verbose_name=_("news item"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="old_addresses",
        verbose_name=_("project"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["path", "host", "query", "id"]
        verbose_name = _("redirect from an old address")
        verbose_name_plural = _("redirects from old addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["host", "path", "query"], name="redirect_unique_address"
            ),
            models.CheckConstraint(
                condition=Q(news_item__isnull=False, project__isnull=True)
                | Q(news_item__isnull=True, project__isnull=False),
                name="redirect_one_target",
            ),
        ]
        # A 404 looks the request's path up here (legacy.redirects).
        indexes = [models.Index(fields=["path"], name="redirect_path_idx")]

    def __str__(self):
        return self.old_url

    def save(self, *args, **kwargs):
        self.set_address()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        try:
            self.set_address()
        except BadAddress as exc:
            raise ValidationError({"old_url": in_language(exc.args[0])}) from None
        # The address fields are not on the admin's form, so its constraint check skips them.
        same = Redirect.objects.filter(host=self.host, path=self.path, query=self.query)
        if same.exclude(pk=self.pk).exists():
            raise ValidationError({"old_url": _("This old address already has a redirect.")})
        if (self.news_item_id is None) == (self.project_id is None):
            raise ValidationError(_("Choose one target: a news item or a project."))

    @property
    def target(self):
        return self.news_item or self.project

    def set_address(self, address=None):
        address = address or parse_address(self.old_url)
        self.host, self.path, self.query = address.key
