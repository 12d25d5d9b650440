"""Measure poolconsole's pages under load: `make bench`.

Seed a benchmark database, serve it with gunicorn, load each page with wrk
from a logged-in session, count each page's SQL queries in-process, time
the create flow against moto's server, repeat the list and history pages
at smaller scales, and print the tables and issue 7's targets (also written
to bench/results.json).
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from bench.targets import FLOW_RATIO, flow_budget_ms  # noqa: E402
from bench.web import (  # noqa: E402
    HOST,
    Session,
    http_get,
    login,
    request,
    stop_server,
)

POST_SCRIPT = BENCH_DIR / "post.lua"
# The pages the scaling series loads, by key (see bench/pages.py).
SERIES_PAGES = ("pool_list", "history", "history_cursor")
DEFAULT_SQLITE = BENCH_DIR / "bench.sqlite3"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pools", type=int, default=10_000, help="P (10000)")
    parser.add_argument("--events", type=int, default=1_000_000, help="E (1000000)")
    parser.add_argument("--runs", type=int, default=3, help="wrk runs a page (3)")
    parser.add_argument("--duration", type=int, default=10, help="s a wrk run (10)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--cursor-hops", type=int, default=1000, help="'older' clicks, at most"
    )
    parser.add_argument(
        "--series",
        default="100:1000,1000:100000",
        help="P:E scales before the main run ('' for none)",
    )
    parser.add_argument(
        "--series-duration", type=int, default=5, help="s a series wrk run (5)"
    )
    parser.add_argument("--flows", type=int, default=101, help="create flows (101)")
    parser.add_argument("--output", default=str(BENCH_DIR / "results.json"))
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if a target was not measured (make bench-smoke)",
    )
    args = parser.parse_args(argv)
    args.series = parse_series(args.series)
    return args


def parse_series(text: str) -> list[tuple[int, int]]:
    """Return the P:E pairs of text (``100:1000,1000:100000``)."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        pools, _, events = item.partition(":")
        pairs.append((int(pools), int(events)))
    return pairs


# Database -------------------------------------------------------------------


def prepare_database() -> None:
    """Start from an empty benchmark database."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{DEFAULT_SQLITE}{suffix}").unlink(missing_ok=True)
        return
    from django.db import connection

    name = connection.settings_dict["NAME"] or ""
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        return
    # The benchmark empties its database: never one that is not its own.
    if "bench" not in str(name):
        sys.exit(
            f"DATABASE_URL names database {name!r}: the benchmark empties its "
            "database, so its name must contain 'bench'."
        )
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


# Server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def collectstatic(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=REPO,
        env=env,
        check=True,
    )


def start_gunicorn(*, port: int, workers: int, env: dict, log_path: Path):
    log = open(log_path, "w")  # noqa: SIM115 - closed in stop_server
    proc = subprocess.Popen(
        [
            str(GUNICORN),
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--chdir",
            str(REPO),
            "--error-logfile",
            "-",
            "poolconsole.wsgi:application",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {log_path}")
        try:
            status, _, _ = http_get(port, "/accounts/login/")
            if status == 200:
                return proc, log
        except OSError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"gunicorn did not answer in 30 s: see {log_path}")


# Memory ---------------------------------------------------------------------


def worker_pids(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()]


def memory_mb(pid: int, field: str) -> float:
    """Return /proc/<pid>/status's field (VmRSS, or VmHWM: the peak) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def reset_peak(pid: int) -> bool:
    """Reset the peak RSS of pid (Linux 4.0+), so VmHWM measures from now."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure_export(*, port: int, path: str, cookie: str, master_pid: int) -> dict:
    """Stream the CSV export once, and return how much a worker's RSS grew."""
    pids = worker_pids(master_pid)
    before = {pid: memory_mb(pid, "VmRSS") for pid in pids}
    reset = all(reset_peak(pid) for pid in pids)
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    size, error = 0, ""
    try:
        while chunk := response.read(1 << 16):
            size += len(chunk)
    except (http.client.HTTPException, OSError) as exc:
        # gunicorn kills a sync worker that is busy past its timeout (that of
        # gunicorn.conf.py, else 30 s), which cuts a long export off.
        error = f"cut off after {size} bytes: {type(exc).__name__}"
        size += len(getattr(exc, "partial", b""))
    conn.close()
    seconds = time.perf_counter() - started
    # A worker gunicorn killed (timeout) has no peak left to read.
    peak = {
        pid: memory_mb(pid, "VmHWM") for pid in pids if Path(f"/proc/{pid}").exists()
    }
    return {
        "status": response.status,
        "error": error,
        "bytes": size,
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_rss_mb": peak,
        # Without a reset, the peak may predate the export: an upper bound.
        "peak_reset": reset,
        # A cut-off export's worker is gone: the others' growth means nothing.
        "growth_mb": None
        if error
        else max((peak[pid] - before[pid] for pid in peak), default=None),
    }


