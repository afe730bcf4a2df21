from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from iomcms.methods import ReadOnlyViewMixin, read_only
from iomcms.seo import absolute_url
from iomcms.views import FilteredListView
from news.models import NewsItem

from .exports import ContactCsvView
from .filters import ContactFilter
from .models import Contact
from .vcard import vcard

RELEASES_SHOWN = 50


class ContactListView(FilteredListView):
    model = Contact
    filterset_class = ContactFilter
    paginate_by = 30
    csv_view_class = ContactCsvView


class ContactDetailView(ReadOnlyViewMixin, DetailView):
    model = Contact

    def get_queryset(self):
        return Contact.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        releases = NewsItem.objects.published().for_list().filter(contacts=self.object)
        context["releases"] = list(releases[:RELEASES_SHOWN])
        return context


@read_only
def contact_vcard(request, slug):
    """``/contacts/<slug>.vcf``: a public contact's vCard (contacts/vcard.py); 404 for the
    others, as their page."""
    contact = get_object_or_404(Contact.objects.published(), slug=slug)
    response = HttpResponse(
        vcard(contact, absolute_url(request, contact.get_absolute_url())),
        content_type="text/vcard; charset=utf-8",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{contact.slug}.vcf"'
    return response
