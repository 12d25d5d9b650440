"""Time each request inside gunicorn's worker, for the benchmark only.

``bench.settings`` puts ``server_timing`` first in the middleware, so it
times everything Django does for a request (not gunicorn's HTTP parsing,
nor the client's), and the part of it spent in botocore's API calls (the AWS
call of the create POST, the emulator's time included). Both go out in a
``Server-Timing`` header (``app;dur=12.3, aws;dur=85.0``), which the create
flow reads (``web.server_timing``, bench/flow.py) to split each step between
the client and HTTP, poolconsole, and AWS.
"""

import threading
import time

import botocore.client

_local = threading.local()
_make_api_call = botocore.client.BaseClient._make_api_call


def _timed_api_call(self, *args, **kwargs):
    started = time.perf_counter()
    try:
        return _make_api_call(self, *args, **kwargs)
    finally:
        if hasattr(_local, "aws"):
            _local.aws += time.perf_counter() - started


botocore.client.BaseClient._make_api_call = _timed_api_call


def server_timing(get_response):
    def middleware(request):
        _local.aws = 0.0
        started = time.perf_counter()
        response = get_response(request)
        app_ms = (time.perf_counter() - started) * 1000
        aws_ms = _local.aws * 1000
        del _local.aws
        response["Server-Timing"] = f"app;dur={app_ms:.2f}, aws;dur={aws_ms:.2f}"
        return response

    return middleware
