"""Form helpers shared by the apps."""

import copy

from django import forms
from django.forms.widgets import ChoiceWidget

CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


class BootstrapWidgetsMixin:
    """Give a form's widgets Bootstrap 5 classes, and mark the invalid ones.

    For forms a template lays out by hand: on the design page, crispy's
    per-field templates cost more than the rest of the page together
    (issue 7's benchmark). ``widget_size`` may be "sm" or "lg".
    """

    widget_size = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, CHECK_WIDGETS):
                widget.attrs["class"] = "form-check-input"
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if self.widget_size:
                css = f"{css} {css}-{self.widget_size}"
            widget.attrs["class"] = css

    def add_error(self, field, error):
        # Every error goes through here: the field's own, clean()'s, and
        # those a formset attaches after validating the whole design.
        super().add_error(field, error)
        for name in self._errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


def _shallow(obj):
    """Return a new object of obj's type with a copy of its attributes."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _flat_choices(choices) -> bool:
    return isinstance(choices, list) and all(
        isinstance(choice, tuple) and all(isinstance(part, str) for part in choice)
        for choice in choices
    )


def copy_field(field: forms.Field, memo: dict) -> forms.Field:
    """Return a copy of field such as ``copy.deepcopy`` makes, in less time.

    It copies what Django's ``Field.__deepcopy__`` and ``Widget.__deepcopy__``
    copy: the field, its widget and the widget's attrs, error messages,
    validators and choices lists. Choices of strings are immutable, so their
    list is copied rather than each (value, label) pair. Any other kind of
    field, widget or choices is deep-copied as Django does.
    """
    field_copy = type(field).__deepcopy__
    widget_copy = type(field.widget).__deepcopy__
    simple = field_copy is forms.Field.__deepcopy__ or (
        field_copy is forms.ChoiceField.__deepcopy__ and _flat_choices(field._choices)
    )
    if not simple or widget_copy not in (
        forms.Widget.__deepcopy__,
        ChoiceWidget.__deepcopy__,
    ):
        return copy.deepcopy(field, memo)
    result = _shallow(field)
    widget = _shallow(field.widget)
    widget.attrs = field.widget.attrs.copy()
    if widget_copy is ChoiceWidget.__deepcopy__:
        # The private list: the ``choices`` setter would normalize the
        # already normalized choices again (Django 5), about half of this
        # function's time under cProfile on the design page.
        widget._choices = copy.copy(field.widget._choices)
    result.widget = widget
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    if field_copy is forms.ChoiceField.__deepcopy__:
        result._choices = list(field._choices)
    memo[id(field)] = result
    return result


class _FieldsCopiedFast(dict):
    def __deepcopy__(self, memo):
        return {name: copy_field(field, memo) for name, field in self.items()}


class FastFieldCopyMixin:
    """Copy the form's declared fields for each instance with ``copy_field``.

    Django deep-copies every field of every form it builds. The design page
    builds the design form and a form per schema row, about 150 fields, on
    every review: the deep copies were a millisecond of the create flow
    (issue 7, make bench), a quarter of that with ``copy_field``.
    """

    def __init__(self, *args, **kwargs):
        # BaseForm.__init__ copies self.base_fields: this instance's wins.
        self.base_fields = _FieldsCopiedFast(type(self).base_fields)
        super().__init__(*args, **kwargs)
