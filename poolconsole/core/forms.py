"""Form helpers shared by the apps."""

from django import forms

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
