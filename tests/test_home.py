import datetime
import sys

import pytest

from iomcms.publishing import PublicationStatus
from tests.factories import make_contact, make_news_item, make_project

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT

# Pinned: the latest news + the home page projects (type and region joined). Same on SQLite
# and PostgreSQL.
HOME_QUERIES = 2


def test_empty_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "No news has been published yet." in content
    assert "No projects have been published yet." in content


def test_home_shows_the_six_latest_published_news_items(client):
    items = [
        make_news_item(title=f"Story {day}", published_on=datetime.date(2020, 1, day))
        for day in range(1, 9)
    ]
    make_news_item(title="Draft story", published_on=datetime.date(2030, 1, 1),
                   publication_status=DRAFT)  # fmt: skip
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["latest_news"] == items[:1:-1]
    content = response.content.decode()
    assert "Story 8" in content and "Story 3" in content
    assert "Story 2" not in content
    assert "Draft story" not in content


def test_home_shows_published_projects_featured_first(client):
    old_featured = make_project(title="Old featured", year=2005, featured=True)
    newest = make_project(title="Newest", year=2022)
    make_project(title="Draft featured", year=2023, featured=True, publication_status=DRAFT)
    middle_b = make_project(title="Middle B", year=2015)
    middle_a = make_project(title="Middle A", year=2015)
    make_project(title="Oldest", year=2001)
    response = client.get("/")
    assert response.context["projects"] == [old_featured, newest, middle_a, middle_b]
    content = response.content.decode()
    assert "Old featured" in content and "Middle B" in content
    assert "Draft featured" not in content
    assert "Oldest" not in content


@pytest.mark.parametrize("rows_count", [1, 25])
def test_home_query_count_is_constant(client, django_assert_num_queries, rows_count):
    contacts = [make_contact(), make_contact()]
    for _ in range(rows_count):
        make_news_item(contacts=contacts, countries=["CO", "EC"])
        make_project()
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert len(response.context["latest_news"]) == min(rows_count, 6)
    assert len(response.context["projects"]) == min(rows_count, 4)


def test_home_and_search_belong_to_the_pages_app():
    import ast
    from pathlib import Path

    from django.urls import resolve

    import iomcms.views

    assert resolve("/").func.__module__ == "pages.views"
    assert resolve("/search/").func.__module__ == "pages.views"
    # The project package's shared views import no content app.
    tree = ast.parse(Path(iomcms.views.__file__).read_text())
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0
    } | {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
         for alias in node.names}  # fmt: skip
    # Django and the standard library only (sys: the 500 handler reads the exception).
    assert imported - {"django"} <= set(sys.stdlib_module_names)
    assert imported.isdisjoint({"news", "projects", "contacts", "legacy", "pages"})
