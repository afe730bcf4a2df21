"""How the SQLite fallback and the snippets compare text: case and accents folded.

PostgreSQL does the same with the ``unaccent`` dictionary of the ``iomcms_search``
configuration. This fold is for search only; record identity (``iomcms.text``) and country
names (``legacy.countries``) have folds of their own, with other rules.
"""

import functools
import html
import re
import unicodedata

_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_LETTERS = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i",
     "þ": "th", "’": "'", "‘": "'"}
)  # fmt: skip
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|ul|ol|li|blockquote|h[1-6]|table|thead|tbody|tfoot|tr|th|td|caption)\b"
    r"[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")


def search_fold(text):
    """Lower case without accents, single spaces: "Bogotá  ÉCOLE" -> "bogota ecole"."""
    if text is None:
        return None
    text = " ".join(str(text).split())
    if text.isascii():
        return text.lower()
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return text.translate(_LETTERS)


@functools.lru_cache(maxsize=4096)
def search_fold_char(char):
    """:func:`search_fold` of one character (it may give several, "æ" -> "ae")."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", char.casefold())).translate(_LETTERS)


def html_to_text(value):
    """Cleaned HTML as plain text: block tags become spaces, entities characters."""
    if not value:
        return ""
    value = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", str(value)))
    return " ".join(html.unescape(value).split())


def search_fold_html(text):
    return None if text is None else search_fold(html_to_text(text))
