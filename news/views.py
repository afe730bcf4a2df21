from django.db.models import Prefetch

from contacts.models import Contact
from iomcms.views import FilteredListView, PublishableDetailView

from .exports import NewsItemCsvView
from .filters import NewsItemFilter
from .models import NewsItem, NewsItemContact
from .related import public_project_links, related_news


def public_contact_links():
    return Prefetch(
        "contact_links",
        # listed(), not published(): the release being live is what makes its contacts
        # public, and a preview shows the contacts the release will show.
        queryset=NewsItemContact.objects.filter(
            contact__in=Contact.objects.listed()
        ).select_related("contact"),
        to_attr="public_contact_links",
    )


class NewsItemListView(FilteredListView):
    model = NewsItem
    filterset_class = NewsItemFilter
    paginate_by = 20
    csv_view_class = NewsItemCsvView

    def base_queryset(self):
        return NewsItem.objects.published().for_list()


class NewsItemDetailView(PublishableDetailView):
    model = NewsItem

    def detail_queryset(self, queryset):
        return queryset.select_related("lead_picture").prefetch_related(
            public_contact_links(), public_project_links()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_news"] = related_news(self.object)
        # og:image and twitter:image (templates/includes/meta.html)
        context["page_picture"] = self.object.lead_picture
        return context
