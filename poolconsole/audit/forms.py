"""Forms of the audit history: its filters."""

from django import forms

from poolconsole.core.forms import BootstrapWidgetsMixin
from poolconsole.provisioning import selectors as pool_selectors

from .models import Outcome


class AuditFilterForm(BootstrapWidgetsMixin, forms.Form):
    """Filter the history; every field is optional and sent by GET."""

    widget_size = "sm"

    action = forms.CharField(
        required=False,
        max_length=64,
        help_text="Exact, or a prefix such as pool.create",
    )
    actor = forms.CharField(required=False, max_length=150, label="Actor (username)")
    outcome = forms.ChoiceField(
        required=False, choices=[("", "Any")] + list(Outcome.choices)
    )
    pool = forms.CharField(
        required=False,
        max_length=128,
        label="Pool",
        help_text="Its Cognito id or name: the pool and its create attempts",
    )
    target = forms.CharField(
        required=False,
        max_length=193,
        help_text="type:id, such as userpool:12 or awsconnection:3",
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant

    def clean_pool(self) -> list[tuple[str, str]] | None:
        text = self.cleaned_data["pool"].strip()
        if not text:
            return None
        pools = pool_selectors.pool_find(tenant=self.tenant, text=text)
        targets = pool_selectors.pool_audit_targets(
            tenant=self.tenant, pools=pools, name=text
        )
        if not targets:
            raise forms.ValidationError(
                "No pool or create attempt of this tenant has that id or name."
            )
        return targets

    def clean_target(self) -> tuple[str, str] | None:
        target = self.cleaned_data["target"].strip()
        if not target:
            return None
        target_type, sep, target_id = target.partition(":")
        if not sep or not target_type.strip() or not target_id.strip():
            raise forms.ValidationError(
                "Write the target as type:id, e.g. userpool:12."
            )
        return target_type.strip(), target_id.strip()

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> dict:
        """Return the selector filters of the valid form."""
        data = self.cleaned_data
        filters = {
            "action": data.get("action", "").strip(),
            "actor": data.get("actor", "").strip(),
            "outcome": data.get("outcome", ""),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
        if data.get("target"):
            filters["target_type"], filters["target_id"] = data["target"]
        if data.get("pool"):
            filters["targets"] = data["pool"]
        return filters
