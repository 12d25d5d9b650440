"""copy_field and FastFieldCopyMixin: each form gets fields of its own."""

import copy

import pytest
from django import forms

from poolconsole.core.forms import BootstrapWidgetsMixin, FastFieldCopyMixin, copy_field
from poolconsole.pools.forms import PoolDesignForm, SchemaAttributeForm

FIELDS = [
    pytest.param(form, name, id=f"{form.__name__}.{name}")
    for form in (PoolDesignForm, SchemaAttributeForm)
    for name in form.base_fields
]


@pytest.mark.parametrize(("form", "name"), FIELDS)
def test_copy_field_copies_what_deepcopy_copies(form, name):
    field = form.base_fields[name]
    expected = copy.deepcopy(field)

    copied = copy_field(field, {})

    assert type(copied) is type(field)
    assert copied is not field and copied.widget is not field.widget
    assert type(copied.widget) is type(field.widget)
    for owner, attr in (
        ("widget", "attrs"),
        ("field", "error_messages"),
        ("field", "validators"),
    ):
        mine = getattr(copied.widget if owner == "widget" else copied, attr)
        theirs = getattr(field.widget if owner == "widget" else field, attr)
        assert mine == theirs and mine is not theirs
    assert copied.required == expected.required and copied.label == expected.label
    if hasattr(field, "choices"):
        assert list(copied.choices) == list(expected.choices)
        assert list(copied.widget.choices) == list(expected.widget.choices)


class Shirt(FastFieldCopyMixin, BootstrapWidgetsMixin, forms.Form):
    size = forms.ChoiceField(choices=[("s", "Small"), ("m", "Medium")])
    colours = forms.MultipleChoiceField(
        choices=[("red", "Red")], widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(max_length=5)


def test_an_invalid_form_leaves_the_next_form_untouched():
    invalid = Shirt({"size": "xl", "name": "far too long"})
    assert not invalid.is_valid()
    invalid.fields["size"].choices.append(("xl", "Extra large"))
    invalid.fields["name"].validators.append(lambda value: None)
    invalid.fields["name"].error_messages["required"] = "Changed."
    invalid.fields["colours"].widget.choices.append(("blue", "Blue"))

    fresh = Shirt()

    assert "is-invalid" in invalid.fields["name"].widget.attrs["class"]
    assert fresh.fields["name"].widget.attrs["class"] == "form-control"
    assert "aria-invalid" not in fresh.fields["size"].widget.attrs
    assert list(fresh.fields["size"].choices) == [("s", "Small"), ("m", "Medium")]
    assert list(fresh.fields["colours"].widget.choices) == [("red", "Red")]
    assert len(fresh.fields["name"].validators) == len(
        Shirt.base_fields["name"].validators
    )
    assert fresh.fields["name"].error_messages["required"] != "Changed."


def test_the_declared_fields_are_never_changed_by_a_form():
    form = Shirt({"size": "xl"})
    form.is_valid()

    assert Shirt.base_fields["size"].widget.attrs == {}
    assert form.fields["size"] is not Shirt.base_fields["size"]


def test_fields_with_their_own_copy_are_deep_copied_as_django_does():
    class Grouped(FastFieldCopyMixin, forms.Form):
        # Grouped choices hold lists: not the shallow path.
        pick = forms.ChoiceField(choices=[("Group", [("a", "A")])])
        when = forms.SplitDateTimeField()

    first, second = Grouped(), Grouped()
    first.fields["pick"].choices[0][1].append(("b", "B"))

    assert list(second.fields["pick"].choices) == [("Group", [("a", "A")])]
    assert first.fields["when"].fields[0] is not second.fields["when"].fields[0]
