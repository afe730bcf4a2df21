"""The content changelists at scale: full-text search over every item, estimated counts,
and the schedule read from its indexes (``iomcms.admin.ContentChangeListMixin``,
``iomcms.publishing.next_public_change``)."""

import datetime

import pytest
import time_machine
from django.db import connection

from iomcms.admin import EstimatedCountPaginator, planned_rows
from iomcms.publishing import PublicationStatus, next_public_change, publishable_models
from news.models import NewsItem
from tests.factories import bulk_news_items, make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
NEWS = "/admin/news/newsitem/"
NOW = datetime.datetime(2031, 5, 1, 12, 0, tzinfo=datetime.UTC)
DRAFT = PublicationStatus.DRAFT


def hours(n):
    return NOW + datetime.timedelta(hours=n)


def found(client, url, q):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


# --- Search ------------------------------------------------------------------------------------


def test_staff_search_finds_drafts_scheduled_and_expired_items(staff_client, django_user_model):
    with time_machine.travel(NOW - datetime.timedelta(days=2), tick=False):
        make_news_item(title="Floods in Piura, live")
        make_news_item(title="Floods in Piura, draft", publication_status=DRAFT)
        make_news_item(title="Floods in Piura, scheduled", go_live_at=hours(5))
        make_news_item(title="Floods in Piura, expired", expire_at=hours(-1))
        make_news_item(title="Drought in Chile")
    with time_machine.travel(NOW, tick=False):
        staff_client.force_login(django_user_model.objects.get(username="admin"))
        assert found(staff_client, NEWS, "piura") == {
            "Floods in Piura, live",
            "Floods in Piura, draft",
            "Floods in Piura, scheduled",
            "Floods in Piura, expired",
        }
        # The public search sees the live one only: the same words, another row set.
        public = staff_client.get("/search/", {"q": "piura"}).content.decode()
        assert "Floods in Piura, live" in public and "Floods in Piura, draft" not in public


def test_staff_search_has_the_public_search_syntax(staff_client):
    make_news_item(title="Displacement in Sudan", lead="Floods hit the camps")
    make_news_item(title="Camps in Chad", lead="Floods and displacement")
    make_news_item(title="Return to Sudan", lead="People go home", publication_status=DRAFT)
    assert found(staff_client, NEWS, "floods -chad") == {"Displacement in Sudan"}
    assert found(staff_client, NEWS, '"in sudan"') == {"Displacement in Sudan"}
    assert found(staff_client, NEWS, "chad or home") == {"Camps in Chad", "Return to Sudan"}
    assert found(staff_client, NEWS, "displac") == {"Displacement in Sudan", "Camps in Chad"}
    # Accents and case folded, as on the public side.
    make_news_item(title="Réfugiés à Bogotá")
    assert found(staff_client, NEWS, "REFUGIES bogota") == {"Réfugiés à Bogotá"}


@pytest.mark.parametrize(
    "q", ["", "   ", "!!!", '"', "-", "or", "a\x00b", "x" * 5000, "' OR 1=1 --", "-\"('"]
)
def test_empty_or_garbage_queries_are_not_errors(staff_client, q):
    make_news_item(title="Anything")
    for url in [NEWS, "/admin/projects/project/", "/admin/contacts/contact/"]:
        response = staff_client.get(url, {"q": q})
        assert response.status_code == 200, (url, q)
    # An empty box lists every row; a query with no letter or digit finds nothing.
    if not q.strip() or q in ["!!!", '"', "-", "-\"('"]:
        expected = 0 if q.strip() else 1
        assert len(staff_client.get(NEWS, {"q": q}).context["cl"].result_list) == expected


def test_project_and_contact_search(staff_client):
    make_project(title="Labour mobility corridor", prima_id="PX77", publication_status=DRAFT)
    make_project(title="Water points")
    projects = "/admin/projects/project/"
    titles = {p.split(" – ")[-1] for p in found(staff_client, projects, "mobility")}
    assert titles == {"Labour mobility corridor"}
    # The Prima ID is no word of the text search: found when equal to the whole query.
    assert len(found(staff_client, projects, "px77")) == 1
    make_contact(name="Marta Rojas", office="IOM Peru", is_public=False)
    make_contact(name="Other Person", office="IOM Chile")
    assert found(staff_client, "/admin/contacts/contact/", "rojas") == {"Marta Rojas (IOM Peru)"}


def test_the_contacts_autocomplete_still_completes_the_letters_typed(staff_client):
    contact = make_contact(name="Jorge Gallo")
    response = staff_client.get(
        "/admin/autocomplete/",
        {"term": "ga", "app_label": "news", "model_name": "newsitemcontact",
         "field_name": "contact"},
    )  # fmt: skip
    assert [row["id"] for row in response.json()["results"]] == [str(contact.pk)]


