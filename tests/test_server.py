"""gunicorn.conf.py: workers from the cores or the environment, and proxies trusted as the
settings trust them (IOMCMS_TRUSTED_PROXY_COUNT)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
VARIABLES = (
    "PORT",
    "IOMCMS_WORKERS",
    "WEB_CONCURRENCY",
    "IOMCMS_THREADS",
    "IOMCMS_WORKER_TIMEOUT",
    "IOMCMS_TRUSTED_PROXY_COUNT",
    "FORWARDED_ALLOW_IPS",
)


@pytest.fixture
def config(monkeypatch):
    """``config(**env)``: the settings gunicorn.conf.py gives in that environment."""

    def load(**env):
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONFIG))

    return load


def test_defaults(config):
    values = config()
    assert values["wsgi_app"] == "iomcms.wsgi:application"
    assert values["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert values["bind"] == ["127.0.0.1:8000"]
    assert values["accesslog"] == "-"
    assert "%(M)sms" in values["access_log_format"]
    assert values["timeout"] > values["graceful_timeout"] > 0
    assert values["max_requests"] > 0 and 0 < values["max_requests_jitter"] < values["max_requests"]
    # No proxy of ours: nobody may set the scheme or SCRIPT_NAME through headers.
    assert values["forwarded_allow_ips"] == ""


def test_the_environment_sets_port_and_workers(config):
    values = config(PORT="8123", WEB_CONCURRENCY="3")
    assert values["bind"] == ["0.0.0.0:8123"] and values["workers"] == 3
    assert config(IOMCMS_WORKERS="7", WEB_CONCURRENCY="3")["workers"] == 7


def test_behind_our_proxies_their_addresses_are_trusted(config):
    assert config(IOMCMS_TRUSTED_PROXY_COUNT="1")["forwarded_allow_ips"] == "127.0.0.1,::1"
    values = config(IOMCMS_TRUSTED_PROXY_COUNT="2", FORWARDED_ALLOW_IPS="10.0.0.0/8")
    assert values["forwarded_allow_ips"] == "10.0.0.0/8"
    # The addresses alone trust nobody while the settings say there is no proxy.
    assert config(FORWARDED_ALLOW_IPS="10.0.0.0/8")["forwarded_allow_ips"] == ""


def test_a_bad_number_stops_gunicorn_with_a_clear_message():
    env = {**os.environ, "IOMCMS_WORKERS": "four"}
    result = subprocess.run(
        [Path(sys.executable).with_name("gunicorn"), "--check-config", "-c", str(CONFIG)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "IOMCMS_WORKERS must be a whole number >= 1 (got 'four')" in result.stderr
