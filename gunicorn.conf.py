"""gunicorn's settings for poolconsole: read from the working directory, or
passed with ``gunicorn -c gunicorn.conf.py``. Command-line flags win.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A sync worker busy past the timeout is killed mid-response. The streamed
# audit export of a million events takes 20 s on a fast machine and 36-44 s
# on a slow one (make bench), past gunicorn's 30 s default, so allow more; a
# stuck worker still dies.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))


def post_fork(server, worker):
    """Collect garbage less often in each worker.

    Python's collector starts after every 700 net allocations; one design
    review allocates far more, so it ran dozens of times a request: 0.3 ms
    of the review POST and 0.15 ms of the pool page (issue 7, make bench).
    At 50,000 it runs a few times a request, and keeps at most that many
    young objects waiting.
    """
    gc.set_threshold(50_000, 20, 20)
