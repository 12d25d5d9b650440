"""seed_demo: the offline sandbox's demo data, idempotent, following the emulator."""

import pytest
from django.core.management import call_command

from poolconsole.audit.models import AuditEvent
from poolconsole.credentials.models import AwsConnection
from poolconsole.tenants.models import Tenant


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_follows_the_emulators_port(settings):
    settings.SANDBOX_ENDPOINT_URL = "http://127.0.0.1:5055"
    call_command("seed_demo")
    call_command("seed_demo")
    assert set(Tenant.objects.values_list("slug", flat=True)) == {"demo", "acme"}
    sandboxes = AwsConnection.objects.filter(name="Local sandbox")
    assert sorted(c.endpoint_url for c in sandboxes) == ["http://127.0.0.1:5055"] * 2

    # make run SANDBOX_PORT=5056: the next seed points both sandboxes there,
    # keeping their keys, and the change is audited.
    settings.SANDBOX_ENDPOINT_URL = "http://127.0.0.1:5056"
    call_command("seed_demo")
    assert (
        sorted(c.endpoint_url for c in sandboxes.all()) == ["http://127.0.0.1:5056"] * 2
    )
    assert all(c.has_access_keys for c in sandboxes.all())
    assert AuditEvent.objects.filter(action="connection.updated").count() == 2
