"""Published projects as IATI activities: the IATI Activity Standard 2.03 ``iati-activities``
document of ``/projects/iati.xml`` and ``/projects/<slug>/iati.xml``.

One ``iati-activity`` per project, built with lxml and written with its incremental writer
(``etree.xmlfile``): :func:`write_activities` yields the document in chunks of about
``CHUNK_BYTES`` while the rows arrive from a database cursor, so memory stays flat however
many projects are exported. The mapping of each field to the IATI elements and codelists, and
what the CMS does not hold (sectors, funders, transactions...), is in docs/iati.md; the tests
validate every document against the 2.03 schema (tests/projects/iati_schema/).
"""

import calendar
import copy
import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from lxml import etree

from iomcms.languages import language_codes
from iomcms.search.folding import html_to_text

from .fields import PARTIAL_DATE_RE
from .models import Coverage, Project, ProjectStatus

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CURRENCY = "USD"
CHUNK_BYTES = 64 * 1024

# The columns an activity reads (the list's queryset defers the description; this one needs it).
ACTIVITY_FIELDS = (
    "title",
    "slug",
    "language",
    "project_code",
    "prima_id",
    "status",
    "start",
    "end",
    "year",
    "budget_usd",
    "coverage",
    "region__slug",
    "benefiting_states",
    "summary",
    "description",
    "updated",
    "go_live_at",
)

# Codelist ActivityStatus.
ACTIVITY_STATUS = {
    ProjectStatus.PIPELINE: "1",  # Pipeline/identification
    ProjectStatus.ACTIVE: "2",  # Implementation
    ProjectStatus.COMPLETED: "4",  # Closed
    ProjectStatus.CANCELLED: "5",  # Cancelled
    ProjectStatus.SUSPENDED: "6",  # Suspended
}
STARTED = {"2", "3", "4", "6"}  # statuses whose start, once past, is the actual start
CLOSED = "4"

# Codelist ActivityDateType.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"

# Codelist ActivityScope.
SCOPE = {Coverage.GLOBAL: "1", Coverage.REGIONAL: "2", Coverage.NATIONAL: "4"}
MULTI_NATIONAL = "3"

# Codelist Region, vocabulary 1 (OECD DAC), for the IOM regions the projects name (by slug).
# A region not listed here is left out (the activity keeps its countries and scope).
REGION_VOCABULARY = "1"
REGION_CODES = {
    "asia-and-the-pacific": "798",  # Asia, regional
    "central-and-north-america-and-the-caribbean": "389",  # North & Central America, regional
    "east-and-horn-of-africa": "289",  # South of Sahara, regional
    "european-economic-area": "89",  # Europe, regional
    "latin-america-and-the-caribbean": "498",  # America, regional
    "middle-east-and-north-africa": "589",  # Middle East, regional
    "south-america": "489",  # South America, regional
    "south-eastern-europe-eastern-europe-and-central-asia": "89",  # Europe, regional
    "southern-africa": "289",  # South of Sahara, regional
    "west-and-central-africa": "289",  # South of Sahara, regional
}
GLOBAL_REGION = "998"  # Developing countries, unspecified

# Codelists OrganisationRole, BudgetType, BudgetStatus, DocumentCategory.
IMPLEMENTING = "4"
ORIGINAL_BUDGET, INDICATIVE = "1", "1"
ACTIVITY_WEB_PAGE = "A12"

# Characters XML 1.0 cannot hold (lxml refuses them); an imported text or a query string may.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What an iati-identifier may not hold (IATI rule: no spaces, "/", "&", "|", "?").
_NOT_IN_IDENTIFIER = re.compile(r"[^A-Za-z0-9._:-]+")


def xml_text(value):
    return _XML_UNSAFE.sub("", str(value or ""))


def comment_text(value):
    """``value`` as the text of an XML comment (which may not hold ``--`` or end with ``-``)."""
    return " " + re.sub(r"-(?=-)", "- ", xml_text(value)).strip() + " "


# -- Fields ----------------------------------------------------------------------------------


def iati_identifier(project):
    """The organisation's reference, "-", the project code with anything an identifier may not
    hold replaced by "-" (``XM-DAC-47066-CE.0373``); the slug for a project without a code."""
    own = _NOT_IN_IDENTIFIER.sub("-", project.project_code or project.slug).strip("-")
    return f"{settings.IATI_REPORTING_ORG_REF}-{own}"


def activity_status(project, today):
    """The ActivityStatus code: the project's status; without one, what its dates say."""
    if project.status in ACTIVITY_STATUS:
        return ACTIVITY_STATUS[project.status]
    start, end = period(project)
    if end is not None and end < today:
        return CLOSED
    if start is not None and start <= today:
        return ACTIVITY_STATUS[ProjectStatus.ACTIVE]
    return ACTIVITY_STATUS[ProjectStatus.PIPELINE]


