"""Benchmark: the list pages with their facet counts (iomcms/facets.py) at 100,000 news items
and 20,000 projects on PostgreSQL, through the real views (in process, Django's test client).

Usage (from the project root, PostgreSQL running; under the shared lock for reported figures):

    flock /work/bench.lock .venv/bin/python bench/facets.py [--reuse] [--requests 50]

``--database-url`` with ``--reuse`` runs on any loaded database as it is (bench/dataset.py's
``bench_1m`` for 1,000,000 items): the report gives the counts it holds.

It loads the data set of bench/dataset.py (bench/search.py's news generator, bench/lists.py's
contacts and publication states: 2% drafts, 1% scheduled, 1% expired; its projects, here
20,000) into its own database (``--reuse`` keeps a loaded one), runs ANALYZE, and times each
list URL three ways, the page cache middleware left out so the view renders every time:

- ``no facets``: the page with ``facets.facets`` returning nothing (what the page cost before);
- ``uncached``: facets computed on every request (``IOMCMS_PAGE_CACHE_SECONDS = 0``);
- ``cached``: facets kept by ``pagecache.remember`` (local-memory cache) and read back.

The same run times a one-line Django view (bench/reference_urls.py): ratio = reference p50 /
page p50. It also times each facet's query alone on the unfiltered lists (p50 of
``--requests``) and prints EXPLAIN ANALYZE of the slowest, then appends the report to
bench/results/facets.txt. Last, EXPLAIN (ANALYZE, BUFFERS) of every query the facets of the
unfiltered ``/news/`` and ``/projects/`` run together (``facets.counted``, uncached), with the
p50 / p95 of computing them all.
"""

import sys
import time
from pathlib import Path

from common import publish, run_header  # bench/common.py (the script's folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [
    "/news/",
    "/news/?country=CO",
    "/news/?kind=statement&year=2010",
    "/news/?q=migrants",
    "/news/?lang=all",
    "/projects/",
    "/projects/?country=CO&status=active",
    "/projects/?region=bench-region-1&year=2015",
    "/contacts/",
]
REFERENCE = "/__reference__/"
NEWS, PROJECTS = 100_000, 20_000
DATABASE = "postgres://postgres@127.0.0.1:5432/iomcms_facets_bench"


