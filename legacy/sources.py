"""Turn the command's PATH arguments, or the admin page's uploads, into a stream of
:class:`Source`.

A PATH is a file, a directory (searched recursively for ``*.txt``) or a ``.zip`` of such files;
an upload is a ``.txt`` or a ``.zip``. Both kinds of zip go through the same member filter and
size checks (:func:`_from_archive`). Sources are produced lazily, so a run over 100,000 files
never holds them all in memory. A file that cannot be read becomes a Source with an ``error``:
the run reports it and goes on.

Files over ``IOMCMS_IMPORT_MAX_FILE_BYTES`` are read only that far (plus one byte, to know):
the next stage (:func:`legacy.pipeline.prepare`) refuses them.
"""

import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext

from .parsing.model import note


@dataclass
class Source:
    """One legacy text to import: where it came from (for the report) and its bytes."""

    path: str
    data: bytes = b""
    error: str | None = None  # set when the source could not even be read


def max_file_bytes():
    """The largest legacy page accepted, in bytes (setting ``IOMCMS_IMPORT_MAX_FILE_BYTES``)."""
    return settings.IOMCMS_IMPORT_MAX_FILE_BYTES


class BadPath(ValueError):
    """A PATH argument that is not usable at all (missing, or not a file, folder or zip)."""


def check_paths(paths):
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise BadPath(f"{raw}: no such file or folder")
        if not (path.is_file() or path.is_dir()):
            raise BadPath(f"{raw}: not a file, a folder or a .zip")


def iter_sources(paths):
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _from_directory(path)
        elif path.suffix.lower() == ".zip":
            yield from _from_zip(path)
        else:
            yield _from_file(path)


def _from_file(path):
    try:
        with path.open("rb") as handle:
            data = handle.read(max_file_bytes() + 1)
    except OSError as exc:
        return Source(
            str(path),
            error=note("the file could not be read (%(error)s)", error=exc.strerror or str(exc)),
        )
    return Source(str(path), data)


def _from_directory(root):
    # os.walk with sorted names gives a stable order, so reports compare across runs.
    for folder, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith(".txt") and not name.startswith("."):
                yield _from_file(Path(folder) / name)


def _from_zip(path):
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield Source(
            str(path), error=note("not a readable .zip archive (%(error)s)", error=str(exc))
        )
        return
    with archive:
        yield from _from_archive(archive, str(path))


def text_members(archive):
    """The archive's legacy texts, in name order: ``*.txt`` files, leaving out folders,
    hidden files and macOS resource forks (``__MACOSX/``)."""
    return sorted(
        (
            info
            for info in archive.infolist()
            if not info.is_dir()
            and info.filename.lower().endswith(".txt")
            and not info.filename.startswith("__MACOSX/")
            and not Path(info.filename).name.startswith(".")
        ),
        key=lambda info: info.filename,
    )


def _from_archive(archive, label):
    """One Source per text member of an open archive; ``label`` names the archive in paths."""
    for info in text_members(archive):
        where = f"{label}:{info.filename}"
        if info.file_size > max_file_bytes():
            yield Source(where, error=note("the file is too large to be one legacy page"))
            continue
        try:
            with archive.open(info) as handle:
                # Read at most one byte past the limit: a member may lie about its size.
                data = handle.read(max_file_bytes() + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            RuntimeError,  # encrypted member
            EOFError,
            NotImplementedError,  # compression method zipfile cannot inflate
            zlib.error,  # corrupt compressed data
        ) as exc:
            yield Source(
                where,
                error=note("the archive member could not be read (%(error)s)", error=str(exc)),
            )
            continue
        yield Source(where, data)


# -- uploads (the admin's "Import legacy texts" page) ------------------------------------------


class UploadRefused(ValueError):
    """An upload that is refused as a whole, before anything is imported."""


def is_zip_name(name):
    return name.lower().endswith(".zip")


def _open_uploaded_zip(upload):
    upload.seek(0)
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRefused(
            gettext("“%(name)s” is not a readable .zip archive (%(error)s). Nothing was imported.")
            % {"name": upload.name, "error": str(exc)}
        ) from exc


def check_uploads(files, *, max_members, max_uncompressed_bytes):
    """Refuse unusable zips before anything is imported.

    ``files`` are Django ``UploadedFile`` objects. A zip is refused when it cannot be read,
    when the upload's archives hold more than ``max_members`` entries together, or when the
    sizes their entries declare add up to more than ``max_uncompressed_bytes`` (a zip bomb:
    Python's zipfile never inflates a member past its declared size, so the declared total
    bounds what an import can decompress). Also refused: an upload without a single .txt.
    Raises :class:`UploadRefused` with a message for staff.
    """
    members = uncompressed = texts = 0
    for upload in files:
        if not is_zip_name(upload.name):
            texts += 1
            continue
        with _open_uploaded_zip(upload) as archive:
            infos = archive.infolist()
            members += len(infos)
            uncompressed += sum(info.file_size for info in infos)
            if members > max_members:
                raise UploadRefused(
                    gettext(
                        "“%(name)s” makes the upload hold %(members)s archive entries; at "
                        "most %(max_members)s are accepted at once. Split the archive. Nothing "
                        "was imported."
                    )
                    % {
                        "name": upload.name,
                        "members": number_format(members, force_grouping=True),
                        "max_members": number_format(max_members, force_grouping=True),
                    }
                )
            if uncompressed > max_uncompressed_bytes:
                raise UploadRefused(
                    gettext(
                        "“%(name)s” would unpack to more than %(size)s MiB; split the archive. "
                        "Nothing was imported."
                    )
                    % {
                        "name": upload.name,
                        "size": number_format(
                            max_uncompressed_bytes // (1024 * 1024), force_grouping=True
                        ),
                    }
                )
            texts += len(text_members(archive))
    if not texts:
        raise UploadRefused(gettext("The upload holds no .txt files. Nothing was imported."))


def iter_uploaded_sources(files):
    """Sources from uploaded ``.txt`` files and ``.zip`` archives, in the order given.

    A text's path is its file name; a zip member's is ``archive.zip:folder/member.txt``, as
    for a zip on disk (so a page's identity is the same whichever way it is imported).
    Call :func:`check_uploads` first: here an unreadable zip is only a failed row.
    """
    for upload in files:
        if is_zip_name(upload.name):
            try:
                archive = _open_uploaded_zip(upload)
            except UploadRefused:
                yield Source(upload.name, error=note("not a readable .zip archive"))
                continue
            with archive:
                yield from _from_archive(archive, upload.name)
        else:
            upload.seek(0)
            try:
                data = upload.read(max_file_bytes() + 1)
            except OSError as exc:
                yield Source(
                    upload.name,
                    error=note("the upload could not be read (%(error)s)", error=str(exc)),
                )
                continue
            yield Source(upload.name, data)
