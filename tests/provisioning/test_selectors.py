"""Reads of pools: requested vs effective values."""

import uuid

import pytest

from poolconsole.provisioning import selectors, services

from .test_services import SCHEMA_REQUEST


@pytest.mark.django_db
def test_requested_vs_effective_tells_defaults_from_drift(
    tenant, user, connection, aws
):
    attempt = services.pool_create(
        tenant=tenant,
        user=user,
        connection=connection,
        request=SCHEMA_REQUEST,
        idempotency_key=uuid.uuid4(),
    )
    pool = attempt.pool
    rows = {
        row.path: row
        for row in selectors.requested_vs_effective(
            request=attempt.request, effective=pool.raw_response
        )
    }
    assert rows["Name"].origin == selectors.AS_REQUESTED
    assert rows["Policies.PasswordPolicy.MinimumLength"].origin == (
        selectors.AS_REQUESTED
    )
    assert rows["SchemaAttributes[custom:tier].Mutable"].origin == (
        selectors.AS_REQUESTED
    )
    assert rows["UserPoolTags.team"].origin == selectors.AS_REQUESTED
    # The attempt tag is poolconsole's own, not part of the design.
    assert not any("poolconsole:attempt" in path for path in rows)

    # With no tag of the design's own, no UserPoolTags row at all.
    rows = selectors.requested_vs_effective(
        request={"PoolName": "p"},
        effective={"Name": "p", "UserPoolTags": {"poolconsole:attempt": "1"}},
    )
    assert [row.path for row in rows] == ["Name"]
    assert "Id" not in rows and "CreationDate" not in rows


def test_requested_vs_effective_marks_defaults_and_differences():
    rows = {
        row.path: row.origin
        for row in selectors.requested_vs_effective(
            request={
                "PoolName": "p",
                "MfaConfiguration": "OFF",
                "Schema": [{"Name": "tier", "AttributeDataType": "String"}],
            },
            effective={
                "Id": "x",
                "Name": "p",
                "MfaConfiguration": "ON",
                "EmailVerificationMessage": "code {####}",
                "SchemaAttributes": [
                    {"Name": "custom:tier", "AttributeDataType": "String"},
                    {"Name": "sub", "AttributeDataType": "String"},
                ],
            },
        )
    }
    assert rows["Name"] == selectors.AS_REQUESTED
    assert rows["MfaConfiguration"] == selectors.DIFFERS
    assert rows["EmailVerificationMessage"] == selectors.DEFAULTED
    assert rows["SchemaAttributes[custom:tier].AttributeDataType"] == (
        selectors.AS_REQUESTED
    )
    # Standard attributes the request did not name: one row, their values
    # are under Schema.
    assert rows["SchemaAttributes"] == selectors.DEFAULTED
    assert "SchemaAttributes[sub].AttributeDataType" not in rows


def test_requested_vs_effective_sums_up_the_attributes_the_request_left_out():
    rows = selectors.requested_vs_effective(
        request={
            "PoolName": "p",
            "Schema": [{"Name": "email", "Required": True}],
        },
        effective={
            "Name": "p",
            "SchemaAttributes": [
                {"Name": "sub", "AttributeDataType": "String", "Mutable": False},
                {"Name": "email", "AttributeDataType": "String", "Required": True},
                {"Name": "address", "AttributeDataType": "String"},
                # Added with AddCustomAttributes after the pool was created.
                {"Name": "custom:late", "AttributeDataType": "String"},
            ],
        },
    )
    assert [(row.path, row.origin, row.effective) for row in rows] == [
        ("Name", selectors.AS_REQUESTED, "p"),
        (
            "SchemaAttributes",
            selectors.DEFAULTED,
            f"address, sub: {selectors.ADDED_BY_COGNITO}",
        ),
        (
            "SchemaAttributes[custom:late]",
            selectors.DIFFERS,
            selectors.ADDED_LATER,
        ),
        ("SchemaAttributes[email].AttributeDataType", selectors.DEFAULTED, "String"),
        ("SchemaAttributes[email].Name", selectors.AS_REQUESTED, "email"),
        ("SchemaAttributes[email].Required", selectors.AS_REQUESTED, True),
    ]