# wrk ------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(number) * UNITS_MS[unit]


def run_wrk(
    *, url: str, cookie: str, duration: int, connections: int, body_file=None
) -> dict:
    """Load url with wrk; a body_file makes it a POST of that body."""
    script = ["-s", str(POST_SCRIPT)] if body_file else []
    result = subprocess.run(
        [
            "wrk",
            *script,
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            # A slow page must be measured, not dropped at wrk's 2 s default.
            "--timeout",
            "60s",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_POST_BODY": str(body_file or "")},
    )
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "requests": requests,
        "non_2xx_3xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


# Serving and loading ----------------------------------------------------------


def bench_environment(workdir: Path, *, endpoint_url: str) -> dict:
    """Set up this process's environment and return gunicorn's.

    endpoint_url is moto's server, the one custom endpoint the seeded
    connection may use (production settings list none).
    """
    from cryptography.fernet import Fernet

    os.environ["BENCH_STATIC_ROOT"] = str(workdir / "static")
    # The seeded connection's access keys are encrypted with a throwaway key
    # that this process (it seeds) and gunicorn's workers (they decrypt) share.
    os.environ["POOLCONSOLE_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    os.environ["POOLCONSOLE_ENDPOINT_URLS"] = endpoint_url
    env = {**os.environ}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), env.get("PYTHONPATH")])
    )
    return env


def fetch(port: int, page: dict, session: Session):
    """Request page once over HTTP; return (status, headers, body)."""
    from bench.pages import page_body

    body = page_body(page, session.csrf_token)
    return request(port, page["method"], page["path"], cookie=session.cookie, body=body)


@contextmanager
def serving(*, args, env: dict, log_path: Path, pages: list[dict]):
    """Serve the database with gunicorn; yield (process, port, sessions).

    Every page is checked (HTTP 200, showing what it must) before the load.
    """
    from bench import seed
    from bench.pages import check_content

    port = free_port()
    proc, log = start_gunicorn(
        port=port, workers=args.workers, env=env, log_path=log_path
    )
    try:
        sessions = {
            "member": login(port, seed.USERNAME, seed.PASSWORD),
            "superuser": login(port, seed.SUPERUSER, seed.PASSWORD),
        }
        for page in pages:
            status, _, content = fetch(port, page, sessions[page["as"]])
            check_content(page, status, content)
        yield proc, port, sessions
    finally:
        stop_server(proc, log)


def load_pages(pages, *, port, sessions, args, duration: int, workdir: Path) -> None:
    """Load each page with wrk args.runs times; add the runs and medians."""
    from bench.pages import page_body

    body_files = {}
    for page in pages:
        body = page_body(page, sessions[page["as"]].csrf_token)
        if body is not None:
            body_files[page["key"]] = workdir / f"{page['key']}.body"
            body_files[page["key"]].write_text(body)
    for run in range(args.runs):
        print(f"  wrk run {run + 1}/{args.runs} ...")
        for page in pages:
            session = sessions[page["as"]]
            # Wait out the previous page's backlog (sync workers keep
            # serving queued requests after wrk stops) and warm up.
            for _ in range(args.workers):
                fetch(port, page, session)
            page.setdefault("runs", []).append(
                run_wrk(
                    url=f"http://{HOST}:{port}{page['path']}",
                    cookie=session.cookie,
                    duration=duration,
                    connections=args.connections,
                    body_file=body_files.get(page["key"]),
                )
            )
    for page in pages:
        for key in ("rps", "p50_ms", "p99_ms"):
            page[key] = statistics.median(run[key] for run in page["runs"])
        page["ok"] = not any(
            run["non_2xx_3xx"] or run["socket_errors"] or not run["requests"]
            for run in page["runs"]
        )


def cpu_times() -> tuple[int, int]:
    """Return (busy, total) jiffies of all cores since boot (/proc/stat)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    total = sum(fields[:8])  # guest time is already in user time
    return total - idle, total


def cpu_busy(seconds: float) -> float:
    """Return the share of all cores' time spent busy over seconds."""
    busy, total = cpu_times()
    time.sleep(seconds)
    busy_after, total_after = cpu_times()
    return (busy_after - busy) / max(1, total_after - total)


