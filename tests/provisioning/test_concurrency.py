"""Two submissions of one review page at once create one pool (PostgreSQL)."""

import threading
import uuid

import pytest
from django.db import connection as db_connection
from django.db import connections
from django_scopes import scopes_disabled

from poolconsole.pools.models import PoolDraft
from poolconsole.provisioning import services
from poolconsole.provisioning.models import CreateAttempt, UserPool

from .conftest import pool_count
from .test_services import REQUEST

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        db_connection.vendor != "postgresql",
        reason="SQLite serialises writers; the race needs PostgreSQL",
    ),
]


def at_once(submit, count: int = 2) -> None:
    """Run submit in count threads that call it at the same moment."""
    barrier = threading.Barrier(count)

    def run():
        try:
            with scopes_disabled():
                barrier.wait(timeout=10)
                submit()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_create_one_pool(tenant, user, connection, aws):
    key = uuid.uuid4()
    results, errors = [], []

    def submit():
        try:
            attempt = services.pool_create(
                tenant=tenant,
                user=user,
                connection=connection,
                request=REQUEST,
                idempotency_key=key,
            )
            results.append(attempt.pk)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    at_once(submit)

    assert not errors
    assert len(results) == 2 and results[0] == results[1]
    assert CreateAttempt.objects.count() == 1
    assert UserPool.objects.count() == 1
    assert pool_count(aws) == 1


@pytest.mark.django_db(transaction=True)
def test_two_creates_of_one_draft_at_once_make_one_attempt(
    tenant, user, connection, aws
):
    # Two tabs of one draft, two review pages (two keys), Create at once: the
    # draft's lock makes the second see the first attempt open, and refuse.
    with scopes_disabled():
        draft = PoolDraft.objects.create(tenant=tenant, name="customers", payload={})
    results, refused, errors = [], [], []

    def submit():
        try:
            attempt = services.pool_create(
                tenant=tenant,
                user=user,
                connection=connection,
                request=REQUEST,
                idempotency_key=uuid.uuid4(),
                draft_id=draft.pk,
            )
            results.append(attempt.pk)
        except services.OpenAttemptError as exc:
            refused.append(exc.attempt.pk)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    at_once(submit)

    assert not errors
    assert len(results) == 1 and refused == results
    assert CreateAttempt.objects.count() == 1
    assert pool_count(aws) == 1
