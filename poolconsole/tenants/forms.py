"""Forms of the members page."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from .models import Role
from .selectors import user_find


class MemberInviteForm(forms.Form):
    """Add an existing user to the tenant."""

    identifier = forms.CharField(
        label="Username or email",
        max_length=254,
        help_text="The user must already have a poolconsole account.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("invite", "Add member"))

    def clean_identifier(self):
        identifier = self.cleaned_data["identifier"]
        user = user_find(identifier=identifier)
        if user is None:
            raise forms.ValidationError(
                "No active user has this username or email. Ask a superuser to create "
                "the account first."
            )
        self.cleaned_data["user"] = user
        return identifier


class MemberRoleForm(forms.Form):
    """Change a member's role."""

    role = forms.ChoiceField(choices=Role.choices)
