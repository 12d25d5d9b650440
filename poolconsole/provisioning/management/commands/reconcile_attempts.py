"""Settle every create attempt whose outcome is still unknown."""

import datetime

from django.core.management.base import BaseCommand

from poolconsole.provisioning.services import attempts_reconcile_open


class Command(BaseCommand):
    help = (
        "Look for the pool of every unknown create attempt (and of every pending "
        "one older than --minutes) by its poolconsole:attempt tag, and record it "
        "or mark the attempt failed and safe to retry."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=5,
            help="Leave pending attempts younger than this: they may still "
            "be waiting for AWS (default 5).",
        )

    def handle(self, *args, minutes: int, **options):
        attempts = attempts_reconcile_open(
            older_than=datetime.timedelta(minutes=minutes)
        )
        for attempt in attempts:
            self.stdout.write(
                f"attempt {attempt.pk} ({attempt.pool_name}): {attempt.status}"
            )
        self.stdout.write(f"{len(attempts)} attempt(s) checked.")
