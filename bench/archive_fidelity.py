"""Archive fidelity: import the labelled real pages and count the fields that came out right.

Usage (from the project root; no server needed):

    .venv/bin/python bench/archive_fidelity.py [--set tests/legacy/holdout]

``--set DIR`` scores another labelled set in the archive's format (default tests/legacy/archive);
the results file is named after the set's folder: bench/results/archive_fidelity.txt for the
archive, bench/results/holdout_fidelity.txt for tests/legacy/holdout. A set without a
manifest.csv is imported without --manifest.

It creates a throwaway SQLite database, migrates it, runs

    manage.py import_legacy tests/legacy/archive --manifest tests/legacy/archive/manifest.csv \\
        --report <tmp>/report.json

in this process (without --manifest, saying so, while the command has no such option), reads
back the records each file made, and scores them against tests/legacy/archive/labels.json with
tests/legacy/fidelity.py: right/total per field, per class of page, per language, and every
wrong field (file, field, expected, got). The text is printed and written to
bench/results/archive_fidelity.txt (replaced on each run: it is the current state, not a log).
"""

import argparse
import io
import json
import logging
import os
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from common import run_header  # bench/common.py (the script's folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Score import_legacy against a labelled set.")
    parser.add_argument(
        "--set",
        dest="set_dir",
        type=Path,
        default=ROOT / "tests" / "legacy" / "archive",
        help="a labelled set directory (labels.json, pages, optional manifest.csv)",
    )
    return parser.parse_args(argv)


def results_path(set_dir):
    """bench/results/<set folder>_fidelity.txt: archive_fidelity.txt, holdout_fidelity.txt."""
    return ROOT / "bench" / "results" / f"{Path(set_dir).resolve().name}_fidelity.txt"


def main(argv=None):
    set_dir = parse_args(argv).set_dir.resolve()
    workdir = Path(tempfile.mkdtemp(prefix="iomcms-fidelity-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "iomcms.settings.test"  # testserver host, no DEBUG
    os.environ.pop("DATABASE_REPLICA_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from tests.legacy import fidelity

    # An old URL without its redirect is a wrong field in the table, not a log line.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    call_command("migrate", verbosity=0)
    report_path = workdir / "report.json"
    notes, output = run_import(call_command, report_path, set_dir)
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    labels = fidelity.load_labels(set_dir)
    records = fidelity.collect_records(report, labels, client=Client())
    result = fidelity.score(labels, records)
    text = "\n".join(
        [
            run_header(f", {len(labels)} labelled files of {set_label(set_dir)}, SQLite"),
            *notes,
            f"import: {summary_line(output)}",
            *failed_files(report),
            "",
            fidelity.format_table(result),
        ]
    )
    print(text)
    results = results_path(set_dir)
    results.write_text(text + "\n", encoding="utf-8")


def failed_files(report):
    """One line per file the import refused, with its reason (all its fields score wrong)."""
    failed = [f for f in report.get("files", ()) if f.get("outcome") == "failed"]
    return [f"  failed: {Path(f['path']).name}: {f.get('error')}" for f in failed]


def summary_line(output):
    """The command's summary ("53 files: 49 created, ...") out of its output."""
    lines = [line for line in output.splitlines() if " files: " in line or " file: " in line]
    return lines[-1].strip() if lines else "(no summary)"


def set_label(set_dir):
    try:
        return str(Path(set_dir).relative_to(ROOT))
    except ValueError:
        return str(set_dir)


def run_import(call_command, report_path, set_dir):
    """Run import_legacy over the set; ([notes], the command's output)."""
    from django.core.management import CommandError

    from tests.legacy.fidelity import manifest_path

    base = ["import_legacy", str(set_dir), "--report", str(report_path), "--workers", "1"]
    manifest = manifest_path(set_dir)
    notes = [] if manifest else ["the set has no manifest.csv: ran without --manifest"]
    attempts = ([*base, "--manifest", str(manifest)], base) if manifest else (base,)
    for arguments in attempts:
        out = io.StringIO()
        try:
            with redirect_stdout(out), redirect_stderr(out):
                call_command(*arguments, stdout=out, stderr=out)
        except CommandError as exc:
            if "--manifest" in arguments and "manifest" in str(exc) and "unrecognized" in str(exc):
                notes.append("import_legacy has no --manifest option yet: ran without it")
                continue
            out.write(f"\n{exc}")  # files failed: they score as wrong, the run goes on
        except TypeError as exc:  # call_command: "Unknown option(s) for import_legacy command"
            if "manifest" in str(exc):
                notes.append("import_legacy has no --manifest option yet: ran without it")
                continue
            raise
        return notes, out.getvalue()
    return notes, ""


if __name__ == "__main__":
    main()
