"""Likely duplicate contacts in the changelist, and merging them (admin action, merge_contacts)."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.admin.views.main import ORDER_VAR
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.merge import REASON_MAX_LENGTH, MergeError, merge_contacts
from contacts.models import Contact
from news.models import NewsItemContact
from tests.factories import bulk_contacts, bulk_news_items, make_contact, make_news_item

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/contacts/contact/"


def results(response):
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def links(item):
    """An item's media contacts in order, as (contact id, position)."""
    return list(item.contact_links.values_list("contact_id", "position"))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- Finding duplicates -------------------------------------------------------------------


def test_filter_finds_duplicates_by_normalized_name_and_office(staff_client):
    jose = make_contact(name="Dr. José  Pérez", office="IOM  Chad")
    same = make_contact(name="dr jose perez", office="iom chad")
    shouted = make_contact(name="DR JOSÉ PÉREZ.", office="IOM, Chad")
    # Distinct people: another office, another name, same name without the office.
    other_office = make_contact(name="Dr. José Pérez", office="IOM Niger")
    other_name = make_contact(name="Dr. Josefa Pérez", office="IOM Chad")
    no_office = make_contact(name="Dr. José Pérez", office="")
    found = results(staff_client.get(CHANGELIST, {"duplicates": "yes"}))
    assert set(found) == {jose, same, shouted}
    counts = {c.pk: c._duplicate_count for c in found}
    assert counts == {jose.pk: 2, same.pk: 2, shouted.pk: 2}
    everyone = {c.pk: c._duplicate_count for c in results(staff_client.get(CHANGELIST))}
    assert everyone[other_office.pk] == everyone[other_name.pk] == everyone[no_office.pk] == 0


def test_duplicates_are_listed_group_by_group(staff_client):
    # Sorted by name alone (binary or case-insensitive), the two groups interleave.
    chad_1 = make_contact(name="Alba Ríos", office="IOM Chad")
    peru_1 = make_contact(name="Alba Rios", office="IOM Peru")
    chad_2 = make_contact(name="alba rios", office="iom chad")
    peru_2 = make_contact(name="ALBA RIOS", office="IOM Perú")
    make_contact(name="Alba Ruiz", office="IOM Chad")  # no duplicate
    found = results(staff_client.get(CHANGELIST, {"duplicates": "yes"}))
    assert len(found) == 4
    assert [c.match_key for c in found] == [chad_1.match_key] * 2 + [peru_1.match_key] * 2
    assert set(found[:2]) == {chad_1, chad_2} and set(found[2:]) == {peru_1, peru_2}
    # A column header still sorts the filtered list.
    by_name = results(staff_client.get(CHANGELIST, {"duplicates": "yes", ORDER_VAR: "-1"}))
    assert [c.name for c in by_name] == sorted((c.name for c in found), reverse=True)


def test_duplicate_column_links_to_the_group(staff_client):
    first = make_contact(name="Amina Diallo", office="IOM Mali")
    second = make_contact(name="Amina  Diallo", office="IOM Mali")
    loner = make_contact(name="Moussa Keita", office="IOM Mali")
    response = staff_client.get(CHANGELIST)
    content = response.content.decode()
    assert "column-duplicate_count" in content
    assert f'<a href="{CHANGELIST}?duplicates={first.pk}"' in content
    assert f'<a href="{CHANGELIST}?duplicates={loner.pk}"' not in content
    assert '<td class="field-duplicate_count">0</td>' in content  # the loner
    group = staff_client.get(CHANGELIST, {"duplicates": str(first.pk)})
    assert set(results(group)) == {first, second}
    assert "Same person as Amina Diallo (IOM Mali)" in group.content.decode()
    assert results(staff_client.get(CHANGELIST, {"duplicates": str(loner.pk)})) == [loner]


