"""Views of pools: the design form, its review, drafts and JSON import."""

import json
import uuid
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from poolconsole.provisioning.services import tagged_request
from poolconsole.tenants.models import Role
from poolconsole.tenants.views import TenantViewMixin

from . import selectors, services
from .forms import (
    PoolImportForm,
    bind_design,
    design_is_valid,
    design_warnings,
    sole_connection_id,
)
from .importing import request_from_json
from .models import PoolDraft
from .requests import MAX_SCHEMA_ROWS, SCHEMA_PREFIX, form_data_from_request
from .validation import (
    STANDARD_ATTRIBUTES,
    Problem,
    schema_limit,
    stored_name_prefix,
)

# Session key of a design posted after the session expired (see dispatch).
PENDING_DESIGN_KEY = "pools.pending_design"
# Session key where a failed create leaves ``{request path: AWS message}``
# for the draft it saved (see poolconsole.provisioning.views).
CREATE_FIELD_ERRORS_KEY = "pool_create_field_errors"


def payload_to_data(payload: dict) -> QueryDict:
    """Return a draft payload as the QueryDict a browser would have posted."""
    data = QueryDict(mutable=True)
    for key, values in payload.items():
        data.setlist(key, list(values))
    return data


def immutable_choices(request: dict) -> list[str]:
    """Return the choices of request that cannot be changed after creation."""
    lines = [f"Pool name: {request.get('PoolName', '')}"]
    aliases = request.get("AliasAttributes") or []
    lines.append("Alias attributes: " + (", ".join(aliases) if aliases else "none"))
    schema = request.get("Schema") or []
    required = [e.get("Name", "?") for e in schema if e.get("Required")]
    lines.append(
        "Required attributes: " + (", ".join(required) if required else "none")
    )
    for entry in schema:
        mutable = "mutable" if entry.get("Mutable") else "immutable"
        name = entry.get("Name", "?")
        if name not in STANDARD_ATTRIBUTES:
            name = f"{name} (stored as {stored_name_prefix(entry)}{name})"
        lines.append(
            f"Schema attribute {name} "
            f"({entry.get('AttributeDataType', 'standard type')}), {mutable}"
        )
    lines.append("Custom attributes cannot be removed once the pool exists.")
    return lines


def _add_row(data: QueryDict) -> QueryDict:
    data = data.copy()
    key = f"{SCHEMA_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        return data
    # Rows marked removed still post their fields, and count in TOTAL_FORMS.
    shown = sum(
        not data.get(f"{SCHEMA_PREFIX}-{index}-DELETE")
        for index in range(max(0, min(total, MAX_SCHEMA_ROWS)))
    )
    if 0 <= total < MAX_SCHEMA_ROWS and shown < schema_limit():
        data[key] = str(total + 1)
        data[f"{SCHEMA_PREFIX}-{total}-kind"] = "custom"
        data[f"{SCHEMA_PREFIX}-{total}-mutable"] = "on"
    return data


def _hide_errors(form, formset) -> None:
    """Render bound data without validating it (after "Add attribute row")."""
    from django.forms.utils import ErrorDict, ErrorList

    for f in [form, *formset.forms]:
        f._errors = ErrorDict()
        f.cleaned_data = {}
    formset._errors = []
    formset._non_form_errors = ErrorList()


class PendingPost(NamedTuple):
    """What was kept of a post made after the session expired."""

    payload: dict
    # Why the user is back on this page, when the page's own words won't do.
    note: str


class KeepPostAcrossLoginMixin:
    """Send a user whose session expired to log in, keeping what they posted.

    The views using it are exempt from LoginRequiredMiddleware (their URL
    patterns are ``login_not_required``) and check the login here. A post
    that arrives after the session expired is kept in the new (anonymous)
    session; login() keeps that session's data, so the design page at
    ``pending_path()``, where the user lands after logging in, pops it
    (``DesignMixin.pop_pending``) and comes back filled in.
    """

    pending_note = ""
    # The most a kept post may take in the session, in characters of JSON. A
    # whole design, every template, tag and the external ID at its longest,
    # is below 200,000.
    pending_max_chars = 256 * 1024

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            path = self.pending_path()
            if request.method == "POST":
                payload = self.pending_payload(request.POST)
                kept = json.dumps(payload, ensure_ascii=False)
                if len(kept) <= self.pending_max_chars:
                    request.session[PENDING_DESIGN_KEY] = {
                        "path": path,
                        "payload": payload,
                        "note": self.pending_note,
                    }
            return redirect_to_login(path)
        return super().dispatch(request, *args, **kwargs)

    def pending_path(self) -> str:
        """Return the page that shows the kept post again after login."""
        return self.request.path

    def pending_payload(self, post) -> dict:
        """Return what of a post made after the session expired to keep."""
        return services.draft_payload(post)


