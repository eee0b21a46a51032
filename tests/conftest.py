"""Test setup: headless matplotlib, the repository root importable, and no figure left open between
tests."""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

# after matplotlib.use: the backend must be chosen before pyplot is imported
import matplotlib.pyplot as plt
import pytest

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, so figure counts are per test and memory does not grow."""
    yield
    plt.close("all")
