"""Benchmark: the IATI export (/projects/iati.xml) of 20,000 projects on PostgreSQL, through
the real view (in process, Django's test client, the streamed body read to the end).

Usage (from the project root, PostgreSQL running; reported figures under the shared lock):

    flock /work/bench.lock .venv/bin/python bench/iati.py
    flock /work/bench.lock .venv/bin/python bench/iati.py --count 20000 --requests 10 --reuse

It loads N projects with bench/dataset.py's generator (all published, 1-3 countries, a budget,
year-only dates) into its own database, ``iomcms_iati_bench`` (``--reuse`` keeps a loaded
one), makes every 50th a draft, runs ANALYZE, then times ``--requests`` GETs of each URL after
one warm-up, and the one-line reference view (bench/reference_urls.py) in the same run: each
URL's ratio is its p50 over the reference's. At the end it checks the whole document against
the IATI 2.03 schema. Memory: the peak of Python allocations (tracemalloc) while one document is
written, for the whole export and for a filtered one about 1/30 of its size: the same peak
says the memory does not grow with the number of projects. Also the process's peak RSS before
that check (which parses the whole document into memory). It
prints p50/p95/p99 and appends the report to bench/results/iati.txt.
"""

import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from common import (  # bench/common.py (the script's folder is on sys.path)
    loaded_database_arguments,
    publish,
    run_header,
    setup_django,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCE = "/__reference__/"
FULL = "/projects/iati.xml?lang=all"
URLS = [FULL, "/projects/iati.xml", "/projects/iati.xml?year=2010", "/projects/iati.xml?country=KE"]
SCHEMA = ROOT / "tests" / "projects" / "iati_schema" / "iati-activities-schema.xsd"


def read(client, url):
    """GET ``url``, read its body to the end; (status, bytes)."""
    response = client.get(url)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return response.status_code, size


def timed(client, url, requests):
    assert read(client, url)[0] == 200, url  # warm-up
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        status, size = read(client, url)
        samples.append((time.perf_counter() - started) * 1000)
        assert status == 200, url
    return samples, size


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def peak_memory(client, url):
    """(peak bytes allocated by Python while ``url`` is read, body bytes)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    _status, size = read(client, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, size


def validate(client):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    response = client.get(FULL)
    root = etree.fromstring(b"".join(response.streaming_content))
    assert schema.validate(root), schema.error_log
    return len(root)


def main():
    import dataset

    args = loaded_database_arguments(
        __doc__, count=20000, timed="requests", timed_help="Timed requests per URL.",
        database="iomcms_iati_bench",
    )  # fmt: skip
    args.requests = args.requests if "--requests" in sys.argv else 10
    setup_django(args.database_url, reuse=args.reuse)
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from projects.models import Project

    if Project.objects.filter(project_code__startswith="BENCH-").count() != args.count:
        dataset.load_projects(args.count, args.seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE projects_project SET publication_status = 'draft' WHERE id %% 50 = 0", []
        )
        cursor.execute("VACUUM ANALYZE projects_project")
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    public = Project.objects.published().count()

    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    client = Client()
    with override_settings(ROOT_URLCONF="reference_urls", IOMCMS_PAGE_CACHE_SECONDS=0):
        reference, _ = timed(client, REFERENCE, 200)
        results = {url: timed(client, url, args.requests) for url in URLS}
        memory = [
            (url, *peak_memory(client, url)) for url in (FULL, "/projects/iati.xml?year=2010")
        ]
        # Before the validation, which holds the whole document as a tree.
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        activities = validate(client)
        assert activities == public, (activities, public)

    base = statistics.median(reference)
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}"),
        f"  {args.count:,} projects, {public:,} public (every 50th a draft); load before timing "
        f"{load}; {activities:,} activities in the whole document, valid against IATI 2.03",
        f"  {args.requests} requests per URL (the body read to the end); reference view p50 "
        f"{base:.2f} ms",
        "  ms p50 / p95 / p99, ratio (reference p50 / URL p50), document size:",
    ]
    for url, (samples, size) in results.items():
        p50 = statistics.median(samples)
        lines.append(
            f"    {url:34} {p50:8.1f} / {percentile(samples, 0.95):8.1f} / "
            f"{percentile(samples, 0.99):8.1f}  ratio {base / p50:.5f}  {size / 1e6:6.2f} MB"
        )
    lines.append("  peak Python memory while one document is written (tracemalloc):")
    for url, peak, size in memory:
        lines.append(f"    {url:34} {peak / 1e6:6.2f} MB peak for a {size / 1e6:6.2f} MB document")
    lines.append(
        f"  process peak RSS after the timed requests (before the schema check): {rss // 1024} MB"
    )
    publish("\n".join(lines), "iati.txt")


if __name__ == "__main__":
    main()
