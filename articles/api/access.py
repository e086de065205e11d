"""Who may call the read API, and how often.

A partner sends its key as ``Authorization: Bearer <key>``. Keys are optional
unless ``NEWSROOM_API_KEY_REQUIRED`` is on; an unknown or inactive key is always
refused (a partner whose key was revoked should know). Requests are counted per
partner, or per address for callers without a key, in one-minute windows in the
shared cache. If the cache is down the API answers without counting: slower to
defend, never down.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from articles.models import ApiPartner

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str
    retry_after: int | None = None


def bearer_key(request) -> str | None:
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


def check(request) -> Refusal | None:
    """None when the request may go on; otherwise why not."""
    key = bearer_key(request)
    partner = ApiPartner.objects.by_key(key) if key else None
    if key and partner is None:
        return Refusal(401, "invalid_key", _("This API key is not valid or has been revoked."))
    if partner is None and settings.NEWSROOM_API_KEY_REQUIRED:
        return Refusal(401, "key_required", _("An API key is required: ask the newsroom for one."))
    if partner is not None:
        caller, limit = f"partner:{partner.pk}", partner.requests_per_minute
    else:
        caller, limit = (
            f"address:{request.META.get('REMOTE_ADDR', '')}",
            (settings.NEWSROOM_API_REQUESTS_PER_MINUTE),
        )
    used, retry_after = _count(caller)
    if used is not None and used > limit:
        return Refusal(
            429, "rate_limited", _("Too many requests: wait a minute and try again."), retry_after
        )
    return None


def _count(caller: str) -> tuple[int | None, int]:
    """This caller's requests in the current window (None if the cache cannot say)."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"newsroom:api:calls:{caller}:{window}"
    retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now))
    try:
        cache.add(key, 0, WINDOW_SECONDS + 5)
        return cache.incr(key), retry_after
    except ValueError:  # the entry expired between add() and incr(): a new window
        return None, retry_after
    except Exception:  # the cache is down: answer anyway (see the module docstring)
        log.warning("API rate limit not counted: the cache did not answer", exc_info=True)
        return None, retry_after
