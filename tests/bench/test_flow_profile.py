"""make bench-flow's split by kind (instrument) and its --time option
(time_functions), in bench/flow_profile.py."""

import sys
import types
from contextlib import ExitStack

import pytest


@pytest.fixture
def flow_profile(import_bench):
    return import_bench("bench.flow_profile")


TARGET_SOURCE = """
import time


def nap(seconds):
    time.sleep(seconds)
    return "rested"


class Worker:
    def work(self, seconds):
        return nap(seconds)

    @property
    def state(self):
        return "idle"
"""


@pytest.fixture
def target(monkeypatch):
    """A module of a function and a class, importable by name."""
    module = types.ModuleType("flow_profile_target")
    exec(TARGET_SOURCE, module.__dict__)  # noqa: S102 - the test's own code
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def test_a_function_and_a_method_are_timed_inclusively_then_restored(
    flow_profile, target
):
    watch = flow_profile.Stopwatch()
    original = target.nap
    with ExitStack() as stack:
        flow_profile.time_functions(
            stack, watch, ["flow_profile_target:nap", "flow_profile_target:Worker.work"]
        )
        assert target.Worker().work(0.02) == "rested"
        spent, _ = watch.take()

    assert spent["fn:flow_profile_target:nap"] >= 0.02
    assert spent["fn:flow_profile_target:Worker.work"] >= 0.02
    assert target.nap is original


def test_what_is_not_callable_is_refused(flow_profile, target):
    with ExitStack() as stack, pytest.raises(SystemExit, match="Worker.state"):
        flow_profile.time_functions(
            stack, flow_profile.Stopwatch(), ["flow_profile_target:Worker.state"]
        )


@pytest.mark.parametrize(
    "spec", ["flow_profile_target:Worker.rest", "no_such_module_here:nap", ":nap"]
)
def test_what_cannot_be_found_is_refused_by_name(flow_profile, target, spec):
    with ExitStack() as stack, pytest.raises(SystemExit, match=f"--time {spec}"):
        flow_profile.time_functions(stack, flow_profile.Stopwatch(), [spec])


@pytest.mark.django_db(transaction=True)
def test_a_commit_is_timed_apart_from_the_statements_then_restored(flow_profile):
    """COMMIT is not a statement of execute_wrapper's: on PostgreSQL it is
    the flush of the WAL, a cost of its own in the create's two
    transactions."""
    from django.db import transaction

    from poolconsole.tenants.models import Tenant

    watch = flow_profile.Stopwatch()
    with ExitStack() as stack:
        flow_profile.instrument(stack, watch)
        with transaction.atomic():
            Tenant.objects.create(name="Committed", slug="committed")
        spent, queries = watch.take()

    assert queries >= 1
    assert spent["sql"] > 0
    assert spent["commit"] > 0
    with transaction.atomic():
        Tenant.objects.create(name="Untimed", slug="untimed")
    assert watch.take() == ({}, 0)
