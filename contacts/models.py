from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from iomcms.search import SearchQuerySetMixin
from iomcms.text import match_key, unique_slug


class ContactQuerySet(SearchQuerySetMixin, models.QuerySet):
    def published(self):
        """Contacts shown in the public directory and on press releases."""
        return self.filter(is_public=True)


class Contact(models.Model):
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
            "Untick to keep this person out of the public directory and off press releases."
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
    history = HistoricalRecords(excluded_fields=["match_key"])

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
        ]

    def __str__(self):
        return f"{self.name} ({self.office})" if self.office else self.name

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        self.match_key = match_key(self.name, self.office)
        if not self.slug:
            self.slug = unique_slug(
                Contact, f"{self.name} {self.office}".strip(), exclude_pk=self.pk
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("contacts:detail", kwargs={"slug": self.slug})
