"""Benchmark: what one uncached request of each public page costs in CPU, and where it goes.

Usage (from the project root, PostgreSQL running, a loaded benchmark database):

    .venv/bin/python bench/cpu.py --database-url postgres://postgres@127.0.0.1:5432/bench_10k

Each page is requested ``--requests`` times through Django's WSGI handler in this process (no
HTTP server, no test client: the client's template instrumentation would inflate the figures),
with the page cache off, after a warm-up. For each page it prints the median CPU time of this
process per request (``time.process_time``: the database server's own work is not in it, the
driver's is), the number of queries, the CPU spent rendering templates, and the rest
(URL resolution, middleware, the view building its querysets, the ORM compiling them and the
driver reading the rows). The one-line reference view (bench/reference_urls.py) gives the
floor every request pays: its CPU divided by a page's CPU is the page's *ratio*, what the
page's throughput would be relative to the reference's on a CPU-bound server.

The report is appended to bench/results/cpu.txt.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from common import publish, run_header, setup_django  # bench/common.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    "{detail}",
    "/news/",
    "/news/?country=CO",
    "/news/?page=3",
    "/",
    "/projects/",
    "/contacts/",
    "/search/?q=migrants",
    "/news/feed/rss/",
    "/sitemap-news.xml",
]


def environ(url):
    parts = urlsplit(url)
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


class TemplateClock:
    """CPU time spent in Django template rendering (the outermost render only)."""

    def __init__(self):
        from django.template.backends import django as backend

        self.total = 0.0
        self._depth = 0
        self._original = backend.Template.render
        clock = self

        def render(template, *args, **kwargs):
            clock._depth += 1
            started = time.process_time()
            try:
                return clock._original(template, *args, **kwargs)
            finally:
                clock._depth -= 1
                if clock._depth == 0:
                    clock.total += time.process_time() - started

        backend.Template.render = render


def measure(app, url, requests, clock):
    status = {}

    def start_response(line, headers):
        status["line"] = line

    for _ in range(5):
        b"".join(app(environ(url), start_response))
    cpu, templates = [], []
    for _ in range(requests):
        clock.total = 0.0
        started = time.process_time()
        b"".join(app(environ(url), start_response))
        cpu.append((time.process_time() - started) * 1000)
        templates.append(clock.total * 1000)
    return statistics.median(cpu), statistics.median(templates), status["line"]


def count_queries(app, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        b"".join(app(environ(url), lambda *args: None))
    return len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    setup_django(args.database_url, reuse=True)
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    from news.models import NewsItem

    detail = NewsItem.objects.published().order_by("-pk").first().get_absolute_url()
    app = WSGIHandler()
    clock = TemplateClock()
    rows = []
    with override_settings(IOMCMS_PAGE_CACHE_SECONDS=0):
        with override_settings(ROOT_URLCONF="reference_urls"):
            reference, _, _ = measure(app, "/__reference__/", args.requests, clock)
        for page in PAGES:
            url = page.format(detail=detail)
            cpu, templates, line = measure(app, url, args.requests, clock)
            rows.append((page, url, cpu, templates, count_queries(app, url), line))
    count = NewsItem.objects.count()
    lines = [
        run_header() + f", {count:,} news items, {args.requests} requests per page, "
        "page cache off, Django's WSGI handler in process",
        f"  one-line reference view: {reference:.2f} ms CPU per request",
        "  page                      CPU ms  queries  templates ms (share)  rest ms   ratio",
    ]
    for page, _, cpu, templates, queries, line in rows:
        lines.append(
            f"  {page:24} {cpu:7.2f}  {queries:7}  {templates:7.2f} ({templates / cpu:4.0%})"
            f"  {cpu - templates:7.2f}  {reference / cpu:6.3f}"
            + ("" if line.startswith("200") else f"  [{line}]")
        )
    publish("\n".join(lines), "cpu.txt")


if __name__ == "__main__":
    main()
