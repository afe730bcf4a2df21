"""Site search: the one module that knows how a query matches, ranks and is highlighted.

Views and filters use only the functions below; none of them knows which database runs.

- :func:`normalize_query` — the query as searched: control characters out, whitespace
  collapsed, at most ``MAX_QUERY_LENGTH`` characters.
- :func:`match` — the rows of a queryset that match (``SearchFilter`` uses it).
- :func:`results` — matched rows annotated with ``rank`` and a ``snippet`` (safe HTML whose
  only tags are ``<mark>``), most relevant first. Only the newest ``MAX_RESULTS + 1`` matches
  (the *candidates*) are ranked: a word found in 60,000 items must not rank 60,000 items.
- :func:`candidates` — the candidates' primary keys, fetched once (a paginated list counts
  them, then ranks them for one page); :func:`count` — how many rows match, counting no
  further than ``MAX_RESULTS + 1``; :func:`count_label` writes "500+" past the cap.
- :func:`search` — ``results(match(queryset, q), q)``.

Query syntax is PostgreSQL's ``websearch_to_tsquery``: words must all appear, ``"a phrase"``,
``or`` between alternatives, ``-word`` excludes. The last word is also a prefix ("migra" finds
"migrants").

PostgreSQL: real full-text search over a ``search_document`` tsvector column kept by a trigger
(title A, lead or summary B, body or description C; see news/migrations/0003_search.py) with a
GIN index, the ``iomcms_search`` configuration (``simple`` + ``unaccent``), ``ts_rank`` and
``ts_headline``.

SQLite (development, tests): a fallback with the same interface. Every word or phrase must
appear as a substring of a searched field, compared case- and accent-folded by a Python
function registered on the connection; rank is a score (4 per word in the title, 2 in the
lead, 1 in the body); the snippet is cut around the first match in Python, for the rows
fetched only. Limits: substrings rather than words ("migra" also finds "immigration"), a
phrase is the exact character sequence, and every search scans the table.
"""

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    Field,
    FloatField,
    Func,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Col
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
from django.db.models.query import ModelIterable
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
# How many matches (the newest) are ranked and counted: past it, counts read "500+".
MAX_RESULTS = 500
# The last word is also searched as a prefix when it has at least this many characters.
PREFIX_MIN_LENGTH = 3
SNIPPET_CHARS = 220

CONFIG = "iomcms_search"  # PostgreSQL text search configuration (news/migrations/0003)
DOCUMENT_COLUMN = "search_document"  # PostgreSQL only, added by the migrations
SNIPPET_ATTR = "_search_snippet"
TOTAL_ATTR = "search_total"

# ts_headline marks a match with these; they become <mark> after the rest is escaped.
_START, _STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class Spec:
    """What is searched in a model: fields by weight, which hold HTML, what the snippet shows."""

    weights: tuple  # (("A", ("title",)), ("B", ("lead", "dateline")), ("C", ("body",)))
    snippet: tuple  # the fields a snippet is cut from, joined by ``joiner``
    html: frozenset = frozenset()  # fields holding cleaned HTML
    joiner: str = " "

    def fields(self):
        return [name for _, names in self.weights for name in names]


# Keep in step with the triggers of news/0003, projects/0003 and contacts/0002 (PostgreSQL).
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


# --- The query ---------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class Term:
    text: str  # folded (see fold)
    negated: bool = False


def parse(q):
    """``q`` as websearch_to_tsquery reads it: a list of alternatives, each a list of terms.

    ``a b or c -d`` is ``[[a, b], [c, -d]]``: (a and b) or (c and not d). A phrase is one term.
    Used by the SQLite fallback; PostgreSQL parses the query itself.
    """
    groups, current, i, n = [], [], 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        negated = q[i] == "-" and i + 1 < n and not q[i + 1].isspace()
        if negated:
            i += 1
        if q[i] == '"':
            end = q.find('"', i + 1)
            end = n if end == -1 else end
            text, i = q[i + 1 : end], end + 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] != '"':
                j += 1
            text, i = q[i:j], j
            if not negated and text.lower() == "or" and current and q[i:].strip():
                groups.append(current)
                current = []
                continue
        text = re.sub(r"^[\W_]+|[\W_]+$", "", fold(text))
        if _WORD_CHAR.search(text):
            current.append(Term(text, negated))
    if current:
        groups.append(current)
    return groups


