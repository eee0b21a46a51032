"""scripts/build_notebook.py names and writes every figure of an executed notebook (for `make run`'s build/)."""

import base64
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from build_notebook import export_figures, figure_names

PNG = base64.b64decode(  # a valid 1 x 1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(("source", "count", "expected"), [
    ("# figure: loss-curve\nplt.plot(x)", 1, ["loss-curve"]),
    ("# figures: a, b,c\nfor ...", 3, ["a", "b", "c"]),
    ("plt.plot(x)", 2, ["cell-7-1", "cell-7-2"]),  # unnamed cell
    ("# figures: a, b\n...", 3, ["cell-7-1", "cell-7-2", "cell-7-3"]),  # names do not match the figure count
    ("", 1, ["cell-7-1"]),
])
def test_figure_names(source, count, expected):
    """The first line names the figures; otherwise, or on a count mismatch, numbered fallbacks."""
    assert figure_names(source, count, 7) == expected


def png_output() -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(PNG).decode(), "text/plain": "x"})


def test_export_figures_writes_each_png_under_its_name(tmp_path):
    """Each image/png output becomes <name>.png with the decoded bytes; text-only cells write nothing."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output("stream", text="1\n")]),
        nbformat.v4.new_code_cell("# figures: left, right\n...", outputs=[png_output(), png_output()]),
        nbformat.v4.new_markdown_cell("# figure: not code"),
    ])
    written = export_figures(notebook, tmp_path / "figures")
    assert [path.name for path in written] == ["left.png", "right.png"]
    assert all(path.read_bytes() == PNG for path in written)
