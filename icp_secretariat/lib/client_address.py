"""The client's address: REMOTE_ADDR, or the proxy's X-Forwarded-For only when told to trust it.

Behind the documented reverse proxy every request comes from the proxy's address, so sign-in
throttling by address would lump every visitor together. With `TRUST_PROXY` set (environment,
set in docker-compose.yml) the address is the right-most X-Forwarded-For entry: the one our own
proxy added, which a client cannot forge (entries to its left are whatever the client sent).
Without it the header is ignored, so nobody can pick the address they are throttled under.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request) -> str:
    if getattr(settings, "TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            found = _valid(forwarded.split(",")[-1])
            if found:
                return found
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
