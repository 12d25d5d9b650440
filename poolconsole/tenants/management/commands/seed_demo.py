"""Create the demo superuser and tenants of the offline sandbox (idempotent)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from poolconsole.tenants.models import Membership, Role, Tenant

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "poolconsole-demo"  # noqa: S105 - printed by `make run`, local only
DEMO_TENANTS = [("Demo", "demo"), ("Acme Platform", "acme")]
SANDBOX_CONNECTION = "Local sandbox"


class Command(BaseCommand):
    help = "Create the demo superuser and demo tenants, or leave them as they are."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={
                "email": "admin@example.com",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for name, slug in DEMO_TENANTS:
            tenant, _ = Tenant.objects.get_or_create(slug=slug, defaults={"name": name})
            Membership.objects.get_or_create(
                tenant=tenant, user=user, defaults={"role": Role.ADMIN}
            )
        self.extra_seed(user=user)
        verb = "Created" if created else "Kept"
        self.stdout.write(
            f"{verb} demo superuser {DEMO_USERNAME!r} and tenants "
            f"{', '.join(s for _, s in DEMO_TENANTS)}."
        )

    def extra_seed(self, *, user) -> None:
        """Seed what later features add to the demo (the sandbox connection)."""
        from django.conf import settings
        from django_scopes import scope

        from poolconsole.credentials.models import AuthMode, AwsConnection
        from poolconsole.credentials.services import (
            connection_create,
            connection_update,
        )

        endpoint_url = settings.SANDBOX_ENDPOINT_URL
        for slug in ("demo", "acme"):
            tenant = Tenant.objects.get(slug=slug)
            with scope(tenant=tenant):
                sandbox = AwsConnection.objects.filter(
                    tenant=tenant, name=SANDBOX_CONNECTION
                ).first()
                if sandbox is not None:
                    # `make run SANDBOX_PORT=...` moves the emulator: follow it.
                    if sandbox.endpoint_url != endpoint_url and not sandbox.is_archived:
                        connection_update(
                            connection=sandbox,
                            actor=user,
                            name=sandbox.name,
                            region=sandbox.region,
                            auth_mode=sandbox.auth_mode,
                            role_arn=sandbox.role_arn,
                            endpoint_url=endpoint_url,
                        )
                        self.stdout.write(
                            f"Pointed {tenant.slug}'s {SANDBOX_CONNECTION!r} at "
                            f"{endpoint_url}."
                        )
                    continue
                connection_create(
                    tenant=tenant,
                    actor=user,
                    name=SANDBOX_CONNECTION,
                    region="us-east-1",
                    auth_mode=AuthMode.ACCESS_KEYS,
                    access_key_id="testing",
                    secret_access_key="testing",
                    endpoint_url=endpoint_url,
                )
