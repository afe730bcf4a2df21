"""The admin's flags and the views they lead to ask the same rules (``iomcms/permissions.py``).

For each kind of user, what the admin home and the change list offer is exactly what the
pages behind them allow: the "Import legacy texts" link and the import page, the merge action
and the merge, the publication fields and publishing, the preview.
"""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from contacts.models import Contact
from iomcms import permissions
from iomcms.publishing import PublicationStatus
from news.models import NewsItem
from tests.factories import make_contact, make_news_item

pytestmark = pytest.mark.django_db

USERS = ["superuser", "editor", "publisher", "staff without groups"]
IMPORT_URL = "/admin/import-legacy/"
TOOLS_LINK = f'<a href="{IMPORT_URL}">'


@pytest.fixture
def user(request, django_user_model, editor, publisher):
    kind = request.param
    if kind == "superuser":
        user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    elif kind == "editor":
        user = editor
    elif kind == "publisher":
        user = publisher
    else:
        user = django_user_model.objects.create_user("plain", "p@example.org", "pw", is_staff=True)
    user.kind = kind
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# What each role may do, as the roles and the docs say (README, "For editors").
EXPECTED = {
    "superuser": {
        "import": True, "merge": True, "publish": True, "preview": True, "translate": True,
    },
    "editor": {
        "import": True, "merge": False, "publish": False, "preview": True, "translate": True,
    },
    "publisher": {
        "import": True, "merge": True, "publish": True, "preview": True, "translate": True,
    },
    "staff without groups": dict.fromkeys(
        ["import", "merge", "publish", "preview", "translate"], False
    ),
}  # fmt: skip


@pytest.mark.parametrize("user", USERS, indirect=True)
def test_the_rules_give_each_role_its_rights(user):
    rights = {
        "import": permissions.can_import(user),
        "merge": permissions.can_merge_contacts(user),
        "publish": permissions.can_publish(user, NewsItem),
        "preview": permissions.can_preview(user, NewsItem),
        "translate": permissions.can_translate(user, NewsItem),
    }
    assert rights == EXPECTED[user.kind]


@pytest.mark.parametrize("user", USERS, indirect=True)
def test_the_admin_home_import_link_and_the_import_page_agree(user):
    client = logged_in(user)
    home = client.get("/admin/")
    assert home.status_code == 200
    flag = home.context["can_import"]
    assert flag == permissions.can_import(user)
    assert (TOOLS_LINK in home.content.decode()) == flag
    page = client.get(IMPORT_URL)
    assert page.status_code == (200 if flag else 403)


@pytest.mark.parametrize("user", USERS, indirect=True)
def test_the_merge_action_is_offered_exactly_to_those_who_may_merge(user):
    first, second = make_contact(name="Ana Pérez"), make_contact(name="Ana Perez")
    client = logged_in(user)
    changelist = client.get("/admin/contacts/contact/")
    may_merge = permissions.can_merge_contacts(user)
    if changelist.status_code == 403:  # no view permission at all
        assert not may_merge
    else:
        offered = 'value="merge_contacts"' in changelist.content.decode()
        assert offered == may_merge
    response = client.post(
        "/admin/contacts/contact/",
        {"action": "merge_contacts", "_selected_action": [first.pk, second.pk]},
    )
    if may_merge:  # the confirmation page
        assert response.status_code == 200 and b'name="keep"' in response.content
    assert Contact.objects.count() == 2


@pytest.mark.parametrize("user", USERS, indirect=True)
def test_the_publication_fields_and_the_preview_follow_the_same_rules(user):
    draft = make_news_item(publication_status=PublicationStatus.DRAFT)
    client = logged_in(user)
    change = client.get(f"/admin/news/newsitem/{draft.pk}/change/")
    if change.status_code == 200:
        editable = 'name="publication_status"' in change.content.decode()
        assert editable == permissions.can_publish(user, NewsItem)
    else:
        assert not permissions.can_publish(user, NewsItem)
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == (200 if permissions.can_preview(user, NewsItem) else 404)


def test_a_flag_follows_a_permission_granted_by_hand(django_user_model):
    """The flag is the rule, not a copy of it: one missing permission turns both off."""
    user = django_user_model.objects.create_user("clerk", "c@example.org", "pw", is_staff=True)
    wanted = [
        ("news", "add_newsitem"),
        ("news", "change_newsitem"),
        ("projects", "add_project"),
        ("projects", "change_project"),
        ("contacts", "add_contact"),
    ]
    for app, codename in wanted:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    client = logged_in(user)
    assert client.get("/admin/").context["can_import"] is False
    assert client.get(IMPORT_URL).status_code == 403
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="contacts", codename="change_contact")
    )
    client = logged_in(django_user_model.objects.get(pk=user.pk))  # fresh permission cache
    assert client.get("/admin/").context["can_import"] is True
    assert client.get(IMPORT_URL).status_code == 200


def test_codename_is_djangos_shape():
    from django.contrib.auth import get_permission_codename

    assert permissions.codename("publish", "newsitem") == "publish_newsitem"
    assert permissions.codename("change", "contact") == get_permission_codename(
        "change", Contact._meta
    )
