"""gunicorn's settings for poolconsole: read from the working directory, or
passed with ``gunicorn -c gunicorn.conf.py``. Command-line flags win.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A sync worker busy past the timeout is killed mid-response. The streamed
# audit export of a million events takes about 20 s (make bench), close to
# gunicorn's 30 s default, so allow more; a stuck worker still dies.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
