"""CSV exports of the public lists: the same rows as the list page, streamed.

``/news/export.csv``, ``/projects/export.csv`` and ``/contacts/export.csv`` (and ``?format=csv``
on the list page itself, :meth:`iomcms.views.FilteredListView.get`) bind the list's own
FilterSet with :func:`iomcms.filters.bind`, over the list's own ``published()`` rows: the same
parameter names, the same validation, the same order (``sort``, else the list's). A value the
page would ignore is ignored here too, and said in the ``X-Ignored-Filters`` header (the body
stays clean CSV).

The file (docs/architecture.md, "Exports"):

- UTF-8 with a byte order mark, so that Excel reads accents right (``utf-8-sig`` in Python);
  ``text/csv; charset=utf-8; header=present``; CRLF line ends (RFC 4180); one header row of
  stable, untranslated column names; values (country names, a type's name) in the interface
  language.
- Streamed (``StreamingHttpResponse``): the header row at once, then the rows read
  ``CHUNK_SIZE`` at a time with ``QuerySet.iterator()`` (a server-side cursor on PostgreSQL,
  inside one transaction: :func:`csv_lines`; prefetches run once per chunk), so memory stays
  flat whatever the number of rows.
- Safe in a spreadsheet (OWASP, "CSV Injection"): a text cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (:func:`safe_cell`), so it is
  never run as a formula. Numbers (a budget, a year) are written as numbers, untouched: a
  spreadsheet reads them as numbers, never as a formula.
- A file name that says what was chosen: ``iom-news_country-CO_year-2024_lang-fr.csv``
  (:func:`export_filename`, safe characters only).

The "This list as" links to these exports are built by :mod:`iomcms.outputs`.
"""

import csv
import datetime
import functools
import io
import json
import re
from decimal import Decimal

from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.text import slugify
from django.views import View
from django_countries import countries

from .filters import bind
from .methods import ReadOnlyViewMixin

CHUNK_SIZE = 2000  # rows read per round trip (and per prefetch query)
FLUSH_BYTES = 64 * 1024  # text gathered before it is handed to the server
FILE_PREFIX = "iom"
MAX_NAME_LENGTH = 150  # of the file name, before ".csv"
MAX_MESSAGE_LENGTH = 200  # of each message in X-Ignored-Filters
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
IGNORED_HEADER = "X-Ignored-Filters"


