import sys
import time
from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from iomcms.publishing import PublicationStatus
from legacy.loader import Importer
from legacy.pipeline import default_workers
from legacy.report import JsonReport, Outcome, Summary
from legacy.sources import BadPath, check_paths, iter_sources


class Command(BaseCommand):
    help = (
        "Import legacy texts (old-site page scrapes) as news items, projects and contacts. "
        "PATH is a .txt file, a folder (searched recursively for *.txt) or a .zip of them. "
        "Re-running is safe: unchanged pages are skipped and changed ones updated in place. "
        "Exit status: 0 when every file imported or was unchanged, 1 when any failed, "
        "2 for bad arguments."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and validate only; write nothing."
        )
        parser.add_argument(
            "--status",
            choices=PublicationStatus.values,
            default=PublicationStatus.PUBLISHED,
            help="Publication status of new records (default: published; these pages were "
            "public). Existing records keep theirs.",
        )
        parser.add_argument(
            "--report", metavar="FILE", help="Write a JSON report of every file to FILE."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="Processes that parse files in parallel on large runs (default: one per core, "
            "at most 4; 1 parses in the main process).",
        )

    def handle(self, *args, paths, dry_run, status, report, workers, verbosity, **options):
        try:
            check_paths(paths)
        except BadPath as exc:
            raise CommandError(str(exc), returncode=2) from exc
        report_path = Path(report) if report else None
        if report_path and not report_path.parent.is_dir():
            raise CommandError(
                f"--report: folder {report_path.parent} does not exist", returncode=2
            )
        if workers < 1:
            raise CommandError("--workers must be 1 or more", returncode=2)

        importer = Importer(status=status, dry_run=dry_run, workers=workers)
        summary = Summary()
        started = time.monotonic()
        show_bar = verbosity >= 1 and sys.stderr.isatty()
        with JsonReport(report_path) if report_path else nullcontext() as json_report:
            results = importer.run(iter_sources(paths))
            for result in tqdm(results, disable=not show_bar, unit="file", desc="Importing"):
                summary.add(result)
                if json_report:
                    json_report.add(result)
                self._say(result, verbosity)
            elapsed = time.monotonic() - started
            if json_report:
                try:
                    json_report.write(summary)
                except OSError as exc:
                    raise CommandError(f"--report: could not write {report_path} ({exc})") from exc

        rate = summary.files / elapsed if elapsed > 0 else float(summary.files)
        style = self.style.ERROR if summary.failed else self.style.SUCCESS
        if verbosity >= 1 or summary.failed:
            self.stdout.write(style(summary.line(dry_run=dry_run, rate=rate)))
        if summary.failed:
            raise CommandError(
                f"{summary.failed} file{'s' if summary.failed != 1 else ''} could not be "
                "imported; the reasons are listed above.",
                returncode=1,
            )

    def _say(self, result, verbosity):
        if result.outcome == Outcome.FAILED:
            self.stderr.write(f"FAILED {result.path}: {result.error}")
        elif verbosity >= 2:
            self.stdout.write(f"{result.outcome} {result.kind} {result.path}")
        if verbosity >= 2 or (verbosity >= 1 and result.outcome != Outcome.UNCHANGED):
            for warning in result.warnings:
                self.stdout.write(self.style.WARNING(f"warning {result.path}: {warning}"))
