"""scripts/build_notebook.py: names and writes every figure of an executed notebook, refuses a notebook whose cells
do not yield the figures they declare, and writes an HTML page that works offline (for `make run`'s build/)."""

import base64
import re
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import build_notebook
from build_notebook import (
    WIDGET_NOTE,
    declared_figures,
    export_figures,
    figure_mismatches,
    figure_names,
    main,
    without_live_widgets,
)

PNG = base64.b64decode(  # a valid 1 x 1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
WIDGET_VIEW = {"model_id": "ab66ff4c", "version_major": 2, "version_minor": 0}


@pytest.mark.parametrize(("source", "expected"), [
    ("# figure: loss-curve\nplt.plot(x)", ["loss-curve"]),
    ("# figures: a, b,c\nfor ...", ["a", "b", "c"]),
    ("plt.plot(x)  # figure: not on the first line", []),
    ("", []),
])
def test_declared_figures(source, expected):
    """Only the first line declares figures, as `# figure: name` or `# figures: a, b`."""
    assert declared_figures(source) == expected


@pytest.mark.parametrize(("source", "count", "expected"), [
    ("# figure: loss-curve\nplt.plot(x)", 1, ["loss-curve"]),
    ("# figures: a, b,c\nfor ...", 3, ["a", "b", "c"]),
    ("plt.plot(x)", 2, ["cell-7-1", "cell-7-2"]),  # unnamed cell
    ("", 1, ["cell-7-1"]),
])
def test_figure_names(source, count, expected):
    """The first line names the figures; an unnamed cell's figures get numbered fallbacks."""
    assert figure_names(source, count, 7) == expected


def png_output() -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(PNG).decode(), "text/plain": "x"})


def figure_notebook() -> nbformat.NotebookNode:
    """Cells 1 and 2 declare figures they do not yield (0 of 1, 1 of 2); every other cell is consistent."""
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output("stream", text="1\n")]),
        nbformat.v4.new_code_cell("# figure: loss-curve\nplt.plot(x)", outputs=[]),
        nbformat.v4.new_code_cell("# figures: left, right\n...", outputs=[png_output()]),
        nbformat.v4.new_code_cell("# figure: fine\n...", outputs=[png_output()]),
        nbformat.v4.new_code_cell("plt.plot(x)", outputs=[png_output()]),
        nbformat.v4.new_markdown_cell("# figure: not code"),
    ])


def test_figure_mismatches_name_each_cell():
    """Each cell whose PNG count differs from what its first line declares is reported, with its index and line."""
    assert figure_mismatches(figure_notebook()) == [
        "cell 1 (# figure: loss-curve): declares 1, yields 0 PNG output(s)",
        "cell 2 (# figures: left, right): declares 2, yields 1 PNG output(s)",
    ]


def test_export_figures_writes_each_png_under_its_name(tmp_path):
    """Each image/png output becomes <name>.png with the decoded bytes; text-only cells write nothing."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output("stream", text="1\n")]),
        nbformat.v4.new_code_cell("# figures: left, right\n...", outputs=[png_output(), png_output()]),
        nbformat.v4.new_code_cell("plt.plot(x)", outputs=[png_output()]),
        nbformat.v4.new_markdown_cell("# figure: not code"),
    ])
    written = export_figures(notebook, tmp_path / "figures")
    assert [path.name for path in written] == ["left.png", "right.png", "cell-2-1.png"]
    assert all(path.read_bytes() == PNG for path in written)


def test_export_figures_removes_stale_pngs(tmp_path):
    """PNGs an earlier run left in the folder are removed; other files there are not ours and stay."""
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "renamed-since.png").write_bytes(PNG)
    (folder / "notes.txt").write_text("mine")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# figure: now\n...", outputs=[png_output()])])
    export_figures(notebook, folder)
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt", "now.png"]


def test_export_figures_refuses_missing_figures(tmp_path):
    """A cell that does not yield the figures it declares stops the export before anything is written or removed."""
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "old.png").write_bytes(PNG)
    with pytest.raises(ValueError, match=r"^cells do not yield the figures they declare:\ncell 1 \(# figure: loss"):
        export_figures(figure_notebook(), folder)
    assert [path.name for path in folder.iterdir()] == ["old.png"]


def test_main_fails_naming_the_cells_when_figures_are_missing(tmp_path, monkeypatch, capsys):
    """`make run` exits non-zero, names the offending cells on stderr and writes nothing (e.g. under MPLBACKEND=Agg
    without an inline backend, every figure cell yields no PNG)."""
    monkeypatch.setattr(build_notebook, "execute", lambda path: figure_notebook())
    monkeypatch.setenv("MPLBACKEND", "Agg")
    build = tmp_path / "build"
    assert main([str(tmp_path / "lab.ipynb"), str(build)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"build_notebook: {tmp_path / 'lab.ipynb'}: cells do not yield the figures they declare:")
    assert "\ncell 1 (# figure: loss-curve): declares 1, yields 0 PNG output(s)\n" in error
    assert "\ncell 2 (# figures: left, right): declares 2, yields 1 PNG output(s)\n" in error
    assert "nothing written (MPLBACKEND='Agg'" in error
    assert not build.exists()


def test_without_live_widgets_replaces_views_by_a_note():
    """The widget state goes, each widget view becomes the note; the executed notebook itself is left as it was."""
    view = nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": WIDGET_VIEW, "text/plain": "interactive(children=(...))"})
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("display(explorer)", outputs=[view])],
                                        metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {}}})
    static = without_live_widgets(notebook)
    assert "widgets" not in static.metadata
    assert static.cells[0].outputs[0]["data"] == {"text/plain": WIDGET_NOTE}
    assert "widgets" in notebook.metadata and "text/plain" in notebook.cells[0].outputs[0]["data"]


def test_html_works_offline(tmp_path):
    """On a real run: no script or stylesheet from the network; MathJax and its configuration are in build/mathjax/,
    where the page's relative URL points; the figure is embedded and written under its name; the formula is kept
    for MathJax."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(r"The loss $$\mathcal{L} = -\frac{1}{N}\sum_i \log p(y_i \mid x_i)$$"),
        nbformat.v4.new_code_cell("# figure: line\n%matplotlib inline\nimport matplotlib.pyplot as plt\n"
                                  "plt.plot([0, 1])\nplt.show()"),
    ])
    source, build = tmp_path / "tiny.ipynb", tmp_path / "build"
    nbformat.write(notebook, source)
    assert main([str(source), str(build)]) == 0
    html = (build / "tiny.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=[\"']?(https?:)?//", html), "a script loaded from the network"
    assert not re.search(r"<link[^>]*\shref=[\"']?(https?:)?//", html), "a stylesheet loaded from the network"
    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
    assert sources == ["mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"]
    assert 'webFont: "STIX-Web"' in html  # the only web fonts jupyter-server-mathjax ships
    for part in ["MathJax.js", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js", "extensions/Safe.js",
                 "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js",
                 "fonts/HTML-CSS/STIX-Web/woff/STIXMathJax_Main-Regular.woff"]:
        assert (build / "mathjax" / part).is_file(), part
    assert r"\mathcal{L} = -\frac{1}{N}\sum_i" in html
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', html)) == 1
    assert [path.name for path in (build / "figures").iterdir()] == ["line.png"]
