"""Where the create flow's time goes: each step split by kind of work.

``make bench`` times the create flow over HTTP, against moto's server and a
raw boto3 call (bench/flow.py). This runs the same three requests (review
POST, create POST, pool detail) through Django's test client in one process,
with the benchmark's settings, database and emulator, and splits each step's
time, exclusively, into:

* SQL: every statement Django executes (``connection.execute_wrapper``);
* commit: the transactions' COMMITs, which the statements' wrapper does not
  see (``connection.commit``: on PostgreSQL, the WAL's flush to disk);
* render: the page's template (Django's template backend);
* AWS: botocore's API call, the emulator's time included;
* GC: Python's garbage collections (``gc.callbacks``);
* other: the rest (middleware, forms, services, building the ORM's queries
  and models, Python).

A bare reference view (bench/views.py) is timed the same way: its total is
what any request costs before the page does anything. It prints the median
of each figure and the flow's in-process overhead over the raw boto3 call.

``--time module:qualname`` (repeatable) also times a function or method
inclusively in each step: patch it where the caller looks it up (a view
that did ``from .services import pool_create`` calls its own name).

    make bench-flow
    make bench-flow FLOW_ARGS="--flows 50"
    make bench-flow FLOW_ARGS="--time poolconsole.audit.services:audit_record \
        --time django.contrib.sessions.backends.db:SessionStore.load"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/poolconsole_bench make bench-flow
"""

import argparse
import importlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

KINDS = ("sql", "commit", "render", "aws", "gc")
STEPS = ("reference", "review", "create", "detail")


class Stopwatch:
    """Exclusive time by kind: time in an inner kind is not the outer's."""

    def __init__(self):
        self.spent: dict[str, float] = defaultdict(float)
        self.queries = 0
        self._stack: list[list] = []

    def start(self, kind: str) -> None:
        now = time.perf_counter()
        if self._stack:
            outer = self._stack[-1]
            self.spent[outer[0]] += now - outer[1]
        self._stack.append([kind, now])

    def stop(self) -> None:
        kind, started = self._stack.pop()
        now = time.perf_counter()
        self.spent[kind] += now - started
        if self._stack:
            self._stack[-1][1] = now

    @contextmanager
    def timing(self, kind: str):
        self.start(kind)
        try:
            yield
        finally:
            self.stop()

    def take(self) -> tuple[dict[str, float], int]:
        spent, queries = dict(self.spent), self.queries
        self.spent.clear()
        self.queries = 0
        return spent, queries


def instrument(stack: ExitStack, watch: Stopwatch) -> None:
    """Time SQL, commits, template renders, AWS calls and collections into watch."""
    import gc

    import botocore.client
    from django.db import DEFAULT_DB_ALIAS, connection, connections
    from django.template.backends import django as django_backend

    def sql(execute, sql, params, many, context):
        watch.queries += 1
        with watch.timing("sql"):
            return execute(sql, params, many, context)

    stack.enter_context(connection.execute_wrapper(sql))
    for owner, name, kind in (
        # The backend's own class: django.db.connection is only a proxy.
        (type(connections[DEFAULT_DB_ALIAS]), "commit", "commit"),
        (django_backend.Template, "render", "render"),
        (botocore.client.BaseClient, "_make_api_call", "aws"),
    ):
        original = getattr(owner, name)

        def timed(*args, _original=original, _kind=kind, **kwargs):
            with watch.timing(_kind):
                return _original(*args, **kwargs)

        stack.enter_context(mock.patch.object(owner, name, timed))

    def collecting(phase, info):
        if phase == "start":
            watch.start("gc")
        else:
            watch.stop()

    gc.callbacks.append(collecting)
    stack.callback(gc.callbacks.remove, collecting)


def time_functions(stack: ExitStack, watch: Stopwatch, specs: list[str]) -> None:
    """Time each "module:qualname" inclusively into watch.spent["fn:<spec>"]."""
    for spec in specs:
        module_name, _, qualname = spec.partition(":")
        *path, name = qualname.split(".")
        try:
            owner = importlib.import_module(module_name)
            for part in path:
                owner = getattr(owner, part)
            original = getattr(owner, name)
        except (ImportError, AttributeError, ValueError) as exc:
            raise SystemExit(f"--time {spec}: {exc}") from None
        if not callable(original):
            raise SystemExit(f"--time {spec}: not a function or method")

        def timed(*args, _original=original, _key=f"fn:{spec}", **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                watch.spent[_key] += time.perf_counter() - started

        stack.enter_context(mock.patch.object(owner, name, timed))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flows", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--pools", type=int, default=100)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument(
        "--time",
        action="append",
        default=[],
        metavar="MODULE:QUALNAME",
        help="also time this function or method in each step (repeatable)",
    )
    return parser.parse_args(argv)


