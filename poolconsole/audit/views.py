"""Views of the audit history: list, detail and exports (all read-only)."""

import json

from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from poolconsole.tenants.models import Role
from poolconsole.tenants.views import TenantViewMixin

from . import exports, selectors
from .forms import AuditFilterForm
from .models import AuditEvent


def _filter_querystring(form: AuditFilterForm) -> str:
    """Return the form's filters as a querystring, without the cursor."""
    data = form.data.copy()
    for key in list(data):
        if key not in form.fields or not data.get(key):
            del data[key]
    return data.urlencode()


class ListView(TenantViewMixin, TemplateView):
    """The tenant's audit history, filtered and paged by cursor."""

    required_role = Role.VIEWER
    template_name = "audit/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET, tenant=self.tenant)
        query = _filter_querystring(form)
        if form.is_valid():
            page = selectors.audit_page(
                tenant=self.tenant,
                filters=form.filters(),
                cursor=self.request.GET.get("cursor"),
            )
        else:
            page = selectors.AuditPage(events=[], newer_cursor=None, older_cursor=None)
        context.update(
            form=form,
            page=page,
            query=query,
            query_prefix=f"{query}&" if query else "",
        )
        return context


class DetailView(TenantViewMixin, TemplateView):
    """One event, with its data (request, response) as pretty JSON."""

    required_role = Role.VIEWER
    template_name = "audit/detail.html"

    def dispatch(self, request, *args, event_id, **kwargs):
        # Look the event up before the method check, so that another tenant's
        # id answers 404 to every method.
        try:
            self.event = selectors.audit_get(tenant=self.tenant, event_id=event_id)
        except AuditEvent.DoesNotExist as exc:
            raise Http404("No such event.") from exc
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.event.data

        def pretty(value) -> str:
            return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)

        sections, rest = [], data
        if isinstance(data, dict):
            for key, title in (("request", "Request"), ("response", "Response")):
                if key in data:
                    sections.append((title, pretty(data[key])))
            rest = {k: v for k, v in data.items() if k not in ("request", "response")}
        context.update(
            event=self.event,
            sections=sections,
            # The rest of data, or all of it when it has no request/response.
            data_json=pretty(rest) if rest or not sections else "",
        )
        return context


class _ExportView(TenantViewMixin, View):
    required_role = Role.VIEWER
    http_method_names = ["get"]
    content_type: str
    extension: str

    def rows(self, *, filters: dict):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        form = AuditFilterForm(request.GET, tenant=self.tenant)
        if not form.is_valid():
            return HttpResponseBadRequest("Invalid filters.")
        response = StreamingHttpResponse(
            self.rows(filters=form.filters()), content_type=self.content_type
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = (
            f'attachment; filename="audit-{self.tenant.slug}-{stamp}.{self.extension}"'
        )
        return response


class ExportCsvView(_ExportView):
    """Stream the filtered history as CSV."""

    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def rows(self, *, filters: dict):
        return exports.audit_export_csv(tenant=self.tenant, filters=filters)


class ExportJsonlView(_ExportView):
    """Stream the filtered history as JSON Lines."""

    content_type = "application/x-ndjson; charset=utf-8"
    extension = "jsonl"

    def rows(self, *, filters: dict):
        return exports.audit_export_jsonl(tenant=self.tenant, filters=filters)