def wait_for_quiet_cpu(*, threshold=0.10, patience=60) -> dict:
    """Wait until the cores are idle before the load; warn if they never are.

    gunicorn and this process are idle while it samples, so what is busy is
    the rest of the machine: a neighbour, or the database still digesting
    the seed (PostgreSQL's autovacuum). The load average is not used to
    decide: it lags by a minute, so it stays high after the seed itself.
    """
    started = time.monotonic()
    busy = cpu_busy(1.0)
    while busy > threshold and time.monotonic() - started < patience:
        busy = cpu_busy(1.0)
    waited = time.monotonic() - started - 1.0
    if waited >= 1:
        print(f"Waited {waited:.0f} s for the CPU to be idle before the load.")
    if busy > threshold:
        print(
            f"Warning: the CPU was {busy:.0%} busy before the load: other "
            "processes share the cores, so the figures are low."
        )
    return {"cpu_busy": busy, "waited_s": waited}


def measure_memory(*, port: int, proc, session: Session) -> dict:
    """Return the workers' peak RSS after the load, then the export's growth."""
    from bench import seed

    memory = {
        "worker_peak_rss_mb": {
            pid: memory_mb(pid, "VmHWM") for pid in worker_pids(proc.pid)
        }
    }
    print("Streaming the CSV export of every event ...")
    memory["csv_export"] = measure_export(
        port=port,
        path=f"/t/{seed.TENANT_SLUG}/audit/export.csv",
        cookie=session.cookie,
        master_pid=proc.pid,
    )
    return memory


# Scales -----------------------------------------------------------------------


def seed_scale(*, pools: int, events: int, endpoint_url: str) -> dict:
    """Seed a fresh database; point its connection at the emulator."""
    from django.db import connection

    from bench import flow, seed

    print(f"Seeding P={pools} pools, E={events} events ...")
    prepare_database()
    connection.close()
    timings = seed.seed(pools=pools, events=events)
    seed.connection_to_emulator(
        endpoint_url=endpoint_url, access_keys=flow.EMULATOR_KEYS
    )
    connection.close()
    print(f"Seeded in {timings['total_s']:.1f} s ({connection.vendor}).")
    return timings


def counted_pages(args, events: int) -> tuple[list[dict], dict]:
    from django.db import connection

    from bench.pages import build_pages

    pages, facts = build_pages(hops_wanted=args.cursor_hops, events=events)
    connection.close()
    return pages, facts


def series_entry(*, pools: int, events: int, pages: list[dict], **facts) -> dict:
    """Return one scale of the series: each page's queries, req/s and p50."""
    fields = ("page", "queries", "rps", "p50_ms")
    return {
        "pools": pools,
        "events": events,
        **facts,
        "pages": {p["key"]: {f: p[f] for f in fields if f in p} for p in pages},
    }


def measure_series_scale(*, args, env, workdir, pools, events, endpoint_url) -> dict:
    """Reseed at P/E, count every page's queries, load the series pages."""
    seed_timings = seed_scale(pools=pools, events=events, endpoint_url=endpoint_url)
    pages, facts = counted_pages(args, events)
    loaded = [page for page in pages if page["key"] in SERIES_PAGES]
    log_path = workdir / f"gunicorn-{pools}-{events}.log"
    with serving(args=args, env=env, log_path=log_path, pages=loaded) as served:
        _, port, sessions = served
        load_pages(
            loaded,
            port=port,
            sessions=sessions,
            args=args,
            duration=args.series_duration,
            workdir=workdir,
        )
    return series_entry(
        pools=pools, events=events, pages=pages, seed=seed_timings, **facts
    )


def main_run(*, args, env, workdir: Path, endpoint_url: str) -> dict:
    """Measure every page at P/E, the memory, and the create flows."""
    from bench import flow

    seed_timings = seed_scale(
        pools=args.pools, events=args.events, endpoint_url=endpoint_url
    )
    pages, facts = counted_pages(args, args.events)
    log_path = workdir / "gunicorn.log"
    with serving(args=args, env=env, log_path=log_path, pages=pages) as served:
        proc, port, sessions = served
        cpu_before = wait_for_quiet_cpu()
        load_before = os.getloadavg()
        load_pages(
            pages,
            port=port,
            sessions=sessions,
            args=args,
            duration=args.duration,
            workdir=workdir,
        )
        load_after = os.getloadavg()
        memory = measure_memory(port=port, proc=proc, session=sessions["member"])
        print(f"Timing {args.flows} create flows and raw boto3 calls ...")
        flows = flow.measure_flows(
            port=port,
            session=sessions["member"],
            endpoint_url=endpoint_url,
            count=args.flows,
            warmup=args.workers * 2,
        )
    memory["worker_timeouts"] = log_path.read_text().count("WORKER TIMEOUT")
    reference = pages[0]["rps"]
    for page in pages:
        page["ratio"] = page["rps"] / reference if reference else 0.0
    return {
        "seed": seed_timings,
        "facts": facts,
        "pages": pages,
        "memory": memory,
        "flows": flows,
        "load_average": {"before": load_before, "after": load_after},
        "cpu_before_load": cpu_before,
    }


