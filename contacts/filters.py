import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from iomcms.filters import FastSelect, SearchFilter

from .models import Contact


class ContactFilter(django_filters.FilterSet):
    q = SearchFilter(search_fields=("name", "office", "job_title", "email"))
    country = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Country"),
        empty_label=_("Any country"),
        choices=lambda: list(countries),
    )
    office = django_filters.CharFilter(lookup_expr="icontains", label=_("Office"), max_length=200)

    class Meta:
        model = Contact
        fields = ["q", "country", "office"]
