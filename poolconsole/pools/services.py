"""Changes to pool designs, each with its audit event."""

from django.db import transaction

from poolconsole.audit.services import audit_record
from poolconsole.tenants.models import Tenant

from .models import PoolDraft
from .requests import MAX_DESIGN_VALUE_CHARS, MAX_DESIGN_VALUES, is_design_key

UNTITLED = "Untitled design"


def _clean_text(value: str) -> str:
    # PostgreSQL's jsonb cannot hold U+0000; the form rejects it anyway.
    return value.replace("\x00", "")


def draft_payload(data) -> dict[str, list[str]]:
    """Return the design part of posted form data as a JSON-able dict.

    Only the design form's own fields are kept, each value no longer than
    any Cognito takes: a post (even an anonymous one, kept across a login)
    cannot fill a draft or a session with anything else.
    """
    lists = data.lists() if hasattr(data, "lists") else data.items()
    payload = {}
    for key, values in lists:
        if not isinstance(key, str) or not is_design_key(key):
            continue
        if not isinstance(values, list):
            values = [values]
        payload[key] = [
            _clean_text(str(v))[:MAX_DESIGN_VALUE_CHARS]
            for v in values[:MAX_DESIGN_VALUES]
        ]
    return payload


def draft_name_of(payload: dict) -> str:
    """Return the draft name of a payload: its pool name, shortened."""
    name = (payload.get("pool_name") or [""])[-1].strip()
    return (name or UNTITLED)[:128]


@transaction.atomic
def draft_save(
    *,
    tenant: Tenant,
    data,
    author,
    draft: PoolDraft | None = None,
    request=None,
) -> PoolDraft:
    """Save posted design data as a new draft, or over draft; audit it."""
    payload = draft_payload(data)
    if draft is None:
        draft = PoolDraft(tenant=tenant, author=author)
    else:
        draft = PoolDraft.objects.select_for_update().get(pk=draft.pk, tenant=tenant)
    draft.payload = payload
    draft.name = draft_name_of(payload)
    if getattr(author, "is_authenticated", False):
        draft.author = author
    draft.full_clean()
    draft.save()
    audit_record(
        tenant=tenant,
        actor=author,
        action="draft.saved",
        target=draft,
        data={"name": draft.name},
        request=request,
    )
    return draft


@transaction.atomic
def draft_duplicate(*, draft: PoolDraft, author, request=None) -> PoolDraft:
    """Save a copy of draft under a new id, and audit it."""
    copy = PoolDraft(
        tenant=draft.tenant,
        author=author,
        payload=draft.payload,
        name=f"Copy of {draft.name}"[:128],
    )
    copy.full_clean()
    copy.save()
    audit_record(
        tenant=draft.tenant,
        actor=author,
        action="draft.saved",
        target=copy,
        data={"name": copy.name, "duplicate_of": draft.pk},
        request=request,
    )
    return copy


@transaction.atomic
def draft_delete(*, draft: PoolDraft, actor, request=None) -> None:
    """Delete draft, and audit it."""
    draft_id, name = draft.pk, draft.name
    audit_record(
        tenant=draft.tenant,
        actor=actor,
        action="draft.deleted",
        target_type="pooldraft",
        target_id=draft_id,
        target_repr=name,
        data={"name": name},
        request=request,
    )
    draft.delete()
