import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contacts.models import Contact
from tests.factories import make_contact

pytestmark = pytest.mark.django_db


def test_str_with_and_without_office():
    assert str(make_contact(name="Jorge Gallo", office="IOM Colombia")) == (
        "Jorge Gallo (IOM Colombia)"
    )
    assert str(make_contact(name="Leonard Doyle", office="")) == "Leonard Doyle"


def test_slug_and_absolute_url():
    contact = make_contact(name="Jorge Gallo", office="IOM Colombia")
    assert contact.slug == "jorge-gallo-iom-colombia"
    assert contact.get_absolute_url() == "/contacts/jorge-gallo-iom-colombia/"


def test_slugs_are_unique():
    first = make_contact(name="Ana Pérez", office="IOM Peru")
    second = make_contact(name="Ana Perez", office="IOM Peru")
    assert (first.slug, second.slug) == ("ana-perez-iom-peru", "ana-perez-iom-peru-2")


def test_ordering_by_name_then_office():
    b = make_contact(name="Beatriz", office="IOM Chile")
    a2 = make_contact(name="Ana", office="IOM Peru")
    a1 = make_contact(name="Ana", office="IOM Ecuador")
    assert list(Contact.objects.all()) == [a1, a2, b]


def test_published_is_public_contacts_only():
    public = make_contact()
    hidden = make_contact(is_public=False)
    assert list(Contact.objects.published()) == [public]
    assert hidden in Contact.objects.all()


def test_email_is_stored_stripped_and_lower_case():
    contact = make_contact(email="  Press.Officer@IOM.int ")
    contact.refresh_from_db()
    assert contact.email == "press.officer@iom.int"


def test_email_is_unique_ignoring_case_in_full_clean():
    make_contact(email="press@iom.int")
    duplicate = Contact(name="Someone else", slug="someone-else", email="PRESS@iom.INT")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "Another contact already has this e-mail address." in str(excinfo.value)


def test_email_is_unique_ignoring_case_in_the_database():
    make_contact(email="press@iom.int")
    with pytest.raises(IntegrityError), transaction.atomic():
        # Bypass save()'s lower-casing: the database index itself must refuse it.
        Contact.objects.bulk_create([Contact(name="X", slug="x", email="Press@IOM.int")])


def test_saving_the_same_contact_again_is_not_a_duplicate():
    contact = make_contact(email="press@iom.int")
    contact.full_clean()
    contact.save()


def test_blank_emails_are_allowed_many_times():
    for _ in range(3):
        contact = Contact(name="No e-mail", email="")
        contact.save()
        contact.full_clean()
    assert Contact.objects.filter(email="").count() == 3


def test_invalid_email_rejected_by_full_clean():
    with pytest.raises(ValidationError) as excinfo:
        Contact(name="X", slug="x", email="not-an-address").full_clean()
    assert "email" in excinfo.value.message_dict
