"""The pool page's table rows, built in Python (templatetags/provisioning.py)."""

from django.template import Context, Template

from poolconsole.provisioning.selectors import (
    AS_REQUESTED,
    DEFAULTED,
    DIFFERS,
    Comparison,
)
from poolconsole.provisioning.templatetags.provisioning import (
    comparison_rows,
    comparison_summary,
    schema_rows,
    value_rows,
)

HOSTILE = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def render(source: str, **context) -> str:
    return Template("{% load provisioning %}" + source).render(Context(context))


def test_value_rows_escape_labels_and_values():
    html = value_rows([(HOSTILE, HOSTILE), ("Tags", {"team": "a&b"})])

    assert HOSTILE not in html
    assert html.count(ESCAPED) == 2
    tags = "{&quot;team&quot;: &quot;a&amp;b&quot;}"
    assert f'<td class="text-break">{tags}</td>' in html


def test_value_rows_show_a_dash_for_an_empty_value_and_a_note_for_no_rows():
    assert '<td class="text-break">—</td>' in value_rows([("Domain", "")])
    assert "Not set." in value_rows([])


def test_rows_are_not_escaped_again_by_the_template():
    html = render("{% value_rows rows %}", rows=[("Name", "a<b")])

    assert "<tr><th" in html
    assert "a&lt;b" in html and "&amp;lt;" not in html


def test_schema_rows_show_kind_flags_and_constraints():
    html = schema_rows(
        [
            {
                "Name": "custom:" + HOSTILE,
                "AttributeDataType": "String",
                "Mutable": True,
                "Required": False,
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "9"},
            },
            {"Name": "custom:seats", "AttributeDataType": "Number"},
        ],
        "custom",
    )

    first, second = html.split("\n")
    assert ESCAPED in first and HOSTILE not in html
    assert '<span class="badge text-bg-primary">custom</span>' in first
    assert "<td>yes</td><td>no</td><td>maybe</td>" in first
    constraints = '{"MinLength": "1", "MaxLength": "9"}'.replace('"', "&quot;")
    assert constraints in first
    # Neither constraint: a dash, as the template showed.
    assert second.endswith('<td class="small">—</td></tr>')
    assert "text-bg-secondary" in schema_rows([{"Name": "email"}], "standard")


def test_comparison_rows_badge_each_origin():
    rows = [
        Comparison(path="A", requested=1, effective=1, origin=AS_REQUESTED),
        Comparison(path="B", requested=None, effective=2, origin=DEFAULTED),
        Comparison(path=HOSTILE, requested="x", effective="y", origin=DIFFERS),
    ]

    requested, defaulted, differs = comparison_rows(rows).split("\n")
    assert 'text-bg-success">as requested<' in requested
    assert 'text-bg-info">Cognito default<' in defaulted
    assert '<td class="small text-break">—</td>' in defaulted
    assert 'text-bg-warning">differs<' in differs
    assert ESCAPED in differs and HOSTILE not in differs


def test_comparison_summary_counts_each_origin_and_stresses_differences():
    def row(origin):
        return Comparison(path="A", requested=1, effective=1, origin=origin)

    calm = comparison_summary([row(AS_REQUESTED), row(AS_REQUESTED), row(DEFAULTED)])
    assert ">Nothing differs from the request: 2 as requested, 1 chosen by " in calm
    assert "fw-semibold" not in calm

    one = comparison_summary([row(DIFFERS), row(DEFAULTED)])
    assert ">1 value differs from the request: 0 as requested, 1 chosen" in one
    assert "text-danger-emphasis fw-semibold" in one

    two = comparison_summary([row(DIFFERS), row(DIFFERS)])
    assert ">2 values differ from the request:" in two
