from django.core.management.base import BaseCommand

from iomcms.trash import empty_trash, trash_days


class Command(BaseCommand):
    help = (
        "Delete for ever the news items, projects and press contacts that have been in the "
        "trash longer than IOMCMS_TRASH_DAYS days. Run it daily (docs/operations.md, 'Trash'); "
        "the public site never depends on it: trashed items are hidden whether or not it ran."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        counts = empty_trash(dry_run=dry_run)
        total = sum(counts.values())
        if verbosity >= 2:
            for model, count in counts.items():
                self.stdout.write(f"  {model._meta.verbose_name_plural}: {count}")
        verb = "Would delete" if dry_run else "Deleted"
        message = (
            f"{verb} {total} item{'s' if total != 1 else ''} trashed more than "
            f"{trash_days()} days ago."
        )
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(message) if total else message)
