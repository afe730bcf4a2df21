import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from contacts.filters import ContactFilter
from contacts.models import Contact
from iomcms.filters import FastSelect, bind, country_condition
from iomcms.validators import MAX_YEAR, MIN_YEAR
from news.filters import NewsItemFilter
from news.models import NewsItem
from projects.filters import ProjectFilter
from projects.models import Project
from tests.factories import make_contact, make_news_item, make_project

# The project list's pinned query count with no facet's filter set (tests/projects/test_views.py).
PROJECT_LIST_QUERIES = 2 + 2


def test_fast_select_marks_selected_escapes_and_keeps_attributes():
    widget = FastSelect(choices=[("", "Any"), ("a&b", "A <&> B"), ("c", "C")])
    html = widget.render("kind", "a&b", attrs={"id": "id_kind"})
    assert html == (
        '<select name="kind" id="id_kind"><option value="">Any</option>'
        '<option value="a&amp;b" selected>A &lt;&amp;&gt; B</option>'
        '<option value="c">C</option></select>'
    )


def test_fast_select_with_no_value_selects_nothing():
    html = FastSelect(choices=[("x", "X")]).render("f", None)
    assert "selected" not in html


def test_country_filter_keeps_the_chosen_country_selected(client, db):
    response = client.get("/news/?country=CO")
    # Nothing public is about Colombia: still offered, selected, with its count.
    assert '<option value="CO" selected>Colombia (0)</option>' in response.text
    chosen = re.findall(r'<option value="([^"]+)" selected>', response.text)
    # The other dropdowns sit on their empty "Any ..." option, the language on the interface's.
    assert chosen == ["CO", "en"]


# --- One binding -------------------------------------------------------------------------------


def get(params):
    return RequestFactory().get("/", params)


def test_bind_applies_the_valid_filters_and_records_the_invalid_ones(db):
    story = make_news_item(kind="story", countries=["PE"])
    make_news_item(kind="news", countries=["PE"])
    filterset = bind(
        NewsItemFilter, get({"year": "abc", "kind": "story"}), NewsItem.objects.published()
    )
    assert list(filterset.qs) == [story]
    assert filterset.applied == {"kind": "story"}
    assert list(filterset.form.errors) == ["year"]
    assert filterset.is_filtered and not filterset.is_sorted
    assert filterset.search is None


def test_bind_without_a_query_string_leaves_the_form_unbound(db):
    filterset = bind(NewsItemFilter, get({}), NewsItem.objects.published())
    assert not filterset.is_bound and not filterset.form.errors
    assert filterset.applied == {} and filterset.selection() == []
    assert not filterset.is_filtered


def test_sort_only_reorders(db):
    request = get({"sort": "-budget", "status": "active", "q": "", "utm_source": "x"})
    filterset = bind(ProjectFilter, request, Project.objects.published())
    assert filterset.is_sorted
    assert filterset.selection() == [("status", "active")]  # what the canonical URL keeps
    only_sorted = bind(ProjectFilter, get({"sort": "title"}), Project.objects.published())
    assert only_sorted.is_sorted and not only_sorted.is_filtered


def test_a_searched_filterset_ranks_unless_the_reader_sorted(db):
    make_project(title="Water for Turkana", status="active")
    searched = bind(ProjectFilter, get({"q": "water"}), Project.objects.published())
    assert searched.search.by_relevance and searched.search.query == "water"
    sorted_ = bind(ProjectFilter, get({"q": "water", "sort": "title"}), Project.objects.all())
    assert sorted_.search.by_relevance is False
    # The search counts the rows the other filters kept.
    narrowed = bind(
        ProjectFilter, get({"q": "water", "status": "completed"}), Project.objects.published()
    )
    assert narrowed.search.count == 0


# --- Country -----------------------------------------------------------------------------------


def test_country_is_exact_on_a_single_field():
    assert country_condition(Contact, "country", "EC").children == [("country", "EC")]


