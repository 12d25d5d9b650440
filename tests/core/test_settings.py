"""Settings read from the environment."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from poolconsole.settings.base import postgresql_options


def test_postgresql_prepares_statements_by_default():
    assert postgresql_options({}) == {
        "server_side_binding": True,
        "prepare_threshold": 5,
    }


@pytest.mark.parametrize(
    ("value", "threshold"), [("", None), (" ", None), ("0", 0), ("12", 12)]
)
def test_postgresql_prepare_threshold_comes_from_the_environment(value, threshold):
    options = postgresql_options({"DATABASE_PREPARE_THRESHOLD": value})
    assert options["prepare_threshold"] == threshold
    assert options["server_side_binding"] is True


def test_a_bad_prepare_threshold_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PREPARE_THRESHOLD"):
        postgresql_options({"DATABASE_PREPARE_THRESHOLD": "often"})


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_postgresql_connection_binds_on_the_server_and_prepares():
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::int", [1])
        assert cursor.fetchone() == (1,)
    assert connection.features.uses_server_side_binding
    assert connection.connection.prepare_threshold == 5
