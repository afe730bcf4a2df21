"""Files written for a picture whose row never made it: deleted at once when the save fails,
swept by ``delete_orphan_pictures`` when the transaction rolled back afterwards."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from pictures.cleanup import orphaned_folders
from pictures.models import Picture
from tests.factories import make_picture, picture_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def stored(storage):
    folders, _ = storage.listdir("pictures")
    return {f"pictures/{f}/{name}" for f in folders for name in storage.listdir(f"pictures/{f}")[1]}


def run(*args):
    out = io.StringIO()
    call_command("delete_orphan_pictures", *args, stdout=out)
    return out.getvalue()


def test_a_refused_row_leaves_no_files(memory_storage):
    picture = Picture(
        file=SimpleUploadedFile("a.jpg", picture_bytes(900, 600)), alt_text="", credit="IOM"
    )
    with pytest.raises(IntegrityError):  # the database's own alt-text rule
        picture.save()
    assert stored(memory_storage) == set()
    assert "Deleted 0 files in 0 folders" in run("--older-than-hours", "0")


def test_a_rolled_back_upload_is_swept_and_live_pictures_are_kept(memory_storage):
    kept = make_picture()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_picture(name="rolled-back.jpg")
        raise RuntimeError("the rest of the form failed")
    assert Picture.objects.count() == 1
    orphans = stored(memory_storage) - set(kept.stored_names())
    assert len(orphans) == 7  # the original and three widths in two formats

    # Too young: its row might still be in an open transaction.
    assert "Deleted 0 files in 0 folders" in run()
    assert stored(memory_storage) >= orphans

    assert "Would delete 7 files in 1 folder" in run("--older-than-hours", "0", "--dry-run")
    assert stored(memory_storage) >= orphans
    assert "Deleted 7 files in 1 folder" in run("--older-than-hours", "0")
    assert stored(memory_storage) == set(kept.stored_names())
    assert all(memory_storage.exists(name) for name in kept.stored_names())


def test_the_grace_period_counts_from_the_newest_file(memory_storage):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_picture()
        raise RuntimeError
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=25)
    assert len(orphaned_folders(now=later)) == 1
    assert orphaned_folders() == {}


def test_no_pictures_folder_is_nothing_to_do(memory_storage):
    assert "Deleted 0 files in 0 folders" in run("--older-than-hours", "0")


def test_a_negative_grace_period_is_refused():
    with pytest.raises(CommandError, match="0 or more"):
        run("--older-than-hours", "-1")