# --- Accent and case folding (SQLite fallback) -------------------------------------------------

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


def fold(text):
    """Lower case without accents, single spaces: "Bogotá  ÉCOLE" -> "bogota ecole"."""
    if text is None:
        return None
    text = " ".join(str(text).split())
    if text.isascii():
        return text.lower()
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return text.translate(_LETTERS)


@functools.lru_cache(maxsize=4096)
def _fold_char(char):
    return _COMBINING.sub("", unicodedata.normalize("NFKD", char.casefold())).translate(_LETTERS)


def html_to_text(value):
    """Cleaned HTML as plain text: block tags become spaces, entities characters."""
    if not value:
        return ""
    value = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", str(value)))
    return " ".join(html.unescape(value).split())


def fold_html(text):
    return None if text is None else fold(html_to_text(text))


def _register_sqlite_functions(connection):
    raw = connection.connection
    if raw is not None:
        raw.create_function("iomcms_fold", 1, fold, deterministic=True)
        raw.create_function("iomcms_fold_html", 1, fold_html, deterministic=True)


def _on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        _register_sqlite_functions(connection)


connection_created.connect(_on_connection_created, dispatch_uid="iomcms.search.sqlite")


# --- Snippets ----------------------------------------------------------------------------------

_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
_SEPARATORS = re.compile(r"(?:\s*·\s*)+")


def _tidy(text):
    """Single spaces, no empty "·"-separated parts (contacts join their fields with them)."""
    return _SEPARATORS.sub(" · ", " ".join(text.split())).strip(" ·")


def headline_html(raw):
    """A ts_headline result as safe HTML: the text escaped, the marked matches in <mark>.

    ts_headline drops tags but keeps entities (``&amp;``), so entities are decoded before
    everything is escaped once; only the <mark> tags made here are HTML.
    """
    text = escape(_tidy(html.unescape(raw or "")))
    text = _MARKED.sub(r"<mark>\1</mark>", text)
    return mark_safe(text.replace(_START, "").replace(_STOP, ""))


def _fold_with_positions(text):
    """``fold`` character by character, with the index in ``text`` of each folded character."""
    folded, positions = [], []
    for index, char in enumerate(text):
        part = _fold_char(char)
        folded.append(part)
        positions.extend([index] * len(part))
    return "".join(folded), positions


