"""What every benchmark report starts with, and where it goes."""

import argparse
import datetime
import os
import platform
import subprocess
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def run_header(details=""):
    """``2026-11-23 05:41 commit fd19a4b vm (2 cores, Python 3.13.0<details>)``."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{datetime.datetime.now():%Y-%m-%d %H:%M} commit {commit} {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}{details})"
    )


def publish(report, name):
    """Print ``report`` and append it to ``bench/results/<name>``."""
    print(report)
    results = ROOT / "bench" / "results" / name
    results.parent.mkdir(exist_ok=True)
    with results.open("a", encoding="utf-8") as handle:
        handle.write(report + "\n")


def reset_database(url):
    """Drop and re-create the PostgreSQL database of ``url`` (a benchmark's own database)."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def loaded_database_arguments(doc, *, count, timed, timed_help, database):
    """The options of a benchmark that loads ``count`` items into its own database."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument(f"--{timed}", type=int, default=200 if timed == "searches" else 100,
                        help=timed_help)  # fmt: skip
    parser.add_argument("--database-url", default=f"postgres://postgres@127.0.0.1:5432/{database}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="Keep a loaded database.")
    return parser.parse_args()


def setup_django(database_url, *, reuse):
    """Point Django at the benchmark's database (fresh unless ``reuse``), set it up, migrate."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "iomcms.settings.test"  # testserver host, no DEBUG
    if not reuse:
        reset_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def time_urls(client, urls, requests):
    """``{url: [ms, ...]}``: ``requests`` timed GETs of each URL through ``client`` (Django's
    test client), after one untimed warm-up; every answer must be a 200."""
    import time

    results = {}
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm-up
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        results[url] = samples
    return results
