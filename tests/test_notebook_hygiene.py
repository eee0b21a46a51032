"""The committed notebook is trustworthy: executed top to bottom, no stray errors, nothing machine-specific.

nbval re-runs the notebook and compares outputs; these checks catch what nbval cannot see
(a notebook committed half-run or out of order) and what would make it flaky (addresses, paths, SVG).
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "lab2_backprop.ipynb"
ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{6,}")
MACHINE_PATH = re.compile(r"(/work/|/root/|/tmp/|/home/[a-z_]+/|/Users/|[A-Z]:\\\\Users\\\\|ipykernel_\d+)")


def code_cells() -> list[dict]:
    return [cell for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"]


def output_texts(cell: dict) -> list[str]:
    """Every text an output of the cell shows: streams, plain-text reprs, HTML, tracebacks."""
    texts = []
    for output in cell.get("outputs", []):
        texts.append("".join(output.get("text", "")))
        for mime in ("text/plain", "text/html"):
            texts.append("".join(output.get("data", {}).get(mime, "")))
        texts.append("\n".join(output.get("traceback", [])))
    return texts


def test_executed_top_to_bottom_in_one_kernel():
    """Execution counts are exactly 1..n: a fresh kernel, every cell once, in order."""
    counts = [cell["execution_count"] for cell in code_cells()]
    assert counts == list(range(1, len(counts) + 1)), f"execution counts: {counts}"


@pytest.mark.parametrize("index", range(len(code_cells())))
def test_cell_output_is_clean(index):
    """No error output, no SVG, no memory address and no machine path in any output."""
    cell = code_cells()[index]
    source = "".join(cell["source"])
    assert not any(out["output_type"] == "error" for out in cell.get("outputs", [])), f"uncaught error in:\n{source}"
    assert not any("image/svg+xml" in out.get("data", {}) for out in cell.get("outputs", [])), "SVG output: use PNG"
    for text in output_texts(cell):
        assert not ADDRESS.search(text), f"memory address in the output of:\n{source}"
        assert not MACHINE_PATH.search(text), f"machine path in the output of:\n{source}"


def test_figures_are_named():
    """Every cell that draws a figure names it on its first line, for `make run`'s build/figures/."""
    for cell in code_cells():
        pngs = sum("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
        if pngs:
            first_line = "".join(cell["source"]).splitlines()[0]
            assert first_line.startswith(("# figure:", "# figures:")), f"unnamed figure cell: {first_line}"
