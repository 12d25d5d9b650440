"""Tags that build repeated markup in Python (``poolconsole.core.markup``)."""

from django import template
from django.utils.safestring import SafeString

from poolconsole.core.markup import escape, join_markup

register = template.Library()


@register.simple_tag
def hidden_inputs(pairs) -> SafeString:
    """Return a hidden input for each (name, value) of pairs."""
    return join_markup(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in pairs
    )
