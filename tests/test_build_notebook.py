"""tools/build_notebook.py: names and writes every figure of an executed notebook, refuses a
notebook whose cells do not yield the figures they declare, and writes an HTML page that works
offline (for `make run`'s build/)."""

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# What `make run` needs beyond the notebook's own packages: where one is missing (a user's
# `make check`), this file is skipped with the reason, and the notebook's cells still run.
for package in ("nbformat", "nbclient", "nbconvert", "jupyter_server_mathjax"):
    pytest.importorskip(package, reason=f"tools/build_notebook.py (make run) needs {package}; "
                        "the notebook does not")

import nbformat  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
from tools import build_notebook  # noqa: E402
from tools.build_notebook import (  # noqa: E402
    WIDGET_NOTE,
    declaration_problems,
    declared_figures,
    described,
    export_figures,
    figure_mismatches,
    figure_names,
    main,
    offline_html,
    without_live_widgets,
)

PNG = base64.b64decode(  # a valid 1 x 1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
    "AAAABJRU5ErkJggg=="
)
WIDGET_VIEW = {"model_id": "ab66ff4c", "version_major": 2, "version_minor": 0}


@pytest.mark.parametrize(("source", "expected"), [
    ("# figure: loss-curve\nplt.plot(x)", ["loss-curve"]),
    ("# figures: a, b,c\nfor ...", ["a", "b", "c"]),
    ("#figure: a", ["a"]),
    ("# Figure: b", ["b"]),
    ("# figure : d", ["d"]),
    ("  # FIGURES:e,f  ", ["e", "f"]),
    ("# figures: a, b,", ["a", "b", ""]),  # kept, to be refused: a stray comma
    ("plt.plot(x)  # figure: not on the first line", []),
    ("# figurehead: x", []),
    ("# figure 3 shows the loss", []),
    ("", []),
])
def test_declared_figures(source, expected):
    """Only the first line declares figures, as `# figure: name` or `# figures: a, b`, in any case
    and with or without spaces around the colon (these used to be ignored silently); names are
    returned as written."""
    assert declared_figures(source) == expected


def code_cells(*first_lines: str) -> nbformat.NotebookNode:
    """A notebook of code cells with these first lines, after a markdown cell that looks like a
    declaration."""
    code = [nbformat.v4.new_code_cell(f"{line}\nplt.show()") for line in first_lines]
    markdown = nbformat.v4.new_markdown_cell("# figure: ../not/code")
    return nbformat.v4.new_notebook(cells=[markdown, *code])


NOT_PLAIN = "is not a plain file name (letters, digits, - and _ only)"


@pytest.mark.parametrize(("first_lines", "problems"), [
    pytest.param(["# figure: same", "# figure: same"],
                 ["cell 2 (# figure: same): figure name 'same' is declared twice (cells 1 and 2)"],
                 id="two cells"),
    pytest.param(["# figures: a, a"],
                 ["cell 1 (# figures: a, a): figure name 'a' is declared twice (cells 1 and 1)"],
                 id="one cell"),
    pytest.param(["# figure: cell-2-1", "plt.plot(x)"],
                 ["cell 1 (# figure: cell-2-1): figure name 'cell-2-1' is reserved for the figures "
                  "of cells that declare none"], id="automatic name"),
    pytest.param(["# figure: /srv/x"],
                 [f"cell 1 (# figure: /srv/x): figure name '/srv/x' {NOT_PLAIN}"],
                 id="absolute path"),
    pytest.param(["# figure: ../../x"],
                 [f"cell 1 (# figure: ../../x): figure name '../../x' {NOT_PLAIN}"],
                 id="parent folder"),
    pytest.param(["# figure: loss/train"],
                 [f"cell 1 (# figure: loss/train): figure name 'loss/train' {NOT_PLAIN}"],
                 id="subfolder"),
    pytest.param(["# figure: the loss"],
                 [f"cell 1 (# figure: the loss): figure name 'the loss' {NOT_PLAIN}"], id="space"),
    pytest.param(["# figures: a, b,"],
                 ["cell 1 (# figures: a, b,): empty figure name (a stray comma?)"],
                 id="trailing comma"),
    pytest.param(["# figure:"], ["cell 1 (# figure:): empty figure name (a stray comma?)"],
                 id="no name"),
    pytest.param(["# figures: loss_curve-2, B7", "plt.plot(x)", "# figure: cell-2"], [], id="fine"),
])
def test_declaration_problems_name_each_cell(first_lines, problems):
    """Figure names must be plain file names (letters, digits, - and _), not empty, unique across
    the notebook and not of the form cell-<index>-<k> (an unnamed cell's figures): else each
    problem names its cell."""
    assert declaration_problems(code_cells(*first_lines)) == problems


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
    return nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(PNG).decode(),
                                                        "text/plain": "x"})


