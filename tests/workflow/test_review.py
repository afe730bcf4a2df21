"""Review before live (iomcms/review.py): an Editor's changes to a live or scheduled item wait
for a Publisher; the public sees the approved version until then, on every surface."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone

from iomcms.models import PendingRevision, ReviewState
from iomcms.publishing import PublicationStatus
from news.models import NewsItem
from projects.models import Project
from tests.factories import make_contact, make_news_item, make_project
from tests.news.test_admin import inline_data, item_data
from tests.projects.test_admin import project_data

pytestmark = pytest.mark.django_db

NEWS = "/admin/news/newsitem/"
PROJECTS = "/admin/projects/project/"
PENDING_TITLE = "Zanzibarquake relief expands"
PENDING_SLUG = "zanzibarquake-relief-expands"


def news_form(item, contacts=(), **overrides):
    data = {
        **item_data(**{"title": item.title, "slug": item.slug, **overrides}),
        **inline_data(contacts, initial=len(contacts)),
    }
    for i, link in enumerate(item.contact_links.all()[: len(contacts)]):
        data[f"contact_links-{i}-id"] = str(link.pk)
        data[f"contact_links-{i}-news_item"] = str(item.pk)
    return data


def submit(client, item, **overrides):
    data = news_form(item, **overrides)
    data.pop("_save")
    data["_submit_review"] = "Submit for review"
    return client.post(f"{NEWS}{item.pk}/change/", data)


def token(revision):
    return f"{revision.pk}:{revision.submitted_at.isoformat()}"


def review(client, item, action, comment="", revision=None):
    revision = revision or PendingRevision.objects.of(item).open().get()
    data = {action: "1", "review_comment": comment, "revision": token(revision)}
    return client.post(f"{NEWS}{item.pk}/review/", data)


@pytest.fixture
def live_item():
    return make_news_item(title="Floods: IOM opens shelters")


@pytest.fixture
def submitted(editor_client, live_item, publisher):
    response = submit(
        editor_client, live_item, title=PENDING_TITLE, slug=PENDING_SLUG, lead="Pending lead."
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    return PendingRevision.objects.of(live_item).get()


# -- the Editor submits ---------------------------------------------------------------------


def test_an_editor_sees_submit_for_review_on_a_live_item_and_save_on_a_draft(editor_client):
    live = make_news_item()
    page = editor_client.get(f"{NEWS}{live.pk}/change/").content.decode()
    assert 'name="_submit_review"' in page and 'name="_save"' not in page
    draft = make_news_item(publication_status=PublicationStatus.DRAFT)
    page = editor_client.get(f"{NEWS}{draft.pk}/change/").content.decode()
    assert 'name="_save"' in page and 'name="_submit_review"' not in page


def test_a_submission_leaves_the_item_and_stores_the_form(
    submitted, live_item, editor, publisher, client
):
    live_item.refresh_from_db()
    assert live_item.title == "Floods: IOM opens shelters"
    assert submitted.state == ReviewState.SUBMITTED
    assert submitted.author == editor
    assert submitted.data["title"] == [PENDING_TITLE]
    assert submitted.data["countries"] == ["CH", "FR"]  # a multiple value, kept whole
    assert "csrfmiddlewaretoken" not in submitted.data
    assert NewsItem.history.filter(id=live_item.pk).count() == 1  # no new version of the item
    page = client.get(live_item.get_absolute_url()).content.decode()
    assert "Floods: IOM opens shelters" in page and PENDING_TITLE not in page


def test_publishers_are_mailed_on_submission(submitted, publisher, editor, live_item):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [publisher.email]
    assert editor.email not in message.to
    assert str(live_item) in message.subject
    assert f"/admin/news/newsitem/{live_item.pk}/change/" in message.body


def test_the_editor_keeps_editing_the_pending_version(submitted, editor_client, live_item):
    page = editor_client.get(f"{NEWS}{live_item.pk}/change/").content.decode()
    assert f'value="{PENDING_TITLE}"' in page
    assert "Waiting for review" in page
    submit(editor_client, live_item, title="Second try", slug=PENDING_SLUG)
    revision = PendingRevision.objects.of(live_item).get()  # still one open revision
    assert revision.pk == submitted.pk and revision.data["title"] == ["Second try"]


def test_a_plain_save_posted_by_an_editor_is_a_submission_too(editor_client, live_item):
    response = editor_client.post(f"{NEWS}{live_item.pk}/change/", news_form(live_item, title="X"))
    assert response.status_code == 302
    live_item.refresh_from_db()
    assert live_item.title != "X"
    assert PendingRevision.objects.of(live_item).get().data["title"] == ["X"]


def test_a_scheduled_item_is_reviewed_too(editor_client):
    item = make_news_item(go_live_at=timezone.now() + datetime.timedelta(days=1))
    submit(editor_client, item, title="Changed before go-live")
    item.refresh_from_db()
    assert item.title != "Changed before go-live"
    assert PendingRevision.objects.of(item).open().exists()


def test_an_editor_edits_a_draft_directly(editor_client):
    item = make_news_item(publication_status=PublicationStatus.DRAFT)
    response = editor_client.post(f"{NEWS}{item.pk}/change/", news_form(item, title="Draft edit"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Draft edit"
    assert not PendingRevision.objects.exists()


def test_a_restore_by_an_editor_waits_for_review(editor_client, live_item):
    first = live_item.history.earliest()
    live_item.title = "Newer words"
    live_item.save()
    url = f"{NEWS}{live_item.pk}/history/{first.history_id}/"
    data = news_form(live_item, title="Floods: IOM opens shelters")
    assert editor_client.post(url, data).status_code == 302
    live_item.refresh_from_db()
    assert live_item.title == "Newer words"
    assert PendingRevision.objects.of(live_item).get().data["title"] == [
        "Floods: IOM opens shelters"
    ]


# -- the Publisher reviews ------------------------------------------------------------------


def test_a_publisher_sees_what_would_change(submitted, publisher_client, live_item):
    page = publisher_client.get(f"{NEWS}{live_item.pk}/change/").content.decode()
    assert 'id="review-changes"' in page
    assert PENDING_TITLE in page and "<ins>Pending</ins> <ins>lead.</ins>" in page
    assert 'name="_approve"' in page and 'name="_request_changes"' in page
    # The form itself holds the live version: a Publisher's save edits the item directly.
    assert 'value="Floods: IOM opens shelters"' in page


def test_approval_applies_the_revision_in_the_approvers_name(
    submitted, publisher_client, publisher, editor, live_item, client
):
    mail.outbox.clear()
    response = review(publisher_client, live_item, "_approve", comment="Thanks")
    assert response.status_code == 302
    live_item.refresh_from_db()
    assert (live_item.title, live_item.slug, live_item.lead) == (
        PENDING_TITLE,
        PENDING_SLUG,
        "Pending lead.",
    )
    assert live_item.publication_status == PublicationStatus.PUBLISHED
    record = live_item.history.latest()
    assert record.history_user == publisher
    assert record.history_change_reason == "Approved revision by editor"
    submitted.refresh_from_db()
    assert (submitted.state, submitted.reviewer) == (ReviewState.APPROVED, publisher)
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "Approved" in mail.outbox[0].subject and "Thanks" in mail.outbox[0].body
    assert PENDING_TITLE in client.get(live_item.get_absolute_url()).content.decode()


def test_request_changes_needs_a_comment_and_sends_it_to_the_author(
    submitted, publisher_client, editor, editor_client, live_item
):
    mail.outbox.clear()
    review(publisher_client, live_item, "_request_changes")
    submitted.refresh_from_db()
    assert submitted.state == ReviewState.SUBMITTED
    assert mail.outbox == []

    review(publisher_client, live_item, "_request_changes", comment="Check the figures.")
    submitted.refresh_from_db()
    assert submitted.state == ReviewState.CHANGES_REQUESTED
    assert submitted.review_comment == "Check the figures."
    live_item.refresh_from_db()
    assert live_item.title == "Floods: IOM opens shelters"
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "Check the figures." in mail.outbox[0].body

    page = editor_client.get(f"{NEWS}{live_item.pk}/change/").content.decode()
    assert "Check the figures." in page and f'value="{PENDING_TITLE}"' in page
    submit(editor_client, live_item, title="Figures checked")
    submitted.refresh_from_db()
    assert (submitted.state, submitted.data["title"]) == (
        ReviewState.SUBMITTED,
        ["Figures checked"],
    )


def test_an_editor_cannot_approve(submitted, editor_client, live_item):
    assert review(editor_client, live_item, "_approve").status_code == 403
    assert editor_client.get(f"{NEWS}{live_item.pk}/review/").status_code == 405
    live_item.refresh_from_db()
    assert live_item.title == "Floods: IOM opens shelters"
    submitted.refresh_from_db()
    assert submitted.state == ReviewState.SUBMITTED
    page = editor_client.get(f"{NEWS}{live_item.pk}/change/").content.decode()
    assert 'name="_approve"' not in page


def test_a_version_resubmitted_since_the_page_was_read_is_not_approved(
    submitted, publisher_client, editor_client, live_item
):
    seen = PendingRevision.objects.get(pk=submitted.pk)
    submit(editor_client, live_item, title="Changed meanwhile")
    review(publisher_client, live_item, "_approve", revision=seen)
    live_item.refresh_from_db()
    assert live_item.title == "Floods: IOM opens shelters"
    assert PendingRevision.objects.get(pk=submitted.pk).state == ReviewState.SUBMITTED


def test_a_revision_that_no_longer_fits_is_reported_not_applied(
    submitted, publisher_client, live_item
):
    make_news_item(title="Taken", slug=PENDING_SLUG)  # the slug was taken since
    page = publisher_client.get(f"{NEWS}{live_item.pk}/change/").content.decode()
    assert "errorlist" in page
    response = review(publisher_client, live_item, "_approve")
    assert response.status_code == 302
    live_item.refresh_from_db()
    assert live_item.title == "Floods: IOM opens shelters"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("cannot be applied" in m for m in messages)


def test_a_superuser_edits_live_items_directly_and_may_approve(staff_client, submitted, live_item):
    response = review(staff_client, live_item, "_approve")
    assert response.status_code == 302
    live_item.refresh_from_db()
    assert live_item.title == PENDING_TITLE
    data = news_form(live_item, title="Superuser edit", publication_status="published")
    staff_client.post(f"{NEWS}{live_item.pk}/change/", data)
    live_item.refresh_from_db()
    assert live_item.title == "Superuser edit"


def test_media_contacts_wait_for_approval(editor_client, publisher_client):
    kept, added = make_contact(name="Kept Person"), make_contact(name="Added Person")
    item = make_news_item(contacts=[kept])
    data = news_form(item, contacts=[(kept, 0)])
    data.update(inline_data([(kept, 0), (added, 1)], initial=1))
    data["contact_links-0-id"] = str(item.contact_links.get().pk)
    data["contact_links-0-news_item"] = str(item.pk)
    editor_client.post(f"{NEWS}{item.pk}/change/", data)
    assert list(item.contacts.all()) == [kept]
    page = publisher_client.get(f"{NEWS}{item.pk}/change/").content.decode()
    assert "Added Person" in page
    review(publisher_client, item, "_approve")
    assert list(item.contacts.order_by("news_links__position")) == [kept, added]


def test_a_project_goes_through_review(editor_client, publisher_client, publisher):
    project = make_project(title="Border support")
    data = project_data(title="Border support, phase two", slug=project.slug)
    data["project_code"] = project.project_code
    response = editor_client.post(f"{PROJECTS}{project.pk}/change/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Border support"
    public = Client()
    for url in [
        project.get_absolute_url(),
        "/projects/",
        "/projects/export.csv",
        "/projects/iati.xml",
        f"/projects/{project.slug}/iati.xml",
        "/projects/feed/rss/",
        "/api/v1/projects/",
        "/search/?q=phase",
    ]:
        response = public.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"phase two" not in body, url
    revision = PendingRevision.objects.of(project).get()
    response = publisher_client.post(
        f"{PROJECTS}{project.pk}/review/", {"_approve": "1", "revision": token(revision)}
    )
    project.refresh_from_db()
    assert project.title == "Border support, phase two"
    assert project.history.latest().history_user == publisher


# -- the public never sees pending values --------------------------------------------------


def public_responses(client, item):
    urls = [
        item.get_absolute_url(),
        f"/news/{PENDING_SLUG}/",
        "/news/",
        "/news/feed/rss/",
        "/news/feed/atom/",
        "/news/export.csv",
        "/search/?q=Zanzibarquake",
        "/sitemap-news.xml",
        "/api/v1/news/",
        f"/api/v1/news/{item.slug}/",
        "/",
    ]
    return {url: client.get(url) for url in urls}


def test_the_public_sees_no_pending_value_anywhere(submitted, live_item):
    client = Client()
    for url, response in public_responses(client, live_item).items():
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert PENDING_TITLE.encode() not in body, url
        if PENDING_SLUG not in url:
            assert PENDING_SLUG.encode() not in body, url
    assert client.get(f"/news/{PENDING_SLUG}/").status_code == 404


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...``: run what the block's transactions would run on commit (as in
    tests/test_pagecache.py: the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def page_cache_on(settings):
    settings.IOMCMS_PAGE_CACHE_SECONDS = 600


def test_approval_empties_the_page_cache(
    page_cache_on, committed, editor_client, publisher_client, django_assert_num_queries
):
    with committed():
        item = make_news_item(title="Floods: IOM opens shelters")
    client = Client()
    url = item.get_absolute_url()
    with committed():
        submit(editor_client, item, title=PENDING_TITLE)
    assert PENDING_TITLE not in client.get(url).content.decode()
    with django_assert_num_queries(0):  # from the cache
        assert PENDING_TITLE not in client.get(url).content.decode()
    with committed():
        review(publisher_client, item, "_approve")
    assert PENDING_TITLE in client.get(url).content.decode()


def test_a_submission_leaves_the_cached_page_as_it_is(
    page_cache_on, committed, editor_client, django_assert_num_queries
):
    with committed():
        item = make_news_item(title="Floods: IOM opens shelters")
    client = Client()
    url = item.get_absolute_url()
    client.get(url)
    with committed():
        submit(editor_client, item, title=PENDING_TITLE)
    # Nothing public changed: the cache is not emptied, and the page is the approved one.
    with django_assert_num_queries(0):
        assert PENDING_TITLE not in client.get(url).content.decode()


# -- history, admin home, list filter ------------------------------------------------------


def test_the_history_page_lists_submission_and_decision(
    submitted, publisher_client, editor_client, live_item
):
    review(publisher_client, live_item, "_request_changes", comment="Shorter lead")
    submit(editor_client, live_item, title=PENDING_TITLE, slug=PENDING_SLUG)
    review(publisher_client, live_item, "_approve")
    steps = list(
        PendingRevision.history.filter(id=submitted.pk)
        .order_by("history_date", "history_id")
        .values_list("state", "history_user__username", "history_change_reason")
    )
    assert steps == [
        ("submitted", "editor", "Submitted for review"),
        ("changes-requested", "publisher", "Changes requested"),
        ("submitted", "editor", "Submitted for review"),
        ("approved", "publisher", "Approved"),
    ]
    page = publisher_client.get(f"{NEWS}{live_item.pk}/history/").content.decode()
    assert 'id="review-log"' in page
    assert "Shorter lead" in page and "Approved revision by editor" in page


def test_the_admin_home_lists_what_waits_for_review(
    submitted, publisher_client, editor_client, django_assert_num_queries
):
    other = make_news_item(title="Second live item")
    submit(editor_client, other, title="Second pending")
    project = make_project()
    data = project_data(slug=project.slug, project_code=project.project_code)
    editor_client.post(f"{PROJECTS}{project.pk}/change/", data)
    publisher_client.get("/admin/")  # sessions, content types cached
    # Session, user, permissions (2), coming up (2 per model), the revisions' count and rows,
    # one title query per model, and Django's recent actions.
    with django_assert_num_queries(13):
        page = publisher_client.get("/admin/").content.decode()
    assert 'id="review-module"' in page
    assert "Waiting for review (3)" in page
    assert "Floods: IOM opens shelters" in page and "Second live item" in page
    assert project.title in page


def test_the_admin_home_has_no_review_box_when_nothing_waits(publisher_client):
    assert 'id="review-module"' not in publisher_client.get("/admin/").content.decode()


def test_the_changelists_filter_items_waiting_for_review(
    submitted, publisher_client, live_item, django_assert_num_queries
):
    other = make_news_item(title="Not waiting")
    publisher_client.get(NEWS)  # content types cached
    # Session, user, permissions (2), the year filter's bounds, the count and the rows (each
    # with the filter's EXISTS): the filter adds no query of its own.
    with django_assert_num_queries(7):
        response = publisher_client.get(NEWS, {"review": "submitted"})
    assert list(response.context["cl"].result_list) == [live_item]
    assert other in publisher_client.get(NEWS).context["cl"].result_list
    assert (
        publisher_client.get(NEWS, {"review": "changes-requested"})
        .context["cl"]
        .result_list.count()
        == 0
    )
    assert publisher_client.get(NEWS, {"review": "bogus"}).status_code == 200
    response = publisher_client.get(PROJECTS, {"review": "submitted"})
    assert response.status_code == 200 and not list(response.context["cl"].result_list)


def test_publishers_of_a_model_are_its_publish_permission_holders(django_user_model):
    from iomcms.review import publishers_of

    group = Group.objects.get(name="Publishers")
    user = django_user_model.objects.create_user("p2", "p2@example.org", "pw", is_staff=True)
    user.groups.add(group)
    django_user_model.objects.create_user("gone", "gone@example.org", "pw", is_active=False)
    django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    assert publishers_of(NewsItem) == ["p2@example.org"]
    assert publishers_of(Project) == ["p2@example.org"]


def test_mailers_come_from_the_environment(monkeypatch):
    from iomcms.settings.base import SMTP_EMAIL_BACKEND, mailers_from_environment

    for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS"):
        monkeypatch.delenv(name, raising=False)
    default = mailers_from_environment()["default"]
    assert default["BACKEND"] == SMTP_EMAIL_BACKEND
    assert (default["OPTIONS"]["host"], default["OPTIONS"]["port"]) == ("localhost", 25)
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.org")
    monkeypatch.setenv("EMAIL_PORT", "587")
    monkeypatch.setenv("EMAIL_USE_TLS", "true")
    options = mailers_from_environment()["default"]["OPTIONS"]
    assert (options["host"], options["port"], options["use_tls"]) == ("smtp.example.org", 587, True)
    console = "django.core.mail.backends.console.EmailBackend"
    assert mailers_from_environment(console) == {"default": {"BACKEND": console}}
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    assert mailers_from_environment(console)["default"] == {
        "BACKEND": "django.core.mail.backends.locmem.EmailBackend"
    }


def test_a_mail_server_failure_does_not_undo_a_submission(editor_client, live_item, publisher):
    from unittest import mock

    with mock.patch("iomcms.review.send_mail", side_effect=OSError("no server")):
        response = submit(editor_client, live_item, title="Sent anyway")
    assert response.status_code == 302
    assert PendingRevision.objects.of(live_item).get().data["title"] == ["Sent anyway"]


def test_the_review_box_is_translated(submitted, publisher_client, live_item):
    page = publisher_client.get(
        f"{NEWS}{live_item.pk}/change/", headers={"accept-language": "fr"}
    ).content.decode()
    assert "Approuver et publier" in page and "Demander des modifications" in page


def test_anonymous_visitors_cannot_reach_the_review_view(submitted, live_item):
    response = Client().post(
        f"{NEWS}{live_item.pk}/review/", {"_approve": "1", "revision": token(submitted)}
    )
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]
    submitted.refresh_from_db()
    assert submitted.state == ReviewState.SUBMITTED


def test_a_user_who_may_only_view_gets_no_submit_button(client, django_user_model, live_item):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_newsitem"))
    client.force_login(viewer)
    page = client.get(f"{NEWS}{live_item.pk}/change/").content.decode()
    assert 'name="_submit_review"' not in page
    data = news_form(live_item, title="Viewer edit")
    assert client.post(f"{NEWS}{live_item.pk}/change/", data).status_code == 403
    assert not PendingRevision.objects.exists()
