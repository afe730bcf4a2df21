from django.db.models import Prefetch

from contacts.models import Contact
from iomcms.filters import country_condition
from iomcms.views import FilteredListView, PublishableDetailView

from .exports import NewsItemCsvView
from .filters import NewsItemFilter
from .models import NewsItem, NewsItemContact

RELATED_COUNT = 3


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
        return queryset.select_related("lead_picture").prefetch_related(public_contact_links())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_news"] = self.related_news()
        # og:image and twitter:image (templates/includes/meta.html)
        context["page_picture"] = self.object.lead_picture
        return context

    def related_news(self):
        """Published items in the item's language sharing its first country, else its kind;
        newest first."""
        item = self.object
        related = (
            NewsItem.objects.published()
            .for_list()
            .filter(language=item.language)
            .exclude(pk=item.pk)
        )
        if item.countries:
            related = related.filter(
                country_condition(NewsItem, "countries", item.countries[0].code)
            )
        else:
            related = related.filter(kind=item.kind)
        return list(related[:RELATED_COUNT])
