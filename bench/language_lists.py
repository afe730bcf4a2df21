"""Benchmark: the news list in one language (``/fr/news/``, ``/es/news/?country=SN``) with and
without the per-language index (news migration 0012), on PostgreSQL, through the real views.

Usage (from the project root, PostgreSQL running; under the shared lock):

    flock /work/bench.lock .venv/bin/python bench/language_lists.py --count 100000

It loads N news items with bench/search.py's generator (60% English, 25% French, 15% Spanish)
into its own database (``--reuse`` keeps a loaded one), marks drafts, scheduled and expired
items as bench/lists.py does, and times ``--requests`` GETs of each URL after one warm-up: first
with the index, then with it dropped (the plan before migration 0012), then creates it again.
Ratios are to the one-line reference view timed in the same run. It prints p50/p95/p99 and
EXPLAIN ANALYZE of the French list's page and count queries both ways, and appends the report
to bench/results/language_lists.txt.
"""

import sys
from pathlib import Path

from common import loaded_database_arguments, publish, run_header, setup_django, time_urls

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [
    "/fr/news/",
    "/es/news/?country=SN",
    "/es/news/?country=SN&page=25",
    "/es/news/",
    "/fr/news/?page=50",
    "/news/",
]
REFERENCE = "/__reference__/"
INDEX = "news_public_language_order_idx"


def plans():
    from django.utils import translation

    from news.models import NewsItem

    with translation.override("fr"):
        rows = NewsItem.objects.published().for_list().filter(language="fr")
        page = rows[:20].explain(analyze=True)
        count = rows.order_by().values("pk").explain(analyze=True)
    from iomcms.filters import country_condition

    spanish = (
        NewsItem.objects.published().for_list().filter(language="es")
        .filter(country_condition(NewsItem, "countries", "SN"))
    )  # fmt: skip
    country = spanish[:20].explain(analyze=True)
    return page, count, country


def main():
    import lists
    import search as search_bench

    args = loaded_database_arguments(
        __doc__, count=100000, timed="requests", timed_help="Timed requests per URL.",
        database="iomcms_i18n_bench",
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
    lists.mark_states(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef(%s::regclass)", [INDEX])
        (index_sql,) = cursor.fetchone()
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()

    client = Client()
    with override_settings(ROOT_URLCONF="reference_urls"):
        reference = time_urls(client, [REFERENCE], args.requests)[REFERENCE]
        with_index = time_urls(client, URLS, args.requests)
        plans_with = plans()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {INDEX}")
            cursor.execute("ANALYZE news_newsitem")
        try:
            without = time_urls(client, URLS, args.requests)
            plans_without = plans()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(index_sql)
                cursor.execute("ANALYZE news_newsitem")
        reference += time_urls(client, [REFERENCE], args.requests)[REFERENCE]

    pct = search_bench.percentile
    ref = pct(reference, 0.5)
    load = Path("/proc/loadavg").read_text().split()[:3]
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {args.count:,} news items (60% en, 25% fr, 15% es; 2% drafts, 1% scheduled, "
        f"1% expired), load {' '.join(load)} at the end",
        f"  {args.requests} requests per URL, in process; reference view {ref:.2f} ms p50",
        "  ms p50 / p95 / p99 (ratio reference p50 / page p50): without the index -> with it",
    ]
    for url in URLS:
        a, b = without[url], with_index[url]
        lines.append(
            f"    {url:26} {pct(a, 0.5):6.1f} / {pct(a, 0.95):6.1f} / {pct(a, 0.99):6.1f} "
            f"({ref / pct(a, 0.5):.3f})  ->  {pct(b, 0.5):6.1f} / {pct(b, 0.95):6.1f} / "
            f"{pct(b, 0.99):6.1f} ({ref / pct(b, 0.5):.3f})"
        )
    for title, plan_set in (("without the index", plans_without), ("with it", plans_with)):
        for name, plan in zip(
            ("/fr/news/ page", "/fr/news/ count", "/es/news/?country=SN page"), plan_set,
            strict=True,
        ):  # fmt: skip
            lines.append(f"  EXPLAIN ANALYZE {name}, {title}:")
            lines += ["    " + line for line in plan.splitlines()]
    publish("\n".join(lines), "language_lists.txt")


if __name__ == "__main__":
    main()