def test_duplicate_filter_with_facet_counts(staff_client):
    first = make_contact(name="Amina Diallo", office="IOM Mali")
    make_contact(name="Amina  Diallo", office="IOM Mali")
    make_contact(name="Moussa Keita", office="IOM Mali")
    for value in ["yes", str(first.pk)]:
        response = staff_client.get(CHANGELIST, {"duplicates": value, "_facets": "True"})
        assert len(results(response)) == 2
    assert "Yes (2)" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "9" * 30, "١٢", "yes'; --", ""])
def test_bad_duplicate_filter_values_are_ignored(staff_client, value):
    contacts = {make_contact(), make_contact()}
    response = staff_client.get(CHANGELIST, {"duplicates": value})
    assert response.status_code == 200  # not an error page, not the ?e=1 redirect
    assert set(results(response)) == contacts


def test_duplicate_filter_for_an_unknown_contact_is_empty(staff_client):
    make_contact()
    assert results(staff_client.get(CHANGELIST, {"duplicates": "987654321"})) == []


# Same as the plain changelist (see test_admin.CHANGELIST_QUERIES): the duplicate count is a
# subquery of the page's query. A group (?duplicates=<id>) also reads that contact's name for
# the filter's label.
@pytest.mark.parametrize(("group", "queries"), [(False, 5), (True, 6)])
def test_duplicate_filter_query_count_is_constant(
    staff_client, django_assert_num_queries, group, queries
):
    same = {"name": "Bulk Twin", "office": "IOM Ecuador", "match_key": "bulk twin|iom ecuador"}
    twins = bulk_contacts(5, **same)
    bulk_news_items(3, contacts=twins[:2])
    params = {"duplicates": str(twins[0].pk) if group else "yes"}
    staff_client.get(CHANGELIST, params)  # warm the per-process caches
    with django_assert_num_queries(queries):
        response = staff_client.get(CHANGELIST, params)
    assert len(response.context["cl"].result_list) == 5
    assert {c._duplicate_count for c in response.context["cl"].result_list} == {4}
    more = bulk_contacts(195, **same)
    bulk_news_items(20, contacts=more[:3])
    with django_assert_num_queries(queries):
        response = staff_client.get(CHANGELIST, params)
    assert response.context["cl"].result_count == 200
    assert len(response.context["cl"].result_list) == 50
    assert {c._duplicate_count for c in response.context["cl"].result_list} == {199}


# --- merge_contacts -----------------------------------------------------------------------


@pytest.fixture
def scene():
    """keep and dup are one person; other and bystander are not."""
    keep = make_contact(
        name="Jane Doe", office="IOM Chad", email="", phone="", job_title="Press officer"
    )
    dup = make_contact(
        name="jane  doe",
        office="IOM Chad",
        email="Jane.Doe@iom.int",
        phone="+235 1",
        job_title="Spokesperson",
        mobile="+235 2",
        is_public=False,
    )
    other = make_contact(name="Other Officer")
    bystander = make_contact(name="Bystander")
    items = {
        # dup first, keep third: keep takes dup's place.
        "a": make_news_item(contacts=[dup, other, keep]),
        "b": make_news_item(contacts=[other, dup]),
        "c": make_news_item(contacts=[keep, dup]),
        "d": make_news_item(contacts=[bystander]),
        "e": make_news_item(contacts=[keep]),
    }
    return keep, dup, other, bystander, items


def test_merge_moves_links_in_order_without_duplicates(scene):
    keep, dup, other, bystander, items = scene
    untouched = set(
        NewsItemContact.objects.filter(contact__in=[other, bystander]).values_list(
            "id", "news_item_id", "contact_id", "position"
        )
    )
    result = merge_contacts(keep, [dup])
    assert links(items["a"]) == [(keep.pk, 0), (other.pk, 1)]
    assert links(items["b"]) == [(other.pk, 0), (keep.pk, 1)]
    assert links(items["c"]) == [(keep.pk, 0)]
    assert links(items["d"]) == [(bystander.pk, 0)]
    assert links(items["e"]) == [(keep.pk, 0)]
    assert (result.links_moved, result.links_removed) == (2, 2)
    assert (
        set(
            NewsItemContact.objects.filter(contact__in=[other, bystander]).values_list(
                "id", "news_item_id", "contact_id", "position"
            )
        )
        == untouched
    )
    assert keep.news_links.count() == 4
    assert not Contact.objects.filter(pk=dup.pk).exists()


