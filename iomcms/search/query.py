"""The query as searched: normalized, and read the way ``websearch_to_tsquery`` reads it.

Syntax: words must all appear, ``"a phrase"``, ``or`` between alternatives (or the reader's
word for it: :func:`with_alternatives`), ``-word`` excludes.
The last word is also a prefix ("migra" finds "migrants"). PostgreSQL parses the query itself;
:func:`parse` is for the SQLite fallback.
"""

import re
import unicodedata
from dataclasses import dataclass

from .folding import search_fold, word_runs

MAX_QUERY_LENGTH = 200
# The last word is also searched as a prefix when it has at least this many characters.
PREFIX_MIN_LENGTH = 3

_INVISIBLE = {"Cc", "Cf", "Cs"}  # control, format (zero-width, bidi) and surrogate code points
_WORD_CHAR = re.compile(r"[^\W_]")
_LAST_RUN = re.compile(r"[^\W_]+$")


def normalize_query(q):
    """The query as searched: no control characters, single spaces, at most 200 characters."""
    if not q:
        return ""
    q = unicodedata.normalize("NFC", str(q)[: MAX_QUERY_LENGTH * 5])
    q = "".join(" " if unicodedata.category(c) in _INVISIBLE else c for c in q)
    return " ".join(q.split())[:MAX_QUERY_LENGTH].strip()


# The word for "or" in each interface language: between two terms, outside quotes, it joins
# alternatives as ``or`` does (a French reader writes "inondations ou sécheresse").
ALTERNATIVE_WORDS = {"fr": ("ou",), "es": ("o", "u")}
_QUOTED_OR_SPACE = re.compile(r'("[^"]*"?|\s+)')


def with_alternatives(q, language):
    """``q`` with the reader's word for "or" (``ALTERNATIVE_WORDS``) written ``or`` where it
    stands between two terms outside quotes, so both databases read it as an alternative;
    ``or`` itself works in every language. Elsewhere (first or last, inside a phrase, ``-ou``)
    it stays a word."""
    words = ALTERNATIVE_WORDS.get((language or "").split("-")[0].lower())
    if not words or not q:
        return q
    parts = [part for part in _QUOTED_OR_SPACE.split(q) if part]
    terms = [k for k, part in enumerate(parts) if not part.isspace()]
    for position, k in enumerate(terms):
        if 0 < position < len(terms) - 1 and parts[k].lower() in words:
            parts[k] = "or"
    return "".join(parts)


def has_words(q):
    """Whether a (normalized) query has anything to search for: a letter or a digit."""
    return bool(q and _WORD_CHAR.search(q))


def wants_prefix(q):
    """Whether the last word of ``q`` is also searched as a prefix.

    Only a word typed last, outside quotes, not excluded (``-word``), not ``or``, ending in a
    letter or digit, with a final run of at least ``PREFIX_MIN_LENGTH`` letters or digits.
    """
    if q.count('"') % 2:  # the last word is inside an open phrase
        return False
    last = q.rpartition(" ")[2]
    if last.startswith("-") or last.lower() == "or":
        return False
    run = _LAST_RUN.search(last)
    return bool(run) and len(run.group()) >= PREFIX_MIN_LENGTH


def prefix_word(q):
    """The last word of ``q`` (folded), when it is also searched as a prefix
    (:func:`wants_prefix`); else None."""
    if not wants_prefix(q):
        return None
    words = word_runs(q.rpartition(" ")[2])
    return words[-1] if words else None


def wanted_terms(groups):
    """The texts of the terms of ``groups`` (:func:`parse`) that are not excluded: what a
    snippet marks."""
    return [term.text for group in groups for term in group if not term.negated]


@dataclass(frozen=True)
class Term:
    text: str  # folded (see search_fold)
    negated: bool = False
    # A phrase's words as typed between its quotes (PostgreSQL reads them again: the pairs
    # of PostgreSQLSearch.phrase_pairs_sql); None for a word.
    phrase: str | None = None


def parse(q):
    """``q`` as websearch_to_tsquery reads it: a list of alternatives, each a list of terms.

    ``a b or c -d`` is ``[[a, b], [c, -d]]``: (a and b) or (c and not d). A phrase is one term.
    """
    groups, current, i, n = [], [], 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        negated = q[i] == "-" and i + 1 < n and not q[i + 1].isspace()
        if negated:
            i += 1
        phrase = None
        if q[i] == '"':
            end = q.find('"', i + 1)
            end = n if end == -1 else end
            text, i = q[i + 1 : end], end + 1
            phrase = text
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] != '"':
                j += 1
            text, i = q[i:j], j
            if not negated and text.lower() == "or" and current and q[i:].strip():
                groups.append(current)
                current = []
                continue
        text = re.sub(r"^[\W_]+|[\W_]+$", "", search_fold(text))
        if _WORD_CHAR.search(text):
            current.append(Term(text, negated, phrase))
    if current:
        groups.append(current)
    return groups
