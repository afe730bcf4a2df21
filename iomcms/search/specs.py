"""What is searched in each model: the one list the queries, snippets and triggers read.

PostgreSQL keeps a ``search_document`` column per table, filled by a trigger whose SQL
:mod:`iomcms.search.triggers` renders from these specs; a migration installs it, and
``tests/test_search.py`` checks that the database's trigger functions are the ones rendered
from ``SPECS`` (so a change here without a migration fails on PostgreSQL).
"""

from dataclasses import dataclass

CONFIG = "iomcms_search"  # PostgreSQL text search configuration (iomcms/migrations/0002)
DOCUMENT_COLUMN = "search_document"  # PostgreSQL only, added by the migrations


@dataclass(frozen=True)
class Spec:
    """What is searched in a model: fields by weight, which hold HTML, what the snippet shows."""

    weights: tuple  # (("A", ("title",)), ("B", ("lead", "dateline")), ("C", ("body",)))
    snippet: tuple  # the fields a snippet is cut from, joined by ``joiner``
    html: frozenset = frozenset()  # fields holding cleaned HTML
    joiner: str = " "

    def fields(self):
        return [name for _, names in self.weights for name in names]


SPECS = {
    "news.newsitem": Spec(
        weights=(("A", ("title",)), ("B", ("lead", "dateline")), ("C", ("body",))),
        snippet=("lead", "body"),
        html=frozenset({"body"}),
    ),
    "projects.project": Spec(
        weights=(("A", ("title", "project_code")), ("B", ("summary",)), ("C", ("description",))),
        snippet=("summary", "description"),
        html=frozenset({"description"}),
    ),
    "contacts.contact": Spec(
        weights=(
            ("A", ("name",)),
            ("B", ("job_title", "office", "organization")),
            ("C", ("email",)),
        ),
        snippet=("job_title", "office", "organization", "email"),
        joiner=" · ",
    ),
}


def spec_for(model):
    """The spec of ``model``; a model without one cannot be searched."""
    try:
        return SPECS[model._meta.label_lower]
    except KeyError:
        raise LookupError(f"{model._meta.label} has no search spec in SPECS") from None
