"""The SQLite fallback (development, tests), with the same interface as PostgreSQL's search.

Every word or phrase must start at a word start of a searched field, as PostgreSQL matches
words: the field is read case- and accent-folded, punctuation as spaces, by Python functions
registered on each connection (``search_words``: " cross border trade"), and the term, its
words joined by single spaces, must occur after a space (``LIKE '% border%'``). So "migra"
finds "migration" and "Cross-border" is found by "border", but "migration" does not find
"immigration" or "émigration". Rank is a score (4 per word in an A field, 2 in B, 1 in C); the
snippet is cut around the first match in Python, for the rows fetched only. Limits: every word
is a prefix (PostgreSQL: the last one; it stems the others instead), a phrase is the words in
sequence with any punctuation between them, and every search scans the table.
"""

from django.db.backends.signals import connection_created
from django.db.models import Case, Func, IntegerField, Q, TextField, Value, When
from django.db.models.lookups import Contains

from .folding import search_words, search_words_html, word_runs
from .query import parse, wanted_terms
from .snippets import snippet_iterable, snippet_source, snippet_text, text_snippet

WEIGHTS = {"A": 4, "B": 2, "C": 1}


def register_functions(connection):
    raw = connection.connection
    if raw is not None:
        raw.create_function("iomcms_words", 1, search_words, deterministic=True)
        raw.create_function("iomcms_words_html", 1, search_words_html, deterministic=True)


def _on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        register_functions(connection)


connection_created.connect(_on_connection_created, dispatch_uid="iomcms.search.sqlite")


class _Words(Func):
    function = "iomcms_words"
    output_field = TextField()


class _WordsHtml(Func):
    function = "iomcms_words_html"
    output_field = TextField()


class SQLiteSearch:
    def __init__(self, q):
        self.groups = parse(q)

    def _words(self, spec, name):
        return (_WordsHtml if name in spec.html else _Words)(name)

    def _found(self, spec, names, term):
        # At a word start: after the space search_words puts before every word.
        at_word_start = " " + " ".join(word_runs(term.text))
        found = Q()
        for name in names:
            found |= Q(Contains(self._words(spec, name), at_word_start))
        return found

    def condition(self, spec):
        if not self.groups:
            return Q(pk__in=[])
        condition = Q()
        for group in self.groups:
            together = Q()
            for term in group:
                found = self._found(spec, spec.fields(), term)
                together &= ~found if term.negated else found
            condition |= together
        return condition

    def rank(self, spec):
        scores = []
        for term in {t for group in self.groups for t in group if not t.negated}:
            whens = [
                When(self._found(spec, names, term), then=Value(WEIGHTS[weight]))
                for weight, names in spec.weights
            ]
            scores.append(Case(*whens, default=Value(0), output_field=IntegerField()))
        if not scores:
            return Value(0, output_field=IntegerField())
        total = scores[0]
        for score in scores[1:]:
            total += score
        return total

    def snippet_source(self, spec):
        # The raw fields, for the fetched rows only; the snippet is cut in Python.
        return snippet_source(spec)

    def iterable(self, spec):
        needles = wanted_terms(self.groups)
        return snippet_iterable(lambda raw: text_snippet(snippet_text(spec, raw), needles))
