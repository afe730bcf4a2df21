"""Which of the site's three languages a legacy page is written in, told from its words.

A stop-word count, not a statistical model: the archive holds only English, French and
Spanish, and in running text of those three the short function words ("the", "des", "los")
settle the question at once. Measured on the 103 labelled pages of tests/legacy/archive and
tests/legacy/holdout (title and body), this rule got every page right, as did py3langid and
lingua-language-detector; but it needs no dependency (py3langid brings numpy, lingua about
100 MB), costs about 0.03 ms a page (py3langid 0.1 ms, lingua 0.2 ms), is deterministic,
and says "I cannot tell" instead of guessing on a text too short or in another language
(docs/decisions.md, "Language of an imported page").

Only words that belong to one of the three languages count: "de", "la", "que", "en", "un"
are shared by French and Spanish (or English) and tell nothing.
"""

from __future__ import annotations

_STOP_WORDS = {
    "en": """the and of to is are was were that with for has have this from by on which it
        its their will said who been not be at as or but they he she we our would these""",
    "fr": """le les des du et est une dans pour qui sur au aux avec par ses son sont été
        cette ont il elle nous plus pas ce cet ces leur leurs mais où ou selon également
        depuis être fait""",
    "es": """el los las del y es una por para con su sus al como está más fue han ha este
        esta estos estas entre sobre también desde pero según muy ser""",
    # Portuguese and Italian, the archive's likeliest other languages: their own function
    # words outvote the few they share with Spanish or French ("para", "por", "il").
    "other": """da do em uma não com ao pelo pela os às é foi são seu sua della di per
        gli sono nel alla dei delle anche""",
}
_LANGUAGE_OF = {word: language for language, words in _STOP_WORDS.items() for word in words.split()}
# Enough words to decide on; reading a whole long page would only cost time.
_MAX_CHARACTERS = 2000
# A verdict needs this many stop words of its language, and that many times as many as the
# runner-up: a quoted French name in an English text does not make it French.
_MIN_HITS = 3
_MARGIN = 2
# In running English, French or Spanish about a word in four is one of the stop words above;
# a page in another language (Portuguese shares "para", "por", "o") reaches far fewer.
_MIN_SHARE = 0.08


def detect(text: str) -> str | None:
    """The language of running text, "en", "fr" or "es"; None when the text is too short
    to tell, mixed, or in another language."""
    counts = dict.fromkeys(_STOP_WORDS, 0)
    # Split on spaces only: a stop word is seldom next to punctuation, and a regular
    # expression for words would double the cost, paid on every page of an import.
    words = text[:_MAX_CHARACTERS].lower().split()
    of = _LANGUAGE_OF.get
    for word in words:
        language = of(word)
        if language is not None:
            counts[language] += 1
    best, second = sorted(counts.values(), reverse=True)[:2]
    if best < _MIN_HITS or best < _MARGIN * second or best < _MIN_SHARE * len(words):
        return None
    language = max(counts, key=counts.get)
    return None if language == "other" else language


def page_language(title: str, paragraphs: list[str]) -> str | None:
    """The language of a page's title and body, or None (see :func:`detect`)."""
    return detect("\n".join([title, *paragraphs]))