def first_day(partial):
    """The first day of a partial date ("2017" -> 2017-01-01), or None."""
    match = PARTIAL_DATE_RE.match(partial or "")
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        return datetime.date(year, month or 1, day or 1)
    except ValueError:  # "2017-02-30": the field's validator refuses it; a raw write may not
        return None


def last_day(partial):
    """The last day of a partial date ("2017" -> 2017-12-31, "2017-02" -> 2017-02-28)."""
    match = PARTIAL_DATE_RE.match(partial or "")
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    month = month or 12
    try:
        return datetime.date(year, month, day or calendar.monthrange(year, month)[1])
    except (ValueError, calendar.IllegalMonthError):  # not a real date (see first_day)
        return None


def period(project):
    """(start, end) as dates, either None: the start's first day (else the funding year's),
    the end's last day."""
    start = first_day(project.start) or (
        datetime.date(project.year, 1, 1) if project.year else None
    )
    return start, last_day(project.end)


def activity_dates(project, status, today):
    """[(ActivityDateType, date)]: a start actual when the status says the work began and the
    day is past, else planned; an end actual when the activity is closed and the day is past."""
    start, end = period(project)
    dates = []
    if start is not None:
        actual = status in STARTED and start <= today
        dates.append((ACTUAL_START if actual else PLANNED_START, start))
    if end is not None:
        actual = status == CLOSED and end <= today
        dates.append((ACTUAL_END if actual else PLANNED_END, end))
    return dates


def cents_to_amount(cents):
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def split_evenly(total, parts):
    """``parts`` Decimals with two places that add up to ``total`` exactly (the first ones get
    the leftover hundredths): 100 in three is 33.34, 33.33, 33.33."""
    cents = int((Decimal(total) * 100).to_integral_value(ROUND_HALF_UP))
    share, extra = divmod(cents, parts)
    return [cents_to_amount(share + (1 if n < extra else 0)) for n in range(parts)]


def country_percentages(codes):
    return list(zip(codes, split_evenly(100, len(codes)), strict=True))


def budget_periods(project):
    """[(period start, period end, value)]: the budget over the project's period, cut into
    consecutive periods of at most one year (IATI's rule for budgets) with the value shared
    pro rata by days, to the cent, the last period taking what rounding left. No budget, or
    no date to place it, gives none. A period with a start but no end is the start's year."""
    if project.budget_usd is None:
        return []
    start, end = period(project)
    if start is None:
        return []
    if end is None or end < start:
        end = datetime.date(start.year, 12, 31)
    periods = []
    begin = start
    while begin <= end:
        try:
            stop = begin.replace(year=begin.year + 1) - datetime.timedelta(days=1)
        except ValueError:  # 29 February
            stop = begin.replace(year=begin.year + 1, day=28)
        stop = min(stop, end)
        periods.append((begin, stop))
        begin = stop + datetime.timedelta(days=1)
    days = (end - start).days + 1
    cents = int((project.budget_usd * 100).to_integral_value(ROUND_HALF_UP))
    rows, given = [], 0
    for n, (begin, stop) in enumerate(periods):
        if n == len(periods) - 1:
            share = cents - given
        else:
            share = cents * ((stop - begin).days + 1) // days
        given += share
        rows.append((begin, stop, cents_to_amount(share)))
    return rows


# -- Elements --------------------------------------------------------------------------------


def _narrative(parent, text, language):
    element = etree.SubElement(parent, "narrative")
    element.set(XML_LANG, language)
    element.text = xml_text(text)
    return element


def organisation_names():
    """[(language, name)]: the organisation's name in each content language (once)."""
    names = []
    for code in language_codes():
        with translation.override(code):
            name = gettext(settings.ORGANIZATION_NAME)
        if code == settings.LANGUAGE_CODE or name != settings.ORGANIZATION_NAME:
            names.append((code, name))
    return names


