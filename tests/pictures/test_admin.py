"""Uploading pictures in the admin, and choosing one as a news item's lead picture."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pictures.models import Picture
from tests.factories import make_news_item, make_picture, picture_bytes

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/pictures/picture/add/"


def upload(name="photo.jpg", data=None):
    return SimpleUploadedFile(name, data or picture_bytes(900, 600), content_type="image/jpeg")


def post_picture(client, **fields):
    data = {"file": upload(), "alt_text": "A boat arrives.", "caption": "", "credit": "IOM"}
    data.update(fields)
    return client.post(ADD_URL, data)


def field_errors(response, name):
    return list(response.context["adminform"].form.errors.get(name, []))


def test_upload_with_alt_text_and_credit_stores_the_picture(staff_client, memory_storage):
    response = post_picture(staff_client, caption="Arrivals at Lampedusa.")
    assert response.status_code == 302
    picture = Picture.objects.get()
    assert picture.uploaded_by.username == "admin"
    assert (picture.width, picture.height) == (900, 600)
    assert [r["width"] for r in picture.renditions] == [480, 800, 900]
    assert all(memory_storage.exists(name) for name in picture.stored_names())


@pytest.mark.parametrize("missing", ["alt_text", "credit"])
def test_alt_text_and_credit_are_required(staff_client, missing):
    response = post_picture(staff_client, **{missing: ""})
    assert response.status_code == 200
    assert field_errors(response, missing) == ["This field is required."]
    assert not Picture.objects.exists()


def test_a_fake_picture_is_a_form_error_not_a_500(staff_client):
    fake = SimpleUploadedFile("photo.jpg", b"Not a picture at all.\n" * 10, "image/jpeg")
    response = post_picture(staff_client, file=fake)
    assert response.status_code == 200
    assert field_errors(response, "file") == [
        "This file is not a picture that can be read. Upload a JPEG, PNG or WebP picture."
    ]
    assert not Picture.objects.exists()


def test_an_oversized_picture_is_a_form_error(staff_client, settings):
    settings.IOMCMS_PICTURE_MAX_BYTES = 2048
    response = post_picture(staff_client)
    assert response.status_code == 200
    assert "pictures may be at most 2.0\xa0KB" in field_errors(response, "file")[0]


def test_the_form_accepts_only_the_three_formats(staff_client):
    response = staff_client.get(ADD_URL)
    assert 'accept="image/jpeg,image/png,image/webp"' in response.text


def test_editor_may_upload_and_publisher_may_delete(client, editor, publisher):
    client.force_login(editor)
    assert post_picture(client).status_code == 302
    picture = Picture.objects.get()
    assert picture.uploaded_by == editor
    delete_url = f"/admin/pictures/picture/{picture.pk}/delete/"
    assert client.get(delete_url).status_code == 403
    client.force_login(publisher)
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Picture.objects.exists()


def test_a_picture_in_use_cannot_be_deleted(staff_client):
    picture = make_picture()
    make_news_item(lead_picture=picture)
    response = staff_client.get(f"/admin/pictures/picture/{picture.pk}/delete/")
    assert "would require deleting the following protected related objects" in response.text
    staff_client.post(f"/admin/pictures/picture/{picture.pk}/delete/", {"post": "yes"})
    assert Picture.objects.filter(pk=picture.pk).exists()


@pytest.mark.parametrize("count", [1, 4])
def test_changelist_and_search_query_count(staff_client, django_assert_num_queries, count):
    for n in range(count):
        make_picture(data=picture_bytes(300, 200), alt_text=f"Harbour view {n}")
    # session, user, count, filtered count, rows (with the uploader joined)
    with django_assert_num_queries(5):
        response = staff_client.get("/admin/pictures/picture/")
    assert response.text.count('<img src="/media/pictures/') == count
    with django_assert_num_queries(5):
        response = staff_client.get("/admin/pictures/picture/", {"q": "harbour"})
    assert response.context["cl"].result_count == count


def test_news_item_form_offers_the_picture_through_the_lookup_popup(staff_client):
    item = make_news_item()
    response = staff_client.get(f"/admin/news/newsitem/{item.pk}/change/")
    assert 'name="lead_picture"' in response.text
    assert 'id="lookup_id_lead_picture"' in response.text  # the magnifier
    picture = make_picture(data=picture_bytes(300, 200))
    popup = staff_client.get("/admin/pictures/picture/", {"_to_field": "id", "_popup": "1"})
    assert popup.status_code == 200
    assert picture.renditions[0]["jpeg"] in popup.text  # the thumbnail to choose by
    assert re.search(
        r'href="/admin/pictures/picture/add/\?[^"]*_popup=1', popup.text
    )  # "Add picture"


def test_filter_has_caption_no_picture(staff_client):
    captioned = make_news_item(captions="Photo: IOM/J. Doe")
    make_news_item(captions="")
    make_news_item(captions="Photo: IOM", lead_picture=make_picture())
    response = staff_client.get("/admin/news/newsitem/", {"picture": "caption-only"})
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [captioned.pk]
    assert "Has caption, no picture" in response.text


def test_a_translation_keeps_the_lead_picture():
    picture = make_picture()
    item = make_news_item(lead_picture=picture)
    assert item.draft_translation("fr", "test").lead_picture == picture


def test_upload_errors_are_translated(staff_client):
    fake = SimpleUploadedFile("photo.jpg", b"Not a picture at all.\n" * 10, "image/jpeg")
    data = {"file": fake, "alt_text": "", "caption": "", "credit": "IOM"}
    response = staff_client.post(ADD_URL, data, headers={"accept-language": "fr"})
    assert field_errors(response, "file") == [
        "Ce fichier n’est pas une image lisible. Envoyez une image JPEG, PNG ou WebP."
    ]
    assert "Texte alternatif" in response.text
