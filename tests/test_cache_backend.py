"""newsroom/cache_backends.py leans on RedisCache._class, which Django does not document:
these fail if Django changes it, before the site quietly goes back to a client a call."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
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


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        ("redis://127.0.0.1:6379/3", "newsroom.cache_backends.RedisCache"),
        ("", "django.core.cache.backends.locmem.LocMemCache"),
    ],
)
def test_settings_choose_our_redis_cache_for_a_redis_url(cache_url, backend):
    """The settings as a fresh process reads them from the environment (CACHE_URL)."""
    # Settings only read; a DATABASE_URL so that no embedded server starts for it.
    environment = {
        **os.environ,
        "CACHE_URL": cache_url,
        "DEBUG": "true",
        "DATABASE_URL": "postgres://unused@127.0.0.1:5432/unused",
    }
    if not cache_url:
        del environment["CACHE_URL"]
    shown = subprocess.run(
        [sys.executable, "-c", "from newsroom import settings; print(settings.CACHES['default']['BACKEND'])"],
        env=environment, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR,
    ).stdout.strip()  # fmt: skip
    assert shown == backend
