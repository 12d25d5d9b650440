"""Views of credentials."""

from django.views.generic import TemplateView

from poolconsole.tenants.models import Role
from poolconsole.tenants.views import TenantViewMixin


class ListView(TenantViewMixin, TemplateView):
    required_role = Role.VIEWER
    template_name = "credentials/list.html"
