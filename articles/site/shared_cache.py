"""The cache server, reached so that its failure only makes the site slower.

Every page-cache, navigation and purge call goes through these functions. A
failed call answers "nothing cached" (or False) instead of raising, and the
process stops calling the server for a few seconds (a circuit breaker), so a
dead or hanging Redis costs each request nothing after the first timeout.
The short connect and read timeouts themselves are in the cache's OPTIONS
(newsroom/settings.py).
"""

import logging
import time
from typing import Any

from django.core.cache import cache

log = logging.getLogger(__name__)

# After a failure, the cache is left alone this long (per process).
RETRY_AFTER_SECONDS = 5.0
_down_until = 0.0
_last_error = ""


class CacheUnavailable(Exception):
    """The cache server could not be reached (raised by ``strict`` calls only)."""


def is_down() -> bool:
    return time.monotonic() < _down_until


def last_error() -> str:
    return _last_error


def _failed(exc: Exception) -> None:
    global _down_until, _last_error
    _down_until = time.monotonic() + RETRY_AFTER_SECONDS
    _last_error = exc.__class__.__name__
    log.warning("cache unavailable (%s); serving without it", _last_error)


def reset() -> None:
    """Forget a past failure (tests, and /health/ probing the server again)."""
    global _down_until
    _down_until = 0.0


# Any: whatever Django's cache API takes and answers for ``method`` (looked up by name).
def call(method: str, *args: Any, strict: bool = False, default: Any = None, **kwargs: Any) -> Any:
    """``cache.<method>(*args, **kwargs)``, or ``default`` when the server fails.

    ``strict`` raises CacheUnavailable instead, for callers that must know
    (a purge that could not be delivered goes to the outbox).
    """
    if is_down():
        if strict:
            raise CacheUnavailable(_last_error)
        return default
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as exc:  # any client or connection error: the cache is optional
        _failed(exc)
        if strict:
            raise CacheUnavailable(exc.__class__.__name__) from exc
        return default
