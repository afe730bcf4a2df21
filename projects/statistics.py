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

from iomcms.languages import interface_language, localized
from iomcms.search.folding import search_fold

from .models import Coverage, ProjectStatus

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


def _amount(value):
    """A SUM as the database gives it (Decimal on PostgreSQL, int or float on SQLite)."""
    if value is None:
        return Decimal(0).quantize(CENT)
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _name_paths(relation):
    """The columns that name a region or type in the reader's language (its ``localized``)."""
    names = {"name": F(f"{relation}__name")}
    language = interface_language()
    if language != settings.LANGUAGE_CODE:
        names[f"name_{language}"] = F(f"{relation}__name_{language}")
    return names


def _groupings():
    """``{breakdown: {alias: expression}}``; the first alias of each is its key."""
    return {
        "region": {"_region": F("region__slug")}
        | {f"_region_{k}": v for k, v in _name_paths("region").items()},
        "year": {"_year": Substr("start", 1, 4)},
        "type": {"_type": F("project_type__slug")}
        | {f"_type_{k}": v for k, v in _name_paths("project_type").items()},
        "status": {"_status": F("status")},
        "coverage": {"_coverage": F("coverage")},
        "country": {"_country": F("benefiting_states")},
    }


def _grouped(rows):
    """``("total" or breakdown, values, count, budget sum, budgeted count)`` rows: one query."""
    groupings = _groupings()
    columns = {alias: expr for aliases in groupings.values() for alias, expr in aliases.items()}
    inner = rows.order_by().annotate(**columns, _budget=F("budget_usd"))
    inner = inner.values_list(*columns, "_budget")
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a search with no word to look for: nothing, no query
        return []
    connection = connections[rows.db]

    def column(alias):
        return f"picked.{connection.ops.quote_name(alias)}"

    sums = f"COUNT(*), SUM({column('_budget')}), COUNT({column('_budget')})"
    names = list(groupings)
    found = []
    if connection.vendor == "postgresql":
        # GROUPING(the first column of each set): set k's rows have bit k (from the left)
        # clear; the grand total, every bit set.
        firsts = [next(iter(groupings[name])) for name in names]
        which = "GROUPING(" + ", ".join(column(alias) for alias in firsts) + ")"
        sets = ["()"] + [
            "(" + ", ".join(column(alias) for alias in groupings[name]) + ")" for name in names
        ]
        everything = ", ".join(column(alias) for alias in columns)
        sql = (
            f"SELECT {which}, {everything}, {sums} FROM ({sql}) AS picked "
            f"GROUP BY GROUPING SETS ({', '.join(sets)})"
        )
        full = (1 << len(names)) - 1
        by_bits = {full: "total"} | {
            full & ~(1 << (len(names) - 1 - k)): name for k, name in enumerate(names)
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for bits, *values, count, budget, budgeted in cursor.fetchall():
                found.append(
                    (
                        by_bits[bits],
                        dict(zip(columns, values, strict=True)),
                        count,
                        budget,
                        budgeted,
                    )
                )
        return found
    branches = [
        f"SELECT 'total', {', '.join('NULL' for _ in columns)}, {sums} FROM ({sql}) AS picked"
    ]
    for name in names:
        chosen = ", ".join(
            column(alias) if alias in groupings[name] else "NULL" for alias in columns
        )
        grouped = ", ".join(column(alias) for alias in groupings[name])
        branches.append(
            f"SELECT '{name}', {chosen}, {sums} FROM ({sql}) AS picked GROUP BY {grouped}"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), tuple(params) * len(branches))
        for name, *values, count, budget, budgeted in cursor.fetchall():
            found.append((name, dict(zip(columns, values, strict=True)), count, budget, budgeted))
    return found


NOT_STATED = _("Not stated")


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
    if name == "status":
        return str(ProjectStatus(key).label) if key in ProjectStatus.values else key
    if name == "coverage":
        return str(Coverage(key).label) if key in Coverage.values else key
    return str(key)


def project_statistics(rows):
    """The :class:`Statistics` of ``rows`` (public projects, a FilterSet's ``qs``)."""
    stats = Statistics(breakdowns={name: [] for name, *_titles in BREAKDOWNS})
    shares = {}  # country code -> Row
    for name, values, count, budget, budgeted in _grouped(rows):
        amount = _amount(budget)
        if name == "total":
            stats.count, stats.budget = count, amount
            stats.without_budget = count - budgeted
            continue
        if name == "country":
            codes = [code for code in str(values["_country"] or "").split(",") if code]
            if not codes:
                stats.without_country += count
                continue
            for code in codes:
                row = shares.setdefault(code, Row(code, str(countries.name(code)) or code))
                row.count += count
                row.budget += budget_share(amount, codes)
            continue
        key = values[f"_{name}"]
        key = "" if key is None else str(key)
        stats.breakdowns[name].append(
            Row(key, _label(name, values) or str(NOT_STATED), count, amount)
        )
    for name, found in stats.breakdowns.items():
        if name == "year":
            found.sort(key=lambda row: (row.key == "", row.key))
        elif name == "status":
            order = list(ProjectStatus.values)
            found.sort(
                key=lambda row: (
                    row.key not in order,
                    order.index(row.key) if row.key in order else 0,
                )
            )
        elif name == "coverage":
            order = list(Coverage.values)
            found.sort(
                key=lambda row: (
                    row.key not in order,
                    order.index(row.key) if row.key in order else 0,
                )
            )
        else:
            found.sort(
                key=lambda row: (row.key == "", -row.budget, -row.count, search_fold(row.label))
            )
    stats.breakdowns["country"] = sorted(
        shares.values(), key=lambda row: (-row.budget, -row.count, search_fold(row.label))
    )
    return stats