def test_two_duplicates_on_one_item_leave_one_link():
    keep = make_contact(name="Ana Lima", office="IOM Brazil")
    dup1 = make_contact(name="Ana  Lima", office="IOM Brazil")
    dup2 = make_contact(name="ana lima", office="iom brazil")
    other = make_contact()
    item = make_news_item(contacts=[other, dup2, dup1])
    result = merge_contacts(keep, [dup1, dup2])
    assert links(item) == [(other.pk, 0), (keep.pk, 1)]
    assert (result.links_moved, result.links_removed) == (1, 1)
    assert set(Contact.objects.all()) == {keep, other}


def test_merge_fills_blank_fields_only(scene):
    keep, dup, *_ = scene
    result = merge_contacts(keep, [dup])
    keep.refresh_from_db()
    assert keep.email == "jane.doe@iom.int"  # freed by deleting the duplicate first
    assert (keep.phone, keep.mobile) == ("+235 1", "+235 2")
    assert keep.job_title == "Press officer"  # not overwritten
    assert keep.is_public is True  # its own value, not the duplicate's
    assert keep.office == "IOM Chad"
    assert set(result.filled) == {"email", "phone", "mobile"}


def test_merge_keeps_the_history(scene, django_user_model):
    keep, dup, *_, items = scene
    user = django_user_model.objects.create_user("merger")
    merge_contacts(keep, [dup], user=user)
    # The duplicate is gone, its history is not: created, then deleted by the merge.
    dup_history = Contact.history.filter(id=dup.pk).order_by("history_date", "history_id")
    assert [h.history_type for h in dup_history] == ["+", "-"]
    deleted = dup_history.last()
    assert deleted.history_change_reason == f"Merged into #{keep.pk} Jane Doe (IOM Chad)"
    assert deleted.history_user == user
    assert deleted.email == "jane.doe@iom.int"
    latest = Contact.history.filter(id=keep.pk).latest("history_date", "history_id")
    assert latest.history_type == "~"
    assert latest.history_change_reason == (
        f"Merged contacts #{dup.pk} jane  doe (IOM Chad) into this one"
    )
    assert latest.history_user == user
    assert latest.email == "jane.doe@iom.int"
    # Each link change is recorded too.
    moved = NewsItemContact.history.filter(news_item_id=items["a"].pk, history_type="~").get()
    assert (moved.contact_id, moved.position, moved.history_user) == (keep.pk, 0, user)
    assert (
        moved.history_change_reason
        == f"Contact #{dup.pk} merged into #{keep.pk} Jane Doe (IOM Chad)"
    )
    removed = NewsItemContact.history.filter(news_item_id=items["c"].pk, history_type="-").get()
    assert removed.contact_id == dup.pk
    assert removed.history_change_reason.startswith("Duplicate link removed")


def test_change_reasons_stay_readable():
    long_name = "Maria " + "de la Cruz " * 17
    keep = make_contact(name=long_name, office="IOM Philippines")
    dups = [make_contact(name=long_name, office="IOM Philippines") for _ in range(8)]
    make_news_item(contacts=[dups[0]])
    merge_contacts(keep, dups)
    reasons = [
        *Contact.history.values_list("history_change_reason", flat=True),
        *NewsItemContact.history.values_list("history_change_reason", flat=True),
    ]
    assert all(len(r) <= REASON_MAX_LENGTH for r in reasons if r)
    kept = Contact.history.filter(id=keep.pk).latest("history_date", "history_id")
    assert kept.history_change_reason.startswith(f"Merged contacts #{dups[0].pk}, #{dups[1].pk}")


