"""newsroom/cache_backends.py leans on RedisCache._class, which Django does not document:
these fail if Django changes it, before the site quietly goes back to a client a call."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from newsroom.cache_backends import RedisCache, ReusingRedisCacheClient
from tests.services import RedisServer


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.stop()


def test_django_still_chooses_the_redis_client_by_its_class_attribute():
    stock = DjangoRedisCache("redis://127.0.0.1:6379/0", {})
    assert stock._class is RedisCacheClient
    assert isinstance(stock._cache, RedisCacheClient)


def test_our_cache_builds_one_redis_client_for_every_call(redis_server):
    cache = RedisCache(redis_server.caches["default"]["LOCATION"], {})
    assert isinstance(cache._cache, ReusingRedisCacheClient)
    first = cache._cache.get_client(write=True)
    cache.set("newsroom-test", "مرحبا")
    assert cache.get("newsroom-test") == "مرحبا"
    assert cache._cache.get_client(write=True) is first
    assert cache._cache.get_client() is cache._cache.get_client()


def test_the_sites_cache_is_ours_whenever_it_is_redis(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" in backend.lower():
        assert backend == "newsroom.cache_backends.RedisCache"
        assert isinstance(caches["default"], RedisCache)
    else:
        assert backend.endswith("LocMemCache")
