"""Django's Redis cache, with one Redis client per connection pool instead of one a call,
and without memcached's key checks.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` for every cache
call; building one copies its ~170 response callbacks and costs ~80 µs here — more than
the round trip to Redis it is built for. A cached page costs two calls and the home page
four, so this was a fifth of a cache hit. ``redis.Redis`` is safe to share between calls
(its connections come from the pool), so each cache keeps one for reads and one for
writes. Django's cache handler already gives every thread its own cache object.

The client class is chosen through ``RedisCache._class``, an attribute Django does not
document: tests/test_cache_backend.py fails if it changes.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        client = self.clients.get(write)
        if client is None:
            client = self.clients[write] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key: str) -> None:
        """Redis takes any key: the base class's check is for memcached's limits (250
        characters, no spaces), and walked every character of every key on every call.
        Django's documentation suggests overriding it for backends without them."""
