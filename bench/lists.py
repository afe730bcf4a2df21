"""Benchmark: public list pages, feed and sitemap with scheduled, expired and draft items mixed
in, on PostgreSQL, through the real views; and the same pages under the pre-scheduling
visibility rule (status only), to show what the go-live/expiry predicate costs.

Usage (from the project root, PostgreSQL running):

    .venv/bin/python bench/lists.py
    .venv/bin/python bench/lists.py --count 100000 --requests 100 --reuse

It loads N news items with bench/search.py's generator into its own database (``--reuse``
keeps a loaded one), then marks 2% of them drafts, 1% scheduled (go-live next month) and 1%
expired, runs ANALYZE, and times ``--requests`` GETs of each URL after one warm-up, first with
``published()`` as it is, then with ``published()`` replaced by the old status-only filter.
It prints p50/p95 per URL for both and EXPLAIN ANALYZE of the news list's page query, and
appends the report to bench/results/lists.txt.
"""

import datetime
import sys
import time
from pathlib import Path

from common import (  # bench/common.py (the script's folder is on sys.path)
    loaded_database_arguments,
    publish,
    run_header,
    setup_django,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

URLS = [
    "/news/",
    "/news/?page=2000",
    "/news/?country=CO",
    "/news/?kind=statement&year=2010",
    "/",
    "/news/feed/rss/",
    "/sitemap-news.xml",
]


def mark_states(now):
    """Deterministic mix: every 50th item a draft, every 100th (+1) scheduled, (+2) expired."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE news_newsitem SET publication_status = 'draft' WHERE id %% 50 = 0", []
        )
        cursor.execute(
            "UPDATE news_newsitem SET go_live_at = %s WHERE id %% 100 = 1",
            [now + datetime.timedelta(days=30)],
        )
        cursor.execute(
            "UPDATE news_newsitem SET expire_at = %s WHERE id %% 100 = 2",
            [now - datetime.timedelta(days=30)],
        )
        cursor.execute("VACUUM ANALYZE news_newsitem")


def time_urls(client, requests):
    results = {}
    for url in URLS:
        assert client.get(url).status_code == 200, url  # warm-up
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        results[url] = samples
    return results


def main():
    import search as search_bench

    args = loaded_database_arguments(
        __doc__, count=100000, timed="requests", timed_help="Timed requests per URL.",
        database="iomcms_lists_bench",
    )  # fmt: skip
    setup_django(args.database_url, reuse=args.reuse)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from iomcms.publishing import PublicationStatus, PublishableQuerySet
    from news.models import NewsItem

    if NewsItem.objects.count() != args.count:
        NewsItem.objects.all().delete()
        search_bench.load(args.count, args.seed)
    now = timezone.now()
    mark_states(now)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()

    client = Client()
    scheduled = time_urls(client, args.requests)
    page_plan = NewsItem.objects.published().for_list()[:20].explain(analyze=True)
    count_plan = NewsItem.objects.published().order_by().values("pk").explain(analyze=True)
    public = NewsItem.objects.published().count()

    rule = PublishableQuerySet.published

    def status_only(self, at=None):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    PublishableQuerySet.published = status_only
    try:
        baseline = time_urls(client, args.requests)
    finally:
        PublishableQuerySet.published = rule

    pct = search_bench.percentile
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {args.count:,} news items, {public:,} public now "
        "(2% drafts, 1% scheduled, 1% expired)",
        f"  {args.requests} requests per URL; ms p50 / p95: published() with scheduling | "
        "status-only rule",
    ]
    for url in URLS:
        a, b = scheduled[url], baseline[url]
        lines.append(
            f"    {url:34} {pct(a, 0.5):6.1f} / {pct(a, 0.95):6.1f}  |  "
            f"{pct(b, 0.5):6.1f} / {pct(b, 0.95):6.1f}"
        )
    lines.append("  EXPLAIN ANALYZE news list, first page:")
    lines += ["    " + line for line in page_plan.splitlines()]
    lines.append("  EXPLAIN ANALYZE the public rows (the paginator's count reads these):")
    lines += ["    " + line for line in count_plan.splitlines()]
    publish("\n".join(lines), "lists.txt")


if __name__ == "__main__":
    main()
