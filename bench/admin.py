"""Benchmark: the admin home and the content changelists (plain, searched, filtered), in
process through Django's test client with a signed-in superuser, on PostgreSQL databases that
are already loaded (for example a 10,000-item one and a copy of the 1,000,000-item one), or
one this script loads (``--load N``: N news items with bench/search.py's generator, press
contacts and the draft/scheduled/expired mix of bench/lists.py).

Usage (from the project root, PostgreSQL running):

    .venv/bin/python bench/admin.py --database-url postgres://postgres@127.0.0.1:5432/adm_1m
    .venv/bin/python bench/admin.py --database-url postgres://…/adm_10k \
        --database-url postgres://…/adm_1m
    .venv/bin/python bench/admin.py --load 10000 --database-url postgres://…/iomcms_admin_bench

It migrates each database, then times ``--requests`` GETs of each URL after one warm-up. With
several databases (on one server) the requests alternate between them in rounds, so a busy,
shared machine slows every database alike and the comparison stays fair; the last column is
each page's p50 divided by its p50 on the first database. The one-line reference view
(bench/reference_urls.py) is timed before and after; a page's ratio is the reference's p50
divided by the page's p50. For one request of each URL it records how many queries ran and
the slowest one. Then EXPLAIN ANALYZE, on the last database, of the queries that used to scan
the news table. The report is appended to bench/results/admin.txt.
"""

import argparse
import sys
from pathlib import Path

