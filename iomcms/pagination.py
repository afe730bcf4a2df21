"""Bounded pagination: a list counts and pages through its first ``LIST_CAP`` rows only.

An exact count of a million public rows, and an ``OFFSET`` deep into them, both read every row
they pass: a list page would grow with the archive (docs/decisions.md, "Flat public pages").
A list therefore counts no further than ``LIST_CAP + 1`` (its heading reads "500+ items",
as the search's does) and offers the pages within the cap; a page number past them
shows the last one, with a hint to narrow the list by its filters (year, country, kind ...),
which every reader can reach and which the indexes serve.

The vocabulary is the search's (:mod:`iomcms.search.results`): ``count`` (never past the cap
plus one), ``capped``, ``count_label``.
"""

import math

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Rows a list counts and pages through: 25 pages of 20, the search's cap too (MAX_RESULTS), so
# "500+" means the same everywhere. The count and the deepest page read about this many rows
# of the filter, however large the table (docs/decisions.md).
LIST_CAP = 500


def is_capped(total, cap):
    return total > cap


def count_label(total, cap):
    """``"37"``, ``"1,000+"``: ``total`` as counted no further than ``cap + 1``."""
    return f"{cap:,}+" if is_capped(total, cap) else f"{total:,}"


class CappedPaginator(Paginator):
    """A paginator over the first ``cap`` rows of a queryset, counted in one bounded query
    (``SELECT COUNT(*) FROM (... ORDER BY ... LIMIT cap + 1)``)."""

    cap = LIST_CAP

    def __init__(self, object_list, per_page, *, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self):
        # In the list's order, like the page: PostgreSQL then walks the ordering index and stops
        # at the cap for a frequent filter value (a bitmap would first collect every match),
        # and still takes the filter's own index for a rare one.
        return self.object_list.values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        return is_capped(self.count, self.cap)

    @property
    def count_label(self):
        return count_label(self.count, self.cap)

    @cached_property
    def num_pages(self):
        shown = min(self.count, self.cap)
        if shown == 0:
            return 1 if self.allow_empty_first_page else 0
        return math.ceil(max(1, shown - self.orphans) / self.per_page)

    def is_past_cap(self, number):
        """Whether ``number`` (from the query string) asks for a page beyond the counted ones
        of a capped list: the reader is shown the last one and told how to reach the rest."""
        try:
            return self.capped and int(number) > self.num_pages
        except (TypeError, ValueError):
            return False
