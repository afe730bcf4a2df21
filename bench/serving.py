"""Benchmark: the production server (gunicorn) under wrk, every page beside a one-line view.

Usage (from the project root, PostgreSQL running, wrk installed):

    .venv/bin/python bench/serving.py                       # 10k, 100k and 1M news items
    .venv/bin/python bench/serving.py --sizes 10000 100000 --reuse
    .venv/bin/python bench/serving.py --sizes 10000 --reuse --duration 20s

For each size it prepares the database ``bench_10k``, ``bench_100k`` or ``bench_1m``
(bench/dataset.py: N news items, 3,000 contacts, 19,000 projects, migrated; ``--reuse`` keeps
a loaded one), runs ``collectstatic``, and starts gunicorn on 127.0.0.1 with production
settings plus the reference view (bench/settings_http.py; a throwaway secret made for the run,
one-time passwords not required so that the superuser's session opens the admin). Each page
gets one untimed request (its status is reported; it also fills a page cache) and then
``wrk --latency`` for ``--duration`` at ``--connections``; admin pages send the session cookie
of a superuser created in the database. ``/__reference__/`` (bench/reference_urls.py) runs
before and after the pages, and each page's *ratio* is its requests/s divided by the
reference's (their mean), so a shared, noisy machine moves both alike.

The pages run twice, each time in a fresh server: ``uncached`` with the ``--cache-env``
variables added to the server's environment (default ``IOMCMS_PAGE_CACHE_SECONDS=0``: the page
cache off), and ``cached`` without them. The cache is Redis (``--redis-url``, emptied before
each server starts), as production requires. Then a *mixed* run: ``--mixed-duration`` at
``--mixed-connections``
over all the pages (round robin from a wrk Lua script; public pages weighted up), once idle
and once while ``manage.py import_legacy`` imports ``--import-files`` texts made by
bench/make_legacy.py into the same database (kept in bench/out/; the next run deletes what
it imported), reporting requests, p50/p99 and errors (responses other than 2xx/3xx, socket
errors, among them responses slower than ``--wrk-timeout``, 30 s). Every row also counts the
requests gunicorn's worker timeout killed meanwhile (from its log). A page's ``done`` is the
responses completed within the run: wrk counts a request still running at the end nowhere.
The report, headed by bench/common.py's run_header and the load average, is printed and
appended to bench/results/http.txt. Server logs go to bench/out/.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import publish, run_header  # bench/common.py (the script's folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
OUT = ROOT / "bench" / "out"
WRK = "wrk"

# The production server, as configured for production (the --bind added below wins).
GUNICORN_OPTIONS = ["-c", "gunicorn.conf.py"]
# The page cache's switch for the uncached pass, unless --cache-env says otherwise.
CACHE_OFF = [("IOMCMS_PAGE_CACHE_SECONDS", "0")]

REFERENCE = "/__reference__/"
SIZES = {10_000: "10k", 100_000: "100k", 1_000_000: "1m"}


def pages(data):
    """(path, sends the admin cookie) for every page measured, in report order."""
    public = [
        data["detail_url"],
        "/news/",
        "/news/?country=CO",
        "/news/?page=2000",
        f"/news/?page={data['last_page']}",
        "/",
        "/search/?q=migrants",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/projects/",
        "/contacts/",
    ]
    admin = ["/admin/", "/admin/news/newsitem/", "/admin/news/newsitem/?q=migrants"]
    return [(path, False) for path in public] + [(path, True) for path in admin]


def environment(database_url, secret, redis_url):
    return {
        **os.environ,
        # Production refuses a per-process cache: Redis, as on the servers.
        "REDIS_URL": redis_url,
        # The project's root, not bench/: this script's siblings must not shadow anything.
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.settings_http",
        "DJANGO_SECRET_KEY": secret,
        "DATABASE_URL": database_url,
        "IOMCMS_OTP_REQUIRED_FOR_PUBLISHERS": "false",
    }


class Server:
    """gunicorn on 127.0.0.1:``port`` with ``env``; a context manager that waits until the
    reference view answers and stops the server (SIGTERM, graceful) on exit."""

    def __init__(self, port, env, log_name):
        self.port, self.env, self.log = port, env, OUT / log_name

    def __enter__(self):
        import redis  # each pass starts with an empty cache

        redis.Redis.from_url(self.env["REDIS_URL"]).flushdb()
        command = [
            GUNICORN,
            *GUNICORN_OPTIONS,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--no-control-socket",  # its default path is shared by every gunicorn here
            "iomcms.wsgi:application",
        ]
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if get(self.port, REFERENCE) == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.__exit__()
        sys.exit(f"gunicorn did not start; see {self.log}:\n" + self.log.read_text()[-2000:])

    def worker_timeouts(self):
        """How many requests gunicorn has killed so far (its worker timeout)."""
        self.log_file.flush()
        return self.log.read_text(errors="replace").count("WORKER TIMEOUT")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def get(port, path, cookie=None, timeout=300):
    """One GET, redirects not followed; the status code."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(output):
    """requests/s, p50 and p99 in ms (None without a completed request), requests and errors
    from wrk's ``--latency`` report."""

    def number(pattern, default=0):
        found = re.search(pattern, output)
        return float(found.group(1)) if found else default

    latency = {}
    for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M):
        latency[percent] = float(value) * UNITS[unit]
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    requests = int(number(r"(\d+) requests in"))
    return {
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "requests": requests,
        "p50": latency.get("50") if requests else None,  # wrk prints 0 for no request
        "p99": latency.get("99") if requests else None,
        "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
        "socket_detail": "connect {}, read {}, write {}, timeout {}".format(*sockets.groups())
        if sockets
        else "none",
    }


