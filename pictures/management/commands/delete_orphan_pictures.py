import datetime

from django.core.management.base import BaseCommand, CommandError

from pictures.cleanup import delete_orphaned


class Command(BaseCommand):
    help = (
        "Delete picture files that no picture names (left by a save whose transaction rolled "
        "back). Run it daily with empty_trash (docs/operations.md, 'Pictures and media "
        "files'); pages never depend on it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=24,
            help="Leave folders whose newest file is younger than this (default 24).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, older_than_hours=24, dry_run=False, verbosity=1, **options):
        if older_than_hours < 0:
            raise CommandError("--older-than-hours must be 0 or more.")
        folders, files = delete_orphaned(
            datetime.timedelta(hours=older_than_hours), dry_run=dry_run
        )
        verb = "Would delete" if dry_run else "Deleted"
        if verbosity >= 1:
            self.stdout.write(
                f"{verb} {files} file{'s' if files != 1 else ''} in {folders} "
                f"folder{'s' if folders != 1 else ''} that no picture names."
            )
