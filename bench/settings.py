"""Production settings served over plain HTTP on 127.0.0.1, for the benchmark.

Everything else (middleware, sessions, whitenoise's manifest storage,
template loaders) stays as production runs it.
"""

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent

# The benchmark database: a SQLite file of its own unless DATABASE_URL names
# one. base.py reads DATABASE_URL, so set it before importing.
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")
# A fixed key for a throwaway database: it signs nothing that outlives a run.
os.environ["SECRET_KEY"] = (
    "WVJs284zyhTc3zoFppXogojeCjliXacSLFX1KHDs5Dufhp1ifYNMXZoS3ImguucA"
)

from poolconsole.settings.production import *  # noqa: E402, F403
from poolconsole.settings.production import TEMPLATES  # noqa: E402

DEBUG = False
# No TLS proxy in front: gunicorn is reached directly over HTTP.
SECURE_SSL_REDIRECT = False
TRUST_X_FORWARDED_FOR = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

ROOT_URLCONF = "bench.bench_urls"
# First, to time all of Django's work for a request (bench/timing.py).
MIDDLEWARE = ["bench.timing.server_timing", *MIDDLEWARE]  # noqa: F405
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BENCH_DIR / "templates"]

# run.py collects the static files into a temporary directory.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", str(BENCH_DIR / "staticfiles"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