from common import publish, run_header, setup_django, time_urls  # bench/common.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [
    "/admin/",
    "/admin/news/newsitem/",
    "/admin/news/newsitem/?q=migrants",
    "/admin/news/newsitem/?q=%22voluntary+return%22+-libya",
    "/admin/news/newsitem/?published_on__year=2012",
    "/admin/news/newsitem/?countries=CO",
    "/admin/news/newsitem/?p=150",
    "/admin/projects/project/",
    "/admin/projects/project/?q=migrants",
    "/admin/contacts/contact/",
    "/admin/contacts/contact/?q=migrants",
]
REFERENCE = "/__reference__/"
USER = "bench-admin"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", action="append", required=True, help="Repeat to compare databases."
    )
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per URL.")
    parser.add_argument("--rounds", type=int, default=5, help="Alternations between databases.")
    parser.add_argument("--load", type=int, metavar="N", help="Reset the database, load N items.")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def query_profile(client, url):
    """(number of queries, slowest in ms, its SQL's start) of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    return len(captured), float(slowest["time"]) * 1000, " ".join(slowest["sql"].split())[:70]


def plans():
    """EXPLAIN ANALYZE of the queries behind the admin home and the news changelist."""
    from django.db import connection
    from django.utils import timezone

    from iomcms.admin import EstimatedCountPaginator, planned_rows
    from iomcms.publishing import PublicationStatus, WorkflowState
    from news.models import NewsItem

    now = timezone.now()
    published = NewsItem.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    found = NewsItem.objects.search("migrants").matches
    cases = [
        ("Coming up: next go-lives", NewsItem.objects.in_state(WorkflowState.SCHEDULED, now)
         .order_by("go_live_at").only("pk", "title", "go_live_at", "expire_at")[:8]),
        ("Coming up: next expiries", NewsItem.objects.expiring(now).order_by("expire_at")
         .only("pk", "title", "go_live_at", "expire_at")[:8]),
        ("next_public_change: one of its four lookups",
         published.filter(go_live_at__gt=now).order_by("go_live_at").values("go_live_at")[:1]),
        ("changelist page", NewsItem.objects.order_by(*NewsItem._meta.ordering, "-pk")[:50]),
        ("changelist count (bounded; the planner's estimate is used past it)",
         NewsItem.objects.order_by().values("pk")[: EstimatedCountPaginator.EXACT_BELOW]),
        ("year filter bounds", None),
        ("search ?q=migrants, first page", found.order_by(*NewsItem._meta.ordering, "-pk")[:50]),
        ("search ?q=migrants, bounded count",
         found.order_by().values("pk")[: EstimatedCountPaginator.EXACT_BELOW]),
    ]  # fmt: skip
    lines = []
    for title, queryset in cases:
        lines.append(f"  EXPLAIN ANALYZE {title}:")
        if queryset is None:  # an aggregate has no explain(): the filter's SQL by hand
            with connection.cursor() as cursor:
                cursor.execute(
                    "EXPLAIN ANALYZE SELECT MIN(published_on), MAX(published_on) FROM news_newsitem"
                )
                text = "\n".join(row[0] for row in cursor.fetchall())
        else:
            text = queryset.explain(analyze=True)
        lines += ["    " + line for line in text.splitlines()]
    lines.append(f"  planner's estimate of all news rows: {planned_rows(NewsItem.objects.all()):,}")
    return lines


def use_database(url):
    """Point the default connection at ``url`` (another database on the same server)."""
    import dj_database_url
    from django.db import connection

    connection.close()
    config = dj_database_url.parse(url)
    for key in ("NAME", "HOST", "PORT", "USER", "PASSWORD"):
        connection.settings_dict[key] = config[key]


def prepare(user_model):
    """Migrate the current database and return (its signed-in superuser, facts for the report)."""
    from django.core.management import call_command
    from django.db import connection

    from contacts.models import Contact
    from projects.models import Project

    call_command("migrate", verbosity=0)
    user = user_model.objects.filter(username=USER).first()
    if user is None:
        user = user_model.objects.create_superuser(USER, "bench@example.org", "pw")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'news_newsitem'")
        (news_rows,) = cursor.fetchone()
    facts = (
        f"{connection.settings_dict['NAME']}: about {news_rows:,} news items, "
        f"{Project.objects.count():,} projects, {Contact.objects.count():,} contacts"
    )
    return user, facts, server_version.split()[0]


def main():
    args = arguments()
    urls = args.database_url
    setup_django(urls[0], reuse=not args.load)
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone
    from search import percentile

    if args.load:
        import lists
        import search as search_bench

        search_bench.load(args.load, args.seed)
        lists.load_contacts(3000)
        lists.mark_states(timezone.now())
    users, facts = {}, []
    for url in urls:
        use_database(url)
        users[url], fact, server_version = prepare(get_user_model())
        facts.append(fact)

    client = Client()
    per_round = max(1, args.requests // args.rounds)
    timed = {(db, page): [] for db in urls for page in URLS}
    reference, profiles = [], {}
    with override_settings(ROOT_URLCONF="reference_urls"):
        reference += time_urls(client, [REFERENCE], args.requests)[REFERENCE]
        for _ in range(args.rounds):
            for db in urls:
                use_database(db)
                client.force_login(users[db])
                for page, samples in time_urls(client, URLS, per_round).items():
                    timed[db, page] += samples
        reference += time_urls(client, [REFERENCE], args.requests)[REFERENCE]
        for db in urls:
            use_database(db)
            client.force_login(users[db])
            profiles.update({(db, page): query_profile(client, page) for page in URLS})

    ref = percentile(reference, 0.5)
    lines = [
        run_header(f", PostgreSQL {server_version}") + "; " + "; ".join(facts),
        f"  {per_round * args.rounds} requests per URL and database ({args.rounds} rounds), in "
        f"process, signed-in superuser; one-line reference view: {ref:.2f} ms p50 / "
        f"{percentile(reference, 0.99):.2f} ms p99",
        "  ms p50 / p99, ratio (reference p50 / page p50), queries, slowest query (ms), "
        "p50 / p50 on the first database",
    ]
    for page in URLS:
        lines.append(f"    {page}")
        base = percentile(timed[urls[0], page], 0.5)
        for db in urls:
            samples = timed[db, page]
            p50 = percentile(samples, 0.5)
            count, slowest, sql = profiles[db, page]
            name = db.rsplit("/", 1)[-1]
            lines.append(
                f"      {name:14} {p50:7.1f} / {percentile(samples, 0.99):7.1f}  {ref / p50:6.3f}"
                f"  {count:2d} q  {slowest:6.1f}  x{p50 / base:4.2f}  {sql[:48]}"
            )
    lines += plans()  # on the last database
    publish("\n".join(lines), "admin.txt")


if __name__ == "__main__":
    main()
