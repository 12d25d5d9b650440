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
    assert rows["SchemaAttributes[sub].AttributeDataType"] == selectors.DEFAULTED


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
