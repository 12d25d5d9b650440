import pytest
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.urls import reverse

from poolconsole.audit.models import AuditEvent
from poolconsole.audit.services import audit_record
from poolconsole.audit.verify import audit_verify_chain
from poolconsole.core.http import client_ip
from tests.factories import TEST_PASSWORD, UserFactory


def _request(**meta):
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("192.0.2.1", "192.0.2.1"),
        (" 192.0.2.1 ", "192.0.2.1"),
        ("2001:0DB8:0000::0001", "2001:db8::1"),
        ("::FFFF:192.0.2.1", "::ffff:192.0.2.1"),
        ("not:an:ip", None),
        ("garbage", None),
        ("", None),
    ],
)
def test_client_ip_is_the_address_as_the_database_stores_it(given, stored):
    assert client_ip(_request(REMOTE_ADDR=given)) == stored


@override_settings(TRUST_X_FORWARDED_FOR=True)
def test_behind_a_proxy_the_client_is_the_last_forwarded_address():
    request = _request(
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 2001:DB8::0:1"
    )
    assert client_ip(request) == "2001:db8::1"
    # A last entry that is no address (a broken proxy) is not recorded.
    garbled = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, junk")
    assert client_ip(garbled) == "10.0.0.2"


@override_settings(TRUST_X_FORWARDED_FOR=False)
def test_without_a_proxy_the_client_cannot_choose_its_address():
    request = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert client_ip(request) == "127.0.0.1"


@pytest.mark.django_db
@override_settings(TRUST_X_FORWARDED_FOR=True)
def test_a_non_canonical_address_keeps_the_audit_chain_valid(tenant):
    # Hashed as written, stored normalised: verify_audit reported tampering.
    request = _request(HTTP_X_FORWARDED_FOR="2001:0DB8:0000::0001")
    with transaction.atomic():
        audit_record(tenant=tenant, action="pool.draft.saved", request=request)
    request = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")
    with transaction.atomic():
        audit_record(tenant=tenant, action="pool.draft.saved", request=request)

    assert list(AuditEvent.objects.order_by("seq").values_list("ip", flat=True)) == [
        "2001:db8::1",
        "127.0.0.1",
    ]
    assert audit_verify_chain(tenant=tenant) == (2, None)


@pytest.mark.django_db
@override_settings(TRUST_X_FORWARDED_FOR=True)
def test_behind_a_proxy_login_throttling_locks_the_client_not_the_proxy(client):
    UserFactory(username="shared-proxy")
    url = reverse("login")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        client.post(
            url,
            {"username": "shared-proxy", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **proxy,
        )
    locked = client.post(
        url,
        {"username": "shared-proxy", "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert locked.status_code == 429
    # Another client behind the same proxy still logs in.
    response = client.post(
        url,
        {"username": "shared-proxy", "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.20",
        **proxy,
    )
    assert response.status_code == 302
