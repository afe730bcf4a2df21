"""Benchmark: public list pages, search, feed and sitemap with scheduled, expired and draft items
mixed in, on PostgreSQL, through the real views (in process, Django's test client); and the same
pages under the pre-scheduling visibility rule (status only), to show what the go-live/expiry
predicate costs.

Usage (from the project root, PostgreSQL running):

    .venv/bin/python bench/lists.py
    .venv/bin/python bench/lists.py --count 100000 --requests 100 --reuse

It loads N news items with bench/search.py's generator into its own database (``--reuse``
keeps a loaded one), then marks 2% of them drafts, 1% scheduled (go-live next month) and 1%
expired, adds press contacts (one in 20 a spokesperson, the rest public only through a live
release) and links every release to one or two of them, runs ANALYZE, and times ``--requests``
GETs of each URL after one warm-up, first with ``published()`` as it is, then with
``published()`` replaced by the old status-only filter. The same run times a one-line Django
view (bench/reference_urls.py) through the same client: each page's *ratio* is the reference's
p50 divided by the page's p50, so a shared, noisy machine moves both alike. It prints p50/p99
and the ratio per URL (p50/p95 for the status-only rule) and EXPLAIN ANALYZE of the news list's
page query, and appends the report to bench/results/lists.txt.
"""

import datetime
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
    "/news/",
    "/news/?page=2000",
    "/news/?country=CO",
    "/news/?kind=statement&year=2010",
    "/",
    "/news/feed/rss/",
    "/sitemap-news.xml",
    "/contacts/",
    "/contacts/?q=iom",
    "/search/?q=migrants",
    "/sitemap-contacts.xml",
]
REFERENCE = "/__reference__/"
CONTACTS = 3000


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


def load_contacts(count):
    """``count`` contacts (every 20th a spokesperson) and one or two links per release, in SQL."""
    from django.db import connection

    from contacts.models import Contact

    with connection.cursor() as cursor:  # in SQL: a cascading delete records history row by row
        cursor.execute("DELETE FROM news_newsitemcontact")
        cursor.execute("DELETE FROM contacts_contact")
    Contact.objects.bulk_create(
        Contact(
            name=f"Press Officer {n}",
            slug=f"press-officer-{n}",
            office=f"IOM Office {n % 150}",
            email=f"officer{n}@iom.example",
            match_key=f"press officer {n}|iom office {n % 150}",
            is_spokesperson=n % 20 == 0,
        )
        for n in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM contacts_contact")
        low, high = cursor.fetchone()
        span = high - low + 1
        cursor.execute(
            "INSERT INTO news_newsitemcontact (news_item_id, contact_id, position) "
            "SELECT id, %s + (id * 7) %% %s, 0 FROM news_newsitem "
            "UNION ALL SELECT id, %s + (id * 13 + 1) %% %s, 1 FROM news_newsitem "
            "WHERE id %% 2 = 0 AND (id * 13 + 1) %% %s <> (id * 7) %% %s",
            [low, span, low, span, span, span],
        )
        cursor.execute("VACUUM ANALYZE contacts_contact")
        cursor.execute("VACUUM ANALYZE news_newsitemcontact")


def main():
    import search as search_bench

    args = loaded_database_arguments(
        __doc__, count=100000, timed="requests", timed_help="Timed requests per URL.",
        database="iomcms_lists_bench",
    )  # fmt: skip
    setup_django(args.database_url, reuse=args.reuse)
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from iomcms.publishing import PublicationStatus, PublishableQuerySet
    from news.models import NewsItem

    if NewsItem.objects.count() != args.count:
        NewsItem.objects.all().delete()
        search_bench.load(args.count, args.seed)
    load_contacts(CONTACTS)
    now = timezone.now()
    mark_states(now)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()

    client = Client()
    with override_settings(ROOT_URLCONF="reference_urls"):
        reference = time_urls(client, [REFERENCE], args.requests)[REFERENCE]
        scheduled = time_urls(client, URLS, args.requests)
        reference_after = time_urls(client, [REFERENCE], args.requests)[REFERENCE]
    reference += reference_after  # before and after the pages, so drift shows in both
    page_plan = NewsItem.objects.published().for_list()[:20].explain(analyze=True)
    count_plan = NewsItem.objects.published().order_by().values("pk").explain(analyze=True)
    public = NewsItem.objects.published().count()

    rule = PublishableQuerySet.published

    def status_only(self, at=None):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    PublishableQuerySet.published = status_only
    try:
        baseline = time_urls(client, URLS, args.requests)
    finally:
        PublishableQuerySet.published = rule

    pct = search_bench.percentile
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {args.count:,} news items, {public:,} public now "
        "(2% drafts, 1% scheduled, 1% expired)",
        f"  {args.requests} requests per URL, in process; one-line reference view: "
        f"{pct(reference, 0.5):.2f} ms p50 / {pct(reference, 0.99):.2f} ms p99",
        "  ms p50 / p99 and ratio (reference p50 / page p50) with published() | "
        "p50 / p95 status-only rule",
    ]
    for url in URLS:
        a, b = scheduled[url], baseline[url]
        lines.append(
            f"    {url:34} {pct(a, 0.5):6.1f} / {pct(a, 0.99):6.1f}  "
            f"{pct(reference, 0.5) / pct(a, 0.5):6.3f}  |  "
            f"{pct(b, 0.5):6.1f} / {pct(b, 0.95):6.1f}"
        )
    lines.append("  EXPLAIN ANALYZE news list, first page:")
    lines += ["    " + line for line in page_plan.splitlines()]
    lines.append("  EXPLAIN ANALYZE the public rows (the paginator's count reads these):")
    lines += ["    " + line for line in count_plan.splitlines()]
    publish("\n".join(lines), "lists.txt")


if __name__ == "__main__":
    main()
