"""Helpers to read facts of the HTTP request for the audit trail."""

from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's address as the proxy in front of us saw it."""
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        # The proxy appends the address it saw; the last entry is the one
        # nobody but the proxy could have written.
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request: HttpRequest | None) -> str:
    """Return the request's user agent, cut to a storable length."""
    if request is None:
        return ""
    return request.META.get("HTTP_USER_AGENT", "")[:512]