def figure_notebook() -> nbformat.NotebookNode:
    """Cells 1 and 2 declare figures they do not yield (0 of 1, 1 of 2); every other cell is
    consistent."""
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print(1)",
                                  outputs=[nbformat.v4.new_output("stream", text="1\n")]),
        nbformat.v4.new_code_cell("# figure: loss-curve\nplt.plot(x)", outputs=[]),
        nbformat.v4.new_code_cell("# figures: left, right\n...", outputs=[png_output()]),
        nbformat.v4.new_code_cell("# figure: fine\n...", outputs=[png_output()]),
        nbformat.v4.new_code_cell("plt.plot(x)", outputs=[png_output()]),
        nbformat.v4.new_markdown_cell("# figure: not code"),
    ])


def test_figure_mismatches_name_each_cell():
    """Each cell whose PNG count differs from what its first line declares is reported, with its
    index and line."""
    assert figure_mismatches(figure_notebook()) == [
        "cell 1 (# figure: loss-curve): declares 1, yields 0 PNG output(s)",
        "cell 2 (# figures: left, right): declares 2, yields 1 PNG output(s)",
    ]


def test_figure_mismatches_report_more_figures_than_declared():
    """A cell yielding more figures than it declares is reported too (its extra figures would have
    no name)."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("# figure: one\n...", outputs=[png_output(), png_output()]),
        nbformat.v4.new_code_cell("# figures: a, b\n...", outputs=[png_output(), png_output()]),
    ])
    assert figure_mismatches(notebook) == [
        "cell 0 (# figure: one): declares 1, yields 2 PNG output(s)"]


def test_export_figures_refuses_bad_names_writing_nothing(tmp_path):
    """Even when called on its own, export_figures writes nothing for a notebook with a name that
    would leave the folder: a ValueError naming the cell, the old PNGs kept."""
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "old.png").write_bytes(PNG)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("# figure: ../x\n...", outputs=[png_output()])])
    with pytest.raises(ValueError, match=r"^cells declare figure names that cannot be used:\n"
                                         r"cell 0 \(# figure: \.\./x\)"):
        export_figures(notebook, folder)
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["figures", "old.png"]


def test_export_figures_writes_each_png_under_its_name(tmp_path):
    """Each image/png output becomes <name>.png with the decoded bytes; text-only cells write
    nothing."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print(1)",
                                  outputs=[nbformat.v4.new_output("stream", text="1\n")]),
        nbformat.v4.new_code_cell("# figures: left, right\n...",
                                  outputs=[png_output(), png_output()]),
        nbformat.v4.new_code_cell("plt.plot(x)", outputs=[png_output()]),
        nbformat.v4.new_markdown_cell("# figure: not code"),
    ])
    written = export_figures(notebook, tmp_path / "figures")
    assert [path.name for path in written] == ["left.png", "right.png", "cell-2-1.png"]
    assert all(path.read_bytes() == PNG for path in written)


def test_export_figures_removes_stale_pngs(tmp_path):
    """PNGs an earlier run left in the folder are removed; other files there are not ours and
    stay."""
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "renamed-since.png").write_bytes(PNG)
    (folder / "notes.txt").write_text("mine")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# figure: now\n...",
                                                                         outputs=[png_output()])])
    export_figures(notebook, folder)
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt", "now.png"]


