"""The notebook picks its own matplotlib backend: its figures appear inline even where the
environment says MPLBACKEND=Agg (as headless CI machines often do), so nbval and `make run` see
every figure."""

import json
from pathlib import Path

import nbformat
import pytest

# nbval runs the notebook without nbclient: where it is missing (a user's `make check`), skip.
NotebookClient = pytest.importorskip(
    "nbclient", reason="this test starts a kernel with nbclient; the notebook does not need it",
).NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "lab2_backprop.ipynb"
PLOT = "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()"


def first_code_cell(path: Path = NOTEBOOK) -> str:
    """The source of the notebook's first code cell: its imports and set-up, where the backend is
    chosen."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(next(cell for cell in cells if cell["cell_type"] == "code")["source"])


def run_setup_then_plot(setup: str) -> nbformat.NotebookNode:
    """A fresh kernel (in the repository, like the notebook's) runs `setup`, then a cell that draws
    a line."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(setup),
                                               nbformat.v4.new_code_cell(PLOT)])
    NotebookClient(notebook, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    return notebook


def test_figures_are_inline_under_mplbackend_agg(monkeypatch):
    """With MPLBACKEND=Agg in the kernel's environment, a figure drawn after the notebook's set-up
    cell is still an image/png output."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    outputs = run_setup_then_plot(first_code_cell()).cells[1].outputs
    assert any("image/png" in output.get("data", {}) for output in outputs), (
        f"no figure under MPLBACKEND=Agg (outputs: {outputs}): the first code cell must select the "
        "inline backend")
