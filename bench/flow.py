"""Time the create flow end to end against moto's server, and raw boto3.

A flow is what a user does: post the design for the review page, click
"Create user pool" (the review form's hidden fields, its idempotency key
among them, posted to ``provisioning:create``), follow the redirect to the
pool's detail page. The raw call is boto3's ``create_user_pool`` of the same
request (poolconsole's request builder, tagged like ``pool_create`` tags it)
to the same emulator, in the same run.
"""

import random
import statistics
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

from bench import design, web

EMULATOR_REGION = "us-east-1"
# moto's server accepts any key pair.
EMULATOR_KEYS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
MOTO_SERVER = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "moto_server"


def start_moto(*, port: int, log_path: Path):
    """Start moto's server on 127.0.0.1:port (as scripts/run-dev.sh does)."""
    log = open(log_path, "w")  # noqa: SIM115 - closed in web.stop_server
    proc = subprocess.Popen(
        [str(MOTO_SERVER), "-H", web.HOST, "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{web.HOST}:{port}/moto-api/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto_server exited: see {log_path}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return proc, log
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"moto_server did not answer in 30 s: see {log_path}")


def one_flow(*, port: int, session: web.Session, review_path: str, body: str):
    """Run one flow over HTTP; return (seconds of each step, detail path, page).

    The steps' ``inside`` holds what each response's Server-Timing header
    says of the time inside gunicorn's worker: ``app`` (all of Django) and
    ``aws`` (botocore's calls), in ms.
    """
    steps = {}
    started = time.perf_counter()
    status, headers, page = web.request(
        port, "POST", review_path, cookie=session.cookie, body=body
    )
    steps["review"] = time.perf_counter() - started
    # Inside the worker, from its Server-Timing header (bench/timing.py), ms.
    inside = {"review": web.server_timing(headers)}
    # Reading the page is the client's work (2 ms of Python's HTMLParser
    # here, a browser's is negligible): kept off the clock.
    if status != 200 or design.REVIEW_MARKER not in page.decode():
        raise RuntimeError(f"review POST: HTTP {status}, not the review page")
    action, fields = web.submit_form(page.decode(), "create-pool")
    started = time.perf_counter()
    status, headers, _ = web.request(
        port, "POST", action, cookie=session.cookie, body=fields
    )
    if status != 302:
        raise RuntimeError(f"create POST: HTTP {status}")
    location = headers["Location"]
    # A browser keeps the cookies a response sets: the "Created" message.
    cookie = web.with_cookies(session.cookie, headers)
    steps["create"] = time.perf_counter() - started
    inside["create"] = web.server_timing(headers)
    started = time.perf_counter()
    status, headers, detail = web.http_get(port, location, cookie)
    steps["detail"] = time.perf_counter() - started
    inside["detail"] = web.server_timing(headers)
    if status != 200:
        raise RuntimeError(f"pool detail {location}: HTTP {status}")
    steps["total"] = steps["review"] + steps["create"] + steps["detail"]
    steps["inside"] = inside
    return steps, location, detail.decode()


def check_created(*, pool_name: str, location: str, page: str) -> None:
    """Check the create led to the new pool's page, showing its Cognito id."""
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from bench import seed
    from poolconsole.provisioning.models import UserPool

    with scopes_disabled():
        pool = UserPool.objects.get(name=pool_name)
    detail = reverse(
        "provisioning:detail",
        kwargs={"tenant_slug": seed.TENANT_SLUG, "pool_id": pool.pk},
    )
    if location != detail or pool.pool_id not in page:
        raise RuntimeError(f"{pool_name}: {location} is not {detail} with its id")


def emulator_request(*, connection_id: int) -> dict:
    """Return the design's request as pool_create sends it, built by poolconsole."""
    from django_scopes import scopes_disabled

    from bench import seed
    from poolconsole.pools.forms import bind_design, design_is_valid
    from poolconsole.provisioning.services import tagged_request
    from poolconsole.tenants.models import Tenant

    with scopes_disabled():
        tenant = Tenant.objects.get(slug=seed.TENANT_SLUG)
        data = design.design_data(connection_id=connection_id)
        form, formset = bind_design(tenant=tenant, data=data)
        if not design_is_valid(form, formset):
            raise RuntimeError("the benchmark's design is not valid")
    return tagged_request(formset.request, uuid.uuid4())


def boto3_client(endpoint_url: str):
    import boto3

    return boto3.client(
        "cognito-idp",
        region_name=EMULATOR_REGION,
        endpoint_url=endpoint_url,
        **EMULATOR_KEYS,
    )


def raw_create(*, client, request: dict, pool_name: str) -> float:
    """Time one boto3 create_user_pool of request; return seconds."""
    started = time.perf_counter()
    client.create_user_pool(**{**request, "PoolName": pool_name})
    return time.perf_counter() - started


def ratio_interval(
    flows_ms: list[float],
    raws_ms: list[float],
    *,
    level: float = 0.9,
    resamples: int = 2000,
    seed: int = 0,
) -> tuple[float, float]:
    """Return the level interval of median(flows) / median(raws), bootstrapped.

    Rounds are resampled whole (a flow and the raw call that followed it),
    with a fixed seed: the same figures give the same interval. A run whose
    interval straddles the target could have passed or missed from one run
    to the next on moto's noise alone.
    """
    if len(flows_ms) != len(raws_ms) or not flows_ms:
        raise ValueError("need as many flows as raw calls, at least one")
    rng = random.Random(seed)
    count = len(flows_ms)
    ratios = []
    for _ in range(resamples):
        rounds = [rng.randrange(count) for _ in range(count)]
        ratios.append(
            statistics.median(flows_ms[i] for i in rounds)
            / statistics.median(raws_ms[i] for i in rounds)
        )
    ratios.sort()
    tail = (1 - level) / 2
    return ratios[int(tail * resamples)], ratios[int((1 - tail) * resamples) - 1]


def reference_get(*, port: int, session: web.Session, path: str):
    """Time one GET of the bare reference view; return (seconds, inside ms)."""
    started = time.perf_counter()
    status, headers, _ = web.http_get(port, path, session.cookie)
    elapsed = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"reference view {path}: HTTP {status}")
    return elapsed, web.server_timing(headers).get("app", 0.0)