def test_export_figures_refuses_missing_figures(tmp_path):
    """A cell that does not yield the figures it declares stops the export before anything is
    written or removed."""
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "old.png").write_bytes(PNG)
    with pytest.raises(ValueError, match=r"^cells do not yield the figures they declare:\n"
                                         r"cell 1 \(# figure: loss"):
        export_figures(figure_notebook(), folder)
    assert [path.name for path in folder.iterdir()] == ["old.png"]


def test_main_fails_naming_the_cells_when_figures_are_missing(tmp_path, monkeypatch, capsys):
    """`make run` exits non-zero, names the offending cells on stderr and writes nothing (e.g. under
    MPLBACKEND=Agg without an inline backend, every figure cell yields no PNG)."""
    monkeypatch.setattr(build_notebook, "execute", lambda path: figure_notebook())
    monkeypatch.setenv("MPLBACKEND", "Agg")
    build = tmp_path / "build"
    nbformat.write(figure_notebook(), tmp_path / "lab.ipynb")
    assert main([str(tmp_path / "lab.ipynb"), str(build)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"build_notebook: {tmp_path / 'lab.ipynb'}: cells do not yield the "
                            "figures they declare:")
    assert "\ncell 1 (# figure: loss-curve): declares 1, yields 0 PNG output(s)\n" in error
    assert "\ncell 2 (# figures: left, right): declares 2, yields 1 PNG output(s)\n" in error
    assert "nothing written (MPLBACKEND='Agg'" in error
    assert not build.exists()


def never_executed(path):
    """Stands in for execute: the build must stop before it."""
    raise AssertionError(f"{path} was executed")


@pytest.mark.parametrize(("first_lines", "message"), [
    pytest.param(["# figure: same", "# figure: same"],
                 "\ncell 2 (# figure: same): figure name 'same' is declared twice (cells 1 and 2)",
                 id="repeated name"),
    pytest.param(["# figure: ../../x"],
                 "\ncell 1 (# figure: ../../x): figure name '../../x' is not a plain file",
                 id="path as name"),
    pytest.param(["# figures: a, b,"], "\ncell 1 (# figures: a, b,): empty figure name",
                 id="empty name"),
])
def test_main_refuses_bad_figure_names_before_running(tmp_path, monkeypatch, capsys, first_lines,
                                                      message):
    """Bad figure names stop the build before the notebook runs (it used to run it all, then
    overwrite, write outside build/figures or fail there): exit 1, the cells named on stderr,
    nothing written."""
    monkeypatch.setattr(build_notebook, "execute", never_executed)
    source, build = tmp_path / "lab.ipynb", tmp_path / "build"
    nbformat.write(code_cells(*first_lines), source)
    assert main([str(source), str(build)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"build_notebook: {source}: refused before running anything:\n")
    assert message in error
    assert sorted(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize(("arguments", "message"), [
    pytest.param(lambda folder: [folder / "lab.ipynb", folder],
                 "the build folder {folder} would receive the executed copy as {folder}/lab.ipynb, "
                 "replacing the notebook itself", id="build folder holds source"),
    pytest.param(lambda folder: [folder / "lab.ipynb", folder / "afile"],
                 "the build folder must be a folder; {folder}/afile is a file",
                 id="build folder a file"),
    pytest.param(lambda folder: [folder / "lab.ipynb", folder / "out"],
                 "the build folder must be a folder; {folder}/out/figures is a file",
                 id="figures folder a file"),
    pytest.param(lambda folder: [folder / "missing.ipynb", folder / "out"],
                 "the notebook {folder}/missing.ipynb is not a file", id="no notebook"),
])
def test_main_refuses_unusable_paths_before_running(tmp_path, monkeypatch, capsys, arguments,
                                                    message):
    """A build folder whose executed copy would replace the source (`build_notebook.py ok.ipynb .`),
    a build folder that is a file, a missing notebook: refused before running, the notebook and
    the file left as they were."""
    monkeypatch.setattr(build_notebook, "execute", never_executed)
    nbformat.write(code_cells("# figure: fine"), tmp_path / "lab.ipynb")
    (tmp_path / "afile").write_text("mine")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "figures").write_text("mine")
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert main([str(path) for path in arguments(tmp_path)]) == 1
    assert message.format(folder=tmp_path) in capsys.readouterr().err
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


def test_missing_build_package_skips_this_file_not_the_run(tmp_path):
    """Where jupyter_server_mathjax is missing (a user's `make check`), this file is skipped with
    the reason instead of stopping pytest at collection (checked in a pytest run where importing it
    fails)."""
    (tmp_path / "jupyter_server_mathjax.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'jupyter_server_mathjax'\", "
        "name='jupyter_server_mathjax')\n")
    paths = [str(tmp_path), os.environ.get("PYTHONPATH")]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
    command = [sys.executable, "-m", "pytest", "-p", "no:nbval", "-p", "no:cacheprovider", "-o",
               "addopts=", "-rs", "-q", str(Path(__file__))]
    run = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True,
                         timeout=120)
    # Exit code 5: every test of the file skipped, none failed (a collection error gives 2).
    assert run.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
    assert ("tools/build_notebook.py (make run) needs jupyter_server_mathjax; the notebook does "
            "not") in run.stdout


def test_without_live_widgets_replaces_views_by_a_note():
    """The widget state goes, each widget view becomes the note; the executed notebook itself is
    left as it was."""
    view = nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": WIDGET_VIEW,
        "text/plain": "interactive(children=(...))"})
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("display(explorer)", outputs=[view])],
        metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {}}})
    static = without_live_widgets(notebook)
    assert "widgets" not in static.metadata
    assert static.cells[0].outputs[0]["data"] == {"text/plain": WIDGET_NOTE}
    assert "widgets" in notebook.metadata and "text/plain" in notebook.cells[0].outputs[0]["data"]


