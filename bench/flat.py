"""Benchmark: is every public page flat? Times each public list, filter, deep page, sitemap and
the home page in process (Django's test client, the real views) on a loaded PostgreSQL
database, so the same command run at 10,000, 100,000 and 1,000,000 news items shows whether a
page grows with the content.

Usage (from the project root, PostgreSQL running):

    .venv/bin/python bench/flat.py --database-url postgres://postgres@127.0.0.1:5432/iomcms_base_1m
    .venv/bin/python bench/flat.py --database-url postgres://.../flat_10k --load 10000

It migrates the database it is given (``--load N`` first drops it and loads N news items as
bench/lists.py does: bench/search.py's generator, 3,000 contacts, 2% drafts, 1% scheduled, 1%
expired), runs ANALYZE, then times ``--requests`` GETs of each URL after one warm-up and prints
p50/p99 per URL (among them the deepest page a list offers, ``LIST_CAP / 20``, and the last
sitemap page) and the one-line reference view's p50 (bench/reference_urls.py); with
``--explain``, EXPLAIN ANALYZE of each query one request of each URL runs. Not for the base
database of others: it migrates what it is given. The report is appended to
bench/results/flat.txt.
"""

import argparse
import re
import sys
from pathlib import Path

from common import publish, run_header, setup_django, time_urls  # bench/common.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCE = "/__reference__/"


def urls(last_page, last_sitemap_page, detail):
    return [
        "/",
        detail,  # its related news: the same country, newest first
        "/news/",
        "/news/?page=2",
        f"/news/?page={last_page}",
        "/news/?page=100000",
        "/news/?country=YE",
        f"/news/?country=YE&page={last_page}",
        "/news/?country=FR",
        "/news/?kind=statement&year=2010",
        "/projects/",
        "/projects/?country=CO",
        "/contacts/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        f"/sitemap-news.xml?p={last_sitemap_page}",
        "/sitemap-projects.xml",
        "/sitemap-contacts.xml",
    ]


def explain_requests(client, targets):
    """EXPLAIN ANALYZE of every SELECT one GET of each URL runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lines = []
    for url in targets:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql.replace("%", "%%"))
                plan = [row[0] for row in cursor.fetchall()]
            lines.append(f"  {url}: {re.sub(r'\s+', ' ', sql)[:160]}...")
            lines += ["      " + line for line in plan]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per URL.")
    parser.add_argument("--load", type=int, metavar="N", help="Drop, then load N news items.")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    setup_django(args.database_url, reuse=not args.load)
    import lists
    import search as search_bench
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from iomcms.pagination import LIST_CAP
    from iomcms.sitemaps import PublishedSitemap
    from news.models import NewsItem

    if args.load:
        search_bench.load(args.load, 1)
        lists.load_contacts(lists.CONTACTS)
        lists.mark_states(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    count = NewsItem.objects.count()
    last_page = LIST_CAP // 20
    last_id = NewsItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    newest = NewsItem.objects.published().exclude(countries="").first()
    targets = urls(
        last_page, max(1, -(-last_id // PublishedSitemap.limit)), newest.get_absolute_url()
    )

    client = Client()
    with override_settings(ROOT_URLCONF="reference_urls"):
        reference = time_urls(client, [REFERENCE], args.requests)[REFERENCE]
    pages = time_urls(client, targets, args.requests)
    pct = search_bench.percentile
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {count:,} news items (2% drafts, 1% scheduled, 1% expired)",
        f"  {args.requests} requests per URL, in process; one-line reference view: "
        f"{pct(reference, 0.5):.2f} ms p50; ms p50 / p99:",
    ]
    for url in targets:
        samples = pages[url]
        lines.append(f"    {url:40} {pct(samples, 0.5):7.1f} / {pct(samples, 0.99):7.1f}")
    if args.explain:
        lines.append("EXPLAIN ANALYZE of each query (one request per URL):")
        lines += explain_requests(client, targets)
    publish("\n".join(lines), "flat.txt")


if __name__ == "__main__":
    main()
