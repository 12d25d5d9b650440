"""The pool design form, its schema-attribute formset, and the import form.

The fields hold text as typed; ``poolconsole.pools.validation`` alone
decides what Cognito accepts. ``SchemaAttributeFormSet.clean`` builds the
whole request from the form and the rows, runs ``validate_request`` once,
and attaches each problem to the field or row it names: errors block,
warnings are shown beside the field.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, BoundField, formset_factory
from django.forms.formsets import TOTAL_FORM_COUNT, ManagementForm
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from poolconsole.core.forms import BootstrapWidgetsMixin, FastFieldCopyMixin
from poolconsole.credentials.models import AwsConnection

from .importing import lone_surrogates
from .requests import (
    DEVICE_FIELDS,
    DEVICE_TRACKING_FIELD,
    FIELD_PATHS,
    KIND_CUSTOM,
    KIND_STANDARD,
    MAX_SCHEMA_ROWS,
    OWN_TAG_PREFIX,
    ROW_PATHS,
    SCHEMA_PREFIX,
    TAGS_FIELD,
    request_from_forms,
    schema_rows,
    tag_lines,
)
from .validation import (
    STANDARD_ATTRIBUTES,
    schema_limit,
    surrogate_message,
    user_tag_limit,
    validate_request,
)

DEFAULT = "(Cognito's default)"


class MessageField(forms.CharField):
    """A message body of several lines, each line break kept as LF.

    A browser posts every line break of a textarea as CR LF, and shows a
    lone CR as a line break: both become LF, as JSON and the CLI write it,
    so a message reviews as it was imported or typed.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


def _text(label, help_text="", *, textarea=False, required=False, initial=None, rows=3):
    widget = forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput
    field_class = MessageField if textarea else forms.CharField
    return field_class(
        label=label,
        help_text=help_text,
        required=required,
        strip=False,
        widget=widget,
        initial=initial,
    )


def _flag(label, help_text="", *, initial=False):
    return forms.BooleanField(
        label=label, help_text=help_text, required=False, initial=initial
    )


def _arn(label, help_text):
    return _text(label, help_text + " An ARN, 20–2048 characters.")


class WarningsMixin:
    """Keep the validation warnings of a form, shown beside their fields."""

    def add_warning(self, field: str | None, message: str) -> None:
        self.warnings.setdefault(field or "", []).append(message)
        if field and field in self.fields:
            bound = self.fields[field]
            bound.help_text = format_html(
                '{}<span class="d-block text-warning-emphasis" '
                'data-warning="{}">Warning: {}</span>',
                bound.help_text,
                field,
                message,
            )
            # A BoundField copies help_text when it is made (while cleaning):
            # drop it so the next one shows the warning.
            self._bound_fields_cache.pop(field, None)


def _connections(tenant):
    return AwsConnection.objects.filter(tenant=tenant, archived_at__isnull=True)


def sole_connection_id(tenant) -> int | None:
    """Return the id of the tenant's connection when it has exactly one."""
    only = list(_connections(tenant).values_list("pk", flat=True)[:2])
    return only[0] if len(only) == 1 else None


