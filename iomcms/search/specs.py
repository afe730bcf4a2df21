"""What is searched in each model: the one list the queries, snippets and triggers read.

PostgreSQL keeps a ``search_document`` column per table, filled by a trigger whose SQL
:mod:`iomcms.search.triggers` renders from these specs; a migration installs it, and
``tests/test_search.py`` checks that the database's trigger functions are the ones rendered
from ``SPECS`` (so a change here without a migration fails on PostgreSQL).
"""

from dataclasses import dataclass

from django.conf import settings

# PostgreSQL text search configurations. CONFIG ("simple" + unaccent: words as written) reads
# every document and query; a news item or project is also read with the configuration of its
# language (stemming + unaccent), and a query also with the reader's (iomcms/migrations/0002
# and 0003; docs/architecture.md, "Search").
CONFIG = "iomcms_search"
LANGUAGE_CONFIGS = {"en": "iomcms_english", "fr": "iomcms_french", "es": "iomcms_spanish"}
DOCUMENT_COLUMN = "search_document"  # PostgreSQL only, added by the migrations
# The adjacent lexemes of each document of a model with a language, each pair as a short token
# (PostgreSQL only, iomcms/migrations/0007): a phrase's rows are looked up in the token index
# of their language before their documents are read (PostgreSQLSearch.phrase_pairs_sql).
PAIRS_COLUMN = "search_pairs"
# The SQL functions of that migration: a document's pair tokens, and those a phrase needs.
PAIRS_FUNCTION = "iomcms_search_pairs"
PHRASE_PAIRS_FUNCTION = "iomcms_phrase_pairs"


def language_config(language):
    """The configuration of a language code ("fr", "fr-ca"); ``CONFIG`` for any other."""
    return LANGUAGE_CONFIGS.get((language or "").split("-")[0].lower(), CONFIG)


def reader_config(language):
    """The configuration a reader's query is parsed with: their interface language's, else
    the site's default language's."""
    return language_config(language or settings.LANGUAGE_CODE)


def language_config_sql(column):
    """SQL: the configuration of the language held in ``column`` (an SQL expression), for the
    triggers and the snippets. A code without a configuration of its own gives ``CONFIG``."""
    whens = " ".join(
        f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in LANGUAGE_CONFIGS.items()
    )
    return f"CASE {column} {whens} ELSE '{CONFIG}'::regconfig END"


def language_document_sql(language, code, document=DOCUMENT_COLUMN):
    """SQL: the document of the rows in language ``code`` (NULL for the others): the expression
    each per-language GIN index is built on (``iomcms/migrations/0006``) and a search of rows
    held to that language is written with, so PostgreSQL uses that index and the statistics
    ANALYZE gathers on its expression: how often each word occurs in *that* language.
    ``language`` and ``document`` are SQL column references, ``code`` a key of
    ``LANGUAGE_CONFIGS`` (a constant of ours, written as a literal: the index matches only the
    same expression)."""
    if code not in LANGUAGE_CONFIGS:
        raise ValueError(f"no text search configuration for language {code!r}")
    return f"(CASE WHEN {language} = '{code}' THEN {document} END)"


def language_index_name(table, code):
    return f"{table.split('_')[0]}_search_{code}_idx"


@dataclass(frozen=True)
class Spec:
    """What is searched in a model: fields by weight, which hold HTML, what the snippet shows."""

    weights: tuple  # (("A", ("title",)), ("B", ("lead", "dateline")), ("C", ("body",)))
    snippet: tuple  # the fields a snippet is cut from, joined by ``joiner``
    html: frozenset = frozenset()  # fields holding cleaned HTML
    joiner: str = " "
    # The field holding the row's language (a code of LANGUAGE_CONFIGS): on PostgreSQL the
    # row is also indexed stemmed in that language. None: words as written only.
    language: str | None = None

    def fields(self):
        return [name for _, names in self.weights for name in names]

    @property
    def pairs(self):
        """Whether the rows keep their word pairs (``PAIRS_COLUMN``): their indexes are one
        per language, so a model with a language."""
        return self.language is not None

    def trigger_columns(self):
        """The columns whose change recomputes the document."""
        return [*self.fields(), *([self.language] if self.language else [])]


SPECS = {
    "news.newsitem": Spec(
        weights=(("A", ("title",)), ("B", ("lead", "dateline")), ("C", ("body",))),
        snippet=("lead", "body"),
        html=frozenset({"body"}),
        language="language",
    ),
    "projects.project": Spec(
        weights=(("A", ("title", "project_code")), ("B", ("summary",)), ("C", ("description",))),
        snippet=("summary", "description"),
        html=frozenset({"description"}),
        language="language",
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
