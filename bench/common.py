"""What every benchmark report starts with, and where it goes."""

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
