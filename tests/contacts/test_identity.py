"""The one identity rule of press contacts (contacts/identity.py)."""

import pytest

from contacts.identity import ContactIndex, identity_key
from contacts.models import Contact

pytestmark = pytest.mark.django_db


def test_the_model_stores_the_identity_key():
    contact = Contact.objects.create(name="Dr. José  Pérez", office="IOM-Colombia")
    assert contact.match_key == identity_key("dr jose perez", "IOM Colombia")


def test_e_mail_first_ignoring_case_then_match_key():
    by_email = Contact.objects.create(name="Ana Ruiz", office="IOM Peru", email="ana@iom.int")
    by_key = Contact.objects.create(name="Ana Ruiz", office="IOM Chile")
    assert Contact.objects.identify("Someone Else", "", ["ANA@iom.int"]) == by_email
    assert Contact.objects.identify("ANA  RUIZ", "iom chile", ["new@iom.int"]) == by_key
    assert Contact.objects.identify("Ana Ruiz", "IOM Bolivia") is None


def test_of_two_contacts_with_one_key_the_older_whatever_the_order_seen():
    older = Contact.objects.create(name="Ana Ruiz", office="IOM Peru")
    newer = Contact.objects.create(name="ANA RUIZ", office="IOM  Peru")
    for contacts in ([older, newer], [newer, older]):
        assert ContactIndex(contacts).find("ana ruiz", "iom peru") == older
    assert Contact.objects.identify("Ana Ruiz", "IOM Peru") == older


def test_an_index_entry_follows_a_changed_office():
    contact = Contact.objects.create(name="Ana Ruiz", email="ana@iom.int")
    index = ContactIndex([contact])
    assert index.find("Ana Ruiz", "") == contact
    contact.office = "IOM Peru"
    index.add(contact)
    assert index.find("Ana Ruiz", "") is None  # as the database would answer after a save
    assert index.find("Ana Ruiz", "IOM Peru") == contact
    contact.save()
    assert Contact.objects.identify("Ana Ruiz", "") is None


def test_matching_is_one_query(django_assert_num_queries):
    Contact.objects.create(name="Ana Ruiz", office="IOM Peru", email="ana@iom.int")
    Contact.objects.create(name="Bo Lind", office="IOM Sweden")
    people = [("x", "", ["ANA@IOM.INT"]), ("bo  lind", "iom sweden", []), ("Nobody", "", [])]
    with django_assert_num_queries(1):
        found = sorted(c.name for c in Contact.objects.matching(people))
    assert found == ["Ana Ruiz", "Bo Lind"]
