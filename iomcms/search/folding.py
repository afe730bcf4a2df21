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
# What separates words: anything but a letter or a digit (so "_" too), as PostgreSQL's parser.
_NON_WORD = re.compile(r"[\W_]+")
# The same for ASCII text, in one bytes.translate (ten times faster than the regex): lower
# case, every byte other than a letter or digit a space.
_ASCII_WORDS = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256)
)


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


def search_words(text):
    """:func:`search_fold`, every run of characters other than letters and digits one space,
    and a space in front: "L'Immigration (cross-border)" -> " l immigration cross border".

    A word starts wherever ``" " + word`` occurs: the SQLite fallback matches at word starts,
    as PostgreSQL does, not inside a word ("migration" is not found in "immigration").
    """
    if text is None:
        return None
    text = str(text)
    if text.isascii():
        return " " + " ".join(text.encode().translate(_ASCII_WORDS).decode().split())
    return " " + _NON_WORD.sub(" ", search_fold(text)).strip()


def word_runs(text):
    """The words of ``text`` as :func:`search_words` reads them: "Cross-border" -> ["cross",
    "border"]."""
    return _NON_WORD.sub(" ", search_fold(text)).split()


def html_to_text(value):
    """Cleaned HTML as plain text: block tags become spaces, entities characters."""
    if not value:
        return ""
    value = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", str(value)))
    return " ".join(html.unescape(value).split())


def search_words_html(text):
    return None if text is None else search_words(html_to_text(text))
