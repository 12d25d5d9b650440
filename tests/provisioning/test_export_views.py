"""Export a pool or a draft, and clone a pool as a new design."""

import json

import hcl2
import pytest
import yaml
from django.http import QueryDict
from django.urls import reverse

from poolconsole.audit.models import AuditEvent
from poolconsole.pools import exports
from poolconsole.pools.forms import bind_design, design_is_valid
from poolconsole.pools.models import PoolDraft
from poolconsole.pools.services import draft_payload
from poolconsole.pools.validation import ERROR, validate_request
from poolconsole.provisioning.models import ATTEMPT_TAG
from tests.pools.design_data import full_design, minimal_design

from .factories import UserPoolFactory

POOL_ID = "us-east-1_Export01"
DESCRIBED = {
    "Id": POOL_ID,
    "Name": "customers",
    "Arn": f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{POOL_ID}",
    "Status": "Enabled",
    "CreationDate": "2026-11-26T10:00:00+00:00",
    "LastModifiedDate": "2026-11-26T10:00:00+00:00",
    "EstimatedNumberOfUsers": 3,
    "Policies": {
        "PasswordPolicy": {
            "MinimumLength": 10,
            "RequireUppercase": True,
            "RequireLowercase": True,
            "RequireNumbers": True,
            "RequireSymbols": False,
            "TemporaryPasswordValidityDays": 7,
        }
    },
    "MfaConfiguration": "OFF",
    "AutoVerifiedAttributes": ["email"],
    "EmailVerificationSubject": 'Your "code"',
    "EmailVerificationMessage": "Your code is {####}\n${not_a_variable}",
    "AdminCreateUserConfig": {
        "AllowAdminCreateUserOnly": True,
        "UnusedAccountValidityDays": 7,
    },
    "SchemaAttributes": [
        {"Name": "sub", "AttributeDataType": "String", "Mutable": False},
        {
            "Name": "custom:seats",
            "AttributeDataType": "Number",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": False,
            "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "500"},
        },
    ],
    "UserPoolTags": {ATTEMPT_TAG: "5a1d7f0e", "team": "identity"},
}


@pytest.fixture
def pool(tenant):
    return UserPoolFactory(
        tenant=tenant, pool_id=POOL_ID, name="customers", raw_response=DESCRIBED
    )


def export_url(tenant, pool, fmt):
    return reverse(
        "provisioning:export",
        kwargs={"tenant_slug": tenant.slug, "pool_id": pool.pk, "fmt": fmt},
    )


def draft_export_url(tenant, draft, fmt):
    return reverse(
        "provisioning:draft_export",
        kwargs={"tenant_slug": tenant.slug, "draft_id": draft.pk, "fmt": fmt},
    )


def clone_url(tenant, pool):
    return reverse(
        "provisioning:clone", kwargs={"tenant_slug": tenant.slug, "pool_id": pool.pk}
    )


def _data(draft):
    """Return a draft's payload as the form data it was saved from."""
    data = QueryDict(mutable=True)
    for key, values in draft.payload.items():
        data.setlist(key, values)
    return data


def make_draft(tenant, data, name="design"):
    return PoolDraft.objects.create(
        tenant=tenant, name=name, payload=draft_payload(data)
    )


# Pool export.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fmt,extension", [("json", "json"), ("cloudformation", "yaml"), ("terraform", "tf")]
)
def test_pool_export_downloads_a_file(viewer_client, tenant, pool, fmt, extension):
    response = viewer_client.get(export_url(tenant, pool, fmt))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{POOL_ID}.{extension}"'
    )
    assert "charset=utf-8" in response["Content-Type"]
    text = response.content.decode()
    assert ATTEMPT_TAG not in text
    assert text == exports.export(exports.request_from_pool(pool), fmt)


@pytest.mark.django_db
def test_pool_export_json_is_the_pools_design(viewer_client, tenant, pool):
    response = viewer_client.get(export_url(tenant, pool, "json"))
    request = json.loads(response.content)

    assert request["PoolName"] == "customers"
    assert request["UserPoolTags"] == {"team": "identity"}
    assert request["Schema"] == [
        {
            "Name": "seats",
            "AttributeDataType": "Number",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": False,
            "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "500"},
        }
    ]
    assert "Id" not in request and "Status" not in request
    assert not [p for p in validate_request(request) if p.severity == ERROR]


@pytest.mark.django_db
def test_pool_export_yaml_and_hcl_parse(viewer_client, tenant, pool):
    template = yaml.safe_load(
        viewer_client.get(export_url(tenant, pool, "cloudformation")).content
    )
    properties = template["Resources"]["UserPool"]["Properties"]
    assert template["Resources"]["UserPool"]["Type"] == "AWS::Cognito::UserPool"
    assert properties["UserPoolName"] == "customers"
    assert (
        properties["EmailVerificationMessage"]
        == (DESCRIBED["EmailVerificationMessage"])
    )

    parsed = hcl2.loads(
        viewer_client.get(export_url(tenant, pool, "terraform")).content.decode()
    )
    body = parsed["resource"][0]['"aws_cognito_user_pool"']['"this"']
    assert body["name"] == '"customers"'
    assert body["email_verification_message"] == (
        '"Your code is {####}\\n$${not_a_variable}"'
    )


@pytest.mark.django_db
def test_another_tenants_pool_cannot_be_exported(viewer_client, tenant, other_tenant):
    theirs = UserPoolFactory(tenant=other_tenant, raw_response=DESCRIBED)
    assert viewer_client.get(export_url(tenant, theirs, "json")).status_code == 404


