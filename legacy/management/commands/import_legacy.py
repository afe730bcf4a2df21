import contextlib
import signal
import sys
import threading
import time
from contextlib import closing, nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from iomcms.publishing import PublicationStatus
from legacy.loader import CHUNK_SIZE, Importer
from legacy.manifest import ManifestError, read_manifest
from legacy.pipeline import default_workers
from legacy.report import JsonReport, Outcome, Summary
from legacy.sources import BadPath, check_paths, iter_sources


class Command(BaseCommand):
    help = (
        "Import legacy texts (old-site page scrapes) as news items, projects and contacts. "
        "PATH is a .txt file, a folder (searched recursively for *.txt) or a .zip of them. "
        "Re-running is safe: unchanged pages are skipped and changed ones updated in place. "
        "--manifest adds what the crawl knew (original address, date, language) per file. "
        "Exit status: 0 when every file imported or was unchanged, 1 when any failed, "
        "2 for bad arguments, 130 (Ctrl-C) or 143 (SIGTERM) when interrupted."
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
            "--manifest",
            metavar="FILE.csv",
            help="The crawl manifest: a CSV with the header file,url,published,language and "
            "an optional translation_of column (see docs/import_legacy.md). Checked whole "
            "first; any bad row refuses it and nothing is imported.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="Processes that parse files in parallel on large runs (default: one per core, "
            "at most 4; 1 parses in the main process).",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"Files written per transaction (default: {CHUNK_SIZE}). Workers parse only "
            "full chunks; an interrupted run stops after the chunk in hand.",
        )

    def handle(
        self,
        *args,
        paths,
        dry_run,
        status,
        report,
        manifest,
        workers,
        chunk_size,
        verbosity,
        **options,
    ):
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
        if chunk_size < 1:
            raise CommandError("--chunk-size must be 1 or more", returncode=2)
        if manifest:
            try:
                manifest = read_manifest(manifest)
            except ManifestError as exc:
                raise CommandError(
                    f"--manifest {manifest}: refused, nothing was imported:\n{exc}", returncode=2
                ) from exc

        importer = Importer(
            status=status,
            dry_run=dry_run,
            workers=workers,
            chunk_size=chunk_size,
            manifest=manifest or None,
        )
        summary = Summary()
        started = time.monotonic()
        show_bar = verbosity >= 1 and sys.stderr.isatty()
        forced = None  # the signal that stopped the run at once (a second one)
        with JsonReport(report_path) if report_path else nullcontext() as json_report:
            try:
                self._import(importer, paths, summary, json_report, show_bar, verbosity)
            except StopNow as exc:
                forced = exc.signum
            interrupted = forced or importer.stopped
            elapsed = time.monotonic() - started
            unused = [] if interrupted or not manifest else manifest.unused()
            for row in unused:
                summary.warnings += 1
                self.stdout.write(
                    self.style.WARNING(
                        f"warning manifest line {row.line}: no file {row.file} in this run"
                    )
                )
            if json_report:
                try:
                    json_report.write(
                        summary,
                        interrupted=interrupted and interrupted.name,
                        manifest=manifest_report(manifest, unused) if manifest else None,
                    )
                except OSError as exc:
                    raise CommandError(f"--report: could not write {report_path} ({exc})") from exc

        rate = summary.files / elapsed if elapsed > 0 else float(summary.files)
        style = self.style.ERROR if summary.failed or interrupted else self.style.SUCCESS
        if verbosity >= 1 or summary.failed or interrupted:
            self.stdout.write(style(summary.line(dry_run=dry_run, rate=rate)))
        if interrupted:
            message = interrupted_message(
                summary, interrupted, forced=bool(forced), dry_run=dry_run
            )
            raise CommandError(message, returncode=128 + interrupted)
        if summary.failed:
            raise CommandError(
                f"{summary.failed} file{'s' if summary.failed != 1 else ''} could not be "
                "imported; the reasons are listed above.",
                returncode=1,
            )

    def _import(self, importer, paths, summary, json_report, show_bar, verbosity):
        # closing(): however the loop ends (a StopNow raised between two files), the run ends
        # with it, and its finally shuts the worker processes down, before the report is made.
        with stop_on_signals(importer), closing(importer.run(iter_sources(paths))) as results:
            for result in tqdm(results, disable=not show_bar, unit="file", desc="Importing"):
                summary.add(result)
                if json_report:
                    json_report.add(result)
                self._say(result, verbosity)

    def _say(self, result, verbosity):
        if result.outcome == Outcome.FAILED:
            self.stderr.write(f"FAILED {result.path}: {result.error}")
        elif verbosity >= 2:
            line = f"{result.outcome} {result.kind} {result.path}"
            if result.redirect:
                line += f" (redirect {result.redirect['from']} -> {result.redirect['to']})"
            self.stdout.write(line)
        if verbosity >= 2 or (verbosity >= 1 and result.outcome != Outcome.UNCHANGED):
            for warning in result.warnings:
                self.stdout.write(self.style.WARNING(f"warning {result.path}: {warning}"))


class StopNow(BaseException):
    """A second SIGINT/SIGTERM: stop at once. A BaseException, like KeyboardInterrupt, so no
    ``except Exception`` in the importer takes it for one file's failure; the transaction it
    lands in rolls back."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def stop_on_signals(importer):
    """SIGINT (Ctrl-C) and SIGTERM: the first asks the importer to stop after the chunk in hand
    (see Importer.stop); a second one stops at once. Python can only set signal handlers in
    the main thread: elsewhere (call_command from a thread) the defaults stay."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_signal(signum, frame):
        signum = signal.Signals(signum)
        if importer.stop_requested:
            raise StopNow(signum)
        importer.stop(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def manifest_report(manifest, unused):
    """The JSON report's "manifest": its file, rows, and the rows no file of the run met."""
    return {
        "file": manifest.name,
        "rows": len(manifest),
        "unmatched": [{"line": row.line, "file": row.file} for row in unused],
    }


def interrupted_message(summary, signum, *, forced=False, dry_run=False):
    files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
    if dry_run:
        return f"Interrupted ({signum.name}): {files} checked, nothing written."
    if forced:
        return (
            f"Interrupted ({signum.name}, twice): {files} imported; the files being written "
            "were written whole or not at all; re-run to continue."
        )
    return (
        f"Interrupted ({signum.name}): {files} imported, the rest not touched; re-run to continue."
    )
