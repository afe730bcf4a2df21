"""Bounded pagination: a list counts and pages through its first ``LIST_CAP`` rows only.

An exact count of a million public rows, and an ``OFFSET`` deep into them, both read every row
they pass: a list page would grow with the archive (docs/decisions.md, "Flat public pages").
A list therefore counts no further than ``LIST_CAP + 1`` (its heading reads "500+ items",
as the search's does) and offers the pages within the cap; a page number past them
shows the last one, with a hint to narrow the list by its filters (year, country, kind ...),
which every reader can reach and which the indexes serve.

The vocabulary is the search's (:mod:`iomcms.search.results`): ``count`` (never past the cap
plus one), ``capped``, ``count_label``.

What the pagination under every list says (templates/includes/pagination.html) comes from
here too: "Showing 21–40 of 6,654" (:meth:`CappedPage.start_label`, ``end_label``, and the
paginator's ``count_label``, grouped as the reader's language groups digits), and the numbered
links, :meth:`CappedPaginator.window`: the first and the last page and two on each side of the
current one, "…" for the others (1 … 4 5 [6] 7 8 … 333). Under the cap the last page is the
last *reachable* one: a list of "500+" rows reads "Showing 481–500 of 500+" on its page 25,
whose link is the last number, and that page says how to narrow the list to reach the rest.
"""

import math

from django.core.paginator import Page, Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property

# Rows a list counts and pages through: 25 pages of 20, the search's cap too (MAX_RESULTS), so
# "500+" means the same everywhere. The count and the deepest page read about this many rows
# of the filter, however large the table (docs/decisions.md).
LIST_CAP = 500


# The numbered page links: the first and last WINDOW_ENDS pages, and WINDOW_EACH_SIDE on each
# side of the current one (the rest elided, when an ellipsis hides two pages or more).
WINDOW_EACH_SIDE = 2
WINDOW_ENDS = 1


def is_capped(total, cap):
    return total > cap


def grouped(number):
    """``6654`` as the active language writes it: "6,654", "6 654" (a no-break space)."""
    return number_format(number, force_grouping=True)


def count_label(total, cap):
    """``"37"``, ``"1,000+"`` ("1 000+" in French): ``total`` as counted no further than
    ``cap + 1``."""
    return f"{grouped(cap)}+" if is_capped(total, cap) else grouped(total)


def page_url(querystring, number):
    """The link to page ``number`` of a list whose other parameters (its filters, its search)
    are ``querystring``, without "?" and without ``page``: "?country=KE&page=2"."""
    return f"?{querystring}&page={number}" if querystring else f"?page={number}"


class CappedPage(Page):
    """A page of a :class:`CappedPaginator`: its numbered neighbours (``window``) and where
    it starts and ends among the rows shown ("Showing 481–500 of 500+")."""

    def end_index(self):
        # The count of a capped list is cap + 1: its last page still ends at the cap.
        return min(super().end_index(), self.paginator.cap)

    @property
    def start_label(self):
        return grouped(self.start_index())

    @property
    def end_label(self):
        return grouped(self.end_index())

    @property
    def window(self):
        return self.paginator.window(self.number)


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

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)

    def window(self, number):
        """The page numbers to link around page ``number``, ``None`` where an ellipsis stands:
        ``[1, None, 4, 5, 6, 7, 8, None, 25]`` (see the module's docstring)."""
        pages = self.get_elided_page_range(
            number, on_each_side=WINDOW_EACH_SIDE, on_ends=WINDOW_ENDS
        )
        return [page if isinstance(page, int) else None for page in pages]

    def is_past_cap(self, number):
        """Whether ``number`` (from the query string) asks for a page beyond the counted ones
        of a capped list: the reader is shown the last one and told how to reach the rest."""
        try:
            return self.capped and int(number) > self.num_pages
        except (TypeError, ValueError):
            return False
