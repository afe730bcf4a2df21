"""Budget sanity warnings: facts of a project that are allowed but probably a slip.

The project change form saves whatever passes validation; after the save, the admin shows
each of :func:`warnings`' messages at the warning level (``ProjectAdmin.save_model``). They
are not errors: an unusual budget may be right, and an imported record must stay editable.
(An end before the start is an error, ``Project.clean``, and is not repeated here.)

- **A funding year outside the project's dates**: before the year of ``start`` or after the
  year of ``end`` (each when given; partial dates compare by their year).
- **A budget far outside its type's and region's usual range** (docs/decisions.md, "Budget
  sanity warnings"). The usual range comes from the published projects of the same type and
  region that have a budget, at least ``MIN_SAMPLE`` of them (the project itself included,
  if it is published): a budget is far outside when it is below both the 1st percentile and
  a tenth of the median, or above both the 99th percentile and ten times the median.
  Percentiles are nearest-rank (the value at rank ``ceil(p × n / 100)`` in budget order; the
  median is the 50th, the lower middle value for an even ``n``). One query computes the three
  (window functions: row number and row count, then the three ranks kept), and the result is
  cached per type and region for ``CACHE_SECONDS``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Q, Value, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from iomcms.templatetags.locale_tags import budget as money

from .models import Project

PERCENTILES = (1, 50, 99)  # low, median, high
FAR = 10  # "far": more than ten times the median, or less than a tenth of it
MIN_SAMPLE = 10  # fewer published budgets than this tell nothing usual
CACHE_SECONDS = 60 * 60
CACHE_KEY = "projects:sanity:budget-range:{type}:{region}"
_NONE = "none"  # cached when a group has too few budgets


@dataclass(frozen=True)
class UsualRange:
    """What the published budgets of one project type in one region look like."""

    count: int
    low: Decimal  # 1st percentile
    median: Decimal
    high: Decimal  # 99th percentile

    @property
    def lower(self):
        return min(self.low, self.median / FAR)

    @property
    def upper(self):
        return max(self.high, self.median * FAR)

    def holds(self, amount):
        return self.lower <= amount <= self.upper


def _rank(percentile):
    """ceil(percentile × n / 100) in integers (both databases divide integers exactly so)."""
    return (Value(percentile) * F("total") + Value(99)) / Value(100)


def compute_usual_range(project_type_id, region_id):
    """The :class:`UsualRange` of published budgets of this type and region, in one query;
    ``None`` below ``MIN_SAMPLE`` budgets."""
    ranked = (
        Project.objects.published()
        .filter(project_type_id=project_type_id, region_id=region_id, budget_usd__isnull=False)
        .annotate(
            position=Window(RowNumber(), order_by=[F("budget_usd").asc(), F("pk").asc()]),
            total=Window(Count("pk")),
        )
    )
    wanted = Q()
    for percentile in PERCENTILES:
        wanted |= Q(position=_rank(percentile))
    found = list(ranked.filter(wanted).values_list("position", "total", "budget_usd"))
    if not found or found[0][1] < MIN_SAMPLE:
        return None
    total = found[0][1]
    by_position = {position: amount for position, _total, amount in found}
    low, median, high = (by_position[-(-p * total // 100)] for p in PERCENTILES)
    return UsualRange(total, low, median, high)


def usual_range(project_type_id, region_id):
    """:func:`compute_usual_range`, cached per type and region."""
    key = CACHE_KEY.format(type=project_type_id, region=region_id)
    cached = cache.get(key)
    if cached is None:
        found = compute_usual_range(project_type_id, region_id)
        cached = _NONE if found is None else found
        cache.set(key, cached, CACHE_SECONDS)
    return None if cached == _NONE else cached


def _year(partial_date):
    return int(partial_date[:4]) if partial_date[:4].isdigit() else None


def warnings(project):
    """The messages for ``project`` as saved, in the active language; empty when sane."""
    found = []
    start, end = _year(project.start or ""), _year(project.end or "")
    if project.year is not None:
        if start is not None and project.year < start:
            found.append(
                _("The funding year %(year)s is before the project's start (%(start)s).")
                % {"year": project.year, "start": project.start}
            )
        if end is not None and project.year > end:
            found.append(
                _("The funding year %(year)s is after the project's end (%(end)s).")
                % {"year": project.year, "end": project.end}
            )
    if (
        project.budget_usd is not None
        and project.project_type_id is not None
        and project.region_id is not None
    ):
        usual = usual_range(project.project_type_id, project.region_id)
        if usual is not None and not usual.holds(project.budget_usd):
            found.append(
                _(
                    "The budget %(budget)s is far outside the usual range of published "
                    "projects of this type in this region (%(lower)s to %(upper)s; median "
                    "%(median)s, %(count)d projects). Please check the amount."
                )
                % {
                    "budget": money(project.budget_usd, 2),
                    "lower": money(usual.lower),
                    "upper": money(usual.upper),
                    "median": money(usual.median),
                    "count": usual.count,
                }
            )
    return found
