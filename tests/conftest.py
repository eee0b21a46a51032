"""Test setup: headless matplotlib and no figure left open between tests (pyproject's `pythonpath`
makes the repository root importable)."""

import matplotlib

matplotlib.use("Agg")

# after matplotlib.use: the backend must be chosen before pyplot is imported
import matplotlib.pyplot as plt
import pytest


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, so figure counts are per test and memory does not grow."""
    yield
    plt.close("all")
