"""Recompute every tenant's audit chain and name the first broken event."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_scopes import scopes_disabled

from poolconsole.audit.verify import audit_verify_chain
from poolconsole.tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Verify the hash chains of the audit trail; exit 1 and name the first "
        "changed, removed or inserted event when one is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="SLUG", help="Verify this tenant only.")

    def handle(self, *args, tenant=None, **options):
        with scopes_disabled(), transaction.atomic():
            if connection.vendor == "postgresql" and not connection.savepoint_ids:
                # One snapshot for the whole check: concurrent appends must
                # not look like insertions. Only possible as the first
                # statement of a real transaction, not in a savepoint.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            tenants = Tenant.objects.order_by("slug")
            if tenant is not None:
                tenants = tenants.filter(slug=tenant)
                if not tenants.exists():
                    raise CommandError(f"No tenant with slug {tenant!r}.")
            total = 0
            for each in tenants:
                count, chain_break = audit_verify_chain(tenant=each)
                if chain_break is not None:
                    raise CommandError(f"Audit chain broken: {chain_break}")
                total += count
        self.stdout.write(f"{total} events verified")
