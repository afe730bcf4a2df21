import django_filters
from django.utils.translation import gettext_lazy as _

from iomcms.filters import CountryFilter, ListFilterSet, SearchFilter

from .models import Contact


class ContactFilter(ListFilterSet):
    q = SearchFilter()
    country = CountryFilter(field_name="country")
    office = django_filters.CharFilter(lookup_expr="icontains", label=_("Office"), max_length=200)

    class Meta:
        model = Contact
        fields = ["q", "country", "office"]