class PoolDesignForm(
    WarningsMixin, FastFieldCopyMixin, BootstrapWidgetsMixin, forms.Form
):
    """Every parameter of CreateUserPool (API 2016-04-18) and a connection."""

    # The design page's sections, laid out by templates/pools/design.html.
    SECTIONS = [
        ("Basics", ["pool_name", "connection"]),
        ("Sign-in and attributes", ["alias_attributes", "auto_verified_attributes"]),
        (
            "Password policy",
            [
                "password_minimum_length",
                "password_require_uppercase",
                "password_require_lowercase",
                "password_require_numbers",
                "password_require_symbols",
            ],
        ),
        (
            "MFA and devices",
            [
                "mfa_configuration",
                "device_tracking",
                "device_challenge_required_on_new_device",
                "device_only_remembered_on_user_prompt",
            ],
        ),
        (
            "Messages",
            [
                "sms_verification_message",
                "email_verification_subject",
                "email_verification_message",
                "sms_authentication_message",
            ],
        ),
        (
            "Email and SMS delivery",
            [
                "email_source_arn",
                "email_reply_to_address",
                "sms_sns_caller_arn",
                "sms_external_id",
            ],
        ),
        (
            "Admin-created users and invitations",
            [
                "allow_admin_create_user_only",
                "unused_account_validity_days",
                "invite_sms_message",
                "invite_email_subject",
                "invite_email_message",
            ],
        ),
        (
            "Lambda triggers",
            [
                "lambda_pre_sign_up",
                "lambda_custom_message",
                "lambda_post_confirmation",
                "lambda_pre_authentication",
                "lambda_post_authentication",
                "lambda_define_auth_challenge",
                "lambda_create_auth_challenge",
                "lambda_verify_auth_challenge_response",
            ],
        ),
        ("Tags", ["user_pool_tags"]),
    ]
    # Options of device tracking, shown under it.
    INDENTED = frozenset(
        {
            "device_challenge_required_on_new_device",
            "device_only_remembered_on_user_prompt",
        }
    )

    connection = forms.ModelChoiceField(
        queryset=AwsConnection.objects.none(),
        required=False,
        label="AWS connection",
        help_text="The account and region the pool will be created in.",
    )
    pool_name = _text(
        "Pool name",
        "PoolName: 1–128 letters, digits, spaces and + = , . @ -. "
        "Cannot be changed after creation.",
        required=True,
    )
    alias_attributes = forms.MultipleChoiceField(
        choices=[
            ("phone_number", "phone_number"),
            ("email", "email"),
            ("preferred_username", "preferred_username"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Alias attributes",
        help_text="AliasAttributes: attributes users may sign in with besides "
        "their username. None " + DEFAULT + ". Cannot be changed after creation.",
    )
    auto_verified_attributes = forms.MultipleChoiceField(
        choices=[("email", "email"), ("phone_number", "phone_number")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Auto-verified attributes",
        help_text="AutoVerifiedAttributes: Cognito sends a code to verify these. "
        "None " + DEFAULT + ". phone_number needs an SMS configuration.",
    )
    password_minimum_length = _text(
        "Minimum length",
        "MinimumLength: 6–99. 8 " + DEFAULT + ".",
        initial="8",
    )
    password_require_uppercase = _flag(
        "Require an uppercase letter", "Yes " + DEFAULT + ".", initial=True
    )
    password_require_lowercase = _flag(
        "Require a lowercase letter", "Yes " + DEFAULT + ".", initial=True
    )
    password_require_numbers = _flag(
        "Require a number", "Yes " + DEFAULT + ".", initial=True
    )
    password_require_symbols = _flag(
        "Require a symbol", "Yes " + DEFAULT + ".", initial=True
    )
    mfa_configuration = forms.ChoiceField(
        choices=[("OFF", "OFF"), ("ON", "ON"), ("OPTIONAL", "OPTIONAL")],
        initial="OFF",
        required=False,
        label="MFA",
        help_text="MfaConfiguration: OFF " + DEFAULT + ". ON or OPTIONAL sets up "
        "SMS MFA and needs an SMS configuration.",
    )
    device_tracking = _flag(
        "Remember users' devices",
        "Sends DeviceConfiguration. Off (left out) " + DEFAULT + ".",
    )
    device_challenge_required_on_new_device = _flag(
        "Challenge on a new device",
        "ChallengeRequiredOnNewDevice: ask for MFA on a device not seen "
        "before. No " + DEFAULT + ".",
    )
    device_only_remembered_on_user_prompt = _flag(
        "Remember devices only when the user asks",
        "DeviceOnlyRememberedOnUserPrompt: No " + DEFAULT + " (always remember).",
    )
    sms_verification_message = _text(
        "SMS verification message",
        "SmsVerificationMessage: 6–140 characters, one line, containing "
        "{####} (the code). Cognito's default text when empty.",
        textarea=True,
        rows=2,
    )
    email_verification_message = _text(
        "Email verification message",
        "EmailVerificationMessage: 6–20000 characters containing {####}. "
        "Cognito's default text when empty.",
        textarea=True,
    )
    email_verification_subject = _text(
        "Email verification subject",
        "EmailVerificationSubject: 1–140 characters. Cognito's default when empty.",
    )
    sms_authentication_message = _text(
        "SMS authentication message",
        "SmsAuthenticationMessage: the MFA code text, 6–140 characters "
        "on one line, containing {####}. Cognito's default text when empty.",
        textarea=True,
        rows=2,
    )
    email_source_arn = _arn(
        "SES identity ARN",
        "EmailConfiguration.SourceArn: a verified SES identity to send from. "
        "Empty: Cognito's own sender " + DEFAULT + ".",
    )
    email_reply_to_address = _text(
        "Reply-to address", "EmailConfiguration.ReplyToEmailAddress."
    )
    sms_sns_caller_arn = _arn(
        "SNS caller role ARN",
        "SmsConfiguration.SnsCallerArn: the IAM role Cognito uses to send "
        "SMS. Required when SMS is configured.",
    )
    sms_external_id = _text(
        "External ID",
        "SmsConfiguration.ExternalId: the external ID of the role's trust policy.",
    )
    allow_admin_create_user_only = _flag(
        "Only administrators create users",
        "AllowAdminCreateUserOnly: turns self sign-up off. No " + DEFAULT + ".",
    )
    unused_account_validity_days = _text(
        "Temporary password validity (days)",
        "UnusedAccountValidityDays: 0–365 (0–90 in 2016). 7 " + DEFAULT + ".",
        initial="7",
    )
    invite_sms_message = _text(
        "Invitation SMS",
        "InviteMessageTemplate.SMSMessage: 6–140 characters with {username} "
        "and {####} (the temporary password). Line breaks are allowed.",
        textarea=True,
        rows=2,
    )
    invite_email_message = _text(
        "Invitation email",
        "InviteMessageTemplate.EmailMessage: 6–20000 characters with "
        "{username} and {####}. HTML is allowed.",
        textarea=True,
    )
    invite_email_subject = _text(
        "Invitation email subject", "InviteMessageTemplate.EmailSubject: 1–140."
    )
    lambda_pre_sign_up = _arn("Pre sign-up", "LambdaConfig.PreSignUp.")
    lambda_custom_message = _arn("Custom message", "LambdaConfig.CustomMessage.")
    lambda_post_confirmation = _arn(
        "Post confirmation", "LambdaConfig.PostConfirmation."
    )
    lambda_pre_authentication = _arn(
        "Pre authentication", "LambdaConfig.PreAuthentication."
    )
    lambda_post_authentication = _arn(
        "Post authentication", "LambdaConfig.PostAuthentication."
    )
    lambda_define_auth_challenge = _arn(
        "Define auth challenge", "LambdaConfig.DefineAuthChallenge."
    )
    lambda_create_auth_challenge = _arn(
        "Create auth challenge", "LambdaConfig.CreateAuthChallenge."
    )
    lambda_verify_auth_challenge_response = _arn(
        "Verify auth challenge response",
        "LambdaConfig.VerifyAuthChallengeResponse.",
    )

    user_pool_tags = _text(
        "Tags",
        "UserPoolTags: one key=value per line, such as team=identity; at most "
        f"{user_tag_limit()} (poolconsole adds its own tag, {OWN_TAG_PREFIX}attempt). "
        "Keys 1–128 characters, values up to 256.",
        textarea=True,
        rows=3,
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        self.warnings: dict[str, list[str]] = {}
        self.fields["connection"].queryset = _connections(tenant)
        if not self.is_bound and "connection" not in self.initial:
            # A new design starts on the tenant's connection when it has one.
            only = sole_connection_id(tenant)
            if only is not None:
                self.initial["connection"] = only

    def clean_user_pool_tags(self) -> str:
        """Check the lines of the tags text; validation checks each tag."""
        text = self.cleaned_data[TAGS_FIELD]
        errors, first_line = [], {}
        lines = tag_lines(text)
        for number, key, value in lines:
            if value is None:
                errors.append(f"Line {number}: write the tag as key=value.")
            elif key.startswith(OWN_TAG_PREFIX):
                errors.append(
                    f"Line {number}: keys starting with {OWN_TAG_PREFIX} are "
                    "poolconsole's own; use another key."
                )
            elif key in first_line:
                errors.append(
                    f"Line {number}: the key {key} is already on line "
                    f"{first_line[key]}; give each key once."
                )
            else:
                first_line[key] = number
        if errors:
            raise ValidationError(errors)
        return text

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get(DEVICE_TRACKING_FIELD):
            # Without device tracking, DeviceConfiguration is left out: a
            # ticked device option would be dropped from the request.
            tracking = self.fields[DEVICE_TRACKING_FIELD].label
            for field in DEVICE_FIELDS:
                if cleaned.get(field):
                    self.add_warning(
                        field,
                        f"Not sent: “{tracking}” is off. Tick it to use this "
                        "option, or untick this one.",
                    )
        return cleaned

    def sections(self) -> list[tuple[str, list[tuple[BoundField, bool]]]]:
        """Return the page's sections: (legend, [(field, indented), ...])."""
        return [
            (legend, [(self[name], name in self.INDENTED) for name in names])
            for legend, names in self.SECTIONS
        ]


DATA_TYPES = [
    ("", "—"),
    ("String", "String"),
    ("Number", "Number"),
    ("DateTime", "DateTime"),
    ("Boolean", "Boolean"),
]


# A list, not a callable: a row form then copies it as a list (copy_field).
STANDARD_CHOICES = [("", "— choose —")] + [
    (name, f"{name} ({data_type})")
    for name, data_type in sorted(STANDARD_ATTRIBUTES.items())
]


class SchemaAttributeForm(
    WarningsMixin, FastFieldCopyMixin, BootstrapWidgetsMixin, forms.Form
):
    """One Schema entry: a standard attribute, or a custom one by name."""

    kind = forms.ChoiceField(
        choices=[(KIND_CUSTOM, "Custom"), (KIND_STANDARD, "Standard")],
        initial=KIND_CUSTOM,
        label="Kind",
    )
    standard_name = forms.ChoiceField(
        choices=STANDARD_CHOICES,
        required=False,
        label="Standard attribute",
        help_text="Its data type is fixed.",
    )
    name = _text(
        "Custom name",
        "Without the prefix: Cognito adds custom: (dev:custom: when developer-only). "
        "1–20 characters.",
    )
    attribute_data_type = forms.ChoiceField(
        choices=DATA_TYPES, required=False, label="Data type"
    )
    developer_only = _flag("Developer only")
    mutable = _flag("Mutable", initial=True)
    required = _flag("Required")
    min_value = _text("Min value", "Number")
    max_value = _text("Max value", "Number")
    min_length = _text("Min length", "String, 0–2048")
    max_length = _text("Max length", "String, 0–2048")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: dict[str, list[str]] = {}

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if cleaned.get("kind") == KIND_CUSTOM and name in STANDARD_ATTRIBUTES:
            # Cognito takes a Schema entry of this name as the standard
            # attribute: no custom attribute would be made.
            self.add_error(
                "name",
                f"{name} is one of Cognito's standard attributes, which "
                "Cognito would use instead of a custom one: choose Kind "
                "Standard and pick it, or give the custom attribute another "
                "name.",
            )
        return cleaned

    def value_of(self, field: str) -> str:
        """Return the bound (or initial) value of field, for the template."""
        return self[field].value() or ""

    @property
    def name_prefix(self) -> str:
        return "dev:custom:" if self["developer_only"].value() else "custom:"


class BaseSchemaAttributeFormSet(BaseFormSet):
    """Schema rows; ``clean`` validates the whole design in one pass."""

    def __init__(self, *args, design_form=None, **kwargs):
        kwargs.setdefault("prefix", SCHEMA_PREFIX)
        super().__init__(*args, **kwargs)
        self.design_form = design_form
        self.warnings: list[str] = []
        self.problems: list = []
        self.request: dict | None = None
        self.rows_left_out = 0

    def numbered_rows(self) -> list[tuple[int | None, forms.Form]]:
        """Return each row with its number as the page shows it.

        A row marked removed (formset.js hides it) has no number, and the
        rows after it are numbered as if it were gone: "Attribute 2" in a
        message is the second attribute the user sees.
        """
        rows, number = [], 0
        for row in self.forms:
            if row["DELETE"].data:
                rows.append((None, row))
            else:
                number += 1
                rows.append((number, row))
        return rows

    @cached_property
    def management_form(self):
        """Return the management form, counting at most MAX_SCHEMA_ROWS rows.

        Django instantiates at most ``absolute_max`` rows, and says only
        "Please submit at most 60 forms." before ``clean`` runs, so no other
        error of the design would show. The rows past the limit are counted
        in ``rows_left_out`` instead, for ``clean`` to say so beside
        Cognito's own limit, and the page posts back the rows it shows.
        """
        form = super().management_form
        if not self.is_bound or not form.is_valid():
            return form
        total = form.cleaned_data[TOTAL_FORM_COUNT]
        if total <= self.absolute_max:
            return form
        self.rows_left_out = total - self.absolute_max
        data = self.data.copy()
        data[form.add_prefix(TOTAL_FORM_COUNT)] = str(self.absolute_max)
        form = ManagementForm(
            data, auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer
        )
        form.full_clean()
        return form

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            # A row the user added and left blank is an error at that row,
            # never silently dropped from the request.
            kwargs["empty_permitted"] = False
        return kwargs

    def clean(self):
        formset_errors = []
        if self.rows_left_out:  # counted by management_form, read before clean
            shown = self.absolute_max
            formset_errors.append(
                f"This design has {shown + self.rows_left_out} attribute rows, "
                f"but the form holds at most {shown}: the rows after row {shown} "
                f"({self.rows_left_out} of them) are not shown and will be left "
                f"out. Cognito allows at most {schema_limit()} Schema entries."
            )
        form = self.design_form
        if form is not None:
            form.is_valid()
            self.request = request_from_forms(form, self)
            self.problems = validate_request(self.request)
            formset_errors += self.attach_problems(self.problems)
        if formset_errors:
            raise ValidationError(formset_errors)

    def attach_problems(self, problems) -> list[str]:
        """Attach problems to the design's fields and rows.

        Return the errors that concern the schema as a whole, for the
        caller to add to the formset's non-form errors.
        """
        form = self.design_form
        rows = schema_rows(self)
        formset_errors = []
        for problem in problems:
            message = problem.message
            is_error = problem.severity == "error"
            parts = problem.path.split(".") if problem.path else []
            if parts and parts[0] == "Schema":
                row, field = _row_target(parts[1:], rows)
                if row is None:
                    if is_error:
                        formset_errors.append(message)
                    else:
                        self.warnings.append(message)
                    continue
                _attach(row, field, message, is_error)
            else:
                _attach(form, field_for_path(problem.path), message, is_error)
        return formset_errors

    def add_problems(self, problems) -> None:
        """Attach problems found after validation (say, by AWS itself)."""
        self.is_valid()
        for message in self.attach_problems(problems):
            self._non_form_errors.append(message)


SchemaAttributeFormSet = formset_factory(
    SchemaAttributeForm,
    formset=BaseSchemaAttributeFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_SCHEMA_ROWS,
    absolute_max=MAX_SCHEMA_ROWS,
)


def field_for_path(path: str) -> str | None:
    """Return the design-form field a request path concerns, or None."""
    fields_by_path = {p: f for f, p in FIELD_PATHS.items()}
    if path == "DeviceConfiguration":
        return DEVICE_TRACKING_FIELD
    parts = path.split(".") if path else []
    while parts:
        candidate = ".".join(parts)
        if candidate in fields_by_path:
            return fields_by_path[candidate]
        for field, field_path in FIELD_PATHS.items():
            if field_path.startswith(candidate + "."):
                return field
        parts.pop()
    return None


def _row_target(parts: list[str], rows: list):
    """Return (row form, field) of a Schema path after ``Schema``."""
    if not parts or not parts[0].isdigit():
        return None, None
    index = int(parts[0])
    if index >= len(rows):
        return None, None
    row = rows[index]
    rest = ".".join(parts[1:])
    if rest == "" or rest is None:
        return row, None
    if rest == "Name":
        kind = row.cleaned_data.get("kind")
        return row, "standard_name" if kind == KIND_STANDARD else "name"
    fields = [
        field
        for field, path in ROW_PATHS.items()
        if path == rest or path.startswith(rest + ".") or rest.startswith(path)
    ]
    # A problem of a whole constraints object goes to the field the user
    # filled in, not to the object's first field, which may be empty.
    filled = [field for field in fields if row.cleaned_data.get(field)]
    return row, (filled or fields or [None])[0]


def _attach(form, field: str | None, message: str, is_error: bool) -> None:
    if not is_error:
        form.add_warning(field, message)
        return
    ours = form.__dict__.setdefault("_problem_fields", set())
    if field is not None and field in form.errors and field not in ours:
        # Django already rejected what was typed there (say, an unknown
        # choice); a second message about the missing value would mislead.
        # Several problems of our own at one field are all shown.
        return
    form.add_error(field, message)
    ours.add(field)


def bind_design(*, tenant, data=None, files=None):
    """Return the design form and its schema formset, bound to data."""
    form = PoolDesignForm(data, files, tenant=tenant)
    formset = SchemaAttributeFormSet(data, design_form=form)
    return form, formset


def design_is_valid(form, formset) -> bool:
    """Validate the design; return whether it has no error at all."""
    form.is_valid()
    formset_ok = formset.is_valid()
    return formset_ok and not form.errors


def design_warnings(form, formset) -> list[str]:
    """Return every warning of the design, each as ``where: message``."""
    lines = []
    for field, messages in form.warnings.items():
        label = form.fields[field].label if field in form.fields else "Pool"
        lines += [f"{label}: {m}" for m in messages]
    lines += [f"Schema: {m}" for m in formset.warnings]
    for number, row in formset.numbered_rows():
        if number is None:
            continue  # removed: it is not part of the design
        for field, messages in row.warnings.items():
            where = f", {row.fields[field].label}" if field in row.fields else ""
            lines += [f"Attribute {number}{where}: {m}" for m in messages]
    return lines


def warnings_html(messages) -> str:
    return format_html_join("", "<li>{}</li>", ((m,) for m in messages))


class PoolImportForm(forms.Form):
    """A CreateUserPool request or describe-user-pool output, as JSON."""

    MAX_BYTES = 1024 * 1024

    json_text = forms.CharField(
        label="Paste JSON",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
        help_text="The --cli-input-json of create-user-pool, or the output "
        "of describe-user-pool.",
    )
    json_file = forms.FileField(label="…or upload a .json file", required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("json_file")
        text = cleaned.get("json_text") or ""
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                raise ValidationError("The file is larger than 1 MB.")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ValidationError("The file is not UTF-8 text.") from exc
        if not text.strip():
            raise ValidationError("Paste JSON or choose a file.")
        if len(text) > self.MAX_BYTES:
            raise ValidationError("The JSON is larger than 1 MB.")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise ValidationError(f"This is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ValidationError("The JSON must be an object ({ … }).")
        found = lone_surrogates(data)
        if found:
            # No page can show such a value (or send it back): refuse the
            # import, naming each place, rather than crash or drop it.
            raise ValidationError(
                [f"{path}: {surrogate_message(char)}" for path, char in found]
                + ["Fix the JSON and import it again."]
            )
        cleaned["data"] = data
        return cleaned
