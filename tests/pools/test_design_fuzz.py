"""Hostile input posted to the design form: never a 500, always an answer."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poolconsole.pools.forms import PoolDesignForm, SchemaAttributeForm

from .design_data import management, minimal_design, row

FORM_FIELDS = sorted(set(PoolDesignForm.base_fields) - {"connection"})
ROW_FIELDS = sorted(SchemaAttributeForm.base_fields)
MB = 1024 * 1024

# What a browser can send: any code point but lone surrogates.
hostile_text = st.text(
    st.characters(blacklist_categories=["Cs"]), min_size=0, max_size=200
)
control_text = st.text(
    st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\x85"),
    max_size=20,
)
numbers = st.integers(min_value=-(10**40), max_value=10**40).map(str)
values = hostile_text | control_text | numbers


def assert_answered(response):
    """The page answers: the review, or the form with at least one error."""
    assert response.status_code == 200
    names = [t.name for t in response.templates]
    if "pools/review.html" in names:
        return
    assert "pools/design.html" in names
    form = response.context["form"]
    formset = response.context["formset"]
    assert form.errors or formset.total_error_count() or formset.non_form_errors()


@pytest.fixture
def new_url(tenant):
    return reverse("pools:new", args=[tenant.slug])


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    fields=st.dictionaries(st.sampled_from(FORM_FIELDS), values, max_size=8),
    rows=st.lists(
        st.dictionaries(st.sampled_from(ROW_FIELDS), values, max_size=6), max_size=3
    ),
)
def test_random_values_never_crash_the_form(operator_client, new_url, fields, rows):
    data = minimal_design(**management(len(rows)))
    data.update(fields)
    for index, values_of_row in enumerate(rows):
        data.update(row(index, **values_of_row))
    assert_answered(operator_client.post(new_url, data))


@pytest.mark.django_db
@pytest.mark.parametrize("field", FORM_FIELDS)
@pytest.mark.parametrize(
    "value",
    [
        "x" * MB,
        "\x00",
        "a\x00b",
        "\x01\x02\x1b[31m",
        "\u202e\u200b\ufeff",
        "-1",
        "-99999999999999999999999",
        "9" * 5000,
        "1e309",
        "NaN",
        "<script>alert(1)</script>",
        "{####}" * 10000,
    ],
    ids=[
        "1MB",
        "nul",
        "embedded-nul",
        "controls",
        "bidi",
        "negative",
        "huge-negative",
        "5000-digits",
        "float-overflow",
        "nan",
        "script",
        "placeholders",
    ],
)
def test_hostile_value_in_each_field_is_answered(
    operator_client, new_url, field, value
):
    data = minimal_design(**{field: value})
    assert_answered(operator_client.post(new_url, data))


@pytest.mark.django_db
@pytest.mark.parametrize("field", ROW_FIELDS)
@pytest.mark.parametrize(
    "value", ["x" * MB, "\x00", "-1", "9" * 5000, "-1e9999", "Integer", "dev:x"]
)
def test_hostile_value_in_each_row_field_is_answered(
    operator_client, new_url, field, value
):
    data = minimal_design(
        **management(1), **row(0, name="plan", attribute_data_type="String")
    )
    data[f"schema-0-{field}"] = value
    assert_answered(operator_client.post(new_url, data))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "management_data",
    [
        {},
        {"schema-TOTAL_FORMS": "1"},
        {"schema-INITIAL_FORMS": "0"},
        {"schema-TOTAL_FORMS": "abc", "schema-INITIAL_FORMS": "0"},
        {"schema-TOTAL_FORMS": "-5", "schema-INITIAL_FORMS": "0"},
        {"schema-TOTAL_FORMS": "99999999999999999999", "schema-INITIAL_FORMS": "0"},
        {"schema-TOTAL_FORMS": "2000", "schema-INITIAL_FORMS": "0"},
        {"schema-TOTAL_FORMS": "1", "schema-INITIAL_FORMS": "5"},
    ],
    ids=[
        "missing",
        "no-initial",
        "no-total",
        "text",
        "negative",
        "huge",
        "over-max",
        "initial-over-total",
    ],
)
@pytest.mark.parametrize("add_row", [False, True])
def test_broken_management_form_is_a_form_error(
    operator_client, new_url, management_data, add_row
):
    data = {"pool_name": "Customers", "mfa_configuration": "OFF", **management_data}
    if add_row:
        data["add_row"] = "1"
    response = operator_client.post(new_url, data)
    if add_row:
        assert response.status_code == 200
    else:
        # Django reads a negative TOTAL_FORMS as no rows: a valid design.
        assert_answered(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,values",
    [
        ("pool_name", ["a", "b"]),
        ("alias_attributes", ["email", "email", "username", ""]),
        ("mfa_configuration", ["SOMETIMES"]),
        ("connection", ["999999"]),
        ("connection", ["not-a-number"]),
        ("password_require_symbols", ["maybe"]),
    ],
)
def test_wrong_types_and_choices_are_answered(operator_client, new_url, field, values):
    data = minimal_design()
    data[field] = values
    assert_answered(operator_client.post(new_url, data))


@pytest.mark.django_db
def test_hostile_draft_saves_and_reopens(operator_client, tenant, new_url):
    data = minimal_design(
        pool_name="x\x00" * 100,
        sms_verification_message="\x00" * 10,
        **management(1),
        **row(0, name="\x00\ufeff", attribute_data_type="String"),
    )
    data["action"] = "save"
    response = operator_client.post(new_url, data)
    assert response.status_code == 302
    reopened = operator_client.get(response["Location"])
    assert reopened.status_code == 200
