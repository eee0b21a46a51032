"""Headless wall time of the notebook and of the test suite, each against its floor, side by side.

The floor of the notebook is a notebook that only starts a kernel, imports torch, numpy and
matplotlib and draws one figure; the floor of the test suite is pytest on a single empty test.
Each pair runs alternately (A B A B ...) after one warm-up of each (timing.alternate), so that a
change in the machine's load hits both alike; the script prints medians, the min-max spread and
the ratio of the medians.

Usage: python -m tools.bench_notebook [--repeats N] [--only notebook|pytest]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import torch
from nbclient import NotebookClient

from lab2.timing import alternate, summarize

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOK = ROOT / "lab2_backprop.ipynb"
FLOOR_CELLS = (
    "import matplotlib.pyplot as plt\nimport numpy as np\nimport torch",
    "fig, ax = plt.subplots()\nax.plot(np.arange(10), np.arange(10) ** 2)\nplt.show()",
)


def execute_notebook(notebook: nbformat.NotebookNode) -> float:
    """Seconds to start a fresh kernel and execute every cell, as `make run` and nbval do."""
    start = time.perf_counter()
    client = NotebookClient(notebook, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    return time.perf_counter() - start


def run_pytest(arguments: list[str], cwd: Path) -> float:
    """Seconds for one `python -m pytest` run; a failing run is an error, not a measurement."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"pytest {' '.join(arguments)} failed:\n{result.stdout[-2000:]}")
    return elapsed


def report(name: str, times: list[float], floor_name: str, floor_times: list[float]) -> None:
    """Medians with their min-max spread, and the ratio of the medians."""
    summaries = {name: summarize(times), floor_name: summarize(floor_times)}
    for label, summary in summaries.items():
        print(f"  {label:<44} median {summary.median:6.2f} s  "
              f"[{summary.low:.2f} - {summary.high:.2f}]  n = {summary.count}")
    print(f"  ratio {name} / floor: {summaries[name].median / summaries[floor_name].median:.2f}")


def machine() -> str:
    """Cores, CPU model, Python and torch versions: what the figures were measured on."""
    model = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        model = names[0] if names else model
    return (f"{os.cpu_count()} cores, {model}; Python {platform.python_version()}, "
            f"torch {torch.__version__} ({torch.get_num_threads()} threads)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5,
                        help="measurements of each, after a warm-up (default 5)")
    parser.add_argument("--only", choices=("notebook", "pytest"),
                        help="run one of the two comparisons")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats must be a positive integer; got {args.repeats}")
    print(f"machine: {machine()}")
    if args.only in (None, "notebook"):
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        floor = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(source) for source in FLOOR_CELLS])
        print("Notebook, headless execution (kernel start included):")
        times, floor_times = alternate(lambda: execute_notebook(notebook),
                                       lambda: execute_notebook(floor), args.repeats)
        report("lab2_backprop.ipynb", times, "floor: kernel + imports + one figure", floor_times)
    if args.only in (None, "pytest"):
        with tempfile.TemporaryDirectory() as empty:
            (Path(empty) / "test_floor.py").write_text("def test_floor():\n    assert True\n")
            print("Test suite, `python -m pytest` (unit tests + nbval on the notebook):")
            times, floor_times = alternate(lambda: run_pytest([], ROOT),
                                           lambda: run_pytest(["-o", "addopts="], Path(empty)),
                                           args.repeats)
            report("pytest (whole suite)", times, "floor: pytest on one empty test", floor_times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