# Report -----------------------------------------------------------------------


def print_table(pages: list[dict]) -> None:
    columns = ("req/s", "p50 ms", "p99 ms")
    header = f"{'page':<32} " + " ".join(f"{c:>8}" for c in columns)
    header += f" {'ratio':>6} {'SQL':>4}"
    print(header)
    print("-" * len(header))
    for page in pages:
        flag = "" if page["ok"] else "  (errors or timeouts: see results.json)"
        print(
            f"{page['page']:<32} {page['rps']:>8.1f} {page['p50_ms']:>8.2f} "
            f"{page['p99_ms']:>8.2f} {page['ratio']:>6.2f} {page['queries']:>4}{flag}"
        )


def print_series(series: list[dict], args) -> None:
    print(
        f"\nScaling series: median of {args.runs} wrk run(s) of "
        f"{args.series_duration} s a page; the last scale is the main run "
        f"above ({args.duration} s runs)"
    )
    header = f"{'P/E':<16} {'page':<32} {'req/s':>8} {'p50 ms':>8} {'SQL':>4}"
    print(header)
    print("-" * len(header))
    for scale in series:
        label = f"{scale['pools']}/{scale['events']}"
        for key in SERIES_PAGES:
            page = scale["pages"][key]
            print(
                f"{label:<16} {page['page']:<32} {page['rps']:>8.1f} "
                f"{page['p50_ms']:>8.2f} {page['queries']:>4}"
            )
    labels = [f"{scale['pools']}/{scale['events']}" for scale in series]
    print("\nSQL queries of every page, by scale (P/E):")
    print(f"{'page':<32} " + " ".join(f"{label:>14}" for label in labels))
    for key, page in series[-1]["pages"].items():
        counts = [scale["pages"][key]["queries"] for scale in series]
        print(f"{page['page']:<32} " + " ".join(f"{n:>14}" for n in counts))


def print_flows(flows: dict) -> None:
    print(
        f"\nCreate flow end to end (review POST, create POST, pool detail), "
        f"median of {flows['count']}: {flows['flow_median_ms']:.1f} ms; "
        f"raw boto3 create_user_pool: {flows['raw_boto3_median_ms']:.1f} ms; "
        f"ratio {flows['ratio']:.2f}"
    )
    if "ratio_interval_90" in flows:
        low, high = flows["ratio_interval_90"]
        print(
            f"  90% interval of that ratio, resampling the rounds: {low:.2f} "
            f"to {high:.2f} (a target inside it is within moto's noise)"
        )
    print(
        f"  steps (medians): review {flows['review_median_ms']:.1f} ms, "
        f"create {flows['create_median_ms']:.1f} ms, "
        f"detail {flows['detail_median_ms']:.1f} ms"
    )
    print(
        f"  Django's floor: the bare reference view takes "
        f"{flows['reference_median_ms']:.1f} ms with the same client, so three "
        f"requests of nothing around the raw call would take "
        f"{flows['floor_ms']:.1f} ms, ratio {flows['floor_ratio']:.2f}"
    )
    inside = flows.get("inside_median_ms")
    if inside:
        print(
            "  inside gunicorn's worker (Server-Timing, medians): review "
            f"{inside['review_app']:.1f} ms, create {inside['create_app']:.1f} ms "
            f"of which AWS {inside['create_aws']:.1f} ms, detail "
            f"{inside['detail_app']:.1f} ms; the reference view "
            f"{inside['reference_app']:.1f} ms"
        )
    if "overhead_median_ms" in flows:
        print(
            "  each flow less its own AWS call (median): "
            f"{flows['overhead_median_ms']:.1f} ms; added to the raw call's "
            f"median, ratio {flows['overhead_ratio']:.2f} (moto's call takes "
            "80 to 300+ ms at random, an RSA key per pool: this moves less "
            "from run to run than the ratio of medians, which is the target's)"
        )
        budget = flow_budget_ms(flows)
        over = flows["overhead_median_ms"] - budget
        print(
            f"  at the target ({FLOW_RATIO:g} x the raw call's median) a flow may "
            f"spend {budget:.1f} ms around its AWS call: this run's flows spend "
            f"{abs(over):.1f} ms {'more' if over > 0 else 'less'}"
        )


