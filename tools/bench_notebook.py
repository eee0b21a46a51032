"""`make bench`: headless wall time of the notebook and of the test suite against their floors (a
bare notebook drawing one figure; pytest on one empty test), alternately: medians and ratios."""

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from timeit import timeit

import nbformat
import torch

from lab2.timing import alternate, summarize
from tools.build_notebook import execute

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
FLOOR = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    "import matplotlib.pyplot as plt\nimport numpy as np\nimport torch\n"
    "plt.plot(np.arange(10), np.arange(10) ** 2)\nplt.show()")])


def _pytest(cwd: Path, *arguments: str) -> None:
    """One `python -m pytest` run; a failing run is an error, not a measurement."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pytest {' '.join(arguments)} failed:\n{result.stdout[-2000:]}")


def _compare(labels: tuple[str, str], first: Callable[[], None], second: Callable[[], None],
             repeats: int) -> None:
    """Time one call of `first` and of `second` alternately; print the medians, spreads, ratio."""
    times = alternate(lambda: timeit(first, number=1), lambda: timeit(second, number=1), repeats)
    summaries = [summarize(values) for values in times]
    for label, summary in zip(labels, summaries, strict=True):
        print(f"  {label:<44} median {summary.median:6.2f} s  [{summary.low:.2f} - "
              f"{summary.high:.2f}]  n = {summary.count}")
    print(f"  ratio to the floor: {summaries[0].median / summaries[1].median:.2f}")


def main(argv: list[str] | None = None) -> int:
    """Print the machine, then the comparisons asked for."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench_notebook", description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, metavar="N", help="runs of each (5)")
    parser.add_argument("--only", choices=("notebook", "pytest"), help="run one comparison")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"argument --repeats: must be a positive integer; got {args.repeats}")
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = (re.findall(r"model name\s*: (.*)", cpuinfo) or [platform.processor()])[0]
    print(f"machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}, torch "
          f"{torch.__version__} ({torch.get_num_threads()} threads)")
    if args.only in (None, "notebook"):
        notebook = nbformat.read(ROOT / "lab2_backprop.ipynb", as_version=4)
        print("Notebook, headless execution (kernel start included):")
        _compare(("lab2_backprop.ipynb", "floor: kernel + imports + one figure"),
                 lambda: execute(notebook, ROOT), lambda: execute(FLOOR, ROOT), args.repeats)
    if args.only in (None, "pytest"):
        with tempfile.TemporaryDirectory() as empty:
            (Path(empty) / "test_floor.py").write_text("def test_floor():\n    assert True\n")
            print("Test suite, `python -m pytest` (unit tests + nbval on the notebook):")
            _compare(("pytest (whole suite)", "floor: pytest on one empty test"),
                     lambda: _pytest(ROOT), lambda: _pytest(Path(empty), "-o", "addopts="),
                     args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
