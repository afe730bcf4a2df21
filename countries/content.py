"""What a country's page shows, read from the public rows only.

A country (an ISO 3166-1 alpha-2 code) has a page when the public can see something about it:
a news item naming it in ``countries``, a project with it among its ``benefiting_states``, or
a press contact of an office there (``Contact.country``). Every read starts from
``Model.objects.published()`` (iomcms/publishing.py, contacts.models.ContactQuerySet): drafts,
scheduled, expired and trashed rows are never shown or counted.

The news and projects shown, and the totals, are those in the interface's language, as the
lists (``/news/?country=ML``, ``/projects/?country=ML``) show them by default
(``iomcms.filters.LanguageFilter``): the page's numbers are the numbers the lists it links to
give. Items in the other languages are counted too, so the page can say where they are.

Budgets: a project benefiting several countries shares its budget **evenly** among them, and
the page counts this country's share (the page says so): the rule of the statistics page
(``projects.statistics.budget_share``, issue 17), so a country's total here is its total
there.

Cost, whatever the number of rows: one GROUP BY per model for the counts and totals, one
limited query for the newest news and one for the projects (active first), one for the
contacts; no query at all for an unknown code.
"""

from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django_countries import countries
from django_countries.fields import Country

from contacts.models import Contact
from iomcms.filters import chosen_language, country_condition, stored_country_codes
from iomcms.pagecache import remember
from news.models import NewsItem
from projects.models import Project, ProjectStatus
from projects.statistics import budget_share, project_statistics, sum_amount

NEWS_SHOWN = 10
PROJECTS_SHOWN = 10
CONTACTS_SHOWN = 20


def canonical_code(iso):
    """The canonical (lower-case alpha-2) form of ``iso`` as written in an address, or
    ``None`` for a code that names no country. An alpha-2 code in any case or an alpha-3
    code (``MLI``) is known; digits (numeric codes) are not taken as addresses."""
    text = (iso or "").strip()
    if not text.isascii() or not text.isalpha() or len(text) not in (2, 3):
        return None
    code = countries.alpha2(text.upper())
    return code.lower() if code else None


def news_rows(code):
    return NewsItem.objects.published().filter(country_condition(NewsItem, "countries", code))


def project_rows(code):
    return Project.objects.published().filter(country_condition(Project, "benefiting_states", code))


def contact_rows(code):
    return Contact.objects.published().filter(country=code)


def news_counts(code):
    """``{language: number}`` of the public news items naming the country (one query)."""
    rows = news_rows(code).order_by().values_list("language").annotate(count=Count("pk"))
    return dict(rows)


def project_totals(code):
    """``{language: {"count", "active", "budget", "with_budget"}}`` of the public projects
    benefiting the country: how many, how many active, the country's share of their budgets
    (:func:`budget_share` of each set of benefiting countries, as the statistics page shares
    them) and how many have a budget; ``budget`` is ``None`` when none has one.

    One query: grouped by language and the stored list of countries ("ML,SN": a few dozen
    combinations for one country), each group's sum shared among its countries here, as the
    statistics page does."""
    groups = (
        project_rows(code)
        .order_by()
        .values("language", "benefiting_states")
        .annotate(
            count=Count("pk"),
            active=Count("pk", filter=Q(status=ProjectStatus.ACTIVE)),
            budget=Sum("budget_usd"),
            with_budget=Count("budget_usd"),
        )
    )
    totals = {}
    for group in groups:
        row = totals.setdefault(
            group["language"], {"count": 0, "active": 0, "budget": None, "with_budget": 0}
        )
        row["count"] += group["count"]
        row["active"] += group["active"]
        row["with_budget"] += group["with_budget"]
        amount = sum_amount(group["budget"])
        if amount is not None:
            codes = stored_country_codes(group["benefiting_states"])
            row["budget"] = (row["budget"] or Decimal(0)) + budget_share(amount, codes)
    return totals


def latest_news(code, language, limit=NEWS_SHOWN):
    """The newest public news items naming the country, in ``language`` (the lists' order)."""
    return list(news_rows(code).filter(language=language).for_list()[:limit])


def projects_active_first(code, language, limit=PROJECTS_SHOWN):
    """Public projects benefiting the country in ``language``: the active ones first, then
    the others, each part in the list's order (newest funding year, then title)."""
    rows = project_rows(code).filter(language=language).for_list()
    rank = Case(
        When(status=ProjectStatus.ACTIVE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = rows.annotate(active_rank=rank).order_by("active_rank", "-year", "title", "pk")
    return list(rows[:limit])


def press_contacts(code, limit=CONTACTS_SHOWN):
    """Up to ``limit`` + 1 public press contacts of offices in the country (the extra one
    tells that there are more), in the directory's order."""
    return list(contact_rows(code)[: limit + 1])


class CountryPage:
    """Everything the page of ``code`` (upper-case alpha-2) shows, for readers of ``language``
    (default: the interface's). ``exists`` is False when the public can see nothing about
    the country (the page is then a 404, after three queries and no more)."""

    def __init__(self, code, language=None):
        self.code = code
        self.country = Country(code)
        self.language = language or chosen_language("")
        self.news_by_language = news_counts(code)
        self.projects_by_language = project_totals(code)
        contacts = press_contacts(code)
        self.contacts = contacts[:CONTACTS_SHOWN]
        self.more_contacts = len(contacts) > CONTACTS_SHOWN
        self.exists = bool(self.news_by_language or self.projects_by_language or contacts)
        self.news = []
        self.projects = []
        # The projects in the page's language by start year (the statistics page's rows):
        # the page's small chart. One query, when there are projects.
        self.years = []
        if self.news_count:
            self.news = latest_news(code, self.language)
        if self.project_count:
            self.projects = projects_active_first(code, self.language)
            rows = project_rows(code).filter(language=self.language)
            self.years = project_statistics(rows).breakdowns["year"]

    @property
    def news_count(self):
        return self.news_by_language.get(self.language, 0)

    @property
    def news_elsewhere(self):
        """Public news about the country in the other languages."""
        return sum(self.news_by_language.values()) - self.news_count

    @property
    def totals(self):
        empty = {"count": 0, "active": 0, "budget": None, "with_budget": 0}
        return self.projects_by_language.get(self.language, empty)

    @property
    def project_count(self):
        return self.totals["count"]

    @property
    def projects_elsewhere(self):
        every = sum(row["count"] for row in self.projects_by_language.values())
        return every - self.project_count

    @property
    def projects_without_budget(self):
        return self.totals["count"] - self.totals["with_budget"]


def _codes(values):
    """The country codes in ``values`` (``stored_country_codes``), each once."""
    return {code for value in values for code in stored_country_codes(value)}


def public_country_codes():
    """The codes (upper case, sorted) of every country with a page: one query, a UNION of
    the distinct stored values of the three fields over the public rows (a few hundred
    combinations such as "CO,EC", split here), kept in the page cache's store by its rules
    (:func:`iomcms.pagecache.remember`: any public change or the next go-live or expiry ends
    it)."""

    def compute():
        news = NewsItem.objects.published().order_by().values_list("countries")
        projects = Project.objects.published().order_by().values_list("benefiting_states")
        contacts = Contact.objects.published().order_by().values_list("country")
        rows = news.union(projects, contacts).order_by()  # not the news ordering
        codes = _codes(value for (value,) in rows)
        # A code no country has (an old import's) has no page: not listed.
        return sorted(code for code in codes if countries.alpha2(code) == code)

    return remember("countries:public-codes", compute)
