from django.core.management.base import BaseCommand

from iomcms import pagecache


class Command(BaseCommand):
    help = (
        "Make every page in the page cache invisible at once (a new generation). Needed only "
        "after a change the application did not make itself, such as SQL run by hand."
    )

    def handle(self, *args, **options):
        if not pagecache.expire_all():
            self.stderr.write("The cache could not be reached; nothing was changed.")
            raise SystemExit(1)
        self.stdout.write("Cached pages expired: the next request for each page renders it.")
