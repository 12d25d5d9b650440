"""Validate a create_user_pool request file, for CI pipelines."""

import json

from django.core.management.base import BaseCommand, CommandError

from poolconsole.pools.validation import ERROR, validate_request


def _printable(text: str) -> str:
    # Lone surrogates from JSON escapes cannot be encoded; never crash on them.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Command(BaseCommand):
    help = (
        "Validate FILE.json (the --cli-input-json shape of create-user-pool) "
        "with the same checks as the pool form. Print one line per problem, "
        "'<path>: <message>'; exit 0 if valid, 1 if invalid, 2 if the file is "
        "not a readable JSON object."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.json")

    def handle(self, *args, file, **options):
        request = self._load(file)
        problems = validate_request(request)
        for problem in problems:
            path = problem.path or "(request)"
            prefix = "warning: " if problem.severity != ERROR else ""
            self.stdout.write(_printable(f"{path}: {prefix}{problem.message}"))
        if any(problem.severity == ERROR for problem in problems):
            raise SystemExit(1)

    def _load(self, file):
        try:
            with open(file, "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            raise CommandError(
                f"Cannot read {file}: {exc.strerror or exc}", returncode=2
            ) from exc
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text.", returncode=2) from exc
        except (ValueError, RecursionError) as exc:
            raise CommandError(
                f"{file} is not valid JSON: {exc}", returncode=2
            ) from exc
        if not isinstance(data, dict):
            raise CommandError(
                f"{file} must hold a JSON object (the --cli-input-json shape), "
                "not a list or a single value.",
                returncode=2,
            )
        return data
