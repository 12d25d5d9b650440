"""The bare reference view every page's throughput is compared with."""

from django.views.generic import TemplateView

from poolconsole.tenants.models import Role


class ReferenceView(TemplateView):
    """Render a tiny template behind the same login and tenant middleware.

    It does no query of its own: what it costs is Django, the middleware
    stack (session, user, tenant membership) and a template render.
    """

    required_role = Role.VIEWER
    template_name = "bench/reference.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tenant"] = self.request.tenant
        return context