def wrk(port, args, *, path="/", cookie=None, script=None, duration=None, connections=None):
    command = [
        WRK,
        f"-t{args.threads}",
        f"-c{connections or args.connections}",
        f"-d{duration or args.duration}",
        "--latency",
        f"--timeout={args.wrk_timeout}",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", script]
    done = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"wrk failed: {done.stderr}")
    return parse_wrk(done.stdout)


def ms(value):
    if value is None:
        return "–"
    return f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s"


def errors(result):
    count = result["non_2xx_3xx"] + result["socket_errors"]
    killed = result.get("worker_timeouts")
    return (f"{count} errors" if count else "") + (
        f" ({killed} killed by gunicorn's timeout)" if killed else ""
    )


def time_pages(server, args, data, label):
    """Warm-up and wrk for every page between two reference runs; the report's lines."""
    reference = []
    rows = []
    port = server.port

    def measure(path, cookie=None):
        status = get(port, path, cookie)
        killed = server.worker_timeouts()
        result = wrk(port, args, path=path, cookie=cookie)
        return status, {**result, "worker_timeouts": server.worker_timeouts() - killed}

    if get(port, "/admin/", data["session_cookie"]) != 200:
        sys.exit("The admin refused the superuser's session: is another run changing its user?")
    reference.append(measure(REFERENCE)[1])
    for path, admin in pages(data):
        rows.append((path, *measure(path, data["session_cookie"] if admin else None)))
    reference.append(measure(REFERENCE)[1])
    reference_rps = sum(r["rps"] for r in reference) / len(reference)
    lines = [
        f"  {label}: reference {REFERENCE} {reference_rps:.0f} req/s "
        f"({reference[0]['rps']:.0f} before, {reference[1]['rps']:.0f} after the pages), "
        f"p50 {ms(reference[0]['p50'])}, p99 {ms(reference[0]['p99'])}",
        f"    {'page':40} {'status':>6} {'done':>6} {'req/s':>8} {'p50':>9} {'p99':>9} "
        f"{'ratio':>7}  (done: responses within the run)",
    ]
    for path, status, result in rows:
        lines.append(
            f"    {path:40} {status:>6} {result['requests']:>6} {result['rps']:8.1f} "
            f"{ms(result['p50']):>9} {ms(result['p99']):>9} "
            f"{result['rps'] / reference_rps:7.3f}  {errors(result)}"
        )
    return lines


