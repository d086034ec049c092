"""The Redis cache backend reuses one client per pool and still reads and writes (issue 14)."""

from __future__ import annotations

import pytest


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    from thuisnet.settings.redis_cache import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/7", {"KEY_PREFIX": "perf2-test"})
    try:
        cache.get("probe")
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield cache
    cache.delete_many(["a", "b", "n"])


def test_the_cache_reuses_its_redis_client_between_calls(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client() is client


def test_the_cache_still_sets_gets_and_adds(redis_cache):
    redis_cache.set("a", {"x": 1}, 30)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("b", "first", 30) is True
    assert redis_cache.add("b", "second", 30) is False
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": {"x": 1}, "b": "first"}
    redis_cache.set("n", 1, 30)
    assert redis_cache.incr("n") == 2
