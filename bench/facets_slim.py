"""Benchmark: the facet queries of the news list at N news items without loading N full
items: a slim copy of ``news_newsitem`` (only the columns the facets read, and
``news_facets_idx``), each row of a loaded database repeated, in a schema of its own.

A facet query reads the facets index alone (an index-only scan, bench/results/facets.txt), so
its cost depends on the index entries, not on the bodies that make bench/dataset.py take an
hour at 1,000,000 items on a busy 2-core machine. The queries are the ones ``facets.counted``
runs for each URL (captured on the loaded database, then run with ``search_path`` on the slim
copy); each is timed by EXPLAIN (ANALYZE, BUFFERS, TIMING OFF: per-node clocks would
cost more than some plans themselves), median of ``--runs``.

Usage (from the project root; the loaded database from bench/dataset.py --count 100000):

    flock /work/bench.lock .venv/bin/python bench/facets_slim.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_100k --times 10 [--keep]

Run it from another checkout to measure that checkout's queries on the same copy (``--keep``
leaves the copy for the next run; the schema is ``facets_slim``).
"""

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
SCHEMA = "facets_slim"
COLUMNS = "language, publication_status, go_live_at, expire_at, published_on, kind, countries"
URLS = ["/news/", "/news/?country=CO", "/news/?lang=all"]


def build(cursor, times):
    if exists(cursor) and count(cursor, SCHEMA) == times * count(cursor, "public"):
        return  # kept by a previous run (--keep)
    cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    cursor.execute(f"CREATE SCHEMA {SCHEMA}")
    cursor.execute(
        f"CREATE TABLE {SCHEMA}.news_newsitem AS SELECT row_number() OVER () AS id, {COLUMNS} "
        f"FROM public.news_newsitem, generate_series(1, %s) AS copy",
        [times],
    )
    cursor.execute(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND indexname = 'news_facets_idx'"
    )
    (definition,) = cursor.fetchone()
    cursor.execute(definition.replace("public.news_newsitem", f"{SCHEMA}.news_newsitem"))
    cursor.execute(f"VACUUM ANALYZE {SCHEMA}.news_newsitem")


def exists(cursor):
    cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [SCHEMA])
    return cursor.fetchone() is not None


def count(cursor, schema):
    cursor.execute(f"SELECT count(*) FROM {schema}.news_newsitem")
    return cursor.fetchone()[0]


def captured(url):
    """The facet queries (GROUP BY) ``facets.counted`` runs for ``url``, uncached."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import translation

    from iomcms import facets
    from iomcms.filters import bind
    from news.filters import NewsItemFilter
    from news.models import NewsItem

    with translation.override("en"), override_settings(IOMCMS_PAGE_CACHE_SECONDS=0):
        filterset = bind(NewsItemFilter, RequestFactory().get(url), NewsItem.objects.published())
        with CaptureQueriesContext(connection) as queries:
            facets.counted(filterset)
    return [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]


def main():
    import dataset  # bench/dataset.py
    import psycopg

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Leave the slim copy.")
    args = parser.parse_args()
    dataset.setup_django(args.database_url)
    queries = {url: captured(url) for url in URLS}
    with psycopg.connect(args.database_url, autocommit=True) as conn, conn.cursor() as cursor:
        build(cursor, args.times)
        rows = count(cursor, SCHEMA)
        cursor.execute(f"SET search_path TO {SCHEMA}, public")
        # The full table is wide (bodies): its facet queries read the index alone. The slim
        # copy is as narrow as the index, so the planner would scan it: keep the real plan.
        cursor.execute("SET enable_seqscan = off")
        with open("/proc/loadavg") as handle:
            load = " ".join(handle.read().split()[:3])
        print(f"slim copy: {rows:,} rows ({args.times} x public.news_newsitem), load {load}")
        for url, sqls in queries.items():
            total = []
            for sql in sqls:
                times, plan = [], []
                for _ in range(args.runs):
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) {sql}")
                    (plan,) = cursor.fetchone()[0]
                    times.append(plan["Execution Time"])
                top = plan["Plan"]
                buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
                scans = sorted(
                    {node for node in _nodes(top) if "Scan" in node}, key=len, reverse=True
                )
                total.append(statistics.median(times))
                print(
                    f"  {url:20} {statistics.median(times):8.1f} ms median of {args.runs}, "
                    f"{buffers:6} buffers, {top['Node Type']}"
                    + (f" {top.get('Strategy', '')}" if top.get("Strategy") else "")
                    + f"; {', '.join(scans)}"
                )
            print(f"  {url:20} {sum(total):8.1f} ms for its {len(sqls)} facet queries")
        if not args.keep:
            cursor.execute(f"DROP SCHEMA {SCHEMA} CASCADE")


def _nodes(plan):
    yield plan["Node Type"]
    for child in plan.get("Plans", []):
        yield from _nodes(child)


if __name__ == "__main__":
    main()