@pytest.mark.django_db
def test_requested_vs_effective_names_custom_attributes_as_cognito_does(
    tenant, user, connection, aws
):
    request = {
        **SCHEMA_REQUEST,
        "Schema": [
            *SCHEMA_REQUEST["Schema"],
            {
                "Name": "internal",
                "AttributeDataType": "String",
                "Mutable": True,
                "DeveloperOnlyAttribute": True,
            },
        ],
    }
    attempt = services.pool_create(
        tenant=tenant,
        user=user,
        connection=connection,
        request=request,
        idempotency_key=uuid.uuid4(),
    )
    described = aws.describe_user_pool(UserPoolId=attempt.pool.pool_id)["UserPool"]
    names = {entry["Name"] for entry in described["SchemaAttributes"]}
    assert {"custom:tier", "dev:custom:internal"} <= names

    rows = {
        row.path: row
        for row in selectors.requested_vs_effective(
            request=attempt.request, effective=attempt.pool.raw_response
        )
    }

    assert [path for path, row in rows.items() if row.origin == selectors.DIFFERS] == []
    for path in (
        "SchemaAttributes[email].Name",
        "SchemaAttributes[custom:tier].Name",
        "SchemaAttributes[custom:tier].Mutable",
        "SchemaAttributes[dev:custom:internal].Name",
        "SchemaAttributes[dev:custom:internal].AttributeDataType",
        "SchemaAttributes[dev:custom:internal].DeveloperOnlyAttribute",
        "SchemaAttributes[dev:custom:internal].Mutable",
    ):
        assert rows[path].origin == selectors.AS_REQUESTED, path
    assert rows["SchemaAttributes[custom:tier].Name"].requested == "custom:tier"
    assert not any(
        path.startswith("SchemaAttributes[custom:internal]") for path in rows
    )


def test_requested_vs_effective_still_shows_schema_drift():
    rows = {
        row.path: row
        for row in selectors.requested_vs_effective(
            request={
                "PoolName": "p",
                "Schema": [
                    {"Name": "tier", "AttributeDataType": "String", "Mutable": True},
                    {
                        "Name": "internal",
                        "AttributeDataType": "String",
                        "DeveloperOnlyAttribute": True,
                    },
                    # Cognito prefixes this name again: custom:custom:plan.
                    {"Name": "custom:plan", "AttributeDataType": "String"},
                ],
            },
            effective={
                "Name": "p",
                "SchemaAttributes": [
                    {
                        "Name": "custom:tier",
                        "AttributeDataType": "String",
                        "Mutable": False,
                    },
                    # Not developer-only, although the request said so.
                    {
                        "Name": "custom:internal",
                        "AttributeDataType": "String",
                        "DeveloperOnlyAttribute": False,
                    },
                    {"Name": "custom:plan", "AttributeDataType": "String"},
                ],
            },
        )
    }

    assert rows["SchemaAttributes[custom:tier].Name"].origin == selectors.AS_REQUESTED
    assert rows["SchemaAttributes[custom:tier].Mutable"].origin == selectors.DIFFERS
    internal = "SchemaAttributes[dev:custom:internal]"
    assert rows[f"{internal}.Name"].origin == selectors.DIFFERS
    assert rows[f"{internal}.Name"].effective is None
    assert rows[f"{internal}.DeveloperOnlyAttribute"].origin == selectors.DIFFERS
    plan = "SchemaAttributes[custom:custom:plan]"
    assert rows[f"{plan}.Name"].origin == selectors.DIFFERS
    assert rows[f"{plan}.Name"].requested == "custom:custom:plan"


@pytest.mark.django_db
def test_search_matches_name_or_id_in_any_case_and_follows_renames(tenant, connection):
    from .factories import UserPoolFactory

    pool = UserPoolFactory(
        tenant=tenant, connection=connection, name="Web_50%", pool_id="us-east-1_AbC"
    )
    UserPoolFactory(tenant=tenant, connection=connection, name="web_x50")

    def found(query):
        return [p.name for p in selectors.pool_list(tenant=tenant, query=query)]

    assert found("WEB_5") == ["Web_50%"]  # _ is a character, not a wildcard
    assert found("50%") == ["Web_50%"]
    assert found("1_abc") == ["Web_50%"]
    # The name ends in "%" and the id starts with "us": no match across the two.
    assert found("%us") == []
    assert found("%\x1fus") == []
    pool.name = "renamed"
    pool.save()
    assert found("renam") == ["renamed"]
    assert found("web_5") == []


@pytest.mark.django_db
def test_pool_audit_targets_keep_every_attempt_of_the_pool_past_the_named_ones(
    tenant, connection
):
    from poolconsole.provisioning.models import AttemptStatus

    from .factories import CreateAttemptFactory, UserPoolFactory

    pool = UserPoolFactory(tenant=tenant, connection=connection, name="Customers")
    created = CreateAttemptFactory(
        tenant=tenant,
        connection=connection,
        request={"PoolName": "Customers"},
        status=AttemptStatus.SUCCEEDED,
        pool=pool,
    )
    for _ in range(3):  # later refused retries of the same name
        CreateAttemptFactory(
            tenant=tenant, connection=connection, request={"PoolName": "Customers"}
        )
    targets = selectors.pool_audit_targets(
        tenant=tenant, pools=[pool], name="Customers", limit=2
    )
    assert ("createattempt", str(created.pk)) in targets
    assert len([t for t in targets if t[0] == "createattempt"]) == 3
