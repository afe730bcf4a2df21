"""Benchmark: the project statistics page (/projects/statistics/, projects/statistics.py) and its
CSV at 20,000 projects on PostgreSQL, uncached, through the real views (in process, Django's
test client). The target (issue 17): p95 under 100 ms.

Usage (from the project root, PostgreSQL running; under the shared lock for reported figures):

    flock /work/bench.lock .venv/bin/python bench/project_statistics.py [--reuse] [--requests 100]

It loads bench/dataset.py's projects (20,000, with types, regions, one to three benefiting
countries, every 50th made a draft so the published() filter has something to leave out) into
its own database, ``bench_stats_20k`` (``--reuse`` keeps a loaded one), runs ANALYZE, and times
each URL with the page cache middleware left out and ``IOMCMS_PAGE_CACHE_SECONDS = 0``: every
request renders the page and runs its query. The same run times a one-line Django view
(bench/reference_urls.py): ratio = reference p50 / page p50; and ``/projects/`` (the list with
its facets) for comparison. Then the statistics query alone (``project_statistics``, p50 /
p95) and its EXPLAIN (ANALYZE, BUFFERS). The report is appended to bench/results/statistics.txt.
"""

import sys
import time
from pathlib import Path

from common import publish, run_header  # bench/common.py (the script's folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [
    "/projects/statistics/",
    "/projects/statistics/?country=CO&status=active",
    "/projects/statistics/?region=bench-region-1&year=2015",
    "/projects/statistics/?q=migrants",
    "/projects/statistics/?lang=all",
    "/fr/projects/statistics/?lang=all",
    "/projects/statistics.csv",
    "/projects/",
]
REFERENCE = "/__reference__/"
PROJECTS = 20_000
DATABASE = "postgres://postgres@127.0.0.1:5432/bench_stats_20k"


def prepare(database_url, reuse):
    import dataset
    from common import reset_database

    if not reuse:
        reset_database(database_url)
    dataset.setup_django(database_url)
    from django.db import connection

    from projects.models import Project

    if reuse and Project.objects.count() == PROJECTS:
        return
    dataset.load_projects(PROJECTS, 1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_project SET publication_status = 'draft' WHERE id % 50 = 0")
        cursor.execute("ANALYZE")


def query_timings(requests):
    """``([ms], [EXPLAIN lines])``: ``project_statistics`` alone on every public project."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from iomcms.filters import bind
    from projects.filters import ProjectFilter
    from projects.models import Project
    from projects.statistics import project_statistics

    request = RequestFactory().get("/")
    samples = []
    with translation.override("en"):
        for _ in range(requests):
            started = time.perf_counter()
            project_statistics(bind(ProjectFilter, request, Project.objects.published()).qs)
            samples.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            project_statistics(bind(ProjectFilter, request, Project.objects.published()).qs)
    assert len(captured.captured_queries) == 1, captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {captured.captured_queries[0]['sql']}")
        plan = [row[0] for row in cursor.fetchall()]
    return samples, plan


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", default=DATABASE)
    parser.add_argument("--reuse", action="store_true", help="Keep a loaded database.")
    args = parser.parse_args()
    prepare(args.database_url, args.reuse)

    from common import time_urls
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from search import percentile as pct

    from projects.models import Project

    middleware = [name for name in settings.MIDDLEWARE if "PageCache" not in name]
    client = Client()
    with override_settings(
        ROOT_URLCONF="reference_urls", MIDDLEWARE=middleware, IOMCMS_PAGE_CACHE_SECONDS=0
    ):
        reference = time_urls(client, [REFERENCE], args.requests)[REFERENCE]
        results = time_urls(client, URLS, args.requests)
        reference += time_urls(client, [REFERENCE], args.requests)[REFERENCE]
    alone, plan = query_timings(args.requests)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    total = Project.objects.count()
    public = Project.objects.published().count()
    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    ref = pct(reference, 0.5)
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {total:,} projects ({public:,} public), load average {load}",
        f"  {args.requests} requests per URL, in process, page cache off (middleware and "
        f"facet cache); one-line reference view: {ref:.2f} ms p50",
        "  ms p50 / p95 / p99 (ratio reference p50 / page p50):",
    ]
    for url in URLS:
        samples = results[url]
        lines.append(
            f"    {url:55} {pct(samples, 0.5):6.1f} / {pct(samples, 0.95):6.1f} / "
            f"{pct(samples, 0.99):6.1f} ({ref / pct(samples, 0.5):.3f})"
        )
    lines.append(
        f"  project_statistics alone (every public project, English): "
        f"{pct(alone, 0.5):.1f} / {pct(alone, 0.95):.1f} ms p50 / p95; EXPLAIN (ANALYZE, BUFFERS):"
    )
    lines += ["    " + line for line in plan]
    publish("\n".join(lines), "statistics.txt")


if __name__ == "__main__":
    main()