def mixed_script(data, directory):
    """A wrk Lua script going round the pages (public ones twice, the detail page six times:
    a shared release), each thread from its own starting point; admin pages with the cookie."""
    paths = []
    for path, admin in pages(data):
        weight = 6 if path == data["detail_url"] else (1 if admin else 2)
        paths += [(path, admin)] * weight
    entries = ",\n".join(
        f"  {{{json.dumps(path)}, {'true' if admin else 'false'}}}" for path, admin in paths
    )
    script = Path(directory) / "mixed.lua"
    script.write_text(
        f"local paths = {{\n{entries}\n}}\n"
        f"local cookie = {json.dumps(data['session_cookie'])}\n"
        "local threads = 0\n"
        "function setup(thread) thread:set('start', threads * 7); threads = threads + 1 end\n"
        "local counter = 0\n"
        "function init(args) counter = start end\n"
        "function request()\n"
        "  counter = counter + 1\n"
        "  local entry = paths[(counter % #paths) + 1]\n"
        "  if entry[2] then return wrk.format('GET', entry[1], {Cookie = cookie}) end\n"
        "  return wrk.format('GET', entry[1])\n"
        "end\n"
    )
    return str(script), len(paths)


def legacy_texts(count):
    """bench/make_legacy.py's files for ``count`` texts (seed 1), made once into bench/out/."""
    directory = OUT / f"legacy-{count}"
    done = directory / ".complete"
    if not done.exists():
        subprocess.run(
            [PYTHON, "bench/make_legacy.py", "--count", str(count), "--out", str(directory)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        done.touch()
    return directory


def mixed(server, args, data, env):
    """The mixed run idle, then while an import runs; the report's lines."""
    lines = []
    with tempfile.TemporaryDirectory() as directory:
        script, count = mixed_script(data, directory)
        heading = (
            f"  mixed: {args.mixed_duration} at {args.mixed_connections} connections, "
            f"round robin over {count} requests ({len(pages(data))} pages); a response slower "
            f"than {args.wrk_timeout} counts as an error (socket timeout)"
        )
        lines.append(heading)
        for during_import in (False, True):
            importer = None
            if during_import:
                texts = legacy_texts(args.import_files)
                importer = subprocess.Popen(
                    [PYTHON, "manage.py", "import_legacy", str(texts), "-v", "0"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                started = time.monotonic()
                time.sleep(3)  # past start-up: the import is writing when wrk starts
            killed = server.worker_timeouts()
            result = wrk(
                server.port,
                args,
                script=script,
                duration=args.mixed_duration,
                connections=args.mixed_connections,
            )
            label = "while importing" if during_import else "idle"
            lines.append(
                f"    {label:15} {result['requests']:>7} requests, {result['rps']:7.1f} req/s, "
                f"p50 {ms(result['p50'])}, p99 {ms(result['p99'])}; errors: "
                f"{result['non_2xx_3xx']} non-2xx/3xx, socket {result['socket_detail']}; "
                f"{server.worker_timeouts() - killed} killed by gunicorn's timeout"
            )
            if importer:
                finished = importer.poll() is not None
                if not finished:
                    importer.send_signal(signal.SIGTERM)  # stops after the chunk in hand
                output, _ = importer.communicate()
                summary = (output.strip().splitlines() or [""])[-1]
                lines.append(
                    f"      import_legacy of {args.import_files:,} texts: "
                    + ("finished" if finished else "stopped (SIGTERM) after the run")
                    + f" at {time.monotonic() - started:.0f} s, exit {importer.returncode} | "
                    f"{summary}"
                )
    return lines


def run_size(count, args, secret):
    database_url = args.database_url.format(label=SIZES.get(count, str(count)))
    env = environment(database_url, secret, args.redis_url)
    prepare = [
        PYTHON,
        "bench/dataset.py",
        "--count",
        str(count),
        "--database-url",
        database_url,
        *(["--reuse"] if args.reuse else []),
    ]
    done = subprocess.run(prepare, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"bench/dataset.py failed:\n{done.stderr[-3000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])

    cache_off = dict(args.cache_env or CACHE_OFF)
    lines = [
        run_header(
            f", PostgreSQL {data['postgresql']}, load average "
            + " ".join(f"{n:.1f}" for n in os.getloadavg())
            + (f"; {args.note}" if args.note else "")
        )
        + f", {data['news']:,} news items ({data['public_news']:,} public), "
        f"{data['projects']:,} projects, {data['contacts']:,} contacts "
        f"(data ready in {data['prepared_seconds']} s)",
        f"  gunicorn {' '.join(GUNICORN_OPTIONS)}; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration} --latency per page, after one untimed request; "
        "ratio = page req/s / reference req/s",
    ]
    for label in args.passes:
        server_env = {**env, **cache_off} if label == "uncached" else env
        if label == "uncached":
            label += (
                " ("
                + (" ".join(f"{k}={v}" for k, v in cache_off.items()) or "the page cache off")
                + ")"
            )
        with Server(args.port, server_env, f"gunicorn-{count}-{label.split()[0]}.log") as server:
            lines += time_pages(server, args, data, label)
    if args.mixed_duration:
        with Server(args.port, env, f"gunicorn-{count}-mixed.log") as server:
            lines += mixed(server, args, data, env)
    publish("\n".join(lines), "http.txt")


def cache_env(value):
    name, sep, setting = value.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {value!r}")
    return name, setting


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=list(SIZES),
        help="News items per run (default: 10000 100000 1000000).",
    )
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/bench_{label}",
        help="{label} becomes 10k, 100k, 1m (or the count).",
    )
    parser.add_argument("--reuse", action="store_true", help="Keep a loaded database.")
    parser.add_argument("--duration", default="10s", help="wrk's -d per page (default 10s).")
    parser.add_argument("--connections", type=int, default=16, help="wrk's -c per page.")
    parser.add_argument("--threads", type=int, default=2, help="wrk's -t.")
    parser.add_argument(
        "--wrk-timeout",
        default="30s",
        help="A slower response counts as an error (a socket timeout); default 30s.",
    )
    parser.add_argument(
        "--cache-env",
        type=cache_env,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Added to the server's environment for the uncached pass "
        "(default: IOMCMS_PAGE_CACHE_SECONDS=0).",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/8",
        help="The cache; emptied before each server starts.",
    )
    parser.add_argument(
        "--passes",
        nargs="*",
        default=["uncached", "cached"],
        choices=["uncached", "cached"],
        help="The page passes; a bare --passes runs only the mixed run.",
    )
    parser.add_argument("--mixed-duration", default="60s", help="0 skips the mixed run.")
    parser.add_argument("--mixed-connections", type=int, default=64)
    parser.add_argument(
        "--import-files",
        type=int,
        default=20000,
        help="Legacy texts imported during the second mixed run.",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--note", default="", help="Added to the report's header line.")
    args = parser.parse_args()
    if args.mixed_duration in {"0", "0s"}:
        args.mixed_duration = None

    OUT.mkdir(exist_ok=True)
    secret = secrets.token_urlsafe(50)  # throwaway: signs this run's admin session only
    first_url = args.database_url.format(label=SIZES.get(args.sizes[0], str(args.sizes[0])))
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment(first_url, secret, args.redis_url),
        check=True,
    )
    for count in args.sizes:
        run_size(count, args, secret)


if __name__ == "__main__":
    main()
