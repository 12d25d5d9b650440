"""Helpers to read facts of the HTTP request for the audit trail."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.ipv6 import clean_ipv6_address


def ip_address(value: str) -> str | None:
    """Return value as the address the database stores, or None if it is none.

    The audit hash is computed before the event is saved, so the address
    must already be in the form a ``GenericIPAddressField`` keeps (IPv6
    compressed and lower case): ``2001:0DB8::0001`` stored as ``2001:db8::1``
    would no longer match its event's hash.
    """
    value = value.strip()
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return clean_ipv6_address(value) if address.version == 6 else str(address)


def client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's address: the peer's, or the one the proxy saw.

    Behind a proxy (``TRUST_X_FORWARDED_FOR``), the proxy appends the address
    it saw to X-Forwarded-For: the last entry is the one nobody but the proxy
    could have written. Otherwise the header is the client's to write, and
    the peer's address is the client's.
    """
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUST_X_FORWARDED_FOR and (
        address := ip_address(forwarded.split(",")[-1])
    ):
        return address
    return ip_address(request.META.get("REMOTE_ADDR", ""))


def user_agent(request: HttpRequest | None) -> str:
    """Return the request's user agent, cut to a storable length."""
    if request is None:
        return ""
    return request.META.get("HTTP_USER_AGENT", "")[:512]
