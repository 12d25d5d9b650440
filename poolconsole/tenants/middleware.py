"""Resolve the tenant of a request in one place.

Every URL under ``/t/<tenant_slug>/`` belongs to a tenant. This middleware
looks the tenant up among the user's memberships (404 when the tenant does not
exist *or* the user is not a member, so existence does not leak), checks the
role the view requires (403 when too low), and runs the view inside a
django-scopes scope, so a query of a tenant-owned model without a tenant
raises instead of leaking another tenant's rows.
"""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from . import services
from .selectors import user_memberships


def required_role_of(view_func) -> str | None:
    """Return the role a tenant view declares in ``required_role``."""
    view = getattr(view_func, "view_class", view_func)
    return getattr(view, "required_role", None)


class TenantMiddleware:
    """Attach ``request.tenant`` and ``request.membership`` for tenant URLs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.membership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)

        if match.app_name == "admin":
            # The admin site is for superusers and spans every tenant.
            with scopes_disabled():
                return self.get_response(request)

        slug = match.kwargs.get("tenant_slug")
        if slug is None or not request.user.is_authenticated:
            # Anonymous users are sent to the login page by
            # LoginRequiredMiddleware before any view runs.
            return self.get_response(request)

        required = required_role_of(match.func)
        if required is None:
            raise ImproperlyConfigured(
                f"Tenant view {match.view_name!r} must declare required_role."
            )
        # One list serves the check and the navbar's tenant switcher, read
        # with the user (MembershipModelBackend).
        request.user_memberships = user_memberships(user=request.user)
        membership = next(
            (m for m in request.user_memberships if m.tenant.slug == slug), None
        )
        if membership is None:
            raise Http404("No such tenant.")
        if not membership.allows(required):
            raise PermissionDenied(f"This page needs the {required} role.")

        request.tenant = membership.tenant
        request.membership = membership
        services.membership_opened(membership=membership, session=request.session)
        with scope(tenant=membership.tenant):
            return self.get_response(request)
