"""Checking uploads and making renditions (pictures/images.py), through the Picture model."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from pictures import images
from pictures.models import Picture
from tests.factories import make_picture, picture_bytes

pytestmark = pytest.mark.django_db


def errors_for(data, name="photo.jpg"):
    picture = Picture(file=SimpleUploadedFile(name, data), alt_text="A picture.", credit="IOM")
    with pytest.raises(ValidationError) as caught:
        picture.full_clean()
    return caught.value.message_dict


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (46.0, 13.0, 25.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 8.0, 31.0)
    return exif


def png_header_claiming(width, height):
    """A PNG whose header claims ``width`` × ``height`` pixels, with almost no data."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def opened(storage, name):
    with storage.open(name) as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


# --- Refused uploads ----------------------------------------------------------------------------


def test_a_text_file_named_jpg_is_refused_with_a_clear_message():
    errors = errors_for(b"Dear editor, this is not a picture.\n" * 20)
    assert errors["file"] == [
        "This file is not a picture that can be read. Upload a JPEG, PNG or WebP picture."
    ]


def test_a_truncated_jpeg_is_refused():
    data = picture_bytes(800, 600)
    assert "not a picture" in errors_for(data[: len(data) // 2])["file"][0]


def test_other_formats_are_refused_by_name():
    errors = errors_for(picture_bytes(40, 40, fmt="GIF"), name="anim.gif")
    assert errors["file"] == ["GIF pictures are not accepted. Upload a JPEG, PNG or WebP picture."]


def test_a_file_over_the_byte_limit_is_refused_unread(settings):
    settings.IOMCMS_PICTURE_MAX_BYTES = 1000
    errors = errors_for(picture_bytes(400, 400, color=None))
    assert errors["file"][0].startswith("This file is ")
    assert "pictures may be at most 1000\xa0bytes" in errors["file"][0]


def test_a_picture_over_the_pixel_limit_is_refused(settings):
    settings.IOMCMS_PICTURE_MAX_PIXELS = 10_000
    errors = errors_for(picture_bytes(200, 100))
    assert errors["file"] == [
        "This picture is 200 × 100 pixels; pictures may have at most 0.0 million pixels. "
        "Make it smaller and upload it again."
    ]


@pytest.mark.parametrize("size", [(20_000, 20_000), (60_000, 60_000)])
def test_a_decompression_bomb_is_refused_before_decoding(size):
    # 400 and 3600 million pixels claimed in a file of a few bytes: over the site's limit,
    # and (the second) over twice Pillow's, where Pillow itself refuses to open it.
    data = png_header_claiming(*size)
    assert len(data) < 200
    errors = errors_for(data, name="bomb.png")
    assert "pixels" in errors["file"][0]
    assert not Picture.objects.exists()


def test_pillow_guard_follows_the_setting(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.IOMCMS_PICTURE_MAX_PIXELS


# --- What is stored -----------------------------------------------------------------------------


def test_gps_and_all_exif_are_stripped_from_the_original_and_the_renditions(memory_storage):
    upload = picture_bytes(1000, 600, exif=gps_exif())
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it is there
    picture = make_picture(data=upload)
    for name in picture.stored_names():
        image = opened(memory_storage, name)
        assert not image.getexif(), name
        assert "exif" not in image.info, name
        with memory_storage.open(name) as f:
            raw = f.read()
        assert b"PhoneMaker" not in raw, name


def test_orientation_is_applied(memory_storage):
    # Orientation 6: the camera was turned; the stored picture is upright (portrait).
    picture = make_picture(data=picture_bytes(900, 600, exif=gps_exif(orientation=6)))
    assert (picture.width, picture.height) == (600, 900)
    original = opened(memory_storage, picture.file.name)
    assert original.size == (600, 900)
    assert not original.getexif().get(ExifTags.Base.Orientation)


def test_renditions_have_the_configured_widths_and_both_formats(memory_storage):
    picture = make_picture(data=picture_bytes(1600, 900))
    assert [(r["width"], r["height"]) for r in picture.renditions] == [
        (480, 270),
        (800, 450),
        (1200, 675),
    ]
    for row in picture.renditions:
        webp, jpeg = opened(memory_storage, row["webp"]), opened(memory_storage, row["jpeg"])
        assert (webp.format, jpeg.format) == ("WEBP", "JPEG")
        assert webp.size == jpeg.size == (row["width"], row["height"])
    assert opened(memory_storage, picture.file.name).size == (1600, 900)
    assert picture.file.name.endswith("/original.jpg")


def test_a_narrow_picture_is_never_enlarged(memory_storage):
    picture = make_picture(data=picture_bytes(640, 480))
    assert [r["width"] for r in picture.renditions] == [480, 640]
    small = make_picture(data=picture_bytes(300, 200))
    assert [(r["width"], r["height"]) for r in small.renditions] == [(300, 200)]


def test_transparent_png_keeps_alpha_in_webp_and_is_flattened_in_jpeg(memory_storage):
    data = picture_bytes(500, 300, fmt="PNG", mode="RGBA", color=(0, 0, 0, 0))
    picture = make_picture(name="logo.png", data=data)
    assert picture.file.name.endswith("/original.png")
    row = picture.renditions[0]
    assert opened(memory_storage, row["webp"]).mode == "RGBA"
    jpeg = opened(memory_storage, row["jpeg"])
    assert jpeg.mode == "RGB"
    assert jpeg.getpixel((10, 10)) == (255, 255, 255)


def test_names_are_random_and_the_upload_name_is_not_kept():
    one = make_picture(name="minister-secret-visit.jpg")
    two = make_picture(name="minister-secret-visit.jpg")
    assert "minister" not in one.file.name
    folder_one, folder_two = one.file.name.split("/")[1], two.file.name.split("/")[1]
    assert folder_one != folder_two and len(folder_one) == 32


def test_replacing_and_deleting_remove_the_old_files(
    memory_storage, django_capture_on_commit_callbacks
):
    picture = make_picture()
    old = picture.stored_names()
    with django_capture_on_commit_callbacks(execute=True):
        picture.file = SimpleUploadedFile("new.jpg", picture_bytes(700, 700))
        picture.full_clean()
        picture.save()
    assert all(not memory_storage.exists(name) for name in old)
    current = picture.stored_names()
    assert all(memory_storage.exists(name) for name in current)
    with django_capture_on_commit_callbacks(execute=True):
        picture.delete()
    assert all(not memory_storage.exists(name) for name in current)


def test_rendition_widths_rule():
    assert images.rendition_widths(5000) == [480, 800, 1200]
    assert images.rendition_widths(1000) == [480, 800, 1000]
    assert images.rendition_widths(480) == [480]


def test_alt_text_may_not_be_empty_in_the_database():
    from django.db import IntegrityError

    picture = make_picture()
    with pytest.raises(IntegrityError):
        Picture.objects.filter(pk=picture.pk).update(alt_text="")
