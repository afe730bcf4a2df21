"""Check: the same generated batch, imported whole, in two runs, or killed and re-run, gives the
same records.

Usage (from the project root, PostgreSQL running):

    .venv/bin/python bench/import_splits.py --count 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/iomcms_legacy

It generates the files with bench/make_legacy.py (seed 1) and, each time on a freshly created
database, runs `manage.py import_legacy` in a child process:

- clean: the whole folder once;
- split: the first --first files (2,000 by default), then the whole folder;
- crash: the whole folder, killed with SIGKILL once about half of the records are in, then the
  whole folder again.

It counts contacts, contact links, news items and projects, and compares a canonical dump of
every imported field (ids and timestamps left out; links as each release's ordered contacts)
with the clean run's. The database is dropped and re-created: use one of your own. Results are
appended to bench/results/import_splits.txt.
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def canonical_state():
    """Every field an import decides, without ids and timestamps, in a stable order.

    Also used by tests/legacy/test_import_splits.py.
    """
    from contacts.models import Contact
    from news.models import NewsItem, NewsItemContact
    from projects.models import Project, ProjectType, Region

    contacts = sorted(
        Contact.objects.values_list(
            "name", "office", "email", "phone", "mobile", "job_title", "country", "is_public",
            "match_key", "slug",
        )
    )  # fmt: skip
    links = {}
    for key, name, office, email in NewsItemContact.objects.order_by(
        "news_item__legacy_key", "position"
    ).values_list("news_item__legacy_key", "contact__name", "contact__office", "contact__email"):
        links.setdefault(key, []).append((name, office, email))
    news = sorted(
        NewsItem.objects.values_list(
            "legacy_key", "title", "slug", "kind", "dateline", "published_on", "lead", "body",
            "countries", "source_file", "source_hash", "publication_status",
        )
    )  # fmt: skip
    projects = sorted(
        Project.objects.values_list(
            "project_code", "title", "slug", "prima_id", "status", "project_type__name",
            "region__name", "start", "end", "year", "budget_usd", "coverage", "benefiting_states",
            "summary", "description", "source_file", "source_hash", "publication_status",
        )
    )  # fmt: skip
    lists = (
        sorted(Region.objects.values_list("name", "slug")),
        sorted(ProjectType.objects.values_list("name", "slug")),
    )
    return {
        "contacts": contacts,
        "links": links,
        "news": news,
        "projects": projects,
        "lists": lists,
    }


def figures(state):
    return {
        "contacts": len(state["contacts"]),
        "links": sum(len(contacts) for contacts in state["links"].values()),
        "news": len(state["news"]),
        "projects": len(state["projects"]),
    }


def fingerprint(state):
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()[:12]


def differences(state, reference):
    """Which parts differ, and by how many entries."""
    out = []
    for part in reference:
        if state[part] != reference[part]:
            if isinstance(reference[part], dict):
                keys = set(state[part]) | set(reference[part])
                n = sum(state[part].get(k) != reference[part].get(k) for k in keys)
            else:
                n = len(set(map(str, state[part])) ^ set(map(str, reference[part])))
            out.append(f"{part} ({n})")
    return ", ".join(out) or "none"


def import_command(folder):
    return [PYTHON, "manage.py", "import_legacy", str(folder), "-v", "0"]


def run_import(folder, env):
    started = time.perf_counter()
    subprocess.run(import_command(folder), cwd=ROOT, env=env, capture_output=True)
    return time.perf_counter() - started


def run_and_kill(folder, env, when_records):
    """Start an import and SIGKILL it (and its parser workers) once ``when_records`` are in."""
    from news.models import NewsItem
    from projects.models import Project

    child = subprocess.Popen(
        import_command(folder), cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while child.poll() is None:
            if NewsItem.objects.count() + Project.objects.count() >= when_records:
                os.killpg(child.pid, signal.SIGKILL)
                break
            time.sleep(0.2)
    finally:
        child.wait()
    return NewsItem.objects.count() + Project.objects.count()


def main():
    # bench/common.py (the script's folder is on sys.path)
    from common import publish, reset_database, run_header

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--first", type=int, default=2000, help="files in the split's first run")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/iomcms_legacy"
    )
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": args.database_url,
           "DJANGO_SETTINGS_MODULE": "iomcms.settings.dev", "DJANGO_DEBUG": "false"}  # fmt: skip
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    workdir = Path(tempfile.mkdtemp(prefix="iomcms-splits-"))
    everything, first = workdir / "all", workdir / "first"
    try:
        subprocess.run(
            [PYTHON, "bench/make_legacy.py", "--count", str(args.count), "--out", str(everything)],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        first.mkdir()
        for path in sorted(everything.glob("*.txt"))[: args.first]:
            (first / path.name).symlink_to(path)

        def fresh():
            from django.db import connections

            connections.close_all()
            reset_database(args.database_url)
            subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env,
                           check=True)  # fmt: skip

        rows = []
        fresh()
        seconds = run_import(everything, env)
        clean = canonical_state()
        rows.append(("clean run", clean, f"{seconds:.1f} s"))

        fresh()
        seconds = run_import(first, env) + run_import(everything, env)
        rows.append((f"{args.first} then all", canonical_state(), f"{seconds:.1f} s"))

        fresh()
        total = len(clean["news"]) + len(clean["projects"])
        done = run_and_kill(everything, env, total // 2)
        seconds = run_import(everything, env)
        rows.append(("kill -9, re-run", canonical_state(), f"{done} records at the kill"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    lines = [run_header() + f", {args.count} files, {urlparse(args.database_url).scheme}"]
    for label, state, note in rows:
        counts = ", ".join(f"{value:,} {name}" for name, value in figures(state).items())
        lines.append(
            f"  {label:16}: {counts}; dump {fingerprint(state)}; differs from clean: "
            f"{differences(state, clean)} ({note})"
        )
    publish("\n".join(lines), "import_splits.txt")


if __name__ == "__main__":
    main()
