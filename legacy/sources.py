"""Turn the command's PATH arguments into a stream of :class:`~legacy.loader.Source`.

A PATH is a file, a directory (searched recursively for ``*.txt``) or a ``.zip`` of such files.
Sources are produced lazily, so a run over 100,000 files never holds them all in memory. A file
that cannot be read becomes a Source with an ``error``: the run reports it and goes on.
"""

import os
import zipfile
from pathlib import Path

from .pipeline import MAX_FILE_BYTES, Source


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
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return Source(str(path), error=f"the file could not be read ({exc.strerror or exc})")
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
        yield Source(str(path), error=f"not a readable .zip archive ({exc})")
        return
    with archive:
        members = sorted(
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
        for info in members:
            where = f"{path}:{info.filename}"
            if info.file_size > MAX_FILE_BYTES:
                yield Source(where, error="the file is too large to be one legacy page")
                continue
            try:
                with archive.open(info) as handle:
                    # Read at most one byte past the limit: a member may lie about its size.
                    data = handle.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                yield Source(where, error=f"the archive member could not be read ({exc})")
                continue
            yield Source(where, data)