class ActivityWriter:
    """Builds the ``iati-activity`` element of a project; ``site`` is the site's absolute root
    ("https://example.org"), for the project page's address."""

    # A slug no project has, to learn each language's project address once.
    _SLUG = "iati-slug-placeholder"

    def __init__(self, site, now=None):
        self.site = site.rstrip("/")
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        ref, kind = settings.IATI_REPORTING_ORG_REF, settings.IATI_REPORTING_ORG_TYPE
        names = organisation_names()
        # Built once, copied into each activity (copying is a C call; building is not).
        self.reporting_org = self._organisation("reporting-org", names, ref=ref, type=kind)
        self.participating_org = self._organisation(
            "participating-org", names, ref=ref, type=kind, role=IMPLEMENTING
        )
        self._addresses = {}

    @staticmethod
    def _organisation(tag, names, **attributes):
        element = etree.Element(tag, attributes)
        for language, name in names:
            _narrative(element, name, language)
        return element

    def address(self, project):
        """The project page's absolute URL: ``get_absolute_url()`` asked once per language
        (reversing a URL under a language costs more than the rest of an activity)."""
        if project.language not in self._addresses:
            path = Project(language=project.language, slug=self._SLUG).get_absolute_url()
            self._addresses[project.language] = self.site + path
        return self._addresses[project.language].replace(self._SLUG, project.slug)

    def activity(self, project):
        """The element, or None for a project with no date at all (IATI requires one)."""
        status = activity_status(project, self.today)
        dates = activity_dates(project, status, self.today)
        if not dates:
            return None
        language = project.language
        activity = etree.Element(
            "iati-activity",
            {
                "last-updated-datetime": project.last_public_change().isoformat(timespec="seconds"),
                XML_LANG: language,
                "default-currency": CURRENCY,
            },
        )
        etree.SubElement(activity, "iati-identifier").text = iati_identifier(project)
        activity.append(copy.deepcopy(self.reporting_org))
        _narrative(etree.SubElement(activity, "title"), project.title, language)
        description = etree.SubElement(activity, "description", type="1")  # General
        text = html_to_text(project.description) or project.summary or project.title
        _narrative(description, text, language)
        activity.append(copy.deepcopy(self.participating_org))
        if project.prima_id:
            # A1: the reporting organisation's own identifier of the activity.
            etree.SubElement(activity, "other-identifier", ref=project.prima_id, type="A1")
        etree.SubElement(activity, "activity-status", code=status)
        for kind, day in dates:
            etree.SubElement(activity, "activity-date", type=kind, **{"iso-date": day.isoformat()})
        countries = [country.code for country in project.benefiting_states]
        scope = SCOPE.get(project.coverage)
        if scope == SCOPE[Coverage.NATIONAL] and len(countries) > 1:
            scope = MULTI_NATIONAL
        if scope:
            etree.SubElement(activity, "activity-scope", code=scope)
        if countries:
            for code, share in country_percentages(countries):
                etree.SubElement(activity, "recipient-country", code=code, percentage=str(share))
        else:
            region = self.region_code(project)
            if region:
                etree.SubElement(
                    activity,
                    "recipient-region",
                    code=region,
                    vocabulary=REGION_VOCABULARY,
                    percentage="100",
                )
        for begin, stop, value in budget_periods(project):
            budget = etree.SubElement(activity, "budget", type=ORIGINAL_BUDGET, status=INDICATIVE)
            etree.SubElement(budget, "period-start", {"iso-date": begin.isoformat()})
            etree.SubElement(budget, "period-end", {"iso-date": stop.isoformat()})
            amount = etree.SubElement(
                budget, "value", currency=CURRENCY, **{"value-date": begin.isoformat()}
            )
            amount.text = str(value)
        link = etree.SubElement(
            activity,
            "document-link",
            url=self.address(project),
            format="text/html",
        )
        _narrative(etree.SubElement(link, "title"), project.title, language)
        etree.SubElement(link, "category", code=ACTIVITY_WEB_PAGE)
        etree.SubElement(link, "language", code=language)
        return activity

    @staticmethod
    def region_code(project):
        """The DAC region of a project without countries: its IOM region's when the coverage
        is regional, "developing countries, unspecified" when it is global."""
        if project.coverage == Coverage.GLOBAL:
            return GLOBAL_REGION
        if project.coverage == Coverage.REGIONAL and project.region_id:
            return REGION_CODES.get(project.region.slug)
        return None


def write_activities(projects, *, site, comments=(), now=None):
    """The ``iati-activities`` document of ``projects`` (an iterable: a queryset's
    ``iterator()``), as chunks of bytes. ``comments`` go first, as XML comments (what was
    ignored in the request); projects left out (no date) are counted in a closing comment."""
    writer = ActivityWriter(site, now=now)
    buffer = io.BytesIO()

    def drain():
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return data

    left_out = 0
    with etree.xmlfile(buffer, encoding="utf-8") as document:
        document.write_declaration()
        for comment in comments:
            document.write(etree.Comment(comment_text(comment)))
        root = {
            "version": IATI_VERSION,
            "generated-datetime": writer.now.isoformat(timespec="seconds"),
        }
        with document.element("iati-activities", root):
            for project in projects:
                activity = writer.activity(project)
                if activity is None:
                    left_out += 1
                    continue
                document.write("\n", activity)
                document.flush()
                if buffer.tell() >= CHUNK_BYTES:
                    yield drain()
            if left_out:
                note = ngettext(
                    "%(count)s project was left out: it has no start, end or year to give "
                    "the activity-date IATI requires.",
                    "%(count)s projects were left out: they have no start, end or year to give "
                    "the activity-date IATI requires.",
                    left_out,
                ) % {"count": left_out}
                document.write("\n", etree.Comment(comment_text(note)))
            document.write("\n")
    yield drain() + b"\n"
