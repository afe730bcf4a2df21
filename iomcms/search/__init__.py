"""Site search: how a query matches, ranks and is highlighted, on PostgreSQL and SQLite.

Start from a content queryset: ``NewsItem.objects.published().search(q)`` returns a
:class:`SearchResult` (matches, capped count, ranked rows with snippets, a paginator). The
lists reach it through the ``q`` filter (``iomcms.filters.SearchFilter``), the feeds through the
same filter, ``/search/`` directly. No caller asks which database runs.

Modules, by concern:

- ``query``: :func:`normalize_query`, :func:`has_words`, the syntax (:func:`parse`).
- ``specs``: ``SPECS``, what is searched in each model, by weight.
- ``results``: :class:`SearchResult`, :class:`SearchPaginator`, the queryset mixin.
- ``postgres``: real full-text search (``search_document``, ``ts_rank``).
- ``sqlite``: the development fallback (folded text, matched at word starts).
- ``folding``, ``snippets``: text folded for comparison; snippets as safe HTML, the words
  each database reads as the query's marked.
- ``triggers``: the PostgreSQL trigger SQL rendered from ``SPECS``, for the migrations.
"""

from .folding import html_to_text, search_fold
from .query import MAX_QUERY_LENGTH, Term, has_words, normalize_query, parse, wants_prefix
from .results import (
    MAX_RESULTS,
    SearchableModel,
    SearchPaginator,
    SearchQuerySetMixin,
    SearchResult,
    count_label,
    is_capped,
)
from .snippets import text_snippet
from .specs import SPECS, Spec, spec_for

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_RESULTS",
    "SPECS",
    "SearchPaginator",
    "SearchQuerySetMixin",
    "SearchResult",
    "SearchableModel",
    "Spec",
    "Term",
    "count_label",
    "has_words",
    "html_to_text",
    "is_capped",
    "normalize_query",
    "parse",
    "search_fold",
    "spec_for",
    "text_snippet",
    "wants_prefix",
]
