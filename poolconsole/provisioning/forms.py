"""Input shapes of the provisioning pages."""

import json

from django import forms
from django.db.models import BigIntegerField

from poolconsole.pools.validation import ERROR, validate_request

# The largest CreateAttempt.draft_id (a PositiveBigIntegerField) holds: a
# larger one passed the form and failed the model's full_clean, a 500.
MAX_DRAFT_ID = BigIntegerField.MAX_BIGINT


class PoolCreateForm(forms.Form):
    """What the review page posts to create the pool it shows."""

    request_json = forms.CharField()
    idempotency_key = forms.UUIDField()
    connection_id = forms.IntegerField(min_value=1)
    draft_id = forms.IntegerField(min_value=1, max_value=MAX_DRAFT_ID, required=False)
    # Whether the request is checked against Cognito's rules: not when the
    # post is only kept for after the login (anyone can send one).
    check_rules = True

    def clean_request_json(self) -> dict:
        try:
            value = json.loads(self.cleaned_data["request_json"])
        except (ValueError, RecursionError):  # RecursionError: deep nesting
            raise forms.ValidationError("The request is not valid JSON.") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("The request must be a JSON object.")
        if not self.check_rules:
            return value
        errors = [p for p in validate_request(value) if p.severity == ERROR]
        if errors:
            raise forms.ValidationError(
                [f"{p.path or 'request'}: {p.message}" for p in errors[:5]]
            )
        return value


class PendingPoolCreateForm(PoolCreateForm):
    """A create posted after the session expired: kept, never created."""

    check_rules = False


class PoolImportForm(forms.Form):
    """The connection whose existing pools to import."""

    connection_id = forms.IntegerField(min_value=1)


class PoolSearchForm(forms.Form):
    """Search and sort of the pool list."""

    q = forms.CharField(required=False, max_length=128, label="Name or id")
    sort = forms.CharField(required=False, max_length=16)