def run_flows(*, client, watch: Stopwatch, args, endpoint_url: str) -> dict:
    """Time reference, review, create and detail args.flows times, and raw calls."""
    from django.urls import reverse

    from bench import design, flow, seed, web

    connection_id = seed.connection_id()
    tenant = {"tenant_slug": seed.TENANT_SLUG}
    reference = reverse("bench_ref", kwargs=tenant)
    review = reverse("pools:new", kwargs=tenant)
    form = "application/x-www-form-urlencoded"
    raw_client = flow.boto3_client(endpoint_url)
    raw_request = flow.emulator_request(connection_id=connection_id)
    figures = {step: [] for step in STEPS}
    raws = []

    def step(name, status, method, *args, **kwargs):
        watch.take()
        started = time.perf_counter()
        response = method(*args, **kwargs)
        total = time.perf_counter() - started
        spent, queries = watch.take()
        if response.status_code != status:
            raise RuntimeError(f"{name}: HTTP {response.status_code}")
        return response, {"total": total, "queries": queries, **spent}

    for n in range(-args.warmup, args.flows):
        name = f"profile-{n + args.warmup}"
        body = design.design_data(connection_id=connection_id, pool_name=name)
        row = {}
        # Twice: the first after a big page also collects its garbage.
        step("reference", 200, client.get, reference)
        _, row["reference"] = step("reference", 200, client.get, reference)
        page, row["review"] = step(
            "review", 200, client.post, review, body.urlencode(), content_type=form
        )
        action, fields = web.submit_form(page.content.decode(), "create-pool")
        created, row["create"] = step(
            "create", 302, client.post, action, fields, content_type=form
        )
        _, row["detail"] = step("detail", 200, client.get, created["Location"])
        raw = flow.raw_create(
            client=raw_client, request=raw_request, pool_name=f"raw-{name}"
        )
        if n >= 0:
            for key, value in row.items():
                figures[key].append(value)
            raws.append(raw)
    return {"steps": figures, "raw": raws}


def median_ms(rows: list[dict], key: str) -> float:
    return statistics.median(row.get(key, 0.0) for row in rows) * 1000


def print_report(result: dict, *, args, vendor: str) -> None:
    steps = result["steps"]
    print(
        f"\nCreate flow in-process on {vendor}, median of {args.flows} "
        f"(P={args.pools}, E={args.events}); ms, exclusive by kind"
    )
    header = (
        f"{'step':<10} {'total':>7} {'SQL n':>6} {'SQL':>6} {'commit':>7} "
        f"{'render':>7} {'AWS':>7} {'GC':>6} {'other':>7}"
    )
    print(header)
    print("-" * len(header))
    for name in STEPS:
        rows = steps[name]
        total = median_ms(rows, "total")
        kinds = {kind: median_ms(rows, kind) for kind in KINDS}
        other = statistics.median(
            row["total"] - sum(row.get(kind, 0.0) for kind in KINDS) for row in rows
        )
        queries = statistics.median(row["queries"] for row in rows)
        print(
            f"{name:<10} {total:7.2f} {queries:6.0f} {kinds['sql']:6.2f} "
            f"{kinds['commit']:7.2f} {kinds['render']:7.2f} {kinds['aws']:7.2f} "
            f"{kinds['gc']:6.2f} {other * 1000:7.2f}"
        )
    if args.time:
        print(
            f"\n{'inclusive medians of --time, ms':<55}"
            + "".join(f"{name:>10}" for name in STEPS)
        )
        for spec in args.time:
            key = f"fn:{spec}"
            print(
                f"{spec[-55:]:<55}"
                + "".join(f"{median_ms(steps[name], key):10.2f}" for name in STEPS)
            )
    flows = [
        sum(steps[name][i]["total"] for name in ("review", "create", "detail"))
        for i in range(args.flows)
    ]
    flow_ms = statistics.median(flows) * 1000
    raw_ms = statistics.median(result["raw"]) * 1000
    print(
        f"\nflow (review + create + detail) {flow_ms:.1f} ms; raw boto3 "
        f"create_user_pool {raw_ms:.1f} ms; overhead {flow_ms - raw_ms:.1f} ms, "
        f"ratio {flow_ms / raw_ms:.2f} (in-process: no HTTP, no gunicorn)"
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench import run

    workdir = Path(tempfile.mkdtemp(prefix="poolconsole-flow-"))
    moto_port = run.free_port()
    endpoint_url = f"http://{run.HOST}:{moto_port}"
    env = run.bench_environment(workdir, endpoint_url=endpoint_url)
    run.collectstatic(env)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bench import flow, seed

    moto = flow.start_moto(port=moto_port, log_path=workdir / "moto.log")
    try:
        run.seed_scale(pools=args.pools, events=args.events, endpoint_url=endpoint_url)
        client = Client()
        client.force_login(get_user_model().objects.get(username=seed.USERNAME))
        watch = Stopwatch()
        with ExitStack() as stack:
            instrument(stack, watch)
            time_functions(stack, watch, args.time)
            result = run_flows(
                client=client, watch=watch, args=args, endpoint_url=endpoint_url
            )
    finally:
        run.stop_server(*moto)
    print_report(result, args=args, vendor=connection.vendor)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
