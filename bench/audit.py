"""Benchmark: the admin's audit page (iomcms/audit.py) over 1,000,000 history rows.

Loads its own PostgreSQL database (``--count`` history rows, default 1,000,000: about 70% news
items, 10% their media contacts, 10% projects, 10% contacts; ``--log`` admin log rows), by
multiplying a few hundred real rows in SQL: dates at random over ten years, 90% of the rows by
one "importer" user, the rest by nine editors, one of whom ("rare") wrote 20 rows; 0.1% are
deletions. Then times ``--requests`` GETs of each URL through Django's test client with a
superuser, and records each page's query count and slowest query, and EXPLAIN ANALYZE of the
slowest one of the rare user's page. The report is appended to bench/results/audit.txt.

    flock /work/bench.lock .venv/bin/python bench/audit.py \
        --database-url postgres://postgres@127.0.0.1:5432/iomcms_audit_bench
"""

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before bench/: its api.py is not the api app

from common import publish, run_header, setup_django, time_urls  # noqa: E402


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/iomcms_audit_bench"
    )
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--log", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="Keep a loaded database.")
    return parser.parse_args()


SHARES = {  # historical model label -> share of the rows
    "news.NewsItem": 0.7,
    "news.NewsItemContact": 0.1,
    "projects.Project": 0.1,
    "contacts.Contact": 0.1,
}


def multiply(model, rows, users, rare):
    """Grow ``model``'s historical table to ``rows`` rows, copies of the rows it has."""
    from django.db import connection

    table = model.history.model._meta.db_table
    columns = [
        f.column for f in model.history.model._meta.concrete_fields if f.column != "history_id"
    ]
    replaced = {
        "history_date": "now() - random() * interval '3650 days'",
        # 90% the importer, else one of the editors; 'rare' gets none here.
        "history_user_id": (
            f"CASE WHEN g %% 10 <> 0 THEN {users[0]} "
            f"ELSE (ARRAY{users[1:]})[1 + (g / 10) %% {len(users) - 1}] END"
        ),
        "history_type": "CASE WHEN g %% 1000 = 7 THEN '-' ELSE '~' END",
    }
    quote = connection.ops.quote_name
    select = ", ".join(replaced.get(c, f"h.{quote(c)}") for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        have = cursor.fetchone()[0]
        per_row = max(1, rows // max(have, 1))
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
            f"SELECT {select} FROM {table} h, generate_series(1, %s) g",
            [per_row],
        )
        # The rare editor: 20 rows spread over the years.
        cursor.execute(
            f"UPDATE {table} SET history_user_id = %s WHERE history_id IN "
            f"(SELECT history_id FROM {table} ORDER BY history_id DESC LIMIT 20 OFFSET 1000)",
            [rare],
        )


def load(count, log_rows):
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from projects.models import Region
    from tests.factories import make_contact, make_news_item, make_project

    User = get_user_model()
    User.objects.create_superuser("bench-admin", "a@example.org", "pw")
    users = [User.objects.create_user(f"user{n}", is_staff=True).pk for n in range(10)]
    rare = users[-1]
    contacts = [make_contact() for _ in range(50)]
    for n in range(200):
        make_news_item(contacts=contacts[n % 50 : n % 50 + 2])
    for _ in range(100):
        make_project()
    from django.apps import apps

    for label, share in SHARES.items():
        multiply(apps.get_model(label), int(count * share), users[:-1], rare)
    region = Region.objects.create(name="Bench region", slug="bench-region")
    LogEntry.objects.log_actions(users[1], [region], ADDITION)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_admin_log (action_time, user_id, content_type_id, object_id, "
            "object_repr, action_flag, change_message) SELECT now() - g * interval '1 hour', "
            "%s, %s, %s, 'Bench region', 2, '[]' FROM generate_series(1, %s) g",
            [users[1], ContentType.objects.get_for_model(Region).pk, str(region.pk), log_rows],
        )
        cursor.execute("ANALYZE")
    return users, rare


def profile(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    return len(captured), float(slowest["time"]) * 1000, slowest["sql"]


def main():
    args = arguments()
    setup_django(args.database_url, reuse=args.reuse)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from news.models import NewsItem

    User = get_user_model()
    if args.reuse:
        users = list(User.objects.filter(username__startswith="user").order_by("pk")
                     .values_list("pk", flat=True))  # fmt: skip
        rare = users[-1]
    else:
        users, rare = load(args.count, args.log)
    total = sum(model.history.count() for model in [NewsItem, *_others()])
    client = Client()
    client.force_login(User.objects.get(username="bench-admin"))
    urls = [
        "/admin/",  # for scale: the admin home on the same machine, at the same moment
        "/admin/audit/",
        "/admin/audit/?page=10",
        f"/admin/audit/?user={users[0]}",
        f"/admin/audit/?user={users[3]}",
        f"/admin/audit/?user={rare}",
        "/admin/audit/?action=deleted",
        "/admin/audit/?since=2019-03-01&until=2019-03-31",
        f"/admin/audit/?user={users[3]}&since=2018-01-01&until=2018-12-31&page=3",
        "/admin/audit/?model=admin.logentry",
        "/admin/audit/?format=csv",
    ]
    timings = time_urls(client, urls, args.requests)
    lines = [
        run_header(f", {total:,} history rows, {args.log:,} admin log rows"),
        f"  {'url':<75} {'p50 ms':>8} {'p90 ms':>8} {'queries':>8} {'slowest ms':>10}",
    ]
    for url, samples in timings.items():
        queries, slowest, _sql = profile(client, url)
        p90 = statistics.quantiles(samples, n=10)[-1]
        lines.append(
            f"  {url:<75} {statistics.median(samples):>8.1f} {p90:>8.1f} {queries:>8} "
            f"{slowest:>10.1f}"
        )
    _queries, _ms, sql = profile(client, f"/admin/audit/?user={rare}")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        plan = "\n".join("    " + row[0] for row in cursor.fetchall())
    lines.append(f"  EXPLAIN ANALYZE, slowest query of ?user=<rare>:\n{plan}")
    publish("\n".join(lines), "audit.txt")


def _others():
    from django.apps import apps

    return [apps.get_model(label) for label in SHARES if label != "news.NewsItem"]


if __name__ == "__main__":
    main()
