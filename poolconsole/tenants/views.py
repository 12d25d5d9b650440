"""Views of the tenant: home redirect, dashboard and members."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from poolconsole.audit import selectors as audit_selectors
from poolconsole.core.exceptions import ApplicationError
from poolconsole.provisioning import selectors as pool_selectors

from . import selectors, services
from .dashboard import dashboard_summary
from .forms import MemberInviteForm, MemberRoleForm
from .models import Membership, Role


class TenantViewMixin:
    """Give a tenant view its tenant and membership.

    ``TenantMiddleware`` has already resolved both and checked
    ``required_role``; this mixin only exposes them.
    """

    required_role: str = Role.ADMIN  # fail closed: subclasses lower it

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.tenant = request.tenant
        self.membership = request.membership

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tenant"] = self.tenant
        context["membership"] = self.membership
        return context


def home(request):
    """Send the user to the tenant they used last (else their first), or
    explain how to get one."""
    membership = selectors.membership_to_open(user=request.user)
    if membership is not None:
        return redirect("dashboard", tenant_slug=membership.tenant.slug)
    return render(request, "tenants/no_tenant.html")


class DashboardView(TenantViewMixin, TemplateView):
    """The tenant's landing page: pools by status, creations per week, open
    attempts and the latest events.

    The counts are cached until the tenant's next audit event (dashboard.py);
    the lists are slices of an index.
    """

    required_role = Role.VIEWER
    template_name = "tenants/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dashboard_summary(tenant=self.tenant))
        context["open_attempts"] = pool_selectors.attempt_list_open(tenant=self.tenant)
        context["latest_events"] = list(
            audit_selectors.audit_list(tenant=self.tenant).only(
                *audit_selectors.TABLE_FIELDS
            )[:10]
        )
        return context


class MemberListView(TenantViewMixin, TemplateView):
    """List the tenant's members and add new ones (admins only)."""

    required_role = Role.ADMIN
    template_name = "tenants/members.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = selectors.membership_list(tenant=self.tenant)
        context["roles"] = Role.choices
        context.setdefault("form", MemberInviteForm())
        return context

    def post(self, request, *args, **kwargs):
        form = MemberInviteForm(request.POST)
        if form.is_valid():
            try:
                services.membership_add(
                    tenant=self.tenant,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    actor=request.user,
                    request=request,
                )
            except ApplicationError as exc:
                form.add_error("identifier", exc.message)
            else:
                messages.success(request, f"{form.cleaned_data['user']} was added.")
                return redirect("tenants:members", tenant_slug=self.tenant.slug)
        return self.render_to_response(self.get_context_data(form=form))


class _MemberActionView(TenantViewMixin, View):
    required_role = Role.ADMIN
    http_method_names = ["post"]

    def get_membership(self, membership_id: int) -> Membership:
        try:
            return selectors.membership_get(
                tenant=self.tenant, membership_id=membership_id
            )
        except Membership.DoesNotExist as exc:
            raise Http404("No such member.") from exc

    def back(self) -> HttpResponseRedirect:
        return redirect(
            reverse("tenants:members", kwargs={"tenant_slug": self.tenant.slug})
        )


class MemberRoleView(_MemberActionView):
    """Change a member's role."""

    def post(self, request, tenant_slug, membership_id):
        membership = self.get_membership(membership_id)
        form = MemberRoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose one of the roles.")
            return self.back()
        try:
            services.membership_change_role(
                membership=membership,
                role=form.cleaned_data["role"],
                actor=request.user,
                request=request,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.back()
        role = form.cleaned_data["role"]
        if membership.user_id == request.user.pk and role != Role.ADMIN:
            # The members page is for admins: show where the user still can go.
            messages.success(
                request, f"You are now {role} here; only admins manage members."
            )
            return redirect("dashboard", tenant_slug=self.tenant.slug)
        messages.success(request, f"{membership.user} is now {role}.")
        return self.back()


class MemberRemoveView(_MemberActionView):
    """Remove a member from the tenant."""

    def post(self, request, tenant_slug, membership_id):
        membership = self.get_membership(membership_id)
        try:
            services.membership_remove(
                membership=membership, actor=request.user, request=request
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.back()
        if membership.user_id == request.user.pk:
            # No page of this tenant is the user's any more.
            messages.success(request, f"You left {self.tenant}.")
            return redirect("home")
        messages.success(request, f"{membership.user} was removed.")
        return self.back()
