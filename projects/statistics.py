"""The project statistics: how many public projects a selection holds, their budget, and the
same by region, start year, project type, status, coverage and benefiting country.

One home for two rules (docs/decisions.md, "Project statistics"):

- **Counting.** A project counts once in every count, whatever number of countries it names.
- **Budget sharing** (:func:`budget_share`). A project that names several benefiting
  countries shares its budget **evenly** among them: USD 300,000 for Colombia, Ecuador and
  Peru is USD 100,000 each. So the countries' budgets add up to the budget of the projects
  that name a country, never more. Every other breakdown has one value per project (its
  region, its type...) and takes its budget in full.

A project without a budget counts in the counts and adds nothing to a budget. A project
without a region (a type, a start date...) is in that breakdown's "Not stated" row, so each
breakdown adds up to the total; one without a benefiting country is left out of the
country breakdown only.

:func:`project_statistics` computes everything in **one query** over the rows a list
FilterSet chose (``filterset.qs``): on PostgreSQL one ``GROUP BY GROUPING SETS`` (one scan of
the rows), elsewhere (SQLite) a ``UNION ALL`` of one ``GROUP BY`` per breakdown, the way the
list's facet counts are made (:func:`iomcms.facets.count_together`). The countries are grouped
by their stored value ("CO,EC,PE": a few hundred combinations) and split here, as the country
facet does (:class:`iomcms.facets.CountryFacet`).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from iomcms.filters import stored_country_codes
from iomcms.languages import interface_language, localized
from iomcms.search.folding import search_fold

from .models import Coverage, ProjectStatus, ProjectType, Region

CENT = Decimal("0.01")
TOP_COUNTRIES = 15

# (name, column title, chart title): the breakdowns, in the page's and the CSV's order.
BREAKDOWNS = (
    ("region", _("Region"), _("Budget by region")),
    ("year", _("Start year"), _("Budget by start year")),
    ("type", _("Project type"), _("Budget by project type")),
    ("status", _("Status"), _("Budget by status")),
    ("coverage", _("Coverage"), _("Budget by coverage")),
    ("country", _("Benefiting country"), _("Top benefiting countries by budget")),
)


def budget_share(budget, codes):
    """What each of ``codes`` (the benefiting countries of projects) gets of ``budget``: an
    even share (the rule of this module's docstring), to the cent."""
    return (Decimal(budget) / len(codes)).quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass
class Row:
    """One line of a breakdown: ``key`` as the list's filter takes it ("" for "Not stated"),
    its label in the reader's language, how many projects, their budget (USD)."""

    key: str
    label: str
    count: int = 0
    budget: Decimal = field(default_factory=Decimal)


@dataclass
class Statistics:
    count: int = 0
    budget: Decimal = field(default_factory=Decimal)
    without_budget: int = 0  # projects counted that give no budget
    without_country: int = 0  # projects counted that name no benefiting country
    breakdowns: dict = field(default_factory=dict)  # {name: [Row]}

    def top_countries(self, limit=TOP_COUNTRIES):
        return self.breakdowns["country"][:limit]


def sum_amount(value):
    """A SUM of budgets as the database gives it (Decimal on PostgreSQL, int or float on
    SQLite), to the cent; None when no row had one."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_EVEN)


# The breakdowns by a named list (region, project type): grouped by the row's id, named after
# the grouping (a join of a few hundred grouped rows, not of every project).
NAMED_LISTS = {"region": (Region, "region_id"), "type": (ProjectType, "project_type_id")}


def _groupings():
    """``{breakdown: (alias, expression)}``: what each breakdown groups the rows by."""
    return {
        "region": ("_region", F("region_id")),
        "year": ("_year", Substr("start", 1, 4)),
        "type": ("_type", F("project_type_id")),
        "status": ("_status", F("status")),
        "coverage": ("_coverage", F("coverage")),
        "country": ("_country", F("benefiting_states")),
    }


def _name_columns():
    """``["slug", "name", "name_<language>"]``: what names a region or type for the reader
    (:func:`~iomcms.languages.localized`)."""
    language = interface_language()
    extra = [f"name_{language}"] if language != settings.LANGUAGE_CODE else []
    return ["slug", "name", *extra]


def _grouped(rows):
    """``(set, {alias: value}, count, budget sum, budgeted count)`` for the total (set
    ``"total"``) and each line of each breakdown, in one query. The values of a named list's
    line also hold its ``<alias>_slug``, ``<alias>_name``..."""
    groupings = _groupings()
    columns = dict(groupings.values())
    inner = rows.order_by().annotate(**columns, _budget=F("budget_usd"))
    inner = inner.values_list(*columns, "_budget")
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a search with no word to look for: nothing, no query
        return []
    connection = connections[rows.db]
    quote = connection.ops.quote_name

    def column(alias):
        return f"picked.{quote(alias)}"

    sums = (
        f"COUNT(*) AS _count, SUM({column('_budget')}) AS _sum, "
        f"COUNT({column('_budget')}) AS _budgeted"
    )
    names = list(groupings)
    if connection.vendor == "postgresql":
        # GROUPING(the column of each set): set k's rows have bit k (from the left) clear;
        # the grand total, every bit set.
        which = "GROUPING(" + ", ".join(column(alias) for alias, _ in groupings.values()) + ")"
        everything = ", ".join(f"{column(alias)} AS {quote(alias)}" for alias in columns)
        sets = ", ".join(["()", *(column(alias) for alias in columns)])
        sql = (
            f"SELECT {which} AS _set, {everything}, {sums} FROM ({sql}) AS picked "
            f"GROUP BY GROUPING SETS ({sets})"
        )
        full = (1 << len(names)) - 1
        set_names = {full: "total"} | {
            full & ~(1 << (len(names) - 1 - k)): name for k, name in enumerate(names)
        }
    else:  # one GROUP BY per breakdown over the same rows, and the total
        nulls = ", ".join(f"NULL AS {quote(alias)}" for alias in columns)
        branches = [f"SELECT -1 AS _set, {nulls}, {sums} FROM ({sql}) AS picked"]
        for k, (own, _expression) in enumerate(groupings.values()):
            chosen = ", ".join(column(alias) if alias == own else "NULL" for alias in columns)
            branches.append(
                f"SELECT {k}, {chosen}, {sums} FROM ({sql}) AS picked GROUP BY {column(own)}"
            )
        sql, params = " UNION ALL ".join(branches), tuple(params) * len(branches)
        set_names = {-1: "total"} | dict(enumerate(names))
    # The names of the regions and types, joined to the grouped lines.
    joined, joins = [], []
    for name, (model, _field) in NAMED_LISTS.items():
        alias = groupings[name][0]
        table = f"_{name}_list"
        joined += [f"{table}.{quote(c)} AS {quote(f'{alias}_{c}')}" for c in _name_columns()]
        joins.append(
            f"LEFT JOIN {quote(model._meta.db_table)} AS {table} "
            f"ON {table}.{quote('id')} = grouped.{quote(alias)}"
        )
    sql = f"SELECT grouped.*, {', '.join(joined)} FROM ({sql}) AS grouped {' '.join(joins)}"
    found = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        labels = [description[0] for description in cursor.description]
        for line in cursor.fetchall():
            values = dict(zip(labels, line, strict=True))
            found.append(
                (
                    set_names[values["_set"]],
                    values,
                    values["_count"],
                    values["_sum"],
                    values["_budgeted"],
                )
            )
    return found


NOT_STATED = _("Not stated")


CHOICES = {"status": ProjectStatus, "coverage": Coverage}
# Years between the first and the last without a project get a line of zeros, up to this span.
MAX_YEAR_SPAN = 100


def _every_year(rows):
    """The start years oldest first, a year without projects between two with them as a line
    of zeros (a gap in a column chart is a year, not nothing), "Not stated" last."""
    years = {row.key: row for row in rows if row.key.isdigit()}
    others = [row for row in rows if row.key not in years]
    if years:
        first, last = int(min(years)), int(max(years))
        if last - first <= MAX_YEAR_SPAN:
            for year in range(first, last + 1):
                key = f"{year:04d}"
                years.setdefault(key, Row(key, key, 0, Decimal(0).quantize(CENT)))
    return [years[key] for key in sorted(years)] + others


def _label(name, values):
    key = values[f"_{name}"]
    if key in (None, ""):
        return ""
    if name in ("region", "type"):
        prefix = f"_{name}_"
        named = SimpleNamespace(
            **{
                alias[len(prefix) :]: value
                for alias, value in values.items()
                if alias.startswith(prefix)
            }
        )
        return localized(named)
    if name in CHOICES:
        return str(CHOICES[name](key).label) if key in CHOICES[name].values else key
    return str(key)


def project_statistics(rows):
    """The :class:`Statistics` of ``rows`` (public projects, a FilterSet's ``qs``)."""
    stats = Statistics(breakdowns={name: [] for name, *_titles in BREAKDOWNS})
    shares = {}  # country code -> Row
    for name, values, count, budget, budgeted in _grouped(rows):
        amount = sum_amount(budget)
        if amount is None:  # a group without any budget adds nothing
            amount = Decimal(0).quantize(CENT)
        if name == "total":
            stats.count, stats.budget = count, amount
            stats.without_budget = count - budgeted
            continue
        if name == "country":
            codes = stored_country_codes(values["_country"])
            if not codes:
                stats.without_country += count
                continue
            share = budget_share(amount, codes)
            for code in codes:
                if code not in shares:  # named once: a name is a translation lookup
                    shares[code] = Row(code, str(countries.name(code)) or code)
                shares[code].count += count
                shares[code].budget += share
            continue
        key = values[f"_{name}_slug" if name in NAMED_LISTS else f"_{name}"]
        key = "" if key is None else str(key)
        stats.breakdowns[name].append(
            Row(key, _label(name, values) or str(NOT_STATED), count, amount)
        )
    for name, found in stats.breakdowns.items():
        if name == "year":  # oldest first, every year between (a column chart's scale)
            found[:] = _every_year(found)
        elif name in CHOICES:  # in the choices' order
            order = {value: n for n, value in enumerate(CHOICES[name].values)}
            found.sort(key=lambda row: order.get(row.key, len(order)))
        else:  # the largest budget first
            found.sort(
                key=lambda row: (row.key == "", -row.budget, -row.count, search_fold(row.label))
            )
    stats.breakdowns["country"] = sorted(
        shares.values(), key=lambda row: (-row.budget, -row.count, search_fold(row.label))
    )
    return stats
