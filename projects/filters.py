import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from iomcms.filters import (
    CountryFilter,
    FastSelect,
    LanguageFilter,
    ListFilterSet,
    NamedListFilter,
    SearchFilter,
    SortFilter,
    YearFilter,
)

from .models import Coverage, Project, ProjectStatus, ProjectType, Region

# A text box rather than a number input: see YearField in iomcms/filters.py.
BUDGET_FIELD = {
    "min_value": 0,
    "max_digits": 14,
    "decimal_places": 2,
    "widget": forms.TextInput(attrs={"inputmode": "decimal"}),
}


class ProjectFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            # Which bound was mistyped is a guess: neither is used, and the reader is told.
            del cleaned["budget_max"]
            self.add_error(
                "budget_min",
                _("It is more than “Budget up to” (%(high)s), so the budget range was not used.")
                % {"high": high},
            )
        return cleaned


class ProjectFilter(ListFilterSet):
    q = SearchFilter()
    region = NamedListFilter(
        queryset=Region.objects.all(),
        label=_("Region"),
        empty_label=_("Any region"),
    )
    country = CountryFilter(field_name="benefiting_states", label=_("Benefiting country"))
    status = django_filters.ChoiceFilter(
        widget=FastSelect, choices=ProjectStatus, label=_("Status"), empty_label=_("Any status")
    )
    type = NamedListFilter(
        field_name="project_type",
        queryset=ProjectType.objects.all(),
        label=_("Project type"),
        empty_label=_("Any type"),
    )
    coverage = django_filters.ChoiceFilter(
        widget=FastSelect, choices=Coverage, label=_("Coverage"), empty_label=_("Any coverage")
    )
    year = YearFilter(field_name="year")
    budget_min = django_filters.NumberFilter(
        field_name="budget_usd", lookup_expr="gte", label=_("Budget from (USD)"), **BUDGET_FIELD
    )
    budget_max = django_filters.NumberFilter(
        field_name="budget_usd", lookup_expr="lte", label=_("Budget up to (USD)"), **BUDGET_FIELD
    )
    lang = LanguageFilter()
    sort = SortFilter(
        fields=(("year", "year"), ("budget_usd", "budget"), ("title", "title")),
        field_labels={"year": _("Year"), "budget_usd": _("Budget"), "title": _("Title")},
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Project
        form = ProjectFilterForm
        fields = ["q", "region", "country", "status", "type", "coverage", "year", "lang"]
