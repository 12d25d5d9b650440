"""Markup built in Python: escaped exactly as Django's templates escape."""

from django.template import Context, Template
from django.utils.html import escape as django_escape

from poolconsole.core.markup import escape

AWKWARD = "a\"b'c<d>&e\nf"


def test_escape_is_djangos():
    assert escape(AWKWARD) == django_escape(AWKWARD)
    assert escape(7) == "7"


def test_hidden_inputs_escape_names_and_values_as_the_template_loop_did():
    pairs = [("schema-0-name", AWKWARD), ("pool_name", "customers")]
    loop = Template('<input type="hidden" name="{{ key }}" value="{{ value }}">')
    expected = "\n".join(
        loop.render(Context({"key": key, "value": value})) for key, value in pairs
    )

    tag = Template("{% load markup %}{% hidden_inputs pairs %}").render(
        Context({"pairs": pairs})
    )

    assert tag == expected
    assert 'value="a&quot;b&#x27;c&lt;d&gt;&amp;e\nf"' in tag
