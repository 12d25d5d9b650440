"""Re-encrypt every stored secret under the first configured key."""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope, scopes_disabled

from poolconsole.core.exceptions import ApplicationError
from poolconsole.credentials.services import encryption_rotate
from poolconsole.tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Re-encrypt every AWS connection secret under the first key of "
        "POOLCONSOLE_ENCRYPTION_KEYS; afterwards the other keys can be dropped."
    )

    def handle(self, *args, **options):
        with scopes_disabled():
            tenants = list(Tenant.objects.order_by("pk"))
        total = 0
        for tenant in tenants:
            with scope(tenant=tenant):
                try:
                    count = encryption_rotate(tenant=tenant)
                except ApplicationError as exc:
                    raise CommandError(f"Tenant {tenant.slug}: {exc.message}") from None
            total += count
            self.stdout.write(f"{tenant.slug}: re-encrypted {count} connection(s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {total} connection(s) under the first key. The other "
                "keys may now be removed from POOLCONSOLE_ENCRYPTION_KEYS."
            )
        )