@pytest.mark.django_db
def test_country_is_a_whole_code_among_the_codes_of_a_multiple_field():
    first = make_news_item(countries=["CO", "EC"])
    middle = make_news_item(countries=["AR", "CO", "PE"])
    last = make_news_item(countries=["EC", "CO"])
    neighbours = make_news_item()
    # Stored by SQL: strings holding "CO" in longer, comma-joined elements.
    NewsItem.objects.filter(pk=neighbours.pk).update(countries="XCO,COL,C,O")
    make_news_item(countries=["CD", "OM"])

    def matching(code):
        rows = NewsItem.objects.filter(country_condition(NewsItem, "countries", code))
        return set(rows.values_list("pk", flat=True))

    assert matching("CO") == {first.pk, middle.pk, last.pk}
    assert matching("PE") == {middle.pk}
    assert matching("C") == {neighbours.pk}
    assert matching("OL") == set()
    assert set(
        NewsItem.objects.exclude(country_condition(NewsItem, "countries", "CO")).values_list(
            "pk", flat=True
        )
    ) == set(NewsItem.objects.values_list("pk", flat=True)) - {first.pk, middle.pk, last.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "make"),
    [("/news/", lambda code: make_news_item(countries=[code])),
     ("/projects/", lambda code: make_project(benefiting_states=[code])),
     ("/contacts/", lambda code: make_contact(country=code))],
)  # fmt: skip
def test_a_lower_case_country_code_is_accepted(client, url, make):
    colombia, _ = make("CO"), make("EC")
    response = client.get(url, {"country": "co"})
    assert response.status_code == 200
    assert "ignored" not in response.text
    assert list(response.context["object_list"]) == [colombia]
    assert re.findall(r'<option value="([A-Z]{2})" selected>', response.text) == ["CO"]
    assert f'<link rel="canonical" href="http://testserver{url}?country=CO">' in response.text


def test_a_lower_case_country_code_in_a_feed(client, db):
    make_news_item(countries=["CO"])
    response = client.get("/news/feed/rss/", {"country": " co "})
    assert "news about Colombia" in response.text
    assert "http://testserver/news/?country=CO" in response.text


# --- Years -------------------------------------------------------------------------------------


def test_year_bounds_come_from_the_model():
    year = Project._meta.get_field("year")
    assert [v.limit_value for v in year.validators] == [MIN_YEAR, MAX_YEAR]
    projects = ProjectFilter().form.fields["year"]
    news = NewsItemFilter().form.fields["year"]  # a date field: the plausible years
    assert (projects.min_value, projects.max_value) == (MIN_YEAR, MAX_YEAR)
    assert (news.min_value, news.max_value) == (MIN_YEAR, MAX_YEAR)


def test_a_project_year_out_of_bounds_is_a_field_error(db):
    project = make_project()
    project.year = MIN_YEAR - 1
    with pytest.raises(ValidationError) as raised:
        project.full_clean()
    assert "year" in raised.value.message_dict


# --- Budget range ------------------------------------------------------------------------------


def test_an_inverted_budget_range_is_reported_and_not_used(client, db, django_assert_num_queries):
    from decimal import Decimal

    small = make_project(budget_usd=Decimal("500"))
    large = make_project(budget_usd=Decimal("200000"))
    with django_assert_num_queries(PROJECT_LIST_QUERIES):
        response = client.get("/projects/", {"budget_min": "100000", "budget_max": "1000"})
    assert response.status_code == 200
    assert set(response.context["object_list"]) == {small, large}
    assert "Some filters could not be used and were ignored" in response.text
    assert "the budget range was not used" in response.text
    assert 'value="100000"' in response.text and 'value="1000"' in response.text  # shown back
    assert '<link rel="canonical" href="http://testserver/projects/">' in response.text
    # A range in the right order still applies; equal bounds are a range of one value.
    ordered = client.get("/projects/", {"budget_min": "1000", "budget_max": "100000"})
    assert list(ordered.context["object_list"]) == [] and "ignored" not in ordered.text
    exact = client.get("/projects/", {"budget_min": "500", "budget_max": "500"})
    assert list(exact.context["object_list"]) == [small]


