"""Benchmark: import N generated legacy texts, then re-run over the unchanged files.

Usage (from the project root, PostgreSQL running):

    .venv/bin/python bench/import_legacy.py --count 10000
    .venv/bin/python bench/import_legacy.py --count 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/iomcms_bench

It generates the files with bench/make_legacy.py (seed 1), drops and re-creates the benchmark
database, migrates it, and times `manage.py import_legacy DIR -v 0` twice in a fresh process each
time, reporting wall time, files/s and the peak resident memory of the import process. Run it
with several --count values to see that memory stays flat as N grows. Results are appended to
bench/results/import_legacy.txt with the date and machine.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

# bench/common.py (the script's folder is on sys.path)
from common import publish, reset_database, run_header

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def run_import(directory, env):
    """Run the import in a child process; return (seconds, peak RSS in MiB, exit code, summary).

    Peak RSS is GNU time's maximum resident set size: the largest of the import process and
    its parser workers."""
    command = ["/usr/bin/time", "-f", "%M", PYTHON, "manage.py", "import_legacy", directory,
               "-v", "0"]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    summary = (done.stdout.strip().splitlines() or [""])[-1]
    return elapsed, peak_kib / 1024, done.returncode, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/iomcms_bench")
    parser.add_argument("--keep", action="store_true", help="Keep the generated files.")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": args.database_url,
           "DJANGO_SETTINGS_MODULE": "iomcms.settings.dev", "DJANGO_DEBUG": "false"}  # fmt: skip
    workdir = Path(tempfile.mkdtemp(prefix="iomcms-bench-"))
    try:
        subprocess.run(
            [PYTHON, "bench/make_legacy.py", "--count", str(args.count), "--out", str(workdir)],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        reset_database(args.database_url)
        subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        first = run_import(str(workdir), env)
        second = run_import(str(workdir), env)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    lines = [
        run_header() + f", {args.count} files, {urlparse(args.database_url).scheme}",
    ]
    for label, (seconds, rss, code, summary) in (("first run", first), ("re-run", second)):
        lines.append(
            f"  {label:9}: {seconds:6.2f} s  {args.count / seconds:7.0f} files/s  "
            f"peak RSS {rss:6.1f} MiB  exit {code}  | {summary}"
        )
    publish("\n".join(lines), "import_legacy.txt")


if __name__ == "__main__":
    main()
