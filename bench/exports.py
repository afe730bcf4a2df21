"""Benchmark: the news CSV export (``/news/export.csv``) at 100,000 items on PostgreSQL, through
the real view and middleware (in process, Django's test client).

Usage (from the project root, PostgreSQL running):

    nice .venv/bin/python bench/exports.py --load-only          # load the items, time nothing
    flock /work/bench.lock .venv/bin/python bench/exports.py --reuse

It loads N news items with bench/search.py's generator into its own database, with
bench/lists.py's mix of drafts, scheduled and expired items and its press contacts (one or two
per release), then exports, ``--requests`` times each after one warm-up:

- ``?lang=all``: every public item (about 96% of N), each with its contacts;
- ``?lang=all&year=2010``: about one year of them (~4%), to show that memory does not grow with
  the rows;
- the one-line reference view (bench/reference_urls.py), for the ratio.

For each: time to first byte (the header row, sent before any row is read), time to the first
rows (the first chunk read and written), total time (the whole body read), bytes and rows,
and the peak resident memory of the process while the body is produced, above its level
before the request (the kernel's high-water mark, VmHWM, reset first through
/proc/self/clear_refs). It also holds the whole export in memory once
(``list()`` of the same rows with the same prefetch) to show what streaming saves. The report
is appended to bench/results/exports.txt.
"""

import os
import sys
import time
from pathlib import Path

from common import loaded_database_arguments, publish, run_header, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCE = "/__reference__/"
URLS = ["/news/export.csv?lang=all", "/news/export.csv?lang=all&year=2010"]


def memory_kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def reset_peak():
    """Make VmHWM (the peak resident set) start again from the current RSS."""
    Path("/proc/self/clear_refs").write_text("5")


def export_once(client, url):
    """(ttfb ms, first rows ms, total ms, bytes, lines, peak RSS above the start in KiB)."""
    before = memory_kib("VmRSS")
    reset_peak()
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200 and response.streaming, url
    pieces = iter(response.streaming_content)
    first = next(pieces)  # the header row
    ttfb = (time.perf_counter() - started) * 1000
    size, lines = len(first), first.count(b"\r\n")
    rows_at = None
    for piece in pieces:
        if rows_at is None:
            rows_at = (time.perf_counter() - started) * 1000
        size += len(piece)
        lines += piece.count(b"\r\n")
    response.close()
    total = (time.perf_counter() - started) * 1000
    return ttfb, rows_at, total, size, lines, memory_kib("VmHWM") - before


def held_in_memory():
    """Peak RSS (KiB above the start) of the same rows loaded whole, as a non-streaming view
    would, and how long that takes."""
    from news.exports import NewsItemCsvView
    from news.models import NewsItem

    queryset = NewsItemCsvView().base_queryset()  # every language, as ?lang=all
    before = memory_kib("VmRSS")
    reset_peak()
    started = time.perf_counter()
    rows = list(queryset)
    elapsed = (time.perf_counter() - started) * 1000
    peak = memory_kib("VmHWM") - before
    assert len(rows) == NewsItem.objects.published().count()
    del rows
    return elapsed, peak


def main():
    import lists as list_bench
    import search as search_bench

    load_only = "--load-only" in sys.argv
    if load_only:
        sys.argv.remove("--load-only")
    args = loaded_database_arguments(
        __doc__, count=100000, timed="requests", timed_help="Timed exports per URL.",
        database="iomcms_exports_bench",
    )  # fmt: skip
    setup_django(args.database_url, reuse=args.reuse)
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from news.models import NewsItem

    if NewsItem.objects.count() != args.count:
        NewsItem.objects.all().delete()
        search_bench.load(args.count, args.seed)
        list_bench.load_contacts(list_bench.CONTACTS)
        list_bench.mark_states(timezone.now())
    if load_only:
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()

    client = Client()
    pct = search_bench.percentile
    results = {}
    with override_settings(ROOT_URLCONF="reference_urls"):
        reference = list_bench.time_urls(client, [REFERENCE], 200)[REFERENCE]
        for url in URLS:
            export_once(client, url)  # warm-up
            results[url] = [export_once(client, url) for _ in range(args.requests)]
    held_ms, held_kib = held_in_memory()
    load = os.getloadavg()

    public = NewsItem.objects.published().count()
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {args.count:,} news items, {public:,} public now, "
        f"{list_bench.CONTACTS:,} contacts, 1-2 per release; load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        f"  {args.requests} exports per URL after a warm-up, in process (test client, every "
        f"middleware); one-line reference view {pct(reference, 0.5):.2f} ms p50",
        "  first byte (header) p50 ms | first rows p50/p95 ms | total p50/p95 ms | rows | MB | "
        "rows/s p50 | peak RSS above start, max MiB | ratio reference p50 / total p50",
    ]
    for url, runs in results.items():
        ttfb = [run[0] for run in runs]
        first_rows = [run[1] for run in runs]
        total = [run[2] for run in runs]
        size, rows = runs[0][3], runs[0][4] - 1
        peak = max(run[5] for run in runs) / 1024
        lines.append(
            f"    {url:38} {pct(ttfb, 0.5):5.1f} | "
            f"{pct(first_rows, 0.5):6.1f} / {pct(first_rows, 0.95):6.1f} | "
            f"{pct(total, 0.5):8.0f} / {pct(total, 0.95):8.0f} | {rows:7,} | "
            f"{size / 1e6:5.1f} | {rows / pct(total, 0.5) * 1000:7,.0f} | {peak:6.1f} | "
            f"{pct(reference, 0.5) / pct(total, 0.5):.6f}"
        )
    lines.append(
        f"  the same {public:,} rows held whole (list() with the prefetch, no CSV): "
        f"{held_ms:,.0f} ms, peak RSS above start {held_kib / 1024:.1f} MiB"
    )
    publish("\n".join(lines), "exports.txt")


if __name__ == "__main__":
    main()
