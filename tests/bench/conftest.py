import importlib
import os

import pytest


@pytest.fixture
def import_bench(monkeypatch):
    """Return a function that imports a bench module by name.

    bench/run.py and bench/flow_profile.py name the benchmark's settings in
    os.environ when imported: the tests' own are kept for whatever this
    process starts later.
    """
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", os.environ["DJANGO_SETTINGS_MODULE"])
    return importlib.import_module