def prepare(database_url, reuse):
    import dataset
    from common import reset_database

    if not reuse:
        reset_database(database_url)
    dataset.setup_django(database_url)
    from django.db import connection

    from news.models import NewsItem
    from projects.models import Project

    if reuse and NewsItem.objects.exists() and Project.objects.exists():
        return  # a loaded database (bench/dataset.py's), as it is
    if NewsItem.objects.count() != NEWS:
        dataset.load_news(NEWS, 1)
    if Project.objects.count() != PROJECTS:
        dataset.load_projects(PROJECTS, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def facet_timings(requests):
    """``{(list, facet): [ms]}``: each facet's query alone on the unfiltered list."""
    from django.test import RequestFactory
    from django.utils import translation

    from contacts.filters import ContactFilter
    from contacts.models import Contact
    from iomcms.facets import facets_of
    from iomcms.filters import bind
    from news.filters import NewsItemFilter
    from news.models import NewsItem
    from projects.filters import ProjectFilter
    from projects.models import Project

    lists = {
        "news": (NewsItemFilter, NewsItem.objects.published()),
        "projects": (ProjectFilter, Project.objects.published()),
        "contacts": (ContactFilter, Contact.objects.published()),
    }
    timings, plans = {}, {}
    request = RequestFactory().get("/")
    with translation.override("en"):
        for name, (filterset_class, queryset) in lists.items():
            filterset = bind(filterset_class, request, queryset)
            for facet in facets_of(filterset):
                samples = []
                for _ in range(requests):
                    rows = filterset.rows_without(facet.name)
                    started = time.perf_counter()
                    facet.count(rows)
                    samples.append((time.perf_counter() - started) * 1000)
                timings[(name, facet.name)] = samples
                plans[(name, facet.name)] = (facet, filterset)
    return timings, plans


def explain(facet, filterset):
    """EXPLAIN ANALYZE of one facet's query (the captured SQL, run again with EXPLAIN)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        facet.count(filterset.rows_without(facet.name))
    sql = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in cursor.fetchall()]


def counted_together(requests):
    """``{list: ([ms], [EXPLAIN lines])}``: ``facets.counted`` uncached on the unfiltered news
    and projects lists (every facet query of the page), and the plan of each query it runs."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import translation

    from iomcms import facets
    from iomcms.filters import bind
    from news.filters import NewsItemFilter
    from news.models import NewsItem
    from projects.filters import ProjectFilter
    from projects.models import Project

    lists = {
        "news": (NewsItemFilter, NewsItem.objects.published()),
        "projects": (ProjectFilter, Project.objects.published()),
    }
    found = {}
    request = RequestFactory().get("/")
    with translation.override("en"), override_settings(IOMCMS_PAGE_CACHE_SECONDS=0):
        for name, (filterset_class, queryset) in lists.items():
            samples = []
            for _ in range(requests):
                filterset = bind(filterset_class, request, queryset)
                started = time.perf_counter()
                facets.counted(filterset)
                samples.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as captured:
                facets.counted(bind(filterset_class, request, queryset))
            plans = []
            with connection.cursor() as cursor:
                for query in captured.captured_queries:
                    if "GROUP BY" not in query["sql"]:
                        continue
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                    plans += [row[0] for row in cursor.fetchall()] + ["--"]
            found[name] = (samples, plans)
    return found


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default=DATABASE)
    parser.add_argument("--reuse", action="store_true", help="Keep a loaded database.")
    args = parser.parse_args()
    prepare(args.database_url, args.reuse)

    from common import time_urls
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from search import percentile as pct

    from iomcms import facets
    from news.models import NewsItem

    middleware = [name for name in settings.MIDDLEWARE if "PageCache" not in name]
    client = Client()
    results = {}
    with override_settings(ROOT_URLCONF="reference_urls", MIDDLEWARE=middleware):
        reference = time_urls(client, [REFERENCE], args.requests)[REFERENCE]
        computed = facets.facets
        facets.facets = lambda filterset: {}
        try:
            results["no facets"] = time_urls(client, URLS, args.requests)
        finally:
            facets.facets = computed
        with override_settings(IOMCMS_PAGE_CACHE_SECONDS=0):
            results["uncached"] = time_urls(client, URLS, args.requests)
        caches[settings.IOMCMS_PAGE_CACHE_ALIAS].clear()
        with override_settings(IOMCMS_PAGE_CACHE_SECONDS=600):
            results["cached"] = time_urls(client, URLS, args.requests)
        reference += time_urls(client, [REFERENCE], args.requests)[REFERENCE]
    timings, plans = facet_timings(args.requests)
    together = counted_together(args.requests)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM projects_project")
        (projects,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM news_newsitem")
        (news,) = cursor.fetchone()
    public = NewsItem.objects.published().count()
    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    ref = pct(reference, 0.5)
    lines = [
        run_header(f", PostgreSQL {server_version.split()[0]}")
        + f", {news:,} news items ({public:,} public now), {projects:,} projects, "
        f"load average {load}",
        f"  {args.requests} requests per URL, in process, page cache middleware off; "
        f"one-line reference view: {ref:.2f} ms p50",
        "  ms p50 / p95 (ratio reference p50 / page p50): no facets | facets uncached | "
        "facets cached",
    ]
    for url in URLS:
        cells = []
        for mode in ("no facets", "uncached", "cached"):
            samples = results[mode][url]
            cells.append(
                f"{pct(samples, 0.5):6.1f} / {pct(samples, 0.95):6.1f} "
                f"({ref / pct(samples, 0.5):.3f})"
            )
        lines.append(f"    {url:44} " + " | ".join(cells))
    lines.append("  each facet's query alone, unfiltered list, ms p50 / p95:")
    for (name, facet), samples in timings.items():
        lines.append(f"    {name:9} {facet:9} {pct(samples, 0.5):6.1f} / {pct(samples, 0.95):6.1f}")
    slowest = max(timings, key=lambda key: pct(timings[key], 0.5))
    lines.append(f"  EXPLAIN ANALYZE the slowest, {slowest[0]} {slowest[1]}:")
    lines += ["    " + line for line in explain(*plans[slowest])]
    for name, (samples, explained) in together.items():
        lines.append(
            f"  every facet of the unfiltered {name} list (facets.counted, uncached): "
            f"{pct(samples, 0.5):.1f} / {pct(samples, 0.95):.1f} ms p50 / p95; "
            "EXPLAIN of each query:"
        )
        lines += ["    " + line for line in explained]
    publish("\n".join(lines), "facets.txt")


if __name__ == "__main__":
    main()