def safe_cell(value):
    """``value`` as a CSV cell a spreadsheet will show, never run (OWASP "CSV Injection").

    Text that starts with ``= + - @``, a tab or a carriage return gets a leading ``'``;
    numbers (``int``, ``Decimal``, ``float``) are written as they are: "-12.5" in a number
    cell is a number. ``None`` is an empty cell; dates are ISO 8601.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class AbsoluteUrls:
    """``urls(obj)``: the absolute URL of ``obj.get_absolute_url()`` on the requesting host.

    A detail URL is ``<prefix><slug>/``, and the prefix depends only on the model and the
    language (the item's own, else the interface's, fixed for a whole export). So each
    model's ``get_absolute_url()`` is asked once per language, and the other rows reuse its
    prefix with their own slug: ``reverse()`` for each of 100,000 rows would cost more than
    the rest of the row. A URL of another shape is asked of its row every time.
    """

    def __init__(self, request):
        self.root = request.build_absolute_uri("/")[:-1]
        self.prefixes = {}

    def __call__(self, obj):
        key = (type(obj), getattr(obj, "language", None))
        prefix = self.prefixes.get(key)
        if prefix is None:
            path = obj.get_absolute_url()
            tail = f"/{obj.slug}/"
            if not path.endswith(tail):
                return self.root + escape_uri_path(path)
            prefix = self.prefixes[key] = self.root + escape_uri_path(path[: 1 - len(tail)])
        return f"{prefix}{escape_uri_path(obj.slug)}/"


def absolute_urls(request):
    """An :class:`AbsoluteUrls` for the rows of one export."""
    return AbsoluteUrls(request)


@functools.lru_cache(maxsize=2048)
def _country_name(code, language):
    return str(countries.name(code))


def country_names(values):
    """The names of a row's countries in the active language, joined: ``Ecuador;Peru``
    (each name looked up once per language, not once per row)."""
    language = translation.get_language()
    return joined(_country_name(country.code, language) for country in values)


def country_codes(values):
    return joined(country.code for country in values)


def joined(values):
    """Several values in one cell: ``CO;EC``."""
    return ";".join(str(value) for value in values)


class Column:
    """A CSV column: its header (a stable name, never translated) and how a row gives it."""

    def __init__(self, name, value):
        self.name = name
        self.value = value


def ignored_filters(filterset):
    """``{parameter: [message, ...]}``: what the list page says it ignored, and why."""
    if not filterset.is_bound:
        return {}
    filterset.form.is_valid()
    return {
        name: [str(message)[:MAX_MESSAGE_LENGTH] for message in messages]
        for name, messages in filterset.form.errors.items()
    }


_SAFE = re.compile(r"[A-Za-z0-9.-]+")


def _name_part(text):
    """``text`` as it is when made of letters, digits, ``.`` and ``-`` (``CO``, ``1000.50``),
    else slugified (``floods in Piura``: ``floods-in-piura``)."""
    text = str(text)
    return text if _SAFE.fullmatch(text) else (slugify(text) or "x")


def export_filename(section, filterset):
    """``iom-<section>_<filter>-<value>..._lang-<language>.csv``: the filters that chose the
    rows (valid ones, in the FilterSet's order), and the value a defaulted filter took when
    not given (``lang``: the interface's language). Letters, digits, ``-`` and ``_`` only."""
    chosen = dict(filterset.selection())
    for name, filter_ in filterset.filters.items():
        if hasattr(filter_, "filter_default") and name not in chosen:
            chosen[name] = str(filterset.form.fields[name].prepare_value(None))
    parts = [f"{FILE_PREFIX}-{_name_part(section)}"]
    parts += [
        f"{_name_part(name)}-{_name_part(chosen[name])}"
        for name in filterset.filters
        if name in chosen
    ]
    name = "_".join(parts)
    if len(name) > MAX_NAME_LENGTH:
        name = name[:MAX_NAME_LENGTH].rstrip("-_")
    return f"{name}.csv"


class _Line:
    """The file-like object csv.writer writes to: it hands the line back."""

    def write(self, value):
        return value


def csv_lines(columns, queryset, language):
    """The file as ``bytes``: BOM and header at once, then the rows in pieces of about
    ``FLUSH_BYTES``.

    The rows are read ``CHUNK_SIZE`` at a time inside one read-only transaction: on
    PostgreSQL a server-side cursor outside a transaction is declared ``WITH HOLD``, which
    makes the server compute and store the whole result before the first row comes back.
    Closing the response (the client went away) closes the generator, which ends the
    transaction. Values are rendered in ``language`` (country names), activated around each
    piece only, so nothing leaks into whatever runs between two pieces."""
    writer = csv.writer(_Line())
    yield (BOM + writer.writerow([column.name for column in columns])).encode()
    buffer = io.StringIO()
    with transaction.atomic(using=queryset.db, savepoint=False):
        rows = queryset.iterator(chunk_size=CHUNK_SIZE)
        while True:
            with translation.override(language):
                for row in rows:
                    buffer.write(writer.writerow([safe_cell(c.value(row)) for c in columns]))
                    if buffer.tell() >= FLUSH_BYTES:
                        break
                else:
                    if buffer.tell():
                        yield buffer.getvalue().encode()
                    return
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()


class CsvExportView(ReadOnlyViewMixin, View):
    """The list's rows as CSV. Subclasses (each app's ``exports.py``) set ``section`` (the
    file name's word), ``filterset_class``, ``get_columns()`` and ``base_queryset()``: the list
    view's, plus the prefetches the columns need. GET and HEAD only (:mod:`iomcms.methods`).
    """

    section = None
    filterset_class = None

    def get_columns(self):
        """The :class:`Column` s, in order."""
        raise NotImplementedError

    def base_queryset(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        filterset = bind(self.filterset_class, request, self.base_queryset())
        rows = filterset.qs
        # The database is chosen now, while the request may still read from the replica
        # (iomcms/routers.py): the rows are read after the view has returned.
        rows = rows.using(rows.db)
        response = StreamingHttpResponse(
            csv_lines(self.get_columns(), rows, translation.get_language()),
            content_type="text/csv; charset=utf-8; header=present",
        )
        filename = export_filename(self.section, filterset)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        ignored = ignored_filters(filterset)
        if ignored:
            # JSON with every non-ASCII character escaped: any client reads it, and no value
            # from the query string can break the header.
            response.headers[IGNORED_HEADER] = json.dumps(ignored, ensure_ascii=True)
        return response
