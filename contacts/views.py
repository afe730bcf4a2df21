from django.views.generic import DetailView

from iomcms.methods import ReadOnlyViewMixin
from iomcms.views import FilteredListView
from news.models import NewsItem

from .filters import ContactFilter
from .models import Contact

RELEASES_SHOWN = 50


class ContactListView(FilteredListView):
    model = Contact
    filterset_class = ContactFilter
    paginate_by = 30


class ContactDetailView(ReadOnlyViewMixin, DetailView):
    model = Contact

    def get_queryset(self):
        return Contact.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        releases = NewsItem.objects.published().for_list().filter(contacts=self.object)
        context["releases"] = list(releases[:RELEASES_SHOWN])
        return context
