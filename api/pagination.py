"""Cursor (keyset) pagination on the lists' own order, with no COUNT and no OFFSET.

DRF's ``CursorPagination`` keys on the first ordering field alone plus an offset, which breaks
on the lists' orders: ``published_on`` repeats (dozens of releases a day, an offset past its
1,000 cap) and is NULL for undated archive items, which sort last. Here a cursor holds the
values of *every* ordering field of the row it stops at (the primary key ends each order, so
the position is unique), and the next page is the rows strictly after it in that order:

- The order is the list's: the FilterSet's ``sort`` when given (``SortFilter`` ends it with
  the primary key), else the model's ``Meta.ordering`` (news: ``published_on`` DESC NULLS LAST,
  ``id`` DESC), ended with the primary key when it does not end with it already (in the
  direction of the first key: newest ids first in a newest-first list). Where NULLs go is
  written out (PostgreSQL's default unless the model says otherwise: NULL is the largest
  value), so the cursor's comparisons and the ``ORDER BY`` agree on every database.
- A page is one query that an ordering index answers from the cursor's position on: the first
  key is bounded (``published_on <= d``, an index condition) and the rest of the tie is a
  filter. When the first key is nullable, the NULL block is a second query, made only when
  the first did not fill the page (the page that crosses from the dated items into the
  undated ones).
- A cursor names its order: a cursor made under another ``sort`` is refused (400), never
  misread.

``next`` and ``previous`` are absolute links that keep every other parameter.
"""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, OrderBy, Q
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .errors import BadParameters

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Key:
    """One field of an order: its name, its direction and where its NULLs go."""

    field: str
    descending: bool
    nulls_first: bool
    nullable: bool

    def order_by(self):
        expression = F(self.field)
        if not self.nullable:
            return expression.desc() if self.descending else expression.asc()
        placement = {"nulls_first": True} if self.nulls_first else {"nulls_last": True}
        return OrderBy(expression, descending=self.descending, **placement)

    def reversed(self):
        return Key(self.field, not self.descending, not self.nulls_first, self.nullable)

    def label(self):
        return f"{'-' if self.descending else ''}{self.field}"


def _key(model, name, descending, nulls_first=None):
    if name == "pk":
        name = model._meta.pk.name
    field = model._meta.get_field(name)
    if nulls_first is None:
        nulls_first = descending  # PostgreSQL's default: NULL is the largest value
    return Key(field.name, descending, nulls_first, field.null)


def keys_of(queryset):
    """The order of ``queryset`` as :class:`Key` s, ended with the primary key."""
    model = queryset.model
    keys = []
    for item in queryset.query.order_by or model._meta.ordering or ():
        if isinstance(item, str):
            keys.append(_key(model, item.lstrip("-"), item.startswith("-")))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            nulls_first = True if item.nulls_first else False if item.nulls_last else None
            keys.append(_key(model, item.expression.name, item.descending, nulls_first))
        else:
            raise ValueError(f"cannot page {model.__name__} by {item!r}")
    pk = model._meta.pk.name
    if not any(key.field == pk for key in keys):
        keys.append(_key(model, pk, keys[0].descending if keys else False))
    return keys


def _equal(key, value):
    return Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})


def _strictly_after(key, value):
    """The rows whose ``key`` comes strictly after ``value``; ``None`` for none."""
    if value is None:
        return Q(**{f"{key.field}__isnull": False}) if key.nulls_first else None
    after = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
    if key.nullable and not key.nulls_first:
        after |= Q(**{f"{key.field}__isnull": True})
    return after


def _after(keys, values):
    """Rows strictly after ``values`` in the order ``keys`` (lexicographic); ``None``: none."""
    terms = []
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        after = _strictly_after(key, value)
        if after is not None:
            for earlier, earlier_value in zip(keys[:index], values[:index], strict=True):
                after &= _equal(earlier, earlier_value)
            terms.append(after)
    if not terms:
        return None
    condition = terms[0]
    for term in terms[1:]:
        condition |= term
    return condition


def segments_after(queryset, keys, values):
    """The querysets, in order, whose rows follow the position ``values``: the rows within
    the position's block of the first key (bounded on it, so an index seeks there) and, when
    the first key is nullable, the block on the other side of its NULLs."""
    first, value = keys[0], values[0]
    rest = _after(keys[1:], values[1:])
    ordered = queryset.order_by(*(key.order_by() for key in keys))
    if value is None:
        same = ordered.filter(**{f"{first.field}__isnull": True})
        segments = [same.filter(rest) if rest is not None else same.none()]
        if first.nulls_first:
            segments.append(ordered.filter(**{f"{first.field}__isnull": False}))
        return segments
    bound = Q(**{f"{first.field}__{'lte' if first.descending else 'gte'}": value})
    strictly = Q(**{f"{first.field}__{'lt' if first.descending else 'gt'}": value})
    tie = Q(**{first.field: value}) & rest if rest is not None else None
    segments = [ordered.filter(bound).filter(strictly | tie if tie is not None else strictly)]
    if first.nullable and not first.nulls_first:
        segments.append(ordered.filter(**{f"{first.field}__isnull": True}))
    return segments