def test_merge_refuses_bad_input_and_changes_nothing(scene):
    keep, dup, other, *_ = scene
    before = sorted(NewsItemContact.objects.values_list("id", "contact_id", "position"))
    with pytest.raises(MergeError):
        merge_contacts(keep, [])
    with pytest.raises(MergeError):
        merge_contacts(keep, [dup, keep])
    with pytest.raises(MergeError, match="no longer exist"):
        merge_contacts(keep, [dup, 987654321])
    assert sorted(NewsItemContact.objects.values_list("id", "contact_id", "position")) == before
    assert Contact.objects.filter(pk__in=[keep.pk, dup.pk, other.pk]).count() == 3


# --- The admin action ---------------------------------------------------------------------


def action(pks, **extra):
    return {"action": "merge_contacts", "_selected_action": [str(pk) for pk in pks], **extra}


def test_editor_cannot_merge(scene, editor_client):
    keep, dup, *_ = scene
    page = editor_client.get(CHANGELIST)
    assert page.status_code == 200
    assert 'value="merge_contacts"' not in page.content.decode()
    response = editor_client.post(
        CHANGELIST, action([keep.pk, dup.pk], confirm="yes", keep=str(keep.pk)), follow=True
    )
    # Without a permitted action the POST is just the list again.
    assert response.status_code == 200
    assert messages_of(response) == []
    assert Contact.objects.filter(pk__in=[keep.pk, dup.pk]).count() == 2
    assert keep.news_links.count() == 3 and dup.news_links.count() == 3


def test_publisher_merges_through_the_confirmation_page(scene, publisher, publisher_client):
    keep, dup, other, _, items = scene
    assert 'value="merge_contacts"' in publisher_client.get(CHANGELIST).content.decode()
    # Step 1: the confirmation page lists the selection.
    page = publisher_client.post(CHANGELIST, action([keep.pk, dup.pk]))
    assert page.status_code == 200
    assert "admin/contacts/contact/merge_confirmation.html" in [t.name for t in page.templates]
    content = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in content
    assert '<input type="hidden" name="action" value="merge_contacts">' in content
    for pk in (keep.pk, dup.pk):
        assert f'<input type="hidden" name="_selected_action" value="{pk}">' in content
        assert f'name="keep" value="{pk}"' in content
    assert [(c.pk, n) for c, n in page.context["rows"]] == [(keep.pk, 3), (dup.pk, 3)]
    assert Contact.objects.filter(pk=dup.pk).exists()  # nothing happened yet
    # Step 2: confirm, keeping Jane Doe.
    response = publisher_client.post(
        CHANGELIST, action([keep.pk, dup.pk], confirm="yes", keep=str(keep.pk)), follow=True
    )
    assert messages_of(response) == [
        "Merged 2 contacts into Jane Doe (IOM Chad): "
        "2 press-release links moved, 2 duplicate links removed."
    ]
    assert not Contact.objects.filter(pk=dup.pk).exists()
    assert links(items["a"]) == [(keep.pk, 0), (other.pk, 1)]
    latest = Contact.history.filter(id=keep.pk).latest("history_date", "history_id")
    assert latest.history_user == publisher
    assert latest.history_change_reason.startswith(f"Merged contacts #{dup.pk}")
    logged = LogEntry.objects.filter(user=publisher)
    assert set(logged.values_list("object_id", "action_flag")) == {
        (str(keep.pk), CHANGE),
        (str(dup.pk), DELETION),
    }


def test_default_keep_has_the_most_releases_then_is_the_oldest(publisher_client):
    oldest = make_contact(name="Sam Okoro", office="IOM Nigeria")
    busiest = make_contact(name="Sam  Okoro", office="IOM Nigeria")
    newest = make_contact(name="sam okoro", office="IOM Nigeria")
    make_news_item(contacts=[busiest])
    make_news_item(contacts=[busiest, newest])
    page = publisher_client.post(CHANGELIST, action([newest.pk, busiest.pk, oldest.pk]))
    assert page.context["default_keep"] == busiest
    assert f'value="{busiest.pk}" id="keep-{busiest.pk}" checked' in page.content.decode()
    tie = publisher_client.post(CHANGELIST, action([newest.pk, oldest.pk]))
    assert tie.context["default_keep"] == newest  # one release against none
    NewsItemContact.objects.all().delete()
    tie = publisher_client.post(CHANGELIST, action([newest.pk, oldest.pk]))
    assert tie.context["default_keep"] == oldest


