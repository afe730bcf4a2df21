"""Snippets: a few words of each result around what matched, safe HTML whose only tags are
``<mark>``, cut in Python from the fetched rows' fields (lead and body, summary and
description...), on both databases: :func:`cut_snippet` around the first marked word.

What is marked is each database's reading of the query. On PostgreSQL (:class:`StemMarks`):
the words whose stem, in the row's language, is a stem of a query word (the last one also as a
prefix), as PostgreSQL reads the row's document with the row's configuration: "réfugiés" for
"réfugié" in a French item. On SQLite (:func:`needle_spans`): the query's words and phrases at
word starts, as the fallback matches.

(``ts_headline`` cut them on PostgreSQL until session 12: it parses each row's whole text
again, 0.5 ms a row of 2 kB, more for a long release; here only the words that may match are
looked at, with a regular expression, and only they are stemmed: docs/decisions.md.)
"""

import functools
import html
import itertools
import re

import Stemmer
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.db.models.query import ModelIterable
from django.utils.safestring import mark_safe

from .folding import html_to_text, search_fold, search_fold_char, word_runs
from .specs import CONFIG

SNIPPET_CHARS = 220
SNIPPET_ATTR = "_search_snippet"  # the annotation a snippet is made from
FIELD_SEPARATOR = "\x1f"  # between the raw fields of that annotation

_SEPARATORS = re.compile(r"(?:\s*·\s*)+")
# The Snowball stemmer of each of our PostgreSQL configurations (iomcms/migrations/0003: unaccent,
# then the language's Snowball stemmer, on lower-case words); CONFIG stems nothing.
STEMMERS = {"iomcms_english": "english", "iomcms_french": "french", "iomcms_spanish": "spanish"}
# A word is looked at when it starts with the first letters of a query stem (accents ignored);
# then it is stemmed and compared.
_HEAD = 3


def joined(expressions, separator):
    """One text expression: ``expressions`` with ``separator`` between them."""
    parts = []
    for expression in expressions:
        if parts:
            parts.append(Value(separator))
        parts.append(expression)
    return parts[0] if len(parts) == 1 else Concat(*parts, output_field=TextField())


def snippet_source(spec, *, language=False):
    """The annotation a snippet is cut from: the spec's snippet fields joined by
    ``FIELD_SEPARATOR``, the row's language first with ``language`` (read for the fetched
    rows only)."""
    names = [spec.language] if language else []
    return joined([F(name) for name in names + list(spec.snippet)], FIELD_SEPARATOR)


def snippet_text(spec, raw):
    """The plain text of a :func:`snippet_source` value (without its language): HTML fields
    as text, fields joined by the spec's joiner."""
    parts = (raw or "").split(FIELD_SEPARATOR)
    return tidy(
        spec.joiner.join(
            html_to_text(part) if name in spec.html else " ".join(part.split())
            for name, part in zip(spec.snippet, parts, strict=False)
        )
    )


def tidy(text):
    """Single spaces, no empty "·"-separated parts (contacts join their fields with them)."""
    text = " ".join(text.split())
    if "·" not in text:  # the expression is slow on a long text: most have no "·"
        return text
    return _SEPARATORS.sub(" · ", text).strip(" ·")


def _fold_with_positions(text):
    """``search_fold`` character by character, with the index in ``text`` of each folded
    character."""
    folded, positions = [], []
    for index, char in enumerate(text):
        part = search_fold_char(char)
        folded.append(part)
        positions.extend([index] * len(part))
    return "".join(folded), positions


def _word_start_pattern(needle):
    """Where ``needle`` matches in folded text: its words in sequence, with any punctuation or
    spaces between them, starting at a word start (not after a letter or digit), as the
    SQLite fallback matches (:func:`iomcms.search.folding.search_words`)."""
    words = word_runs(needle)
    if not words:
        return None
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(re.escape(word) for word in words))


def _whole_words(text, start, end):
    """The span widened to the words it touches: a prefix match marks "migrants", not
    "migra"."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def needle_spans(text, needles):
    """Where in ``text`` the SQLite fallback's ``needles`` (words or phrases, folded) occur at
    a word start, each span widened to whole words."""
    folded, positions = _fold_with_positions(text)
    spans = []
    for needle in {n for n in needles if n}:
        pattern = _word_start_pattern(needle)
        for match in pattern.finditer(folded) if pattern else ():
            start, end = match.span()
            spans.append(_whole_words(text, positions[start], positions[end - 1] + 1))
    return spans


@functools.cache
def _letter_class(letter):
    """A regular-expression class of every character that folds to ``letter`` (``e``:
    ``[EeÈÉÊËèéêë...]``), among the Latin letters."""
    chars = {letter, letter.upper()}
    for code in range(0xC0, 0x250):
        char = chr(code)
        if search_fold_char(char) == letter:
            chars.add(char)
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"


class StemMarks:
    """The words of a text that a PostgreSQL search marks, for rows read with ``config``: a
    word whose stem is the stem of one of ``words`` (the non-excluded words of the query), or
    begins with the stem of ``prefix`` (the query's last word, when it is also a prefix:
    :func:`~iomcms.search.query.wants_prefix`). The stem is the Snowball stemmer's (PyStemmer)
    of the folded word, as PostgreSQL's configuration reads it; a word with a digit is not
    stemmed (PostgreSQL's ``numword``), nor is any word in ``CONFIG``."""

    def __init__(self, words, prefix, config):
        name = STEMMERS.get(config) if config != CONFIG else None
        self._stemmer = Stemmer.Stemmer(name) if name else None
        self.stems = {self.stem(word) for word in words if word}
        self.prefix = self.stem(prefix) if prefix else None
        heads = sorted({stem[:_HEAD] for stem in self.stems | {self.prefix} if stem})
        self._pattern = None
        if heads:
            alternatives = "|".join("".join(_letter_class(c) for c in head) for head in heads)
            self._pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)

    def stem(self, word):
        """``word`` (folded) as this configuration reads it."""
        if self._stemmer is None or not word.isalpha():
            return word
        return self._stemmer.stemWord(word)

    def spans(self, text):
        """The spans of ``text`` to mark, found one by one in the order of the text: a snippet
        (:func:`cut_snippet`) stops reading at its end, so the words of a long release past
        it are not stemmed."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text):
            stem = self.stem(search_fold(match.group()))
            if stem in self.stems or (self.prefix and stem.startswith(self.prefix)):
                yield match.span()


def _escape(text):
    # What django.utils.html.escape does to a str, without its lazy-string wrapper, which cost
    # more than the escaping on a page of 20 snippets.
    return html.escape(text, quote=True)


def cut_snippet(text, spans, width=SNIPPET_CHARS):
    """About ``width`` characters of plain ``text`` around the first of ``spans`` (or its
    start), every span in it in <mark>, the rest escaped. ``spans`` come in the order of their
    start (an iterator is read no further than the snippet's end)."""
    if not text:
        return mark_safe("")
    spans = iter(spans)
    first = next(spans, None)
    low = max(0, first[0] - width // 3) if first else 0
    high = min(len(text), low + width)
    if low > 0:  # start at a word
        low = text.rfind(" ", 0, low) + 1
    if high < len(text):
        space = text.find(" ", high)
        high = len(text) if space == -1 else space
    parts, cursor = ["… "] if low > 0 else [], low
    for start, end in itertools.chain([first] if first else [], spans):
        if start >= high:
            break
        start, end = max(start, cursor), min(end, high)
        if start >= end:
            continue
        parts += [_escape(text[cursor:start]), "<mark>", _escape(text[start:end]), "</mark>"]
        cursor = end
    parts.append(_escape(text[cursor:high]))
    if high < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))


def text_snippet(text, needles, width=SNIPPET_CHARS):
    """:func:`cut_snippet` of ``text`` with the SQLite fallback's ``needles`` marked."""
    if not text:
        return mark_safe("")
    return cut_snippet(text, sorted(needle_spans(text, needles)), width)


def snippet_iterable(make_snippet):
    """A ModelIterable whose instances get ``snippet = make_snippet(<their annotation>)``."""

    class SnippetIterable(ModelIterable):
        def __iter__(self):
            for obj in super().__iter__():
                obj.snippet = make_snippet(obj.__dict__.pop(SNIPPET_ATTR, None))
                yield obj

    return SnippetIterable