def _read(field, value):
    """A cursor's value as ``field`` holds it, within what its column can hold (a number out
    of range or a NUL character would be a database error, not a 400)."""
    if isinstance(value, dict | list) or (isinstance(value, str) and "\x00" in value):
        raise ValueError(value)
    value = field.to_python(value)
    field.run_validators(value)
    return value


class KeysetPagination(BasePagination):
    """``?cursor=`` (opaque, from a ``next`` or ``previous`` link) and ``?page_size=`` (1 to
    100). The view's ``page_size`` is the list page's."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE

    @classmethod
    def sized(cls, page_size):
        """This pagination with another default page size (a list page's)."""
        return type(f"{cls.__name__}{page_size}", (cls,), {"page_size": page_size})

    @property
    def query_params(self):
        return (self.cursor_query_param, self.page_size_query_param)

    # -- reading the request --

    def _page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise BadParameters(
                self.page_size_query_param,
                _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size},
                "invalid",
            )
        return size

    def _decode(self, raw, keys, model):
        """(values, backwards) of a cursor, each value as its field reads it."""
        invalid = BadParameters(
            self.cursor_query_param,
            _("This cursor is not one this list gave; start again from the first page."),
            "invalid",
        )
        try:
            padded = raw + "=" * (-len(raw) % 4)
            token = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            order, values, backwards = token["o"], token["v"], bool(token.get("r"))
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
            raise invalid from None
        if order != [key.label() for key in keys]:
            raise BadParameters(
                self.cursor_query_param,
                _(
                    "This cursor belongs to another order (sort) of the list; use it with the "
                    "parameters it came with."
                ),
                "invalid",
            )
        if not isinstance(values, list) or len(values) != len(keys):
            raise invalid
        try:
            values = [
                None if value is None else _read(model._meta.get_field(key.field), value)
                for key, value in zip(keys, values, strict=True)
            ]
        except (ValidationError, TypeError, ValueError):
            raise invalid from None
        return values, backwards

    def _encode(self, keys, row, backwards):
        values = []
        for key in keys:
            value = getattr(row, key.field)
            values.append(value if value is None or isinstance(value, int) else str(value))
        token = {"o": [key.label() for key in keys], "v": values}
        if backwards:
            token["r"] = 1
        raw = json.dumps(token, separators=(",", ":")).encode()
        encoded = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    # -- the page --

    def paginate_queryset(self, queryset, request, view=None):
        size = self._page_size(request)
        self.base_url = request.build_absolute_uri()
        keys = keys_of(queryset)
        self.keys = keys
        raw = request.query_params.get(self.cursor_query_param)
        cursor = self._decode(raw, keys, queryset.model) if raw else None
        wanted = size + 1
        if cursor is None:
            ordered = queryset.order_by(*(key.order_by() for key in keys))
            rows, backwards = list(ordered[:wanted]), False
        else:
            values, backwards = cursor
            order = [key.reversed() for key in keys] if backwards else keys
            rows = []
            for segment in segments_after(queryset, order, values):
                rows += list(segment[: wanted - len(rows)])
                if len(rows) >= wanted:
                    break
        more = len(rows) > size
        page = rows[:size]
        if backwards:
            page.reverse()
        self.page = page
        self.next_link = self.previous_link = None
        if page:
            first, last = page[0], page[-1]
            if backwards:
                self.next_link = self._encode(keys, last, backwards=False)
                if more:
                    self.previous_link = self._encode(keys, first, backwards=True)
            else:
                if more:
                    self.next_link = self._encode(keys, last, backwards=False)
                if cursor is not None:
                    self.previous_link = self._encode(keys, first, backwards=True)
        elif cursor is not None and not backwards:
            # Past the end (rows removed since): back to the first page.
            self.previous_link = remove_query_param(self.base_url, self.cursor_query_param)
        return page

    def get_paginated_response(self, data):
        return Response({"next": self.next_link, "previous": self.previous_link, "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last one."},
                "previous": {
                    **link,
                    "description": "The previous page, or null on the first one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows a page (default {self.page_size}, at most "
                f"{self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
