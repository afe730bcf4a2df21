"""Snippets: a few words of each result around what matched, safe HTML whose only tags are
``<mark>``. PostgreSQL cuts them with ``ts_headline`` (:func:`headline_html` finishes them);
the SQLite fallback cuts them in Python (:func:`text_snippet`). Either way only for the rows
fetched.
"""

import html
import re

from django.db.models import TextField, Value
from django.db.models.functions import Concat
from django.db.models.query import ModelIterable
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .folding import search_fold_char, word_runs

SNIPPET_CHARS = 220
SNIPPET_ATTR = "_search_snippet"  # the annotation a snippet is made from

# ts_headline marks a match with these; they become <mark> after the rest is escaped.
START, STOP = "\x02", "\x03"

_MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)
_SEPARATORS = re.compile(r"(?:\s*·\s*)+")


def joined(expressions, separator):
    """One text expression: ``expressions`` with ``separator`` between them."""
    parts = []
    for expression in expressions:
        if parts:
            parts.append(Value(separator))
        parts.append(expression)
    return parts[0] if len(parts) == 1 else Concat(*parts, output_field=TextField())


def tidy(text):
    """Single spaces, no empty "·"-separated parts (contacts join their fields with them)."""
    return _SEPARATORS.sub(" · ", " ".join(text.split())).strip(" ·")


def headline_html(raw):
    """A ts_headline result as safe HTML: the text escaped, the marked matches in <mark>.

    ts_headline drops tags but keeps entities (``&amp;``), so entities are decoded before
    everything is escaped once; only the <mark> tags made here are HTML.
    """
    text = escape(tidy(html.unescape(raw or "")))
    text = _MARKED.sub(r"<mark>\1</mark>", text)
    return mark_safe(text.replace(START, "").replace(STOP, ""))


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


def text_snippet(text, needles, width=SNIPPET_CHARS):
    """About ``width`` characters of plain ``text`` around the first of ``needles`` (folded),
    every occurrence at a word start in <mark>, the rest escaped."""
    if not text:
        return mark_safe("")
    folded, positions = _fold_with_positions(text)
    spans = []
    for needle in {n for n in needles if n}:
        pattern = _word_start_pattern(needle)
        for match in pattern.finditer(folded) if pattern else ():
            start, end = match.span()
            spans.append(_whole_words(text, positions[start], positions[end - 1] + 1))
    spans.sort()
    low = max(0, spans[0][0] - width // 3) if spans else 0
    high = min(len(text), low + width)
    if low > 0:  # start at a word
        low = text.rfind(" ", 0, low) + 1
    if high < len(text):
        space = text.find(" ", high)
        high = len(text) if space == -1 else space
    parts, cursor = ["… "] if low > 0 else [], low
    for start, end in spans:
        start, end = max(start, cursor), min(end, high)
        if start >= end:
            continue
        parts += [escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"]
        cursor = end
    parts.append(escape(text[cursor:high]))
    if high < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))


def snippet_iterable(make_snippet):
    """A ModelIterable whose instances get ``snippet = make_snippet(<their annotation>)``."""

    class SnippetIterable(ModelIterable):
        def __iter__(self):
            for obj in super().__iter__():
                obj.snippet = make_snippet(obj.__dict__.pop(SNIPPET_ATTR, None))
                yield obj

    return SnippetIterable
