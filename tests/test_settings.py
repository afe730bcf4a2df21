"""Settings: production refuses to start half-configured, and passes ``check --deploy``.

The production checks run ``manage.py`` in a subprocess (settings are read once per process);
there are few of them because each costs about a second.
"""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from iomcms.settings.base import BASE_DIR, env_bool, env_int, env_list, env_time_zone

PROJECT_DIR = Path(__file__).resolve().parent.parent


def run(args, **env):
    """Run ``python <args>`` in the project folder with a clean DJANGO_* environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    # Keep the database the tests run on (the PostgreSQL CI run sets DATABASE_URL).
    if os.environ.get("DATABASE_URL") and "DATABASE_URL" not in env:
        base["DATABASE_URL"] = os.environ["DATABASE_URL"]
    for name, value in env.items():
        if value is None:
            base.pop(name, None)
        else:
            base[name] = value
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def random_secret(length=50):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "iomcms.settings.production",
    "DJANGO_SECRET_KEY": random_secret(),
    "DJANGO_ALLOWED_HOSTS": "example.org",
    # Start-up and checks connect to neither.
    "DATABASE_URL": "postgres://iomcms@db.invalid:5432/iomcms",
    "CACHE_URL": "redis://cache.invalid:6379/0",
}


def test_production_passes_check_deploy_without_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "no issues" in output


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    result = run(["manage.py", "check"], **{**PRODUCTION, missing: None, "REDIS_URL": None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} is not set" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    # Neither CACHE_URL nor REDIS_URL, or a cache that lives in one process: refused.
    for cache_url in (None, "locmem://"):
        env = {**PRODUCTION, "CACHE_URL": cache_url, "REDIS_URL": None}
        result = run(["manage.py", "check"], **env)
        assert result.returncode != 0
        assert "CACHE_URL (or REDIS_URL) is not set" in result.stderr


def test_production_takes_the_cache_from_redis_url_or_cache_url():
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "c = settings.CACHES['default']; "
        "print(json.dumps([c['BACKEND'], c.get('LOCATION'), c['KEY_PREFIX']]))"
    )

    def cache(**env):
        result = run(["-c", code], **{**PRODUCTION, "CACHE_URL": None, "REDIS_URL": None, **env})
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    redis = "iomcms.cache.ResilientRedisCache"
    assert cache(REDIS_URL="redis://r:6379/2") == [redis, "redis://r:6379/2", "iomcms"]
    # CACHE_URL wins over REDIS_URL; the key prefix lets several sites share one Redis.
    assert cache(
        REDIS_URL="redis://r:6379/2", CACHE_URL="rediss://c:6380/1", IOMCMS_CACHE_KEY_PREFIX="s2"
    ) == [redis, "rediss://c:6380/1", "s2"]
    # Running without a cache is allowed, but only when asked for.
    assert cache(CACHE_URL="dummy://")[0] == "django.core.cache.backends.dummy.DummyCache"


def test_a_cache_url_of_an_unknown_kind_stops_start_up_without_showing_the_password():
    env = {**PRODUCTION, "CACHE_URL": "memcached://user:s3cret@m:11211"}
    result = run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "CACHE_URL must start with redis://" in result.stderr
    assert "s3cret" not in result.stderr


def test_without_cache_url_dev_and_tests_use_the_local_memory_cache():
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    env = {"DJANGO_SETTINGS_MODULE": "iomcms.settings.dev", "CACHE_URL": None, "REDIS_URL": None}
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_without_database_url_the_database_is_a_sqlite_file_in_the_project_folder():
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'ENGINE': db['ENGINE'], 'NAME': str(db['NAME'])}))"
    )
    result = run(["-c", code], DJANGO_SETTINGS_MODULE="iomcms.settings.dev", DATABASE_URL=None)
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout.strip().splitlines()[-1])
    assert database == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(PROJECT_DIR / "db.sqlite3"),
    }


def test_base_dir_is_the_project_folder():
    assert Path(BASE_DIR) == PROJECT_DIR
    assert (PROJECT_DIR / "manage.py").is_file()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" TRUE ", True), ("yes", True), ("on", True),
     ("0", False), ("false", False), ("No", False), ("off", False)],
)  # fmt: skip
def test_env_bool_values(monkeypatch, raw, expected):
    monkeypatch.setenv("IOMCMS_TEST_FLAG", raw)
    assert env_bool("IOMCMS_TEST_FLAG", default=not expected) is expected


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_bool_default_when_unset_or_empty(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("IOMCMS_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("IOMCMS_TEST_FLAG", raw)
    assert env_bool("IOMCMS_TEST_FLAG") is False
    assert env_bool("IOMCMS_TEST_FLAG", default=True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "y e s", "null", "-1"])
def test_env_bool_rejects_garbage(monkeypatch, raw):
    monkeypatch.setenv("IOMCMS_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="IOMCMS_TEST_FLAG"):
        env_bool("IOMCMS_TEST_FLAG")


def test_env_list(monkeypatch):
    monkeypatch.setenv("IOMCMS_TEST_LIST", " example.org, www.example.org ,,")
    assert env_list("IOMCMS_TEST_LIST") == ["example.org", "www.example.org"]
    monkeypatch.setenv("IOMCMS_TEST_LIST", " , ")
    assert env_list("IOMCMS_TEST_LIST", default=["localhost"]) == ["localhost"]


def test_env_int(monkeypatch):
    monkeypatch.delenv("IOMCMS_TEST_INT", raising=False)
    assert env_int("IOMCMS_TEST_INT", 7) == 7
    monkeypatch.setenv("IOMCMS_TEST_INT", " 2048 ")
    assert env_int("IOMCMS_TEST_INT", 7) == 2048
    for garbage in ("20MB", "0", "-5", "1.5"):
        monkeypatch.setenv("IOMCMS_TEST_INT", garbage)
        with pytest.raises(ImproperlyConfigured, match="IOMCMS_TEST_INT"):
            env_int("IOMCMS_TEST_INT", 7)


def test_env_time_zone(monkeypatch):
    monkeypatch.delenv("IOMCMS_TEST_TZ", raising=False)
    assert env_time_zone("IOMCMS_TEST_TZ") == "UTC"
    monkeypatch.setenv("IOMCMS_TEST_TZ", "Europe/Zurich")
    assert env_time_zone("IOMCMS_TEST_TZ") == "Europe/Zurich"
    for garbage in ("Mars/Olympus", "../etc/passwd", "CET+1"):
        monkeypatch.setenv("IOMCMS_TEST_TZ", garbage)
        with pytest.raises(ImproperlyConfigured, match="IANA time zone"):
            env_time_zone("IOMCMS_TEST_TZ")


def test_test_settings_are_in_use():
    assert settings.DEBUG is False
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 200
    assert settings.ROOT_URLCONF == "iomcms.urls"


@pytest.mark.parametrize(
    ("name", "settings_module"),
    [
        ("DJANGO_CONN_MAX_AGE", "iomcms.settings.dev"),
        ("DJANGO_HSTS_SECONDS", "iomcms.settings.production"),
    ],
)
def test_a_number_setting_given_garbage_stops_start_up_with_a_clear_message(name, settings_module):
    env = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": settings_module, name: "1 year"}
    result = run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} must be a whole number >= 0 (got '1 year')" in result.stderr


def test_number_settings_are_read_from_the_environment():
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.DATABASES['default']['CONN_MAX_AGE'], "
        "settings.SECURE_HSTS_SECONDS]))"
    )
    env = {**PRODUCTION, "DJANGO_CONN_MAX_AGE": "0", "DJANGO_HSTS_SECONDS": " 3600 "}
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [0, 3600]


@pytest.mark.django_db
def test_organization_name_and_default_description_come_from_settings(client, settings):
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    from tests.factories import make_project
    from tests.test_seo import Page, only_jsonld

    settings.ORGANIZATION_NAME = "Organisation Example"
    settings.SITE_DESCRIPTION = "Example default description for pages without their own."
    project = make_project()
    content = client.get(project.get_absolute_url()).content.decode()
    assert "· Organisation Example</p>" in content  # the footer
    jsonld = only_jsonld(Page(content))
    assert jsonld["parentOrganization"]["name"] == "Organisation Example"
    assert "International Organization for Migration" not in content
    # A page with no description of its own gets the site's.
    request = RequestFactory().get("/somewhere/")
    page = Page(Template('{% extends "base.html" %}').render(RequestContext(request)))
    assert page.one("description") == settings.SITE_DESCRIPTION
