"""Who is on the other end: the client's address behind a known number of proxies.

One setting, ``TRUSTED_PROXY_COUNT``, says how many reverse proxies stand in front of
Django (0 in development, 1 behind nginx or a load balancer). The audit log, our own rate
limits, DRF's throttles (``NUM_PROXIES``) and allauth (``ALLAUTH_TRUSTED_PROXY_COUNT``)
all follow it, so a client can never choose its own identity by sending
``X-Forwarded-For``: only the addresses the trusted proxies appended are believed.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def trusted_proxy_count() -> int:
    return int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)


def client_ip(request: HttpRequest) -> str:
    """The address of the client as the outermost trusted proxy saw it.

    With N trusted proxies, each appends the address it received the request from to
    X-Forwarded-For, so the client is the N-th entry from the right. Anything further left
    was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = trusted_proxy_count()
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if len(hops) >= count:
        return hops[-count]
    # Fewer hops than proxies: the request did not come through all of them (a health
    # check from inside the network, for example). Trust only what we saw ourselves.
    return remote
