"""Fixtures of the audit tests: write events as a service would."""

import pytest
from django.db import transaction

from poolconsole.audit.services import audit_record


@pytest.fixture
def record():
    """Return a function that appends one event in its own transaction."""

    def _record(**kwargs):
        kwargs.setdefault("action", "pool.create.requested")
        with transaction.atomic():
            return audit_record(**kwargs)

    return _record
