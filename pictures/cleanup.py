"""Files of pictures that no row names: the sweep behind ``manage.py delete_orphan_pictures``.

Files are written before the row that names them is saved (``Picture.save``). A save that
fails deletes its files at once, but a row saved inside a transaction that later rolls back
(an admin form whose other part failed, a lost connection) leaves its folder behind: Django
has no rollback hook. Such folders hold nothing anyone links to, since no page can name them;
they only take space. This sweep removes them. Each picture has its own folder
(``pictures/<random>/``, ``images.store``), so a folder is an orphan when no ``Picture`` names
a file in it. Folders younger than the grace period are left alone: their row may be in a
transaction still open.

Only the storage's own calls are used (``listdir``, ``get_modified_time``, ``delete``), so
the sweep works on the local disk and on any Django storage backend that lists files.
"""

import datetime
import posixpath

from django.core.files.storage import default_storage
from django.utils import timezone

from .models import Picture

ROOT = "pictures"


def referenced_folders():
    """The folders that a picture row's files are in."""
    names = Picture.objects.values_list("file", flat=True).iterator()
    return {posixpath.dirname(name) for name in names if name}


def orphaned_folders(older_than=datetime.timedelta(hours=24), storage=None, now=None):
    """``{folder: [file names]}`` of folders under ``pictures/`` that no picture names and
    whose newest file is older than ``older_than``."""
    storage = storage or default_storage
    now = now or timezone.now()
    try:
        folders, _files = storage.listdir(ROOT)
    except FileNotFoundError:
        return {}
    kept = referenced_folders()
    found = {}
    for folder in folders:
        path = f"{ROOT}/{folder}"
        if path in kept:
            continue
        _subfolders, files = storage.listdir(path)
        names = [f"{path}/{name}" for name in files]
        if not names:
            continue  # emptied already (a storage API has no call to remove a folder)
        if now - max(storage.get_modified_time(name) for name in names) < older_than:
            continue  # perhaps a row not committed yet
        found[path] = names
    return found


def delete_orphaned(older_than=datetime.timedelta(hours=24), storage=None, dry_run=False):
    """Delete the orphaned folders' files; returns ``(folders, files)`` counted."""
    storage = storage or default_storage
    found = orphaned_folders(older_than, storage)
    files = sum(len(names) for names in found.values())
    if not dry_run:
        for names in found.values():
            for name in names:
                storage.delete(name)
    return len(found), files