class DesignMixin(KeepPostAcrossLoginMixin, TenantViewMixin):
    """Show and handle the design form, for a new design or a draft."""

    required_role = Role.OPERATOR
    draft: PoolDraft | None = None

    def pop_pending(self) -> PendingPost | None:
        """Return (once) what was kept of a post for this page before login."""
        pending = self.request.session.get(PENDING_DESIGN_KEY)
        if not isinstance(pending, dict) or pending.get("path") != self.request.path:
            return None
        del self.request.session[PENDING_DESIGN_KEY]
        payload = pending.get("payload")
        note = pending.get("note")
        return PendingPost(
            payload if isinstance(payload, dict) else {},
            note if isinstance(note, str) else "",
        )

    def form_action(self) -> str:
        if self.draft is not None:
            return reverse(
                "pools:draft",
                kwargs={"tenant_slug": self.tenant.slug, "draft_id": self.draft.pk},
            )
        return reverse("pools:new", kwargs={"tenant_slug": self.tenant.slug})

    def render_design(self, form, formset, **extra):
        context = {
            "tenant": self.tenant,
            "membership": self.membership,
            "form": form,
            "formset": formset,
            "draft": self.draft,
            "form_action": self.form_action(),
            "schema_limit": schema_limit(),
            "warnings": design_warnings(form, formset),
            **extra,
        }
        return self.response_class(
            request=self.request,
            template=["pools/design.html"],
            context=context,
            using=self.template_engine,
        )

    def render_bound(self, data, **extra):
        form, formset = bind_design(tenant=self.tenant, data=data)
        design_is_valid(form, formset)
        formset.add_problems(self.create_errors())
        return self.render_design(form, formset, **extra)

    def create_errors(self) -> list[Problem]:
        """Pop the field errors AWS gave when this design failed to create."""
        errors = self.request.session.pop(CREATE_FIELD_ERRORS_KEY, None)
        if not isinstance(errors, dict):
            return []
        return [
            Problem(path, f"AWS: {message}", "error")
            for path, message in errors.items()
            if isinstance(path, str) and isinstance(message, str)
        ]

    def get(self, request, *args, **kwargs):
        pending = self.pop_pending()
        if pending is not None:
            messages.info(
                request,
                pending.note
                or "Your session had expired. Here is the design you sent; "
                "nothing was lost.",
            )
            return self.render_bound(payload_to_data(pending.payload))
        if self.draft is not None:
            return self.render_bound(payload_to_data(self.draft.payload))
        form, formset = bind_design(tenant=self.tenant)
        return self.render_design(form, formset)

    def post(self, request, *args, **kwargs):
        data = request.POST
        action = data.get("action", "review")
        if "add_row" in data:
            added = _add_row(data)
            if added == data:
                messages.info(
                    request,
                    f"Cognito takes at most {schema_limit()} attributes: remove "
                    "one to add another.",
                )
            form, formset = bind_design(tenant=self.tenant, data=added)
            _hide_errors(form, formset)
            return self.render_design(form, formset)
        if action == "save":
            draft = services.draft_save(
                tenant=self.tenant,
                data=data,
                author=request.user,
                draft=self.draft,
                request=request,
            )
            messages.success(request, f"Draft “{draft.name}” was saved.")
            return redirect(
                "pools:draft", tenant_slug=self.tenant.slug, draft_id=draft.pk
            )
        form, formset = bind_design(tenant=self.tenant, data=data)
        valid = design_is_valid(form, formset)  # also for "edit": warnings
        if action == "edit" or not valid:
            return self.render_design(form, formset)
        # One key per rendered review page: a double click, a resubmit or a
        # second tab reuse it, so the pool is created once. The tag it adds
        # is how poolconsole finds the pool again after an unknown outcome.
        idempotency_key = uuid.uuid4()
        pool_request = tagged_request(formset.request, idempotency_key)
        return self.response_class(
            request=request,
            template=["pools/review.html"],
            context={
                "tenant": self.tenant,
                "membership": self.membership,
                "draft": self.draft,
                "idempotency_key": idempotency_key,
                "form_action": self.form_action(),
                "connection": form.cleaned_data.get("connection"),
                "request_json": json.dumps(pool_request, indent=2, ensure_ascii=False),
                "immutable": immutable_choices(pool_request),
                "warnings": design_warnings(form, formset),
                "hidden": [
                    (key, value)
                    for key, values in services.draft_payload(data).items()
                    for value in values
                ],
            },
            using=self.template_engine,
        )