def test_search_query_count_does_not_grow(staff_client, django_assert_num_queries):
    bulk_news_items(3, title="Bulk floods")
    staff_client.get(NEWS, {"q": "floods"})
    # Session, user, year bounds, COUNT, page.
    with django_assert_num_queries(5):
        assert len(staff_client.get(NEWS, {"q": "floods"}).context["cl"].result_list) == 3
    bulk_news_items(60, title="Bulk floods")
    with django_assert_num_queries(5):
        response = staff_client.get(NEWS, {"q": "floods"})
    assert response.context["cl"].result_count == 63
    assert len(response.context["cl"].result_list) == 50


# --- Counts ------------------------------------------------------------------------------------


def test_changelist_has_no_full_count_and_says_so(staff_client):
    make_news_item(title="Floods")
    make_news_item(title="Drought")
    response = staff_client.get(NEWS, {"q": "floods"})
    cl = response.context["cl"]
    assert cl.result_count == 1 and cl.full_result_count is None
    assert "Show all" in response.content.decode()


def test_small_results_are_counted_exactly(staff_client):
    bulk_news_items(12)
    response = staff_client.get(NEWS)
    assert response.context["cl"].result_count == 12
    assert response.context["cl"].paginator.estimated is False


@pytest.mark.skipif(not POSTGRES, reason="the planner's estimate is PostgreSQL's")
def test_large_results_are_estimated_on_postgresql(staff_client, monkeypatch):
    bulk_news_items(40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_newsitem")
    assert 20 <= planned_rows(NewsItem.objects.all()) <= 80
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_BELOW", 10)
    response = staff_client.get(NEWS)
    cl = response.context["cl"]
    assert cl.paginator.estimated is True
    assert cl.result_count == planned_rows(NewsItem.objects.all())
    assert 'id="estimated-count"' in response.content.decode()


# --- The schedule ------------------------------------------------------------------------------


@pytest.fixture
def schedule():
    with time_machine.travel(NOW - datetime.timedelta(days=1), tick=False):
        make_news_item(title="Live")
        make_news_item(title="Past go-live", go_live_at=hours(-3), expire_at=hours(-2))
        make_news_item(title="Draft soon", publication_status=DRAFT, go_live_at=hours(1))
        make_news_item(title="Draft expiring", publication_status=DRAFT, expire_at=hours(1))
        make_news_item(title="Embargo", go_live_at=hours(4))
        make_news_item(title="Expiring", expire_at=hours(6))
        make_project(title="Project embargo", go_live_at=hours(3))
        make_project(title="Project expiring", go_live_at=hours(7), expire_at=hours(9))


def test_next_public_change_is_the_next_go_live_or_expiry_of_a_published_item(schedule):
    # Drafts' times (1 h) and past times are ignored; the project's go-live (3 h) comes first.
    assert next_public_change(NOW) == hours(3)
    assert next_public_change(hours(3)) == hours(4)  # strictly after
    assert next_public_change(hours(4)) == hours(6)  # an expiry
    assert next_public_change(hours(8)) == hours(9)
    assert next_public_change(hours(9)) is None
    with time_machine.travel(hours(5), tick=False):
        assert next_public_change() == hours(6)  # default: now


def test_next_public_change_reads_one_row_per_model_and_column(schedule):
    from django.test.utils import CaptureQueriesContext

    assert len(publishable_models()) == 2
    with CaptureQueriesContext(connection) as queries:
        next_public_change(NOW)
    assert len(queries) == 4  # news and projects, go-live and expiry
    for query in queries:
        assert query["sql"].rstrip().endswith("LIMIT 1"), query["sql"]


@pytest.mark.skipif(not POSTGRES, reason="plans are PostgreSQL's")
def test_the_schedule_queries_use_the_partial_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table: make the choice visible
        try:
            for model in publishable_models():
                published = model.objects.filter(publication_status=PublicationStatus.PUBLISHED)
                for column in ("go_live_at", "expire_at"):
                    qs = published.filter(**{f"{column}__gt": NOW}).order_by(column)
                    plan = qs.values_list(column)[:1].explain()
                    assert f"{column}_sched_idx" in plan, plan
        finally:
            cursor.execute("RESET enable_seqscan")


def test_each_row_has_its_action_checkbox(staff_client):
    item = make_news_item(title="Tom & <Jerry>")
    content = staff_client.get(NEWS).content.decode()
    assert (
        f'<input type="checkbox" name="_selected_action" value="{item.pk}" class="action-select" '
        'aria-label="Select this object for an action - Tom &amp; &lt;Jerry&gt;">'
    ) in content
    assert 'id="action-toggle"' in content  # the header's select-all box, Django's own


def test_contacts_country_filter_counts_its_facets_on_request(staff_client):
    make_contact(country="PE", office="IOM Peru")
    make_contact(country="PE", office="IOM Peru")
    make_contact(country="CL", office="IOM Chile")
    content = staff_client.get("/admin/contacts/contact/", {"_facets": "True"}).content.decode()
    assert "Peru (2)" in content and "Chile (1)" in content and "France (0)" in content
    # The news list offers no facets: a count per country would read the whole table.
    assert "_facets" not in staff_client.get(NEWS).content.decode()