def measure_flows(
    *, port: int, session: web.Session, endpoint_url: str, count: int, warmup: int
) -> dict:
    """Alternate count flows and count raw calls; return both medians.

    Each round also times the bare reference view once, with the same
    client: three such requests around the raw call are what any three-page
    flow costs in Django before its pages do anything (the ``floor``).
    """
    from django.urls import reverse

    from bench import seed

    connection_id = seed.connection_id()
    tenant = {"tenant_slug": seed.TENANT_SLUG}
    review_path = reverse("pools:new", kwargs=tenant)
    reference_path = reverse("bench_ref", kwargs=tenant)
    request = emulator_request(connection_id=connection_id)
    client = boto3_client(endpoint_url)
    flows, raws, references, references_inside = [], [], [], []
    for n in range(-warmup, count):
        name = f"bench-flow-{n + warmup}"
        body = design.design_body(
            connection_id=connection_id,
            csrf_token=session.csrf_token,
            pool_name=name,
        )
        steps, location, page = one_flow(
            port=port, session=session, review_path=review_path, body=body
        )
        check_created(pool_name=name, location=location, page=page)
        raw = raw_create(client=client, request=request, pool_name=f"raw-{name}")
        reference, reference_inside = reference_get(
            port=port, session=session, path=reference_path
        )
        if n >= 0:
            flows.append(steps)
            raws.append(raw)
            references.append(reference)
            references_inside.append(reference_inside)
    medians = {
        f"{step}_median_ms": statistics.median(f[step] for f in flows) * 1000
        for step in ("review", "create", "detail")
    }
    flows_ms = [f["total"] * 1000 for f in flows]
    raws_ms = [s * 1000 for s in raws]
    flow_ms = statistics.median(flows_ms)
    raw_ms = statistics.median(raws_ms)
    reference_ms = statistics.median(references) * 1000
    floor_ms = raw_ms + 3 * reference_ms
    inside = {
        f"{step}_{metric}": statistics.median(
            f["inside"][step].get(metric, 0.0) for f in flows
        )
        for step in ("review", "create", "detail")
        for metric in ("app", "aws")
    }
    inside["reference_app"] = statistics.median(references_inside)
    # moto makes an RSA key for each new pool: its call takes from 80 to over
    # 300 ms at random, and the median of a few dozen calls lands on one of
    # its modes or another from run to run. Each flow less its own AWS call
    # (botocore's, inside the worker) is poolconsole's time alone, without
    # that noise.
    overhead_ms = statistics.median(
        total - f["inside"]["create"].get("aws", 0.0)
        for total, f in zip(flows_ms, flows, strict=True)
    )
    return {
        "count": count,
        "warmup": warmup,
        "flow_ms": flows_ms,
        "raw_boto3_ms": raws_ms,
        "flow_median_ms": flow_ms,
        **medians,
        "raw_boto3_median_ms": raw_ms,
        "ratio": flow_ms / raw_ms,
        # How far moto's noise alone moves that ratio (see ratio_interval).
        "ratio_interval_90": list(ratio_interval(flows_ms, raws_ms)),
        "reference_median_ms": reference_ms,
        "floor_ms": floor_ms,
        "floor_ratio": floor_ms / raw_ms,
        # Medians, ms, of each step's time inside gunicorn's worker.
        "inside_median_ms": inside,
        "overhead_median_ms": overhead_ms,
        "overhead_ratio": (raw_ms + overhead_ms) / raw_ms,
    }
