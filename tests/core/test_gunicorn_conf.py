"""gunicorn.conf.py: what each worker is given."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_workers_collect_garbage_less_often():
    settings = runpy.run_path(str(CONF))
    before = gc.get_threshold()
    try:
        settings["post_fork"](server=None, worker=None)
        assert gc.get_threshold() == (50_000, 20, 20)
    finally:
        gc.set_threshold(*before)


def test_a_slow_export_is_not_killed_at_gunicorns_default_timeout():
    assert runpy.run_path(str(CONF))["timeout"] >= 120
