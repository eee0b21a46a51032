"""Importing a module of the lab stays cheap: the heavy libraries that only one section of the
notebook needs load when a function needs them, not when the notebook's setup cell imports."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("module", "heavy"), [
    ("lab2.curvature", "scipy.sparse.linalg"),
    ("lab2.intervals", "scipy.stats"),
    ("lab2.figures", "scipy"),
    ("g2model", "scipy"),
])
def test_importing_the_module_does_not_load(module, heavy):
    code = f"import sys, {module}; print({heavy!r} in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.strip() == "False"
