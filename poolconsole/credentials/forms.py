"""Forms of the connection pages; secrets are write-only inputs."""

from crispy_forms.helper import FormHelper
from django import forms

from poolconsole.integrations import aws

from .models import ROLE_ARN_RE, AuthMode, AwsConnection
from .validators import EndpointURLValidator

KEEP_HELP = "Leave blank to keep the current secret."
ENDPOINT_NOT_LISTED = (
    "poolconsole may not use this endpoint URL: its operator must list it in "
    "POOLCONSOLE_ENDPOINT_URLS. Leave it blank for AWS."
)
KEYS_AGAIN = (
    "Enter the access keys again to change the endpoint URL: stored keys are "
    "only sent to the endpoint they were entered for."
)


def _same_endpoint(url: str, other: str) -> bool:
    """Return whether the endpoint URLs url and other name the same endpoint."""
    url, other = url.strip(), other.strip()
    normalised = aws.normalised_endpoint_url(url)
    return url == other or (
        bool(normalised) and normalised == aws.normalised_endpoint_url(other)
    )


def _secret_input() -> forms.PasswordInput:
    # render_value=False: a re-rendered form never sends a secret back.
    return forms.PasswordInput(
        render_value=False, attrs={"autocomplete": "new-password"}
    )


class ConnectionForm(forms.Form):
    """Create or edit an AWS connection.

    ``connection`` is the edited connection (None on create): its stored
    secrets make the secret fields optional, unless the endpoint URL changes.
    An endpoint URL must be listed in ``POOLCONSOLE_ENDPOINT_URLS``.
    """

    name = forms.CharField(max_length=100)
    region = forms.ChoiceField()
    auth_mode = forms.ChoiceField(
        choices=AuthMode.choices,
        initial=AuthMode.ASSUME_ROLE,
        widget=forms.RadioSelect,
        label="Authentication",
    )
    role_arn = forms.CharField(
        max_length=2048,
        required=False,
        label="Role ARN",
        help_text="For assume role: the role poolconsole assumes in your account.",
    )
    access_key_id = forms.CharField(
        max_length=128, required=False, label="Access key ID", widget=_secret_input()
    )
    secret_access_key = forms.CharField(
        max_length=256,
        required=False,
        label="Secret access key",
        widget=_secret_input(),
    )
    session_token = forms.CharField(
        max_length=4096,
        required=False,
        label="Session token (optional)",
        widget=_secret_input(),
        help_text="Only for temporary credentials.",
    )
    clear_session_token = forms.BooleanField(
        required=False, label="Remove the stored session token"
    )
    endpoint_url = forms.CharField(
        max_length=500,
        required=False,
        label="Endpoint URL (optional)",
        validators=[EndpointURLValidator()],
        help_text=(
            "Only for an emulator such as the sandbox, if the operator lists it "
            "in POOLCONSOLE_ENDPOINT_URLS. Changing it needs the access keys again."
        ),
    )

    def __init__(self, *args, connection: AwsConnection | None = None, **kwargs):
        self.connection = connection
        if connection is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": connection.name,
                    "region": connection.region,
                    "auth_mode": connection.auth_mode,
                    "role_arn": connection.role_arn,
                    "endpoint_url": connection.endpoint_url,
                },
            )
        super().__init__(*args, **kwargs)
        regions = list(aws.cognito_regions())
        if connection is not None and connection.region not in regions:
            regions.append(connection.region)
        self.fields["region"].choices = [(r, r) for r in regions]
        self.fields["region"].initial = "us-east-1"
        if connection is not None and connection.has_access_keys:
            self.fields["access_key_id"].help_text = (
                f"{KEEP_HELP} The current key ends in "
                f"…{connection.access_key_id_last4}."
            )
            self.fields["secret_access_key"].help_text = KEEP_HELP
            self.fields[
                "session_token"
            ].help_text = f"{KEEP_HELP} A new access key replaces the session token."
        if connection is None or not connection.session_token_encrypted:
            del self.fields["clear_session_token"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    RETYPED = {
        "access_key_id": "access key ID",
        "secret_access_key": "secret access key",
        "session_token": "session token",
    }

    def keys_to_type_again(self) -> str:
        """Return which keys typed into a form sent back must be typed again.

        A form with errors comes back without them (the key id included,
        which poolconsole never shows either); "" when none was typed.
        """
        if not self.is_bound or not self.errors:
            return ""
        names = [label for name, label in self.RETYPED.items() if self.data.get(name)]
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"

    def clean_role_arn(self):
        return self.cleaned_data["role_arn"].strip()

    def clean_endpoint_url(self):
        url = self.cleaned_data["endpoint_url"].strip()
        if url and not aws.endpoint_url_allowed(url):
            raise forms.ValidationError(ENDPOINT_NOT_LISTED)
        return url

    def _keys_would_move(self, data: dict) -> bool:
        """Return whether saving would send the stored keys somewhere new.

        Keys are entered for one destination: the connection's endpoint (blank:
        AWS) as an access-key connection.
        """
        connection = self.connection
        if connection is None or not connection.has_access_keys:
            return False
        if connection.auth_mode != AuthMode.ACCESS_KEYS:
            return True
        if "endpoint_url" not in data:  # invalid: the field shows why
            return False
        return not _same_endpoint(data["endpoint_url"], connection.endpoint_url)

    def clean(self):
        data = super().clean()
        mode = data.get("auth_mode")
        if mode == AuthMode.ASSUME_ROLE:
            if not ROLE_ARN_RE.match(data.get("role_arn", "")):
                self.add_error(
                    "role_arn",
                    "Enter a role ARN such as arn:aws:iam::123456789012:role/"
                    "poolconsole.",
                )
        elif mode == AuthMode.ACCESS_KEYS:
            has_keys = self.connection is not None and self.connection.has_access_keys
            if self._keys_would_move(data):
                # The whole pair, so the stored key id and session token (a
                # new key id drops it) never go to the new endpoint either.
                for field in ("access_key_id", "secret_access_key"):
                    if not data.get(field):
                        self.add_error(field, KEYS_AGAIN)
            elif not has_keys or data.get("access_key_id"):
                for field in ("access_key_id", "secret_access_key"):
                    if not data.get(field):
                        self.add_error(field, "This field is required.")
        return data
