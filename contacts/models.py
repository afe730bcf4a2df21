from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from iomcms.history import AuditedHistory
from iomcms.search import SearchableModel, SearchQuerySetMixin
from iomcms.text import ChoiceLabelsMixin, unique_slug
from iomcms.trash import TrashableModel, TrashQuerySetMixin

from .identity import ContactIndex, identity_key


class ContactQuerySet(SearchQuerySetMixin, TrashQuerySetMixin, models.QuerySet):
    """Who the public may see, the one rule for every surface (directory, contact pages,
    search, sitemap, JSON-LD): a contact is public when staff list them (``is_public``) *and*
    they either are a standing spokesperson or are named on a press release that is public now.

    The second half keeps a person named only on a draft or embargoed release unseen until that
    release goes live; being ``NewsItem.objects.published()``, it follows scheduling to the
    second with no job to run.
    """

    def listed(self):
        """Contacts staff have not hidden nor moved to the trash: what a live release shows
        among its own contacts (its being live makes them public) and what its preview shows.
        A trashed contact keeps their links to releases, so a restore puts them back there."""
        return self.filter(is_public=True, trashed_at__isnull=True)

    def published(self, at=None):
        """Contacts the public may see at ``at`` (default: now)."""
        from news.models import NewsItem  # news names contacts: import at call time

        # A subquery (EXISTS, served by the link table's contact_id index), not a join: no
        # duplicate rows, and a list page keeps its query count. The contact is matched as a
        # range of one (>= and <=), not with "=": PostgreSQL would turn an "=" under the OR into
        # a hashed subplan that joins every live release to its links, a cost that grows with
        # the releases; a range it probes per contact, stopping at the first live release
        # (docs/decisions.md, "Flat public pages").
        on_live_release = NewsItem.objects.published(at).filter(
            contact_links__contact__gte=models.OuterRef("pk"),
            contact_links__contact__lte=models.OuterRef("pk"),
        )
        return self.listed().filter(models.Q(is_spokesperson=True) | models.Exists(on_live_release))

    def with_public_change(self):
        """Annotate ``public_change`` (the sitemap's lastmod): the contact's last edit.

        Not the latest of their releases as well, though a new release also shows on their
        page: that is a correlated read of every release of every contact, about a minute
        for the contacts section at 1,000,000 releases (docs/decisions.md, "Flat public
        pages"). The releases have their own sitemap entries and dates; a crawler finds the
        new release there."""
        return self.annotate(public_change=models.F("updated"))

    def latest_public_change(self):
        """The latest ``public_change`` among the published contacts (the contacts sitemap's
        lastmod in the index): one read of the ``updated`` index."""
        return self.published().order_by("-updated").values_list("updated", flat=True).first()

    # -- identity (contacts/identity.py) --

    def matching(self, people):
        """In one query, every contact one of ``people`` may be.

        ``people`` are (name, office, e-mails) triples; the result, put in a
        :class:`~contacts.identity.ContactIndex`, answers which contact each of them is.
        """
        people = list(people)
        emails = {email.lower() for __, __, addresses in people for email in addresses}
        keys = {identity_key(name, office) for name, office, __ in people}
        return self.alias(_email_ci=Lower("email")).filter(
            models.Q(_email_ci__in=emails) | models.Q(match_key__in=keys)
        )

    def identify(self, name, office, emails=()):
        """The contact a person named with ``office`` and ``emails`` is, or None."""
        return ContactIndex(self.matching([(name, office, emails)])).find(name, office, emails)


class Contact(SearchableModel, ChoiceLabelsMixin, TrashableModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, blank=True)
    office = models.CharField(
        _("office"), max_length=200, blank=True, help_text=_('For example "IOM Colombia".')
    )
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("Unique among contacts, ignoring upper and lower case."),
    )
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    is_public = models.BooleanField(
        _("listed publicly"),
        default=True,
        help_text=_(
            "Untick to keep this person off the public site altogether. A ticked contact "
            "appears once a press release naming them is live (or at once if a standing "
            "spokesperson)."
        ),
    )
    is_spokesperson = models.BooleanField(
        _("standing spokesperson"),
        default=False,
        help_text=_(
            "Tick for a spokesperson the media may call at any time: listed publicly even "
            "before any press release naming them is live."
        ),
    )
    match_key = models.CharField(
        _("match key"),
        max_length=401,
        blank=True,
        default="",
        editable=False,
        db_index=True,
        help_text=_("Normalized name and office: contacts sharing it are likely duplicates."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ContactQuerySet.as_manager()
    history = AuditedHistory(excluded_fields=["match_key"], index_prefix="contact")

    class Meta:
        ordering = ["name", "office"]
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="contact_email_ci_unique",
                violation_error_message=_("Another contact already has this e-mail address."),
            ),
        ]
        indexes = [
            models.Index(fields=["name", "office"], name="contact_name_office_idx"),
            models.Index(fields=["country"], name="contact_country_idx"),
            # The sitemap's lastmod: the latest edit of a public contact (latest_public_change).
            models.Index(fields=["updated"], name="contact_updated_idx"),
            TrashableModel.trash_index("contact"),
        ]

    def __str__(self):
        return f"{self.name} ({self.office})" if self.office else self.name

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.match_key = identity_key(self.name, self.office)
        if not self.slug:
            self.slug = unique_slug(
                Contact, f"{self.name} {self.office}".strip(), exclude_pk=self.pk
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("contacts:detail", kwargs={"slug": self.slug})

    def is_published(self, at=None):
        """Whether the public may see this contact now (``ContactQuerySet.published``)."""
        return type(self).objects.filter(pk=self.pk).published(at).exists()

    is_published.boolean = True
    is_published.short_description = _("on the public site now")
