"""Views of the AWS connections of a tenant."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from poolconsole.core.exceptions import ApplicationError
from poolconsole.tenants.models import Role
from poolconsole.tenants.views import TenantViewMixin

from . import selectors, services
from .forms import ConnectionForm
from .models import AwsConnection

SECRET_POST_FIELDS = ("access_key_id", "secret_access_key", "session_token")


class _ConnectionMixin(TenantViewMixin):
    def get_connection(self, connection_id: int) -> AwsConnection:
        try:
            return selectors.connection_get(
                tenant=self.tenant, connection_id=connection_id
            )
        except AwsConnection.DoesNotExist as exc:
            raise Http404("No such connection.") from exc

    def back(self):
        return redirect("credentials:list", tenant_slug=self.tenant.slug)


class ConnectionListView(_ConnectionMixin, TemplateView):
    """List connections: names and regions to all, details to admins."""

    required_role = Role.VIEWER
    template_name = "credentials/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["connections"] = selectors.connection_list(tenant=self.tenant)
        context["is_admin"] = self.membership.allows(Role.ADMIN)
        return context


@method_decorator(sensitive_post_parameters(*SECRET_POST_FIELDS), name="dispatch")
class _ConnectionFormView(_ConnectionMixin, TemplateView):
    required_role = Role.ADMIN
    template_name = "credentials/form.html"
    connection = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ConnectionForm(connection=self.connection))
        context["connection"] = self.connection
        return context

    def save(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = ConnectionForm(request.POST, connection=self.connection)
        if form.is_valid():
            try:
                connection = self.save(form)
            except ApplicationError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, exc.message)
            else:
                messages.success(request, f"Connection {connection.name} saved.")
                return redirect(
                    "credentials:edit",
                    tenant_slug=self.tenant.slug,
                    connection_id=connection.pk,
                )
        return self.render_to_response(self.get_context_data(form=form))


def _form_kwargs(form: ConnectionForm) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "region": data["region"],
        "auth_mode": data["auth_mode"],
        "role_arn": data.get("role_arn", ""),
        "access_key_id": data.get("access_key_id", ""),
        "secret_access_key": data.get("secret_access_key", ""),
        "session_token": data.get("session_token", ""),
        "endpoint_url": data.get("endpoint_url", ""),
    }


class ConnectionCreateView(_ConnectionFormView):
    """Create a connection (admins only)."""

    def save(self, form):
        return services.connection_create(
            tenant=self.tenant,
            actor=self.request.user,
            request=self.request,
            **_form_kwargs(form),
        )


class ConnectionEditView(_ConnectionFormView):
    """Edit a connection; blank secrets keep the stored ones (admins only)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.connection = self.get_connection(kwargs["connection_id"])

    def save(self, form):
        return services.connection_update(
            connection=self.connection,
            actor=self.request.user,
            request=self.request,
            clear_session_token=form.cleaned_data.get("clear_session_token", False),
            **_form_kwargs(form),
        )


class ConnectionTestView(_ConnectionMixin, View):
    """Call sts:GetCallerIdentity through the connection (admins only)."""

    required_role = Role.ADMIN
    http_method_names = ["post"]

    def post(self, request, tenant_slug, connection_id):
        connection = self.get_connection(connection_id)
        result = services.connection_test(
            connection=connection, actor=request.user, request=request
        )
        if result.ok:
            messages.success(request, f"{connection.name}: {result.message}")
        else:
            messages.error(request, f"{connection.name}: {result.message}")
        if request.POST.get("next") == "edit":
            return redirect(
                "credentials:edit",
                tenant_slug=self.tenant.slug,
                connection_id=connection.pk,
            )
        return self.back()


class ConnectionArchiveView(_ConnectionMixin, View):
    """Archive a connection: it stays for history (admins only)."""

    required_role = Role.ADMIN
    http_method_names = ["post"]

    def post(self, request, tenant_slug, connection_id):
        connection = self.get_connection(connection_id)
        try:
            services.connection_archive(
                connection=connection, actor=request.user, request=request
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Connection {connection.name} archived.")
        return self.back()
