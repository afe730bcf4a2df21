import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from iomcms.publishing import PublicationStatus
from legacy.loader import CREATED, FAILED, UNCHANGED, UPDATED, Importer
from legacy.pipeline import default_workers
from legacy.sources import BadPath, check_paths, iter_sources

OUTCOMES = (CREATED, UPDATED, UNCHANGED, FAILED)


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
        counts = Counter()
        started = time.monotonic()
        show_bar = verbosity >= 1 and sys.stderr.isatty()
        # File entries go to a spool file as they come, so memory stays flat on huge runs.
        with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
            results = importer.run(iter_sources(paths))
            for result in tqdm(results, disable=not show_bar, unit="file", desc="Importing"):
                if report_path:
                    if sum(counts[o] for o in OUTCOMES):
                        spool.write(",\n")
                    json.dump(result.as_dict(), spool, ensure_ascii=False)
                counts[result.outcome] += 1
                counts["warnings"] += len(result.warnings)
                self._say(result, verbosity)
            elapsed = time.monotonic() - started
            if report_path:
                self._write_report(report_path, spool, counts)

        files = sum(counts[o] for o in OUTCOMES)
        rate = files / elapsed if elapsed > 0 else float(files)
        summary = (
            f"{'Dry run: ' if dry_run else ''}{files} file{'s' if files != 1 else ''}: "
            f"{counts[CREATED]} created, {counts[UPDATED]} updated, "
            f"{counts[UNCHANGED]} unchanged, {counts[FAILED]} failed, "
            f"{counts['warnings']} warning{'s' if counts['warnings'] != 1 else ''} "
            f"({rate:.0f} files/s)"
        )
        if files and counts[CREATED] == counts[UPDATED] == counts[FAILED] == 0:
            summary += ". Nothing changed."
        if dry_run:
            summary += " Nothing was written."
        style = self.style.ERROR if counts[FAILED] else self.style.SUCCESS
        if verbosity >= 1 or counts[FAILED]:
            self.stdout.write(style(summary))
        if counts[FAILED]:
            raise CommandError(
                f"{counts[FAILED]} file{'s' if counts[FAILED] != 1 else ''} could not be "
                "imported; the reasons are listed above.",
                returncode=1,
            )

    def _say(self, result, verbosity):
        if result.outcome == FAILED:
            self.stderr.write(f"FAILED {result.path}: {result.error}")
        elif verbosity >= 2:
            self.stdout.write(f"{result.outcome} {result.kind} {result.path}")
        if verbosity >= 2 or (verbosity >= 1 and result.outcome != UNCHANGED):
            for warning in result.warnings:
                self.stdout.write(self.style.WARNING(f"warning {result.path}: {warning}"))

    def _write_report(self, report_path, spool, counts):
        summary = {key: counts[key] for key in (*OUTCOMES, "warnings")}
        spool.seek(0)
        partial = report_path.with_name(report_path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as out:
                out.write('{"summary": ' + json.dumps(summary) + ',\n "files": [\n')
                while chunk := spool.read(1 << 16):
                    out.write(chunk)
                out.write("\n]}\n")
            partial.replace(report_path)  # never leave a half-written report behind
        except OSError as exc:
            raise CommandError(f"--report: could not write {report_path} ({exc})") from exc