def _whole_words(text, start, end):
    """The span widened to the words it touches: a substring match marks "migrants", not
    "migra"."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def text_snippet(text, needles, width=SNIPPET_CHARS):
    """About ``width`` characters of plain ``text`` around the first of ``needles`` (folded),
    every occurrence in <mark>, the rest escaped."""
    if not text:
        return mark_safe("")
    folded, positions = _fold_with_positions(text)
    spans = []
    for needle in {n for n in needles if n}:
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            spans.append(_whole_words(text, positions[start], positions[end - 1] + 1))
            start = folded.find(needle, end)
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


class _SnippetIterable(ModelIterable):
    """Model instances with ``snippet`` built from the annotation fetched for their row."""

    def make_snippet(self, raw):
        raise NotImplementedError

    def __iter__(self):
        for obj in super().__iter__():
            obj.snippet = self.make_snippet(obj.__dict__.pop(SNIPPET_ATTR, None))
            yield obj


# --- SQL expressions ---------------------------------------------------------------------------


class _TsVectorField(Field):
    def db_type(self, connection):
        return "tsvector"


class _TsQueryField(Field):
    def db_type(self, connection):
        return "tsquery"


class _Document(Expression):
    """The hidden ``search_document`` column of the queried table (PostgreSQL)."""

    output_field = _TsVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        target = _TsVectorField()
        target.set_attributes_from_name(DOCUMENT_COLUMN)
        target.model = query.model
        return Col(query.get_initial_alias(), target)


class _WebSearchQuery(Func):
    """websearch_to_tsquery(q); with ``prefix``, the last lexeme also matches as a prefix.

    The prefix is added to the parsed query (``'a' & 'migra'`` -> ``'a' & 'migra':*``), so
    the user's text only ever goes through websearch_to_tsquery, which accepts any input. The
    whole expression is immutable: PostgreSQL folds it to a constant before planning, so the
    GIN index and the column statistics serve it.
    """

    output_field = _TsQueryField()

    def __init__(self, q, prefix=False):
        super().__init__(Value(q))
        self.template = f"websearch_to_tsquery('{CONFIG}'::regconfig, %(expressions)s)"
        if prefix:
            self.template = f"regexp_replace({self.template}::text, '''$', ''':*')::tsquery"


class _Match(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _Headline(Func):
    template = f"ts_headline('{CONFIG}'::regconfig, %(expressions)s)"
    output_field = TextField()


class _Fold(Func):
    function = "iomcms_fold"
    output_field = TextField()


class _FoldHtml(Func):
    function = "iomcms_fold_html"
    output_field = TextField()


class _EscapeHtml(Func):
    """Plain text as HTML text, so ts_headline reads "<b>" in a lead as characters, not a tag."""

    template = "replace(replace(replace(%(expressions)s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    output_field = TextField()


def _joined(expressions, separator):
    parts = []
    for expression in expressions:
        if parts:
            parts.append(Value(separator))
        parts.append(expression)
    return parts[0] if len(parts) == 1 else Concat(*parts, output_field=TextField())


# --- Backends ----------------------------------------------------------------------------------


class _PostgreSQL:
    def __init__(self, q):
        self.tsquery = _WebSearchQuery(q, prefix=wants_prefix(q))

    def condition(self, spec):
        return _Match(_Document(), self.tsquery)

    def rank(self, spec):
        return Func(_Document(), self.tsquery, function="ts_rank", output_field=FloatField())

    def snippet_source(self, spec):
        # ts_headline reads HTML: plain fields are escaped first, so all of it is HTML text.
        fields = [F(name) if name in spec.html else _EscapeHtml(name) for name in spec.snippet]
        return _Headline(_joined(fields, spec.joiner), self.tsquery, Value(HEADLINE_OPTIONS))

    def iterable(self, spec):
        def make_snippet(self, raw):
            return headline_html(raw)

        return type("HeadlineIterable", (_SnippetIterable,), {"make_snippet": make_snippet})


class _SQLite:
    WEIGHTS = {"A": 4, "B": 2, "C": 1}

    def __init__(self, q):
        self.groups = parse(q)

    def _folded(self, spec, name):
        return (_FoldHtml if name in spec.html else _Fold)(name)

    def _found(self, spec, names, term):
        found = Q()
        for name in names:
            found |= Q(Contains(self._folded(spec, name), term.text))
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
                When(self._found(spec, names, term), then=Value(self.WEIGHTS[weight]))
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
        return _joined([F(name) for name in spec.snippet], "\x1f")

    def iterable(self, spec):
        needles = [t.text for group in self.groups for t in group if not t.negated]

        def make_snippet(self, raw):
            parts = (raw or "").split("\x1f")
            text = spec.joiner.join(
                html_to_text(part) if name in spec.html else " ".join(part.split())
                for name, part in zip(spec.snippet, parts, strict=False)
            )
            return text_snippet(_tidy(text), needles)

        return type("SnippetIterable", (_SnippetIterable,), {"make_snippet": make_snippet})


def _backend(queryset, q):
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return _PostgreSQL(q)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        _register_sqlite_functions(connection)
    return _SQLite(q)


def _spec(model):
    return SPECS.get(model._meta.label_lower)


# --- Public API --------------------------------------------------------------------------------


def match(queryset, q, *, fields=()):
    """The rows of ``queryset`` matching ``q``; all of them when ``q`` is empty.

    A model without a spec in ``SPECS`` falls back to "every word in one of ``fields``"
    (case-insensitive). A query with no letter or digit ("!!!") matches nothing.
    """
    q = normalize_query(q)
    if not q:
        return queryset
    if not has_words(q):
        return queryset.none()
    spec = _spec(queryset.model)
    if spec is None:
        for word in q.split()[:10]:
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset
    return queryset.filter(_backend(queryset, q).condition(spec))


def _natural_order(model):
    return [*(model._meta.ordering or []), "pk"]


def _same_shape(queryset):
    """A fresh queryset of ``queryset``'s model that loads rows the same way, without its
    filters (the ranked query selects by primary key from the filtered candidates)."""
    fresh = queryset.model._default_manager.all()
    fresh.query.select_related = queryset.query.select_related
    fresh.query.deferred_loading = queryset.query.deferred_loading
    if queryset._prefetch_related_lookups:
        fresh = fresh.prefetch_related(*queryset._prefetch_related_lookups)
    return fresh


def candidates(matches):
    """The primary keys of the newest ``MAX_RESULTS + 1`` matches (the model's natural order):
    the rows a ranked search orders. Their number is the capped count."""
    order = _natural_order(matches.model)
    return list(matches.order_by(*order).values_list("pk", flat=True)[: MAX_RESULTS + 1])


def results(matches, q, *, by_relevance=True, candidates=None):
    """``matches`` (already filtered by :func:`match`, and any other filter) with ``rank`` and
    ``snippet``.

    By relevance: the newest ``MAX_RESULTS + 1`` matches in the model's natural order (found
    in a subquery, or given as ``candidates``, see :func:`candidates`), most relevant first,
    ties in natural order. Otherwise every match, in ``matches``' order (a sort the reader
    chose). Snippets are made for the rows fetched only.
    """
    q = normalize_query(q)
    spec = _spec(matches.model)
    if spec is None or not has_words(q):
        return matches if spec is None else matches.none()
    backend = _backend(matches, q)
    if by_relevance:
        order = _natural_order(matches.model)
        if candidates is None:
            candidates = matches.order_by(*order).values("pk")[: MAX_RESULTS + 1]
        ranked = _same_shape(matches).filter(pk__in=candidates)
        ranked = ranked.annotate(rank=backend.rank(spec)).order_by("-rank", *order)
    else:
        ranked = matches.annotate(rank=backend.rank(spec))
    ranked = ranked.annotate(**{SNIPPET_ATTR: backend.snippet_source(spec)})
    ranked._iterable_class = backend.iterable(spec)
    return ranked


def search(queryset, q):
    """The published rows of ``queryset`` matching ``q``, ranked, with snippets."""
    return results(match(queryset, q), q)


def with_total(ranked):
    """``ranked`` with ``search_total`` on each row: how many rows ``ranked`` holds (at most
    ``MAX_RESULTS + 1``), counted in the same query as the rows themselves."""
    return ranked.annotate(**{TOTAL_ATTR: Window(Count("pk"))})


def count(matches):
    """How many rows match, counting no further than ``MAX_RESULTS + 1`` (cheap: no ranking,
    no ordering)."""
    return matches.order_by().values("pk")[: MAX_RESULTS + 1].count()


def is_capped(total):
    return total > MAX_RESULTS


def count_label(total):
    """``"37"``, ``"1,000+"``."""
    return f"{MAX_RESULTS:,}+" if is_capped(total) else f"{total:,}"
