"""Reference views every page's throughput is compared with."""

from django.forms.renderers import DjangoTemplates
from django.views.generic import TemplateView

from poolconsole.pools.forms import bind_design, design_is_valid
from poolconsole.tenants.models import Role
from poolconsole.tenants.views import TenantViewMixin

# Django's default form renderer, whatever FORM_RENDERER the settings name:
# the reference is the form as Django renders it out of the box.
DEFAULT_RENDERER = DjangoTemplates()


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


class PlainDesignView(TenantViewMixin, TemplateView):
    """The design form and its schema formset as plain ``{{ form }}{{ formset }}``.

    The same form classes, built and validated as the design view builds
    them (``bind_design``, ``design_is_valid``), rendered by Django's default
    form renderer (``DjangoTemplates``, even where the settings choose
    another) instead of the design page's templates. GET is the
    create form's reference; POST binds and validates the posted design,
    the review's reference.
    """

    required_role = Role.OPERATOR
    template_name = "bench/plain_design.html"

    def get(self, request, *args, **kwargs):
        return self.render_design(data=None)

    def post(self, request, *args, **kwargs):
        return self.render_design(data=request.POST)

    def render_design(self, *, data):
        form, formset = bind_design(tenant=self.tenant, data=data)
        # Before the rows exist: each row is made with form_renderer.
        form.renderer = formset.renderer = DEFAULT_RENDERER
        formset.form_renderer = DEFAULT_RENDERER
        if data is not None:
            design_is_valid(form, formset)
        return self.render_to_response({"form": form, "formset": formset})