def print_memory(memory: dict, events: int) -> None:
    export = memory["csv_export"]
    print(
        "\nPeak RSS of a gunicorn worker during the load: "
        f"{max(memory['worker_peak_rss_mb'].values()):.0f} MB"
    )
    print(
        f"CSV export of {events} events: HTTP {export['status']}, "
        f"{export['bytes'] / 1e6:.1f} MB in {export['seconds']:.1f} s; "
        + (
            f"worker RSS grew by {export['growth_mb']:.1f} MB at its peak"
            if export["growth_mb"] is not None
            else "its worker's RSS was not measured"
        )
        + ("" if export["peak_reset"] else " (peak not reset: an upper bound)")
    )
    if export["error"]:
        print(f"  The export did not finish: {export['error']}.")
    if memory["worker_timeouts"]:
        print(
            f"  gunicorn logged {memory['worker_timeouts']} WORKER TIMEOUT(s) "
            "(a sync worker busy past gunicorn's timeout is killed)."
        )


def python_executable() -> str:
    """Return the interpreter .venv was made from (not the venv's link to it)."""
    return os.path.realpath(getattr(sys, "_base_executable", sys.executable))


def versions(env: dict) -> dict:
    import django
    from django.db import connection

    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, env=env)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return ""

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("select version()")
        db_version = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        # Which build: Debian's optimized one or another (bench/README.md).
        "python_executable": python_executable(),
        "django": django.get_version(),
        "db_vendor": connection.vendor,
        "db_version": db_version,
        "gunicorn": first_line([str(GUNICORN), "--version"]),
        "wrk": first_line(["wrk", "--version"]),
        "moto": metadata.version("moto"),
        "boto3": metadata.version("boto3"),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    # Static files first: the in-process requests render {% static %} too.
    workdir = Path(tempfile.mkdtemp(prefix="poolconsole-bench-"))
    moto_port = free_port()
    endpoint_url = f"http://{HOST}:{moto_port}"
    env = bench_environment(workdir, endpoint_url=endpoint_url)
    collectstatic(env)

    import django

    django.setup()
    from django.db import connection

    from bench import flow
    from bench.targets import evaluate, not_measured, print_targets

    moto = flow.start_moto(port=moto_port, log_path=workdir / "moto.log")
    try:
        series = [
            measure_series_scale(
                args=args,
                env=env,
                workdir=workdir,
                pools=pools,
                events=events,
                endpoint_url=endpoint_url,
            )
            for pools, events in args.series
        ]
        run = main_run(args=args, env=env, workdir=workdir, endpoint_url=endpoint_url)
    finally:
        stop_server(*moto)
    pages = run["pages"]
    series.append(series_entry(pools=args.pools, events=args.events, pages=pages))
    targets = evaluate(
        pages=pages, series=series, flows=run["flows"], memory=run["memory"]
    )

    machine = versions(env)
    print()
    print(
        f"poolconsole at P={args.pools}, E={args.events} on {connection.vendor}: "
        f"median of {args.runs} wrk run(s) of {args.duration} s, "
        f"{args.connections} connections, {args.workers} gunicorn workers, "
        f"Python {machine['python']} ({machine['python_executable']})"
    )
    print_table(pages)
    if len(series) > 1:
        print_series(series, args)
    print_flows(run["flows"])
    print_memory(run["memory"], args.events)
    print_targets(targets)

    results = {
        "machine": machine,
        "parameters": {
            "pools": args.pools,
            "events": args.events,
            "runs": args.runs,
            "duration_s": args.duration,
            "connections": args.connections,
            "workers": args.workers,
            "series": args.series,
            "series_duration_s": args.series_duration,
            "flows": args.flows,
            **run["facts"],
        },
        "load_average": run["load_average"],
        "cpu_before_load": run["cpu_before_load"],
        "seed": run["seed"],
        "memory": run["memory"],
        "pages": pages,
        "series": series,
        "create_flow": run["flows"],
        "targets": targets,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWrote {args.output}")
    shutil.rmtree(workdir, ignore_errors=True)
    missing = not_measured(targets)
    if args.check and missing:
        print("Not measured: " + "; ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
