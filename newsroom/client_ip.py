"""The reader's address, as the login throttle counts it.

Without a proxy in front it is the connection's peer. Behind N proxies that each append
to X-Forwarded-For (NEWSROOM_TRUSTED_PROXIES=N), it is the address the outermost of ours
saw: the Nth from the right. Anything further left was written by the client and is
not trusted (an attacker would put a new address there on every try).
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    peer = request.META.get("REMOTE_ADDR") or None
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    if proxies <= 0:
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return peer
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer
