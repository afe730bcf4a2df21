"""The press contacts list as CSV (``/contacts/export.csv``, ``/contacts/?format=csv``): see
iomcms/exports.py."""

from django.urls import reverse

from iomcms.exports import Column, CsvExportView, absolute_urls, country_names

from .filters import ContactFilter
from .models import Contact


def contact_columns(request):
    absolute = absolute_urls(request)
    # The vCard's address, reversed once: "/contacts/" + slug + ".vcf".
    vcard_start, vcard_end = reverse("contacts:vcard", kwargs={"slug": "-"}).rsplit("-", 1)
    return (
        Column("url", lambda contact: absolute(contact)),
        Column("name", lambda contact: contact.name),
        Column("job_title", lambda contact: contact.job_title),
        Column("office", lambda contact: contact.office),
        Column("organization", lambda contact: contact.organization),
        Column("email", lambda contact: contact.email),
        Column("phone", lambda contact: contact.phone),
        Column("mobile", lambda contact: contact.mobile),
        Column("country_code", lambda contact: contact.country.code),
        Column(
            "country_name",
            lambda contact: country_names([contact.country] if contact.country else []),
        ),
        Column(
            "vcard_url",
            lambda contact: absolute.root + vcard_start + contact.slug + vcard_end,
        ),
    )


class ContactCsvView(CsvExportView):
    section = "contacts"
    filterset_class = ContactFilter

    def get_columns(self):
        return contact_columns(self.request)

    def base_queryset(self):
        return Contact.objects.published()
