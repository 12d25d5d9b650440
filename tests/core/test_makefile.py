"""The Makefile's choice of the interpreter .venv is made from."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def chosen_python(*overrides: str) -> str:
    """Return what the Makefile's PYTHON expands to, with overrides set."""
    out = subprocess.run(
        ["make", "-s", "-C", str(REPO), "--eval", "show: ; @echo $(PYTHON)", "show"]
        + list(overrides),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_prefers_the_named_interpreter_when_it_can_make_a_venv():
    # This interpreter's standard library has ensurepip (the venv was made).
    assert chosen_python(f"DEBIAN_PYTHON={sys.executable}") == sys.executable


def test_falls_back_to_python3_without_it(tmp_path):
    assert chosen_python(f"DEBIAN_PYTHON={tmp_path / 'python3.11'}") == "python3"


def test_falls_back_when_its_venv_module_is_missing(tmp_path):
    # Debian's python3.11 without python3.11-venv: no ensurepip to import.
    fake = tmp_path / "python3.11"
    fake.write_text(f"#!/bin/sh\nexec {sys.executable} -I -c 'raise ImportError'\n")
    fake.chmod(0o755)
    assert chosen_python(f"DEBIAN_PYTHON={fake}") == "python3"


def test_python_given_on_the_command_line_wins():
    assert chosen_python("PYTHON=python3.99") == "python3.99"
