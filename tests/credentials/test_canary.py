"""A canary secret, once stored, appears nowhere: pages, logs, audit, admin."""

import logging

import pytest
from botocore.exceptions import (
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from django.urls import reverse

from poolconsole.audit.models import AuditEvent
from poolconsole.credentials.models import AuthMode, AwsConnection
from tests.integrations.fakes import raising, sts_error

pytestmark = pytest.mark.django_db

CANARY_SECRET = "canary-secret-d41d8cd98f00b204e980"
CANARY_TOKEN = "canary-token-9800998ecf8427e8b7c1"
CANARY_KEY_ID = "AKIACANARYKEYID0WXYZ"
CANARIES = (CANARY_SECRET, CANARY_TOKEN, CANARY_KEY_ID)


def assert_no_canary(text, where=""):
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    for canary in CANARIES:
        assert canary not in text, f"{canary} leaked in {where}"
    # Not even the ciphertext is shown anywhere.
    assert "gAAAAA" not in text, f"a Fernet token leaked in {where}"


def _url(name, tenant, connection=None):
    kwargs = {"tenant_slug": tenant.slug}
    if connection is not None:
        kwargs["connection_id"] = connection.pk
    return reverse(f"credentials:{name}", kwargs=kwargs)


@pytest.fixture(autouse=True)
def _debug_logs(caplog):
    caplog.set_level(logging.DEBUG)
    yield
    assert_no_canary(caplog.text, "the logs")


@pytest.fixture
def canary(admin_client, tenant):
    """Store the canary through the create page, as an admin would."""
    response = admin_client.post(
        _url("create", tenant),
        {
            "name": "Canary",
            "region": "us-east-1",
            "auth_mode": AuthMode.ACCESS_KEYS,
            "access_key_id": CANARY_KEY_ID,
            "secret_access_key": CANARY_SECRET,
            "session_token": CANARY_TOKEN,
        },
    )
    assert response.status_code == 302
    assert_no_canary(admin_client.get(response["Location"]).content, "after create")
    return AwsConnection.objects.get(name="Canary")


def test_every_connection_page(client, admin_client, tenant, canary, operator, viewer):
    for url in (
        _url("list", tenant),
        _url("create", tenant),
        _url("edit", tenant, canary),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert_no_canary(response.content, url)
    assert "…WXYZ" in admin_client.get(_url("list", tenant)).content.decode()
    for member in (operator, viewer):
        client.force_login(member)
        assert_no_canary(client.get(_url("list", tenant)).content, member)
        assert_no_canary(client.get(reverse("dashboard", args=[tenant.slug])).content)


def test_edit_form_re_rendered_after_a_validation_error(admin_client, tenant, canary):
    response = admin_client.post(
        _url("edit", tenant, canary),
        {
            "name": "",
            "region": "us-east-1",
            "auth_mode": AuthMode.ACCESS_KEYS,
            "access_key_id": CANARY_KEY_ID,
            "secret_access_key": CANARY_SECRET,
            "session_token": CANARY_TOKEN,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert_no_canary(response.content, "re-rendered edit form")


def test_create_form_re_rendered_after_a_service_error(admin_client, tenant, canary):
    response = admin_client.post(
        _url("create", tenant),
        {
            "name": "Canary",  # duplicate: the service refuses it
            "region": "us-east-1",
            "auth_mode": AuthMode.ACCESS_KEYS,
            "access_key_id": CANARY_KEY_ID,
            "secret_access_key": CANARY_SECRET,
            "session_token": CANARY_TOKEN,
        },
    )
    assert response.status_code == 200
    assert "has this name" in response.content.decode()
    assert_no_canary(response.content, "re-rendered create form")


FAILURES = [
    (sts_error("InvalidClientTokenId", status=403), "does not recognise"),
    (sts_error("SignatureDoesNotMatch", status=403), "does not recognise"),
    (sts_error("ExpiredToken", status=400), "expired"),
    (sts_error("AccessDenied", status=403), "denied"),
    (sts_error("Throttling", status=400), "throttling"),
    (sts_error("InternalFailure", status=500), "internal error"),
    (raising(lambda r: EndpointConnectionError(endpoint_url=r.url)), "cannot reach"),
    (raising(lambda r: ConnectTimeoutError(endpoint_url=r.url)), "in time"),
    (raising(lambda r: ReadTimeoutError(endpoint_url=r.url)), "in time"),
]


@pytest.mark.parametrize("respond,expected", FAILURES)
def test_test_connection_failure_paths(
    admin_client, tenant, canary, hooks, respond, expected
):
    hooks.respond = respond
    response = admin_client.post(_url("test", tenant, canary), follow=True)
    page = response.content.decode()
    assert expected in page
    assert len(hooks.requests) == 1
    assert_no_canary(page, "test failure page")
    assert_no_canary(admin_client.get(_url("edit", tenant, canary)).content)


def test_test_connection_unknown_region(admin_client, tenant, canary, hooks):
    AwsConnection.objects.filter(pk=canary.pk).update(region="xx-nowhere-1")
    response = admin_client.post(_url("test", tenant, canary), follow=True)
    assert "region is unknown" in response.content.decode()
    assert hooks.requests == []
    assert_no_canary(response.content, "unknown region")


def test_forced_500_with_debug_logging(
    client, admin_client, tenant, canary, hooks, caplog
):
    # Even asked for DEBUG, botocore (which logs signed headers there) stays
    # above it; Django logs the 500 with its traceback.
    caplog.set_level(logging.DEBUG, logger="botocore")
    hooks.respond = raising(lambda r: RuntimeError("forced failure"))
    admin_client.raise_request_exception = False
    response = admin_client.post(_url("test", tenant, canary))
    assert response.status_code == 500
    assert_no_canary(response.content, "500 page")
    assert "forced failure" in caplog.text
    assert_no_canary(caplog.text, "the logs of the 500")
    assert logging.getLogger("botocore").getEffectiveLevel() >= logging.INFO


def test_audit_rows(admin_client, tenant, canary, hooks):
    hooks.respond = sts_error("InvalidClientTokenId", status=403)
    admin_client.post(_url("test", tenant, canary))
    admin_client.post(
        _url("edit", tenant, canary),
        {
            "name": "Canary 2",
            "region": "us-east-1",
            "auth_mode": AuthMode.ACCESS_KEYS,
            "access_key_id": CANARY_KEY_ID,
            "secret_access_key": CANARY_SECRET,
            "session_token": CANARY_TOKEN,
        },
    )
    admin_client.post(_url("archive", tenant, canary))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "connection.created",
        "connection.tested",
        "connection.updated",
        "connection.archived",
    } <= actions
    assert_no_canary(repr(list(AuditEvent.objects.values_list())), "audit rows")
    page = admin_client.get(reverse("audit:list", args=[tenant.slug])).content
    assert_no_canary(page, "audit page")


def test_django_admin(client, tenant, canary, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "r@x.io", "pw")
    client.force_login(superuser)
    urls = [
        reverse("admin:credentials_awsconnection_changelist"),
        reverse("admin:credentials_awsconnection_change", args=[canary.pk]),
        reverse("admin:audit_auditevent_changelist"),
    ]
    urls += [
        reverse("admin:audit_auditevent_change", args=[pk])
        for pk in AuditEvent.objects.values_list("pk", flat=True)
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_canary(response.content, url)
    change = client.get(urls[1]).content.decode()
    assert "secret_access_key" not in change
    assert "session_token" not in change
