"""Benchmark: country pages (countries/, issue 17) and their sitemap, uncached, on PostgreSQL,
through the real views (in process, Django's test client).

Usage (from the project root, PostgreSQL running):

    .venv/bin/python bench/countries.py
    .venv/bin/python bench/countries.py --count 100000 --projects 20000 --requests 50 --reuse

It loads N news items with bench/search.py's generator (13 countries, one or two per item, so
each country has thousands), bench/lists.py's press contacts and publication states (2%
drafts, 1% scheduled, 1% expired) and bench/dataset.py's projects (one to three benefiting
countries each, every 50th a draft), into its own database (``--reuse`` keeps a loaded one),
gives a country's office the contacts, runs ANALYZE, and times ``--requests`` GETs of each URL
after one warm-up with the page cache off, beside a one-line Django view (the ratio is its p50
over the page's, for a shared, noisy machine). It prints p50/p95/p99, the queries of one
page, and EXPLAIN ANALYZE of the two GROUP BYs, and appends the report to
bench/results/countries.txt.
"""

import statistics
import sys
from pathlib import Path

from common import (  # bench/common.py (the script's folder is on sys.path)
    loaded_database_arguments,
    publish,
    run_header,
    setup_django,
    time_urls,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [
    "/countries/co/",
    "/fr/countries/co/",
    "/countries/sd/",
    "/sitemap-countries.xml",
    "/news/?country=CO",
    "/projects/?country=CO",
]
REFERENCE = "/__reference__/"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    import argparse

    import dataset
    import lists
    import search

    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--projects", type=int, default=20000)
    known, rest = extra.parse_known_args()
    sys.argv = [sys.argv[0], *rest]
    args = loaded_database_arguments(
        __doc__, count=100000, timed="requests", timed_help="Timed requests per URL.",
        database="iomcms_countries_bench",
    )  # fmt: skip
    setup_django(args.database_url, reuse=args.reuse)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from countries.content import news_rows, project_rows
    from news.models import NewsItem
    from projects.models import Project

    if NewsItem.objects.count() != args.count:
        NewsItem.objects.all().delete()
        search.load(args.count, args.seed)
        lists.load_contacts(dataset.CONTACTS)
        lists.mark_states(timezone.now())
    if Project.objects.count() != known.projects:
        dataset.load_projects(known.projects, args.seed)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE contacts_contact SET country = 'CO' WHERE id %% 10 = 0", [])
        cursor.execute(
            "UPDATE projects_project SET publication_status = 'draft' WHERE id %% 50 = 0", []
        )
        cursor.execute("VACUUM ANALYZE projects_project")
        cursor.execute("VACUUM ANALYZE contacts_contact")
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    news_co = news_rows("CO").filter(language="en").count()
    projects_co = project_rows("CO").filter(language="en").count()

    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    client = Client()
    with override_settings(ROOT_URLCONF="reference_urls", IOMCMS_PAGE_CACHE_SECONDS=0):
        reference = time_urls(client, [REFERENCE], 200)[REFERENCE]
        results = time_urls(client, URLS, args.requests)
        with CaptureQueriesContext(connection) as captured:
            client.get("/countries/co/")
    base = statistics.median(reference)
    counted = news_rows("CO").order_by().values("language").annotate(n=Count("pk"))
    news_plan = counted.explain(analyze=True)
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}"),
        f"  {args.count:,} news items (2% drafts, 1% scheduled, 1% expired), {known.projects:,} "
        f"projects (every 50th a draft); Colombia: {news_co:,} public English news items, "
        f"{projects_co:,} public English projects; load before timing {load}",
        f"  {args.requests} requests per URL, page cache off; reference view p50 {base:.2f} ms",
        "  ms p50 / p95 / p99, ratio (reference p50 / URL p50):",
    ]
    for url in URLS:
        samples = results[url]
        lines.append(
            f"    {url:28} {percentile(samples, 0.5):7.1f} / {percentile(samples, 0.95):7.1f} / "
            f"{percentile(samples, 0.99):7.1f}  {base / percentile(samples, 0.5):6.3f}"
        )
    lines.append(f"  /countries/co/: {len(captured.captured_queries)} queries:")
    lines += [
        f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]}"
        for query in captured.captured_queries
    ]
    lines.append("  EXPLAIN ANALYZE the news counted by language:")
    lines += ["    " + line for line in news_plan.splitlines()]
    publish("\n".join(lines), "countries.txt")


if __name__ == "__main__":
    main()