def test_contact_filter_uses_the_shared_country_filter():
    from iomcms.filters import CountryFilter

    assert isinstance(ContactFilter.base_filters["country"], CountryFilter)


def test_fast_select_escapes_once_and_marks_only_the_chosen_option():
    from iomcms.filters import FastSelect

    widget = FastSelect(choices=[("", "Any"), ("a&b", 'Tom & "Jerry" <b>'), ("c", "C")])
    html = widget.render("kind", "a&b")
    assert '<option value="a&amp;b" selected>Tom &amp; &quot;Jerry&quot; &lt;b&gt;</option>' in html
    assert '<option value="c">C</option>' in html and html.count(" selected") == 1
    again = widget.render("kind", "c")  # the options are cached; the selection is not
    assert '<option value="c" selected>' in again and '"a&amp;b" selected' not in again


def test_choice_labels_follow_the_active_language():
    from django.utils import translation

    from news.models import NewsItem

    item = NewsItem(kind="press-release")
    assert item.get_kind_display() == "Press release"
    with translation.override("fr"):
        # Whatever the catalogue says, the label is looked up now, not when first cached.
        assert item.get_kind_display() == str(NewsItem._meta.get_field("kind").flatchoices[0][1])
    assert NewsItem(kind="unknown-kind").get_kind_display() == "unknown-kind"


# --- The filter disclosure ("Filter (2 active)", templates/includes/filter_form.html) ----------


def summary(response):
    """The disclosure's <details> tag and its summary text."""
    found = re.search(
        r'(<details class="filter-disclosure"[^>]*>)\s*<summary>([^<]*)</summary>', response.text
    )
    assert found, "no filter disclosure"
    return found.group(1), found.group(2)


def test_active_count_leaves_out_sort_and_a_language_at_its_default(db):
    def count(params, filterset_class=NewsItemFilter, model=NewsItem):
        return bind(filterset_class, get(params), model.objects.published()).active_count

    assert count({}) == 0
    assert count({"country": "KE", "year": "2019", "lang": "en", "kind": "", "q": ""}) == 2
    assert count({"lang": "fr"}) == 1 and count({"lang": "all"}) == 1
    assert count({"year": "abc"}) == 0  # ignored, so not active
    assert count({"sort": "-budget", "status": "active"}, ProjectFilter, Project) == 1


def test_the_disclosure_counts_the_active_filters(client, db, django_assert_num_queries):
    make_news_item(countries=["KE"], published_on=datetime.date(2019, 5, 1))
    # COUNT and the page; the facets: country, year and lang each leave out their own filter,
    # kind counts the selection. Counting the active filters reads no row.
    with django_assert_num_queries(2 + 4):
        response = client.get("/news/?q=&country=KE&year=2019&kind=&lang=en")
    assert summary(response) == ('<details class="filter-disclosure">', "Filter (2 active)")
    assert summary(client.get("/news/?country=KE")) == (
        '<details class="filter-disclosure">',
        "Filter (1 active)",
    )
    # Nothing chosen (or only an order): the word alone.
    assert summary(client.get("/news/"))[1] == "Filter"
    assert summary(client.get("/projects/?sort=-budget"))[1] == "Filter"
    assert summary(client.get("/contacts/?country=KE"))[1] == "Filter (1 active)"


def test_the_disclosure_is_open_when_a_filter_was_ignored(client, db):
    # The reader must see why: the errors are inside the disclosure.
    details, text = summary(client.get("/news/?year=abc"))
    assert details == '<details class="filter-disclosure" open>' and text == "Filter"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/fr/news/?country=KE", "Filtrer (1 actif)"),
        ("/fr/news/?country=KE&year=2019", "Filtrer (2 actifs)"),
        ("/fr/projects/", "Filtrer"),
        ("/es/news/?country=KE", "Filtrar (1 activo)"),
        ("/es/projects/?status=active&year=2020", "Filtrar (2 activos)"),
    ],
)
def test_the_disclosure_in_french_and_spanish(client, db, path, expected):
    assert summary(client.get(path))[1] == expected