# Pool clone.


@pytest.mark.django_db
def test_pool_clone_creates_a_draft_and_audits_it(
    operator_client, operator, tenant, pool
):
    response = operator_client.post(clone_url(tenant, pool))

    draft = PoolDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "pools:draft", kwargs={"tenant_slug": tenant.slug, "draft_id": draft.pk}
    )
    assert draft.name == "Copy of customers"
    assert draft.author == operator
    assert draft.payload["pool_name"] == ["Copy of customers"]
    assert draft.payload["connection"] == [str(pool.connection_id)]
    assert draft.payload["schema-0-name"] == ["seats"]
    event = AuditEvent.objects.get(action="draft.saved")
    assert event.tenant == tenant
    assert event.target_id == str(draft.pk)
    assert event.actor == operator


@pytest.mark.django_db
def test_a_cloned_pool_is_a_valid_design_of_the_same_pool(
    operator_client, tenant, pool
):
    operator_client.post(clone_url(tenant, pool))
    draft = PoolDraft.objects.get()

    form, formset = bind_design(tenant=tenant, data=_data(draft))
    assert design_is_valid(form, formset), (form.errors, formset.errors)
    expected = exports.design_of(exports.request_from_pool(pool))
    expected["PoolName"] = "Copy of customers"
    assert expected["UserPoolTags"] == {"team": "identity"}  # cloned too
    assert formset.request == expected
    draft_url = reverse(
        "pools:draft", kwargs={"tenant_slug": tenant.slug, "draft_id": draft.pk}
    )
    page = operator_client.get(draft_url)
    assert page.status_code == 200
    assert "Copy of customers" in page.content.decode()


@pytest.mark.django_db
def test_pool_clone_needs_an_operator(viewer_client, tenant, pool):
    response = viewer_client.post(clone_url(tenant, pool))

    assert response.status_code == 403
    assert not PoolDraft.objects.exists()
    assert not AuditEvent.objects.filter(action="draft.saved").exists()


@pytest.mark.django_db
def test_another_tenants_pool_cannot_be_cloned(operator_client, tenant, other_tenant):
    theirs = UserPoolFactory(tenant=other_tenant, raw_response=DESCRIBED)

    assert operator_client.post(clone_url(tenant, theirs)).status_code == 404
    assert not PoolDraft.objects.exists()


@pytest.mark.django_db
def test_pool_clone_is_post_only(operator_client, tenant, pool):
    assert operator_client.get(clone_url(tenant, pool)).status_code == 405
    assert not PoolDraft.objects.exists()


# Draft export.


@pytest.mark.django_db
@pytest.mark.parametrize("data", [minimal_design(), full_design()])
@pytest.mark.parametrize("fmt", list(exports.FORMATS))
def test_draft_export_is_the_request_of_its_review(viewer_client, tenant, data, fmt):
    draft = make_draft(tenant, data)
    form, formset = bind_design(tenant=tenant, data=_data(draft))
    assert design_is_valid(form, formset)

    response = viewer_client.get(draft_export_url(tenant, draft, fmt))

    assert response.status_code == 200
    extension = exports.FORMATS[fmt][0]
    assert response["Content-Disposition"] == (
        f'attachment; filename="draft-{draft.pk}.{extension}"'
    )
    assert response.content.decode() == exports.export(formset.request, fmt)
    if fmt == "json":
        request = json.loads(response.content)
        assert request == formset.request
        assert not [p for p in validate_request(request) if p.severity == ERROR]


@pytest.mark.django_db
def test_invalid_draft_export_explains_instead_of_failing(operator_client, tenant):
    draft = make_draft(
        tenant, minimal_design(pool_name="bad/name", password_minimum_length="2")
    )

    response = operator_client.get(draft_export_url(tenant, draft, "terraform"))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "pools:draft", kwargs={"tenant_slug": tenant.slug, "draft_id": draft.pk}
    )
    [message] = [str(m) for m in response.wsgi_request._messages]
    assert "cannot be exported until its errors are fixed" in message
    assert "Pool name" in message


@pytest.mark.django_db
def test_invalid_draft_export_sends_a_viewer_to_the_draft_list(viewer_client, tenant):
    draft = PoolDraft.objects.create(tenant=tenant, name="empty", payload={})

    response = viewer_client.get(draft_export_url(tenant, draft, "json"))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "pools:drafts", kwargs={"tenant_slug": tenant.slug}
    )


@pytest.mark.django_db
def test_another_tenants_draft_cannot_be_exported(viewer_client, tenant, other_tenant):
    theirs = make_draft(other_tenant, minimal_design())
    response = viewer_client.get(draft_export_url(tenant, theirs, "json"))
    assert response.status_code == 404


# The detail page.


@pytest.mark.django_db
def test_detail_page_offers_export_to_all_and_clone_to_operators(
    client, viewer, operator, tenant, pool
):
    detail = reverse(
        "provisioning:detail", kwargs={"tenant_slug": tenant.slug, "pool_id": pool.pk}
    )
    client.force_login(viewer)
    html = client.get(detail).content.decode()
    for fmt in exports.FORMATS:
        assert export_url(tenant, pool, fmt) in html
    assert clone_url(tenant, pool) not in html

    client.force_login(operator)
    assert clone_url(tenant, pool) in client.get(detail).content.decode()
