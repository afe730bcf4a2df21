"""gunicorn settings for iomcms (docs/operations.md, "Production server").

gunicorn reads ``./gunicorn.conf.py`` from the folder it starts in, so from the project folder
``gunicorn`` alone serves the site with these settings (``bin/serve-production`` does that).
Every value comes from the environment with a default that suits one app server behind a
reverse proxy (nginx, a load balancer) that terminates TLS and buffers slow clients.

Graceful reload (new code, new settings): ``kill -HUP <master pid>``. The master re-reads this
file and starts new workers, which import the new code; the old ones finish their requests
(up to ``graceful_timeout``) and exit. No request is refused meanwhile. ``kill -TERM``: a
graceful stop; ``kill -TTIN``/``-TTOU``: one worker more/fewer.
"""

import os


def _env_int(name, default, minimum=1):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise SystemExit(f"{name} must be a whole number >= {minimum} (got {raw!r}).")
    return value


def _cores():
    # The cores this process may run on (a container or taskset can allow fewer than exist).
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


wsgi_app = "iomcms.wsgi:application"
proc_name = "iomcms"

# One port on all interfaces when the platform gives one (PORT), else local only.
_port = _env_int("PORT", 0, minimum=0)
bind = [f"0.0.0.0:{_port}"] if _port else ["127.0.0.1:8000"]

# Processes, not threads: rendering a page is CPU work, which threads of one process share
# (the GIL). 2 x cores + 1 keeps every core busy while some workers wait on the database.
# IOMCMS_WORKERS, else WEB_CONCURRENCY (set by some platforms), else that formula.
workers = _env_int("IOMCMS_WORKERS", _env_int("WEB_CONCURRENCY", 2 * _cores() + 1))
# Threads per worker (1: the sync worker). More than 1 switches gunicorn to its threaded
# worker, which also keeps connections to the proxy open between requests (keepalive below).
threads = _env_int("IOMCMS_THREADS", 1)

# A worker silent for this long is killed and replaced. Pages take milliseconds; the longest
# request is the admin's legacy import (up to 20 MiB in one request), hence two minutes.
timeout = _env_int("IOMCMS_WORKER_TIMEOUT", 120)
# On reload or stop, workers get this long to finish the requests they hold.
graceful_timeout = 30
# Idle keep-alive connections from the proxy (threaded worker only; the sync worker closes
# each connection after its response). Longer than the proxy's own idle timeout (nginx
# upstream keepalive_timeout: 60 s), so the proxy, never gunicorn, closes an idle connection:
# otherwise the proxy may send a request on a connection gunicorn is closing (a 502).
keepalive = 75

# Each worker is replaced after about this many requests, so slow leaks (a growing cache in
# some library) cannot grow for ever; the jitter keeps the workers from restarting together.
max_requests = 2000
max_requests_jitter = 200

# The heartbeat files in memory: a slow or full disk must not make healthy workers look hung.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Which peers may tell gunicorn the scheme (X-Forwarded-Proto) and forward SCRIPT_NAME: our
# own proxies, as IOMCMS_TRUSTED_PROXY_COUNT says for X-Forwarded-For (iomcms/signin.py). With
# no proxy of ours (0, the default), nobody; with one or more, the addresses in
# FORWARDED_ALLOW_IPS (comma-separated addresses or networks), by default this machine.
if _env_int("IOMCMS_TRUSTED_PROXY_COUNT", 0, minimum=0):
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "").strip() or "127.0.0.1,::1"
else:
    forwarded_allow_ips = ""

# The access log on stdout, one line per request, with the response time in milliseconds and
# X-Forwarded-For (the client, when a proxy stands in front). gunicorn's own messages
# (workers started, killed, reloaded) and Django's log go to stderr.
accesslog = "-"
access_log_format = (
    '%(h)s fwd="%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
)
errorlog = "-"
loglevel = "info"

# gunicornc's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), on
# which two servers on one machine would collide; signals do everything we need.
control_socket_disable = True