class PoolDesignView(DesignMixin, TemplateView):
    """Design a new user pool."""

    template_name = "pools/design.html"


class DraftEditView(DesignMixin, TemplateView):
    """Reopen a draft; saving writes over it."""

    template_name = "pools/design.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            try:
                self.draft = selectors.draft_get(
                    tenant=self.tenant, draft_id=kwargs["draft_id"]
                )
            except PoolDraft.DoesNotExist as exc:
                raise Http404("No such draft.") from exc
        return super().dispatch(request, *args, **kwargs)


class DraftListView(TenantViewMixin, TemplateView):
    """List the tenant's drafts."""

    required_role = Role.VIEWER
    template_name = "pools/drafts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["drafts"] = selectors.draft_list(tenant=self.tenant)
        context["can_design"] = self.membership.allows(Role.OPERATOR)
        return context


class PoolListView(DraftListView):
    """The pools page; until pools can be created it lists drafts."""

    template_name = "pools/list.html"


class _DraftActionView(TenantViewMixin, View):
    required_role = Role.OPERATOR
    http_method_names = ["post"]

    def get_draft(self, draft_id: int) -> PoolDraft:
        try:
            return selectors.draft_get(tenant=self.tenant, draft_id=draft_id)
        except PoolDraft.DoesNotExist as exc:
            raise Http404("No such draft.") from exc


class DraftDuplicateView(_DraftActionView):
    """Copy a draft."""

    def post(self, request, tenant_slug, draft_id):
        copy = services.draft_duplicate(
            draft=self.get_draft(draft_id), author=request.user, request=request
        )
        messages.success(request, f"Draft “{copy.name}” was created.")
        return redirect("pools:draft", tenant_slug=tenant_slug, draft_id=copy.pk)


class DraftDeleteView(_DraftActionView):
    """Delete a draft."""

    def post(self, request, tenant_slug, draft_id):
        draft = self.get_draft(draft_id)
        services.draft_delete(draft=draft, actor=request.user, request=request)
        messages.success(request, f"Draft “{draft.name}” was deleted.")
        return redirect("pools:drafts", tenant_slug=tenant_slug)


class PoolImportView(DesignMixin, TemplateView):
    """Prefill the design form from pasted or uploaded JSON."""

    template_name = "pools/import.html"

    def form_action(self) -> str:
        return reverse("pools:new", kwargs={"tenant_slug": self.tenant.slug})

    # Pasted JSON of up to PoolImportForm.MAX_BYTES, escaped.
    pending_max_chars = 2 * PoolImportForm.MAX_BYTES

    def pending_payload(self, post) -> dict:
        # An uploaded file cannot be kept; pasted JSON can.
        return {"json_text": post.get("json_text", "")}

    def get(self, request, *args, **kwargs):
        initial = {}
        pending = self.pop_pending()
        if pending is not None:
            initial["json_text"] = str(pending.payload.get("json_text", ""))
            messages.info(
                request,
                "Your session had expired. Here is the JSON you pasted: "
                "import it again.",
            )
        return self.render_to_response(
            self.get_context_data(import_form=PoolImportForm(initial=initial))
        )

    def post(self, request, *args, **kwargs):
        import_form = PoolImportForm(request.POST, request.FILES)
        if not import_form.is_valid():
            return self.render_to_response(
                self.get_context_data(import_form=import_form)
            )
        pool_request, problems = request_from_json(import_form.cleaned_data["data"])
        data = form_data_from_request(pool_request)
        # JSON names no connection: start on the tenant's only one, as a
        # new design does, so the import can be reviewed and created.
        only = sole_connection_id(self.tenant)
        if only is not None:
            data["connection"] = str(only)
        return self.render_bound(data, import_problems=problems)
