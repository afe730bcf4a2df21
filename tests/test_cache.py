"""The cache backend: a dead Redis reads as misses and drops writes, and pages still answer.

``CLOSED`` is a Redis URL on a port nothing listens on, so every connection is refused at once.
The round-trip tests need a real Redis: they run when the suite runs with ``REDIS_URL`` (the
PostgreSQL run of ``.ci/run``), and are skipped otherwise.
"""

import logging
import os

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from iomcms import cache as cache_module
from iomcms.cache import ResilientRedisCache, caches_from_environment

CLOSED = "redis://127.0.0.1:9/0"
REDIS = settings.CACHES["default"]["BACKEND"] == "iomcms.cache.ResilientRedisCache"


def dead_cache():
    params = caches_from_environment(CLOSED, key_prefix="iomcms-test")["default"]
    return ResilientRedisCache(params["LOCATION"], params)


def test_a_dead_redis_reads_as_misses_and_drops_writes(caplog):
    dead = dead_cache()
    with caplog.at_level(logging.INFO, logger="iomcms.cache"):
        assert dead.get("page", "fallback") == "fallback"
        assert dead.set("page", "x") is None
        assert dead.add("page", "x") is False
        assert dead.get_many(["a", "b"]) == {}
        assert dead.has_key("page") is False
        assert dead.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert dead.delete("page") is False
        dead.delete_many(["a"])
        assert dead.touch("page") is False
        assert dead.clear() is False
        # get_or_set computes the value and hands it back, as for any miss.
        assert dead.get_or_set("page", lambda: "computed") == "computed"
        # A counter cannot pretend: its caller must know the increment did not happen.
        with pytest.raises(ValueError, match="cache is unavailable"):
            dead.incr("generation")
    # One line for the whole outage, not one per call.
    warnings = [r for r in caplog.records if r.name == "iomcms.cache"]
    assert [r.levelname for r in warnings] == ["WARNING"]
    assert "Cache unavailable (ConnectionError" in warnings[0].getMessage()


def test_after_a_failure_redis_is_not_tried_again_until_the_retry_time(monkeypatch):
    dead = dead_cache()
    attempts = []
    client_get = dead._cache.get

    def counting_get(*args, **kwargs):
        attempts.append(args)
        return client_get(*args, **kwargs)

    monkeypatch.setattr(dead._cache, "get", counting_get)
    clock = [1000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: clock[0])
    for _ in range(5):
        assert dead.get("page") is None
    assert len(attempts) == 1
    clock[0] += cache_module.RETRY_AFTER_SECONDS + 0.1
    assert dead.get("page") is None
    assert len(attempts) == 2


def test_the_redis_client_fails_fast():
    options = caches_from_environment(CLOSED, key_prefix="x")["default"]["OPTIONS"]
    assert options["socket_connect_timeout"] <= 0.5
    assert options["socket_timeout"] <= 1
    assert options["retry"].get_retries() == 0


@pytest.mark.django_db
def test_pages_answer_while_the_cache_is_dead(client, settings):
    from tests.factories import make_news_item

    settings.CACHES = caches_from_environment(CLOSED, key_prefix="iomcms-test")
    item = make_news_item()
    for url in ("/", "/news/", item.get_absolute_url(), "/sitemap.xml", "/news/feed/rss/"):
        assert client.get(url).status_code == 200, url
    assert isinstance(caches["default"], ResilientRedisCache)
    assert caches["default"].get("anything") is None


def test_the_cache_is_empty_at_the_start_of_each_test_part_one():
    # This and the next test: whichever runs second finds nothing left by the first.
    assert cache.get("left-over") is None
    cache.set("left-over", "from a previous test")


def test_the_cache_is_empty_at_the_start_of_each_test_part_two():
    assert cache.get("left-over") is None
    cache.set("left-over", "from a previous test")


@pytest.mark.skipif(not REDIS, reason="the suite runs without REDIS_URL")
def test_redis_round_trip_and_recovery(caplog, monkeypatch):
    cache.set("greeting", {"text": "hello"}, 30)
    assert cache.get("greeting") == {"text": "hello"}
    cache.set("counter", 1)
    assert cache.incr("counter") == 2
    # A failure, then Redis answers again: one WARNING, then one INFO, and values come back.
    clock = [1000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: clock[0])
    real_get = cache._cache.get
    monkeypatch.setattr(cache._cache, "get", lambda *a, **k: dead_cache()._cache.get(*a, **k))
    with caplog.at_level(logging.INFO, logger="iomcms.cache"):
        assert cache.get("greeting") is None
        monkeypatch.setattr(cache._cache, "get", real_get)
        clock[0] += cache_module.RETRY_AFTER_SECONDS + 0.1
        assert cache.get("greeting") == {"text": "hello"}
    assert [r.levelname for r in caplog.records if r.name == "iomcms.cache"] == ["WARNING", "INFO"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the suite runs without REDIS_URL")
def test_the_redis_client_is_made_once_per_connection_pool():
    """Django's client builds a redis.Redis for every call; ours keeps one per pool (a page
    cache hit would otherwise spend more on that than on its round trip)."""
    from django.core.cache import cache

    cache.set("reused", 1)
    first = cache._cache.get_client(write=True)
    assert cache.get("reused") == 1
    assert cache._cache.get_client(write=True) is first
