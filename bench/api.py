"""Benchmark: the JSON API (/api/v1/) on PostgreSQL, through the real views, beside the HTML list
and a one-line Django view measured in the same run.

Usage (from the project root, PostgreSQL running; under the shared lock):

    flock /work/bench.lock .venv/bin/python bench/api.py
    flock /work/bench.lock .venv/bin/python bench/api.py --count 100000 --requests 100 --reuse
    nice .venv/bin/python bench/api.py --load-only   # load first, outside the lock

It loads N news items with bench/search.py's generator into its own database (``--reuse``
keeps a loaded one), marks drafts, scheduled and expired items and adds press contacts as
bench/lists.py does, makes 1% of the items undated archive items (they sort last) and links
every fifth item to a French translation, then times ``--requests`` GETs of each URL after one
warm-up with Django's test client (page cache off, as in the tests: every request does the
work; the throttle on, with a rate no run reaches): the API's first page, a page 90% deep
through a cursor, the page that crosses from the dated into the undated items, filtered
lists, a detail; the HTML list's first and 2,000th page for comparison. Each URL's ratio is the
reference view's p50 divided by its p50 (higher is faster). The report, with EXPLAIN ANALYZE of
the deep cursor's page query, is appended to bench/results/api.txt.
"""

import base64
import json
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

REFERENCE = "/__reference__/"


def cursor_at(offset):
    """A ``cursor`` value that starts the API's news list after its ``offset``-th row."""
    from api.pagination import keys_of
    from news.models import NewsItem

    rows = NewsItem.objects.published()
    keys = keys_of(rows)
    row = rows.order_by(*(key.order_by() for key in keys))[offset]
    values = []
    for key in keys:
        value = getattr(row, key.field)
        values.append(value if value is None or isinstance(value, int) else str(value))
    token = json.dumps({"o": [key.label() for key in keys], "v": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")


def undate_and_translate():
    """1% undated archive items; every fifth item (not the undated) in a translation group
    with the item after it, made French."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE news_newsitem SET published_on = NULL, legacy_key = 'bench-' || id "
            "WHERE id %% 100 = 3",
            [],
        )
        cursor.execute(
            "UPDATE news_newsitem SET translation_group = md5('g' || (id - id %% 5))::uuid, "
            "language = CASE WHEN id %% 5 = 1 THEN 'fr' ELSE 'en' END "
            "WHERE id %% 5 IN (0, 1) AND id %% 100 <> 3",
            [],
        )
        cursor.execute("VACUUM ANALYZE news_newsitem")


def main():
    import lists as lists_bench
    import search as search_bench

    # --load-only: load (or check) the database and stop, so the load can run outside the lock.
    load_only = "--load-only" in sys.argv
    if load_only:
        sys.argv.remove("--load-only")
    args = loaded_database_arguments(
        __doc__, count=100000, timed="requests", timed_help="Timed requests per URL.",
        database="iomcms_api_bench",
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
        lists_bench.load_contacts(lists_bench.CONTACTS)
        lists_bench.mark_states(timezone.now())
    if not NewsItem.objects.filter(translation_group__isnull=False).exists():
        undate_and_translate()
    if load_only:
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()

    public = NewsItem.objects.published().count()
    undated = NewsItem.objects.published().filter(published_on__isnull=True).count()
    deep = cursor_at(int(public * 0.9))
    crossing = cursor_at(public - undated - 10)
    detail = NewsItem.objects.published().order_by("-pk").values_list("slug", flat=True)[500]
    urls = [
        "/api/v1/news/",
        f"/api/v1/news/?cursor={deep}",
        f"/api/v1/news/?cursor={crossing}",
        "/api/v1/news/?page_size=100",
        "/api/v1/news/?country=CO",
        "/api/v1/news/?kind=statement&year=2010",
        "/api/v1/news/?lang=fr",
        "/api/v1/news/?q=migrants",
        f"/api/v1/news/{detail}/",
        "/news/",
        "/news/?page=2000",
    ]
    labels = {
        urls[1]: "/api/v1/news/?cursor=<90% deep>",
        urls[2]: "/api/v1/news/?cursor=<dated->undated>",
        urls[8]: "/api/v1/news/<slug>/",
    }

    client = Client()
    with override_settings(ROOT_URLCONF="reference_urls", IOMCMS_API_THROTTLE_RATE="100000/s"):
        reference = time_urls(client, [REFERENCE], args.requests)[REFERENCE]
        timed = time_urls(client, urls, args.requests)
        reference += time_urls(client, [REFERENCE], args.requests)[REFERENCE]

    from api.pagination import keys_of, segments_after

    rows = NewsItem.objects.published()
    keys = keys_of(rows)
    anchor = rows.order_by(*(key.order_by() for key in keys))[int(public * 0.9)]
    segment = segments_after(rows, keys, [getattr(anchor, key.field) for key in keys])[0]
    plan = segment[:21].explain(analyze=True)

    pct = search_bench.percentile
    ref50 = pct(reference, 0.5)
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {args.count:,} news items, {public:,} public now ({undated:,} undated; 2% "
        "drafts, 1% scheduled, 1% expired), 2 in 5 in a translation group",
        f"  {args.requests} requests per URL, in process, page cache off; one-line reference "
        f"view: {ref50:.2f} ms p50 / {pct(reference, 0.99):.2f} ms p99",
        "  ms p50 / p95 / p99 and ratio (reference p50 / URL p50)",
    ]
    for url in urls:
        samples = timed[url]
        lines.append(
            f"    {labels.get(url, url):40} {pct(samples, 0.5):6.1f} / {pct(samples, 0.95):6.1f}"
            f" / {pct(samples, 0.99):6.1f}  {ref50 / pct(samples, 0.5):6.3f}"
        )
    lines.append("  EXPLAIN ANALYZE the 90%-deep cursor's page query:")
    lines += ["    " + line for line in plan.splitlines()]
    publish("\n".join(lines), "api.txt")


if __name__ == "__main__":
    main()
