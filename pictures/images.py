"""Checking an uploaded picture, and making the files the pages serve from it.

One home for what a picture may be (:func:`prepare`: a real JPEG, PNG or WebP within
``IOMCMS_PICTURE_MAX_BYTES`` and ``IOMCMS_PICTURE_MAX_PIXELS``) and for what is stored
(:func:`store`): the original re-encoded, turned upright and without any metadata (EXIF, GPS
position, XMP, comments: only the colour profile is kept), and renditions at the widths of
``IOMCMS_PICTURE_WIDTHS`` (never wider than the original) in WebP and JPEG. Everything is
written through Django's default storage (``STORAGES["default"]``), under a random directory
name, so any storage backend works and no address can be guessed from another.

The work is synchronous and bounded: the size in pixels is read from the file's header and
refused above the limit before anything is decoded.
"""

import io
import uuid
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

# Pillow's name of each accepted format -> the stored original's extension. MPO is the JPEG
# variant many phone cameras write (a JPEG with a second, depth or preview, frame).
FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
SAVE_AS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
ACCEPT = "image/jpeg,image/png,image/webp"  # the file input's accept attribute

ORIGINAL_OPTIONS = {"JPEG": {"quality": 92}, "PNG": {}, "WEBP": {"quality": 90}}
RENDITION_OPTIONS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}

# Errors Pillow raises on a file that is not a picture it can read, or a broken one.
# (Codes of their own: the form field would replace the message of a code it knows, "invalid".)
_UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError)


@dataclass
class Prepared:
    """A checked picture, upright and stripped of metadata, ready for :func:`store`."""

    image: Image.Image
    extension: str
    icc_profile: bytes | None = None
    renditions: list = field(default_factory=list)  # [(width, height, {"webp": b"", ...})]

    @property
    def width(self):
        return self.image.width

    @property
    def height(self):
        return self.image.height


def rendition_widths(width):
    """The renditions' widths for an original ``width`` pixels wide: each configured width
    below it, and the original's own width up to the largest configured one."""
    widths = sorted(settings.IOMCMS_PICTURE_WIDTHS)
    widest = min(width, widths[-1])
    return [w for w in widths if w < widest] + [widest]


def _refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def open_checked(file):
    """The upload ``file`` decoded, or a ValidationError saying what is wrong with it."""
    if file.size > settings.IOMCMS_PICTURE_MAX_BYTES:
        _refuse(
            _("This file is %(size)s; pictures may be at most %(limit)s."),
            "too_large",
            size=filesizeformat(file.size),
            limit=filesizeformat(settings.IOMCMS_PICTURE_MAX_BYTES),
        )
    file.seek(0)
    data = file.read()
    not_a_picture = _(
        "This file is not a picture that can be read. Upload a JPEG, PNG or WebP picture."
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; the limit below is ours.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only
            if image.format not in FORMATS:
                _refuse(
                    _("%(format)s pictures are not accepted. Upload a JPEG, PNG or WebP picture."),
                    "format",
                    format=image.format,
                )
            if image.width * image.height > settings.IOMCMS_PICTURE_MAX_PIXELS:
                _refuse(
                    _(
                        "This picture is %(width)s × %(height)s pixels; pictures may have at "
                        "most %(limit)s million pixels. Make it smaller and upload it again."
                    ),
                    "too_many_pixels",
                    width=image.width,
                    height=image.height,
                    limit=round(settings.IOMCMS_PICTURE_MAX_PIXELS / 1_000_000, 1),
                )
            image.verify()  # checks the file's structure; the image cannot be used after it
            image = Image.open(io.BytesIO(data))
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except Image.DecompressionBombError:
        _refuse(
            _("This picture has far too many pixels (at most %(limit)s million are accepted)."),
            "too_many_pixels",
            limit=round(settings.IOMCMS_PICTURE_MAX_PIXELS / 1_000_000, 1),
        )
    except _UNREADABLE:
        raise ValidationError(not_a_picture, code="not_a_picture") from None
    return image


def prepare(file):
    """Check the upload ``file`` and make the stored original and renditions in memory.

    Raises ValidationError (a message for the editor) for anything that cannot be used.
    """
    opened = open_checked(file)
    extension = FORMATS[opened.format]
    icc_profile = opened.info.get("icc_profile")
    try:
        image = ImageOps.exif_transpose(opened)  # turned as the camera's Orientation says
        if image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        ):
            image = image.convert("RGBA")
        elif image.mode != "RGB":
            image = image.convert("RGB")
        # Nothing of the upload's metadata is written again: EXIF (camera, GPS position, date),
        # XMP, comments. Pillow writes only what it is given when saving.
        image.info = {}
        prepared = Prepared(image, extension, icc_profile)
        for width in rendition_widths(image.width):
            height = max(1, round(image.height * width / image.width))
            resized = (
                image
                if width == image.width
                else image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            )
            encoded = {kind: _encode(resized, kind, icc_profile) for kind in RENDITION_OPTIONS}
            prepared.renditions.append((width, height, encoded))
    except _UNREADABLE:
        raise ValidationError(
            _("This picture could not be processed. Save it again as a JPEG and upload it."),
            code="unprocessable",
        ) from None
    return prepared


def _flattened(image):
    """``image`` without transparency, on white (JPEG has no alpha channel)."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _save(image, pillow_format, icc_profile, options):
    buffer = io.BytesIO()
    if pillow_format == "JPEG":
        image = _flattened(image)
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    image.save(buffer, pillow_format, **options, **extra)
    return buffer.getvalue()


def _encode(image, kind, icc_profile):
    pillow_format, options = RENDITION_OPTIONS[kind]
    return _save(image, pillow_format, icc_profile, options)


def store(prepared, storage=None):
    """Write ``prepared`` to the storage; returns (original's name, renditions list).

    The renditions list is what :class:`pictures.models.Picture` keeps:
    ``[{"width": 480, "height": 320, "webp": name, "jpeg": name}, ...]``, narrowest first.
    """
    storage = storage or default_storage
    folder = f"pictures/{uuid.uuid4().hex}"
    pillow_format = SAVE_AS[prepared.extension]
    original = _save(
        prepared.image, pillow_format, prepared.icc_profile, ORIGINAL_OPTIONS[pillow_format]
    )
    name = storage.save(f"{folder}/original.{prepared.extension}", ContentFile(original))
    renditions = []
    for width, height, encoded in prepared.renditions:
        row = {"width": width, "height": height}
        for kind, data in encoded.items():
            extension = "jpg" if kind == "jpeg" else kind
            row[kind] = storage.save(f"{folder}/{width}.{extension}", ContentFile(data))
        renditions.append(row)
    return name, renditions


def delete(names, storage=None):
    """Remove the stored files ``names`` (a missing one is no error)."""
    storage = storage or default_storage
    for name in names:
        if name:
            storage.delete(name)