def test_html_works_offline(tmp_path):
    """On a real run: no script or stylesheet from the network; MathJax and its configuration are in
    build/mathjax/, where the page's relative URL points; the figure is embedded and written under
    its name; the formula is kept for MathJax."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(r"The loss "
                                      r"$$\mathcal{L} = -\frac{1}{N}\sum_i \log p(y_i \mid x_i)$$"),
        nbformat.v4.new_code_cell("# figure: line\n%matplotlib inline\n"
                                  "import matplotlib.pyplot as plt\nplt.plot([0, 1])\nplt.show()"),
    ])
    source, build = tmp_path / "tiny.ipynb", tmp_path / "build"
    nbformat.write(notebook, source)
    assert main([str(source), str(build)]) == 0
    html = (build / "tiny.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=[\"']?(https?:)?//", html), (
        "a script loaded from the network")
    assert not re.search(r"<link[^>]*\shref=[\"']?(https?:)?//", html), (
        "a stylesheet loaded from the network")
    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
    assert sources == ["mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"]
    assert 'webFont: "STIX-Web"' in html  # the only web fonts jupyter-server-mathjax ships
    for part in ["MathJax.js", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js",
                 "extensions/Safe.js", "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js",
                 "fonts/HTML-CSS/STIX-Web/woff/STIXMathJax_Main-Regular.woff"]:
        assert (build / "mathjax" / part).is_file(), part
    assert r"\mathcal{L} = -\frac{1}{N}\sum_i" in html
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', html)) == 1
    assert [path.name for path in (build / "figures").iterdir()] == ["line.png"]


def test_html_page_has_the_title_and_figure_names_as_alt_text():
    """The page's title is the notebook's first heading; each figure's alt text is its name, as
    build/figures/ names it (declared, or numbered for an undeclared cell)."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Lab 2: a title\n\nText."),
        nbformat.v4.new_code_cell("# figures: first, second", outputs=[
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="}),
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]),
        nbformat.v4.new_code_cell("plot()", outputs=[
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]),
    ])
    page = described(notebook)
    assert page.metadata["title"] == "Lab 2: a title"
    alts = [output.metadata["image/png"]["alt"]
            for cell in page.cells[1:] for output in cell.outputs]
    assert alts == ["figure: first", "figure: second", "figure: cell-2-1"]
    assert "title" not in notebook.metadata, "the notebook itself is left alone"
    html = offline_html(notebook)
    assert "<title>Lab 2: a title</title>" in html
    assert re.findall(r'alt="([^"]+)"', html) == alts
