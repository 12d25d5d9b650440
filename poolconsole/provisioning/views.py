"""Pages of created pools: create, browse, refresh, import, export, clone.

The contract with the design pages (``pools`` app):

* the review page includes ``provisioning/_create_action.html`` in its
  ``create_action`` block; the button posts the review's form (the design's
  hidden fields) plus ``request_json``, ``idempotency_key``,
  ``connection_id`` and ``draft_id`` to ``provisioning:create``;
* on success the user lands on ``provisioning:detail``;
* a create posted after the session expired creates nothing: like a post
  to the design pages, the design is kept and, after logging in, the user
  lands on the design page it came from (``pools:new`` or the draft's),
  filled in, to review it and create it again;
* whenever the create does not succeed at once, the posted design is
  saved into its draft (a new draft when there was none, recorded on the
  attempt as ``draft_id``), so nothing the user typed is lost;
* on failure the error is a page message, and the user is sent to
  ``pools:draft``; an ``InvalidParameterException`` naming fields leaves
  ``{request path: message}`` (e.g. ``{"Schema.1.Name": "..."}``, 0-based
  like the formset) in the session key ``pool_create_field_errors``, for
  the design view to pop and show at those fields;
* an unknown outcome (no answer, pool not found yet) leads to the
  attempt's page, which offers to look for the pool again; once that
  settles as failed, its "Back to the design" opens the draft;
* a draft's design downloads from ``provisioning:draft_export`` (kwargs
  ``draft_id`` and ``fmt``: json, cloudformation or terraform); a draft
  with errors is not exported: the user is sent back with them.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from poolconsole.audit import selectors as audit_selectors
from poolconsole.core.exceptions import ApplicationError
from poolconsole.credentials import selectors as credential_selectors
from poolconsole.credentials.models import AwsConnection
from poolconsole.pools import exports
from poolconsole.pools import selectors as pool_selectors
from poolconsole.pools import services as pool_services
from poolconsole.pools.forms import bind_design, design_is_valid
from poolconsole.pools.models import PoolDraft
from poolconsole.pools.requests import form_data_from_request
from poolconsole.pools.views import KeepPostAcrossLoginMixin
from poolconsole.tenants.models import Role
from poolconsole.tenants.views import TenantViewMixin

from . import selectors, services
from .forms import (
    PendingPoolCreateForm,
    PoolCreateForm,
    PoolImportForm,
    PoolSearchForm,
)
from .models import AttemptStatus, CreateAttempt, UserPool

# Session key the design page reads after a failed create: a dict
# {request path such as "Schema.1.Name": AWS's message}.
FIELD_ERRORS_SESSION_KEY = "pool_create_field_errors"
# Posted keys that belong to the create button, not to the design.
CREATE_KEYS = frozenset(
    {"request_json", "idempotency_key", "connection_id", "draft_id", "action"}
)
PAGE_SIZE = 25
AUDIT_EVENTS_SHOWN = 50


def posted_design(post, pool_request, connection_id=None) -> dict:
    """Return the design a review page posted with its create button.

    The review page posts the design's own fields with the button; they
    are kept as they are. Without them the design is rebuilt from the
    request.
    """
    design = {key: values for key, values in post.lists() if key not in CREATE_KEYS}
    if "pool_name" not in design:
        design = dict(form_data_from_request(pool_request).lists())
        if connection_id is not None:
            design.setdefault("connection", [str(connection_id)])
    return design


class PoolCreateView(KeepPostAcrossLoginMixin, TenantViewMixin, View):
    """Create the reviewed pool in AWS, once per review page."""

    required_role = Role.OPERATOR
    http_method_names = ["post"]
    # Shown with the kept design after logging in: a pool is created only
    # from a new review, never from a post replayed after the login.
    pending_note = (
        "Your session had expired, so nothing was created. Here is the "
        "design you reviewed: review it again to create the pool."
    )

    @cached_property
    def posted_form(self) -> PoolCreateForm:
        """Return the posted form, validated: its valid fields are cleaned."""
        if self.request.user.is_authenticated:
            form = PoolCreateForm(self.request.POST)
        else:
            form = PendingPoolCreateForm(self.request.POST)
        form.is_valid()
        return form

    def pending_path(self) -> str:
        """Return the design page the review came from: the draft's, or new."""
        slug = self.kwargs["tenant_slug"]
        draft_id = self.posted_form.cleaned_data.get("draft_id")
        if draft_id:
            return reverse(
                "pools:draft", kwargs={"tenant_slug": slug, "draft_id": draft_id}
            )
        return reverse("pools:new", kwargs={"tenant_slug": slug})

    def pending_payload(self, post) -> dict:
        data = self.posted_form.cleaned_data
        return pool_services.draft_payload(
            posted_design(post, data.get("request_json"), data.get("connection_id"))
        )

    def post(self, request, tenant_slug):
        form = self.posted_form
        if form.errors:
            messages.error(
                request,
                "The review page was incomplete; review the design again. "
                + " ".join(e for errors in form.errors.values() for e in errors),
            )
            return redirect("pools:new", tenant_slug=tenant_slug)
        data = form.cleaned_data
        draft_id = data.get("draft_id")
        try:
            connection = credential_selectors.connection_get(
                tenant=self.tenant, connection_id=data["connection_id"]
            )
        except AwsConnection.DoesNotExist:
            messages.error(request, "Choose one of this tenant's AWS connections.")
            return self.back_to_design(data["request_json"], draft_id, None)
        try:
            attempt = services.pool_create(
                tenant=self.tenant,
                user=request.user,
                connection=connection,
                request=data["request_json"],
                idempotency_key=data["idempotency_key"],
                draft_id=draft_id,
                http_request=request,
            )
        except services.OpenAttemptError as exc:
            # Nothing was sent. The design is kept; the open attempt's page
            # is where the user can look for its pool.
            self.keep_design(data["request_json"], connection, draft_id=draft_id)
            messages.error(request, exc.message)
            return redirect(
                "provisioning:attempt",
                tenant_slug=tenant_slug,
                attempt_id=exc.attempt.pk,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.back_to_design(data["request_json"], draft_id, connection)

        if attempt.status in (AttemptStatus.SUCCEEDED, AttemptStatus.RECONCILED):
            pool = attempt.pool
            if attempt.status == AttemptStatus.RECONCILED:
                messages.warning(
                    request,
                    "AWS did not confirm the creation, but poolconsole found the "
                    f"pool in the account: {pool.name} ({pool.pool_id}).",
                )
            else:
                messages.success(request, f"Created {pool.name} ({pool.pool_id}).")
            return redirect(
                "provisioning:detail", tenant_slug=tenant_slug, pool_id=pool.pk
            )
        if attempt.status == AttemptStatus.PENDING:
            # A second submission of a page whose first is still with AWS.
            messages.info(
                request,
                "This page was already submitted and the pool is being "
                "created: reload this page in a moment.",
            )
            return redirect(
                "provisioning:attempt", tenant_slug=tenant_slug, attempt_id=attempt.pk
            )
        if attempt.status == AttemptStatus.UNKNOWN:
            messages.warning(request, attempt.error_message or services.UNKNOWN_MESSAGE)
            # Kept now: if the attempt later settles as failed (here or in
            # reconcile_attempts), its page leads back to this draft.
            self.keep_design(attempt.request, connection, attempt=attempt)
            return redirect(
                "provisioning:attempt", tenant_slug=tenant_slug, attempt_id=attempt.pk
            )
        messages.error(request, attempt.error_message)
        if attempt.field_errors:
            request.session[FIELD_ERRORS_SESSION_KEY] = attempt.field_errors
        return self.back_to_design(
            attempt.request, attempt.draft_id, connection, attempt=attempt
        )

    def back_to_design(self, pool_request: dict, draft_id, connection, attempt=None):
        """Keep the posted design in its draft and send the user back to it."""
        draft = self.keep_design(
            pool_request, connection, draft_id=draft_id, attempt=attempt
        )
        return redirect("pools:draft", tenant_slug=self.tenant.slug, draft_id=draft.pk)

    def keep_design(
        self, pool_request: dict, connection, *, draft_id=None, attempt=None
    ) -> PoolDraft:
        """Save the posted design into its draft, or a new one; return it.

        The draft is saved (or created) so the form comes back filled in,
        whatever the user changed since it was last saved. The
        attempt's draft is the one saved over, so a resubmitted page keeps
        one draft; a new draft is recorded on the attempt, whose page then
        leads back to it.
        """
        if attempt is not None:
            draft_id = attempt.draft_id
        design = posted_design(
            self.request.POST,
            pool_request,
            connection.pk if connection is not None else None,
        )
        draft = None
        if draft_id:
            try:
                draft = pool_selectors.draft_get(tenant=self.tenant, draft_id=draft_id)
            except PoolDraft.DoesNotExist:
                draft = None
        created = draft is None
        draft = pool_services.draft_save(
            tenant=self.tenant,
            data=design,
            author=self.request.user,
            draft=draft,
            request=self.request,
        )
        if attempt is not None:
            services.attempt_draft_record(attempt=attempt, draft=draft)
        if created:
            messages.info(
                self.request,
                f"Your design was kept as the draft “{draft.name}”.",
            )
        return draft


class PoolListView(TenantViewMixin, TemplateView):
    """List the tenant's pools: search, sort and pages of a fixed size."""

    required_role = Role.VIEWER
    template_name = "provisioning/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PoolSearchForm(self.request.GET)
        form.is_valid()
        query = form.cleaned_data.get("q", "")
        sort = form.cleaned_data.get("sort") or selectors.DEFAULT_SORT
        if sort not in selectors.POOL_SORTS:
            sort = selectors.DEFAULT_SORT
        page = selectors.pool_page(
            tenant=self.tenant,
            query=query,
            sort=sort,
            number=self.request.GET.get("page"),
            size=PAGE_SIZE,
        )
        can_operate = self.membership.allows(Role.OPERATOR)
        context.update(
            search_form=form,
            query=query,
            sort=sort,
            sorts=[
                ("-created", "Newest"),
                ("created", "Oldest"),
                ("name", "Name A–Z"),
                ("-name", "Name Z–A"),
                ("-users", "Most users"),
                ("users", "Fewest users"),
            ],
            page=page,
            pools=page.object_list,
            can_operate=can_operate,
            connections=(
                list(
                    credential_selectors.connection_list(
                        tenant=self.tenant, include_archived=False
                    )
                )
                if can_operate
                else []
            ),
        )
        return context


def _rows(label: str, value) -> list[tuple[str, object]]:
    """Return (label, value) rows of value, one per leaf of a dict."""
    if isinstance(value, dict) and value:
        rows = []
        for key, child in value.items():
            rows.extend(_rows(f"{label} › {key}", child))
        return rows
    return [(label, value)]


def pool_groups(pool: UserPool) -> list[tuple[str, list[tuple[str, object]]]]:
    """Return the pool's fields grouped like the design form."""
    groups = [
        (
            "Basics",
            [
                ("Name", pool.name),
                ("Status", pool.status),
                ("Region", pool.region),
                ("Created", pool.creation_date),
                ("Last modified", pool.last_modified_date),
                ("Estimated users", pool.estimated_number_of_users),
                ("Deletion protection", pool.deletion_protection),
                ("Tier", pool.user_pool_tier),
                ("Domain", pool.domain),
                ("Custom domain", pool.custom_domain),
            ],
        ),
        (
            "Sign-in",
            [
                ("Alias attributes", pool.alias_attributes),
                ("Username attributes", pool.username_attributes),
                *_rows("Username configuration", pool.username_configuration),
                ("Auto-verified attributes", pool.auto_verified_attributes),
                *_rows("Account recovery", pool.account_recovery_setting),
                *_rows(
                    "Attribute update settings", pool.user_attribute_update_settings
                ),
            ],
        ),
        ("Password policy", _rows("Policies", pool.policies)),
        (
            "MFA and devices",
            [
                ("MFA", pool.mfa_configuration),
                *_rows("Devices", pool.device_configuration),
            ],
        ),
        (
            "Messages",
            [
                ("SMS verification message", pool.sms_verification_message),
                ("Email verification message", pool.email_verification_message),
                ("Email verification subject", pool.email_verification_subject),
                ("SMS authentication message", pool.sms_authentication_message),
                *_rows("Verification template", pool.verification_message_template),
            ],
        ),
        (
            "Email and SMS",
            [
                *_rows("Email", pool.email_configuration),
                ("Email configuration failure", pool.email_configuration_failure),
                *_rows("SMS", pool.sms_configuration),
                ("SMS configuration failure", pool.sms_configuration_failure),
            ],
        ),
        (
            "Admin-created users",
            _rows("Admin create user", pool.admin_create_user_config),
        ),
        ("Lambda triggers", _rows("Lambda", pool.lambda_config)),
        (
            "Add-ons and tags",
            [
                *_rows("Add-ons", pool.user_pool_add_ons),
                *_rows("Tags", pool.user_pool_tags),
            ],
        ),
    ]
    return groups


class _PoolMixin(TenantViewMixin):
    """Fetch the tenant's pool before any method: another's is 404 to all."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() in self.http_method_names:
            self.pool = self.get_pool(kwargs["pool_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_pool(self, pool_id: int) -> UserPool:
        try:
            return selectors.pool_get(tenant=self.tenant, pool_id=pool_id)
        except UserPool.DoesNotExist as exc:
            raise Http404("No such pool.") from exc


class PoolDetailView(_PoolMixin, TemplateView):
    """Everything Cognito said about a pool, its attempts and its history."""

    required_role = Role.VIEWER
    template_name = "provisioning/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pool = self.pool
        attempts = list(selectors.attempt_list_for_pool(tenant=self.tenant, pool=pool))
        targets = selectors.audit_targets(pools=[pool], attempts=attempts)
        # The attempt that created the pool is one of its attempts: read once.
        creating = next((a for a in attempts if a.pk == pool.attempt_id), None)
        request = creating.request if creating else None
        context.update(
            pool=pool,
            groups=pool_groups(pool),
            attempts=attempts,
            events=list(
                audit_selectors.audit_list_for_targets(
                    tenant=self.tenant, targets=targets
                )[:AUDIT_EVENTS_SHOWN]
            ),
            comparison=(
                selectors.requested_vs_effective(
                    request=request, effective=pool.raw_response
                )
                if request
                else None
            ),
            can_operate=self.membership.allows(Role.OPERATOR),
        )
        return context


class PoolRefreshView(_PoolMixin, View):
    """Describe the pool again and show what changed."""

    required_role = Role.OPERATOR
    http_method_names = ["post"]

    def post(self, request, tenant_slug, pool_id):
        pool = self.pool
        try:
            result = services.pool_refresh(
                pool=pool, user=request.user, http_request=request
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if result.deleted_upstream:
                messages.warning(
                    request,
                    "AWS no longer has this pool: it was deleted outside "
                    "poolconsole. Its record is kept.",
                )
            elif result.changed:
                messages.success(
                    request, "Refreshed. Changed: " + ", ".join(result.changed) + "."
                )
            else:
                messages.success(request, "Refreshed: nothing changed.")
        return redirect("provisioning:detail", tenant_slug=tenant_slug, pool_id=pool.pk)


class PoolImportView(TenantViewMixin, View):
    """Import the pools of a connection that poolconsole does not know yet."""

    required_role = Role.OPERATOR
    http_method_names = ["post"]

    def post(self, request, tenant_slug):
        form = PoolImportForm(request.POST)
        connection = None
        if form.is_valid():
            try:
                connection = credential_selectors.connection_get(
                    tenant=self.tenant,
                    connection_id=form.cleaned_data["connection_id"],
                )
            except AwsConnection.DoesNotExist:
                connection = None
        if connection is None:
            messages.error(request, "Choose one of this tenant's AWS connections.")
            return redirect("provisioning:list", tenant_slug=tenant_slug)
        try:
            result = services.pools_import(
                connection=connection, user=request.user, http_request=request
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Imported {len(result.created)} new pool(s) from {connection}; "
                f"{len(result.updated)} known pool(s) refreshed.",
            )
        return redirect("provisioning:list", tenant_slug=tenant_slug)


class _AttemptMixin(TenantViewMixin):
    """Fetch the tenant's attempt before any method: another's is 404 to all."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() in self.http_method_names:
            self.attempt = self.get_attempt(kwargs["attempt_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_attempt(self, attempt_id: int) -> CreateAttempt:
        try:
            return selectors.attempt_get(tenant=self.tenant, attempt_id=attempt_id)
        except CreateAttempt.DoesNotExist as exc:
            raise Http404("No such attempt.") from exc


class AttemptDetailView(_AttemptMixin, TemplateView):
    """One create attempt: its request, outcome and audit events."""

    required_role = Role.VIEWER
    template_name = "provisioning/attempt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attempt = self.attempt
        context.update(
            attempt=attempt,
            events=list(
                audit_selectors.audit_list_for_targets(
                    tenant=self.tenant,
                    targets=selectors.audit_targets(pools=[], attempts=[attempt]),
                )[:AUDIT_EVENTS_SHOWN]
            ),
            can_operate=self.membership.allows(Role.OPERATOR),
            design_url=(
                reverse(
                    "pools:draft",
                    kwargs={
                        "tenant_slug": self.tenant.slug,
                        "draft_id": attempt.draft_id,
                    },
                )
                if attempt.draft_id
                else reverse("pools:new", kwargs={"tenant_slug": self.tenant.slug})
            ),
        )
        return context


class AttemptReconcileView(_AttemptMixin, View):
    """Look again for the pool of an attempt whose outcome is unknown."""

    required_role = Role.OPERATOR
    http_method_names = ["post"]

    def post(self, request, tenant_slug, attempt_id):
        attempt = services.attempt_reconcile(
            attempt=self.attempt, user=request.user, http_request=request
        )
        if attempt.pool_id:
            messages.success(request, "The pool was found and recorded.")
            return redirect(
                "provisioning:detail", tenant_slug=tenant_slug, pool_id=attempt.pool_id
            )
        if attempt.status == AttemptStatus.FAILED:
            messages.info(request, attempt.error_message)
        elif reason := getattr(attempt, "reconcile_error", ""):
            messages.warning(
                request, f"AWS could not be asked: {reason} Try again in a minute."
            )
        else:
            messages.warning(request, attempt.error_message)
        return redirect(
            "provisioning:attempt", tenant_slug=tenant_slug, attempt_id=attempt.pk
        )


# Export and clone: reuse a pool's design, or a draft's.

# Problems of an invalid draft named in the message that refuses to export it.
EXPORT_PROBLEMS_SHOWN = 3


def export_response(pool_request: dict, fmt: str, basename: str) -> HttpResponse:
    """Return pool_request exported in fmt, as a file to download."""
    extension, content_type = exports.FORMATS[fmt]
    return HttpResponse(
        exports.export(pool_request, fmt),
        content_type=f"{content_type}; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                True, f"{basename}.{extension}"
            ),
        },
    )


def draft_request(*, tenant, draft: PoolDraft) -> tuple[dict | None, list[str]]:
    """Return the request of a draft's design, or None and why it is invalid.

    The draft is bound to the design form exactly as reopening it does, so
    the export is the request its review page would show.
    """
    data = QueryDict(mutable=True)
    for key, values in (draft.payload or {}).items():
        data.setlist(key, list(values) if isinstance(values, list) else [values])
    form, formset = bind_design(tenant=tenant, data=data)
    if design_is_valid(form, formset) and formset.request is not None:
        return formset.request, []
    errors = [
        f"{form.fields[field].label if field in form.fields else 'Design'}: {error}"
        for field, field_errors in form.errors.items()
        for error in field_errors
    ]
    errors += [str(error) for error in formset.non_form_errors()]
    for number, row in formset.numbered_rows():
        if number is None:
            continue  # removed: not part of the design
        errors += [
            f"Attribute {number}: {error}"
            for field_errors in row.errors.values()
            for error in field_errors
        ]
    return None, errors or ["the design is incomplete."]


class PoolExportView(_PoolMixin, View):
    """Download a pool's design as CLI JSON, CloudFormation or Terraform."""

    required_role = Role.VIEWER

    def get(self, request, tenant_slug, pool_id, fmt):
        pool_request = exports.request_from_pool(self.pool)
        return export_response(pool_request, fmt, self.pool.pool_id)


class PoolCloneView(_PoolMixin, View):
    """Start a new design (a draft) from a pool's design."""

    required_role = Role.OPERATOR
    http_method_names = ["post"]

    def post(self, request, tenant_slug, pool_id):
        pool = self.pool
        pool_request = exports.request_from_pool(pool)
        # The copy is named apart from its original, so the two are not
        # confused in lists or in the AWS console; the user can rename it.
        pool_request["PoolName"] = f"Copy of {pool.name}"[:128]
        data = form_data_from_request(pool_request)
        if not pool.connection.is_archived:
            data["connection"] = str(pool.connection_id)
        draft = pool_services.draft_save(
            tenant=self.tenant, data=data, author=request.user, request=request
        )
        messages.success(request, f"Draft “{draft.name}” was created from {pool}.")
        return redirect("pools:draft", tenant_slug=tenant_slug, draft_id=draft.pk)


class _DraftMixin(TenantViewMixin):
    """Fetch the tenant's draft before any method: another's is 404 to all."""

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() in self.http_method_names:
            try:
                self.draft = pool_selectors.draft_get(
                    tenant=self.tenant, draft_id=kwargs["draft_id"]
                )
            except PoolDraft.DoesNotExist as exc:
                raise Http404("No such draft.") from exc
        return super().dispatch(request, *args, **kwargs)


class DraftExportView(_DraftMixin, View):
    """Download a draft's design, once it is valid, like a pool's."""

    required_role = Role.VIEWER

    def get(self, request, tenant_slug, draft_id, fmt):
        draft = self.draft
        pool_request, errors = draft_request(tenant=self.tenant, draft=draft)
        if pool_request is None:
            shown = "; ".join(errors[:EXPORT_PROBLEMS_SHOWN])
            more = len(errors) - EXPORT_PROBLEMS_SHOWN
            messages.error(
                request,
                f"The draft “{draft.name}” cannot be exported until its errors "
                f"are fixed: {shown}" + (f" (and {more} more)." if more > 0 else ""),
            )
            if self.membership.allows(Role.OPERATOR):
                return redirect(
                    "pools:draft", tenant_slug=tenant_slug, draft_id=draft.pk
                )
            return redirect("pools:drafts", tenant_slug=tenant_slug)
        return export_response(pool_request, fmt, f"draft-{draft.pk}")
