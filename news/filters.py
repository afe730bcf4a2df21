import django_filters
from django.utils.translation import gettext_lazy as _

from iomcms.filters import (
    CountryFilter,
    FastSelect,
    LanguageFilter,
    ListFilterSet,
    SearchFilter,
    YearFilter,
)

from .models import NewsItem, NewsKind


class NewsItemFilter(ListFilterSet):
    q = SearchFilter()
    country = CountryFilter(field_name="countries")
    year = YearFilter(field_name="published_on")
    kind = django_filters.ChoiceFilter(
        widget=FastSelect, choices=NewsKind, label=_("Kind"), empty_label=_("Any kind")
    )
    lang = LanguageFilter()

    class Meta:
        model = NewsItem
        fields = ["q", "country", "year", "kind", "lang"]