def test_fewer_than_two_selected_changes_nothing(scene, publisher_client):
    keep, *_ = scene
    response = publisher_client.post(
        CHANGELIST, action([keep.pk], confirm="yes", keep=str(keep.pk)), follow=True
    )
    assert messages_of(response) == ["Select at least two contacts to merge."]
    assert Contact.objects.count() == 4


def test_more_than_the_cap_is_refused(publisher_client):
    from contacts.admin import MAX_MERGE
    from tests.factories import bulk_contacts

    many = bulk_contacts(MAX_MERGE + 1, name="Same Person")
    response = publisher_client.post(
        CHANGELIST, action([c.pk for c in many], confirm="yes", keep=str(many[0].pk)), follow=True
    )
    assert messages_of(response) == [f"Merge at most {MAX_MERGE} contacts at a time (21 selected)."]
    assert Contact.objects.count() == MAX_MERGE + 1


def test_keep_outside_the_selection_is_refused(scene, publisher_client):
    keep, dup, other, *_ = scene
    before = sorted(NewsItemContact.objects.values_list("id", "contact_id", "position"))
    for bad_keep in [str(other.pk), "", "nonsense"]:
        response = publisher_client.post(
            CHANGELIST, action([keep.pk, dup.pk], confirm="yes", keep=bad_keep), follow=True
        )
        assert messages_of(response) == [
            "Choose the contact to keep among the selected ones. Nothing was merged."
        ]
    assert Contact.objects.count() == 4
    assert sorted(NewsItemContact.objects.values_list("id", "contact_id", "position")) == before


@pytest.mark.parametrize(
    ("stale", "message"),
    [
        ("987654321", "Some of the selected contacts no longer exist"),
        ("not-a-number", "Invalid selection. No items have been changed."),
    ],
)
def test_stale_or_crafted_ids_are_refused(scene, publisher_client, stale, message):
    keep, dup, *_ = scene
    data = action([keep.pk, dup.pk], confirm="yes", keep=str(keep.pk))
    data["_selected_action"].append(stale)
    response = publisher_client.post(CHANGELIST, data, follow=True)
    assert response.status_code == 200
    assert messages_of(response)[0].startswith(message)
    assert Contact.objects.count() == 4
    assert dup.news_links.count() == 3


def test_merge_of_a_contact_deleted_meanwhile_is_refused(scene, publisher_client):
    keep, dup, other, *_ = scene
    selection = [keep.pk, dup.pk, other.pk]
    page = publisher_client.post(CHANGELIST, action(selection))
    assert page.status_code == 200
    other.delete()  # someone else, between the confirmation page and the click
    response = publisher_client.post(
        CHANGELIST,
        action(selection, confirm="yes", keep=str(keep.pk)),
        follow=True,
    )
    assert "no longer exist" in messages_of(response)[0]
    assert Contact.objects.filter(pk__in=[keep.pk, dup.pk]).count() == 2


def test_merge_page_query_count_does_not_grow_with_links(publisher_client):
    keep = make_contact(name="Lea Moreau", office="IOM France")
    dup = make_contact(name="Léa Moreau", office="IOM France")
    make_news_item(contacts=[dup])
    with CaptureQueriesContext(connection) as few:
        publisher_client.post(CHANGELIST, action([keep.pk, dup.pk]))
    for _ in range(10):
        make_news_item(contacts=[dup, keep])
    with CaptureQueriesContext(connection) as many:
        page = publisher_client.post(CHANGELIST, action([keep.pk, dup.pk]))
    assert page.context["default_keep"] == dup
    assert len(many) == len(few)
