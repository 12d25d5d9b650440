"""Measure poolconsole's pages under load: `make bench`.

Seed a benchmark database, serve it with gunicorn, load each page with wrk
from a logged-in session, count each page's SQL queries in-process, and
print one table (also written to bench/results.json).
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
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
DEFAULT_SQLITE = BENCH_DIR / "bench.sqlite3"
HOST = "127.0.0.1"
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
    parser.add_argument("--output", default=str(BENCH_DIR / "results.json"))
    return parser.parse_args(argv)


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
    log = open(log_path, "w")  # noqa: SIM115 - closed in stop_gunicorn
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


def stop_gunicorn(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


# HTTP -----------------------------------------------------------------------


def http_get(port, path, cookie=""):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.headers, body


def login(port: int, username: str, password: str) -> str:
    """Log in like a browser and return the Cookie header of the session."""
    status, headers, body = http_get(port, "/accounts/login/")
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    token = jar["csrftoken"].value
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
        },
    )
    response = conn.getresponse()
    response.read()
    for value in response.headers.get_all("Set-Cookie") or []:
        jar.load(value)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login of {username} failed: HTTP {response.status}")
    return f"sessionid={jar['sessionid'].value}; csrftoken={token}"


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
        # gunicorn kills a sync worker that is busy past its --timeout (30 s
        # by default), which cuts a long export off mid-stream.
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


def run_wrk(*, url: str, cookie: str, duration: int, connections: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
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


# Pages ----------------------------------------------------------------------


def build_pages(*, hops_wanted: int, events: int) -> tuple[list[dict], dict]:
    """Return the pages to load, with each one's SQL query count.

    Counting runs Django's test client in this process against the same
    database: one warm-up request, then one under CaptureQueriesContext.
    """
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from bench import seed
    from poolconsole.audit.models import AuditEvent
    from poolconsole.audit.selectors import PAGE_SIZE as AUDIT_PAGE_SIZE
    from poolconsole.provisioning.models import UserPool
    from poolconsole.provisioning.views import PAGE_SIZE as POOL_PAGE_SIZE

    slug = seed.TENANT_SLUG
    with scopes_disabled():
        pool_count = UserPool.objects.count()
        pool = UserPool.objects.order_by("id")[pool_count // 2]
        event_count = AuditEvent.objects.count()
        event_id = AuditEvent.objects.order_by("id").values_list("id", flat=True)[
            event_count // 2
        ]

    User = get_user_model()
    member = Client()
    member.force_login(User.objects.get(username=seed.USERNAME))
    admin = Client()
    admin.force_login(User.objects.get(username=seed.SUPERUSER))

    # Follow "older" from the first page, as a reader would.
    history = reverse("audit:list", kwargs={"tenant_slug": slug})
    pages_available = max(1, -(-events // AUDIT_PAGE_SIZE))
    hops = max(1, min(hops_wanted, pages_available // 2))
    cursor_url = history
    followed = 0
    print(f"Following 'Older' up to {hops} times ...")
    started = time.perf_counter()
    for _ in range(hops):
        body = member.get(cursor_url).content.decode()
        match = re.search(r'href="(\?[^"]*cursor=[^"]*)"[^>]*data-testid="older"', body)
        if not match:
            break
        cursor_url = history + match.group(1).replace("&amp;", "&")
        followed += 1
    follow_s = time.perf_counter() - started

    def url(name, query="", **kwargs):
        return reverse(name, kwargs={"tenant_slug": slug, **kwargs}) + query

    last_pool_page = max(1, -(-pool_count // POOL_PAGE_SIZE))
    pages = [
        {"page": "reference view", "path": url("bench_ref"), "as": "member"},
        {"page": "dashboard", "path": url("dashboard"), "as": "member"},
        {"page": "pool list", "path": url("provisioning:list"), "as": "member"},
        {
            "page": "pool list: search",
            "path": url("provisioning:list", "?q=partners"),
            "as": "member",
        },
        {
            "page": f"pool list: page {last_pool_page}",
            "path": url("provisioning:list", f"?page={last_pool_page}"),
            "as": "member",
        },
        {
            "page": "pool detail",
            "path": url("provisioning:detail", pool_id=pool.pk),
            "as": "member",
        },
        {"page": "create form (GET)", "path": url("pools:new"), "as": "member"},
        {"page": "audit history", "path": history, "as": "member"},
        {
            "page": "audit history: filtered",
            "path": history + "?action=pool.create.failed&actor=alice",
            "as": "member",
        },
        {
            "page": f"audit history: {followed} older",
            "path": cursor_url,
            "as": "member",
        },
        {
            "page": "audit event detail",
            "path": url("audit:detail", event_id=event_id),
            "as": "member",
        },
        {
            "page": "admin: AuditEvent changelist",
            "path": reverse("admin:audit_auditevent_changelist"),
            "as": "superuser",
        },
    ]
    for page in pages:
        client = member if page["as"] == "member" else admin
        client.get(page["path"])  # warm caches (content types, templates)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
        page["status"] = response.status_code
        page["queries"] = len(captured.captured_queries)
        if response.status_code != 200:
            raise RuntimeError(f"{page['page']}: HTTP {response.status_code}")
    facts = {"cursor_hops": followed, "cursor_follow_s": follow_s}
    return pages, facts


# Report ---------------------------------------------------------------------


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


def versions(env: dict) -> dict:
    import django
    from django.db import connection

    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, env=env)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return ""

    db_version = ""
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
        "django": django.get_version(),
        "db_vendor": connection.vendor,
        "db_version": db_version,
        "gunicorn": first_line([str(GUNICORN), "--version"]),
        "wrk": first_line(["wrk", "--version"]),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    # Static files first: the in-process requests render {% static %} too.
    workdir = Path(tempfile.mkdtemp(prefix="poolconsole-bench-"))
    os.environ["BENCH_STATIC_ROOT"] = str(workdir / "static")
    env = {**os.environ}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), env.get("PYTHONPATH")])
    )
    collectstatic(env)

    import django

    django.setup()
    from django.db import connection

    from bench import seed

    print(f"Seeding P={args.pools} pools, E={args.events} events ...")
    prepare_database()
    connection.close()
    seed_timings = seed.seed(pools=args.pools, events=args.events)
    connection.close()
    print(f"Seeded in {seed_timings['total_s']:.1f} s ({connection.vendor}).")

    pages, page_facts = build_pages(hops_wanted=args.cursor_hops, events=args.events)
    connection.close()

    port = free_port()
    proc, log = start_gunicorn(
        port=port, workers=args.workers, env=env, log_path=workdir / "gunicorn.log"
    )
    try:
        cookies = {
            "member": login(port, seed.USERNAME, seed.PASSWORD),
            "superuser": login(port, seed.SUPERUSER, seed.PASSWORD),
        }
        for page in pages:
            status, _, _ = http_get(port, page["path"], cookies[page["as"]])
            if status != 200:
                raise RuntimeError(f"{page['page']}: HTTP {status} from gunicorn")
        load_before = os.getloadavg()
        if load_before[0] > 0.5:
            print(
                f"Warning: load average {load_before[0]:.2f} before the load: "
                "other processes share the CPU, so the figures are low."
            )
        for run in range(args.runs):
            print(f"Run {run + 1}/{args.runs} ...")
            for page in pages:
                # Wait out the previous page's backlog (sync workers keep
                # serving queued requests after wrk stops) and warm up.
                for _ in range(args.workers):
                    http_get(port, page["path"], cookies[page["as"]])
                page.setdefault("runs", []).append(
                    run_wrk(
                        url=f"http://{HOST}:{port}{page['path']}",
                        cookie=cookies[page["as"]],
                        duration=args.duration,
                        connections=args.connections,
                    )
                )
        memory = {
            "worker_peak_rss_mb": {
                pid: memory_mb(pid, "VmHWM") for pid in worker_pids(proc.pid)
            }
        }
        print("Streaming the CSV export of every event ...")
        memory["csv_export"] = measure_export(
            port=port,
            path=f"/t/{seed.TENANT_SLUG}/audit/export.csv",
            cookie=cookies["member"],
            master_pid=proc.pid,
        )
    finally:
        stop_gunicorn(proc, log)
    gunicorn_log = (workdir / "gunicorn.log").read_text()
    memory["worker_timeouts"] = gunicorn_log.count("WORKER TIMEOUT")

    for page in pages:
        for key in ("rps", "p50_ms", "p99_ms"):
            page[key] = statistics.median(run[key] for run in page["runs"])
        page["ok"] = not any(
            run["non_2xx_3xx"] or run["socket_errors"] or not run["requests"]
            for run in page["runs"]
        )
    reference = pages[0]["rps"]
    for page in pages:
        page["ratio"] = page["rps"] / reference if reference else 0.0

    print()
    print(
        f"poolconsole at P={args.pools}, E={args.events} on {connection.vendor}: "
        f"median of {args.runs} wrk run(s) of {args.duration} s, "
        f"{args.connections} connections, {args.workers} gunicorn workers"
    )
    print_table(pages)

    results = {
        "machine": versions(env),
        "parameters": {
            "pools": args.pools,
            "events": args.events,
            "runs": args.runs,
            "duration_s": args.duration,
            "connections": args.connections,
            "workers": args.workers,
            **page_facts,
        },
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "seed": seed_timings,
        "memory": memory,
        "pages": pages,
        "not_yet_measured": [
            "review POST",
            "create flow end to end vs raw boto3 create_user_pool",
            "scaling series",
            "plain {{ form }} reference and PASS/MISS targets",
        ],
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    export = memory["csv_export"]
    print(
        "\nPeak RSS of a gunicorn worker during the load: "
        f"{max(memory['worker_peak_rss_mb'].values()):.0f} MB"
    )
    print(
        f"CSV export of {args.events} events: HTTP {export['status']}, "
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
            "(sync workers are killed after 30 s by default)."
        )
    print(f"\nWrote {args.output}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
