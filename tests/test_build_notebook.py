"""tools/build_notebook.py (`make run`): figures declared in the cells' metadata, named and checked
before anything runs; cells that do not yield what they declare; the command's refusals; the HTML
page, with the declared alt texts, working offline."""

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
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

from tools import build_notebook  # noqa: E402
from tools.build_notebook import WIDGET_NOTE, main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PNG = base64.b64decode(  # a valid 1 x 1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
    "AAAABJRU5ErkJggg==")
WIDGET_VIEW = {"model_id": "ab66ff4c", "version_major": 2, "version_minor": 0}


def figure(name: str, alt: str = "A line rising from left to right.") -> dict:
    return {"name": name, "alt": alt}


def png_output() -> nbformat.NotebookNode:
    return new_output("display_data", data={"image/png": base64.b64encode(PNG).decode(),
                                            "text/plain": "<Figure>"})


def cell(figures: list | None, pngs: int = 0, source: str = "plot()") -> nbformat.NotebookNode:
    """A code cell declaring `figures` (no "figures" key for None), already holding `pngs` PNG
    outputs, as if executed."""
    metadata = {} if figures is None else {"figures": figures}
    return new_code_cell(source, metadata=metadata, outputs=[png_output() for _ in range(pngs)])


def no_kernel(notebook, cwd):
    """Stands in for execute: the cells already hold their outputs."""


def never_executed(notebook, cwd):
    """Stands in for execute: the build must stop before it."""
    raise AssertionError("the notebook was executed")


def build(tmp_path, monkeypatch, cells, execute=no_kernel) -> tuple[int, Path]:
    """main on a notebook of `cells` (after a title) into tmp_path/build; the exit status."""
    monkeypatch.setattr(build_notebook, "execute", execute)
    source = tmp_path / "lab.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Lab 2: a title"), *cells]), source)
    return main([str(source), str(tmp_path / "build")]), tmp_path / "build"


FIGURE = ('each entry of "figures" must be {"name": a plain file name (letters, digits, - and _), '
          '"alt": a sentence saying what the figure shows}; got ')


@pytest.mark.parametrize(("figures", "problem"), [
    pytest.param(figure("a", "A."), FIGURE + "{'alt': 'A.', 'name': 'a'}", id="no list"),
    pytest.param([figure("../../x", "X.")], FIGURE + "{'alt': 'X.', 'name': '../../x'}",
                 id="path"),
    pytest.param([figure("", "X.")], FIGURE + "{'alt': 'X.', 'name': ''}", id="empty name"),
    pytest.param([figure("a", " ")], FIGURE + "{'alt': ' ', 'name': 'a'}", id="empty alt"),
    pytest.param([{"name": "a"}], FIGURE + "{'name': 'a'}", id="no alt"),
    pytest.param([{**figure("a", "A."), "title": "t"}],
                 FIGURE + "{'alt': 'A.', 'name': 'a', 'title': 't'}", id="extra key"),
    pytest.param(["a"], FIGURE + "'a'", id="a bare name"),
    pytest.param([figure("a"), figure("a")],
                 "figure name 'a' is declared twice (cells 1 and 1)", id="twice in a cell"),
])
def test_bad_declarations_are_refused_before_running(tmp_path, monkeypatch, capsys, figures,
                                                     problem):
    """Exit 1, the cell named (index and first line) with what was expected and what was given,
    nothing run and nothing written."""
    status, folder = build(tmp_path, monkeypatch, [cell(figures, source="draw()\nplt.show()")],
                           never_executed)
    error = capsys.readouterr().err
    assert status == 1 and not folder.exists()
    assert error.startswith(f"build_notebook: {tmp_path / 'lab.ipynb'}: refused before running "
                            f"anything:\ncell 1 (draw()): {problem}")


def test_a_name_declared_by_two_cells_names_both(tmp_path, monkeypatch, capsys):
    cells = [cell([figure("same")]), cell(None), cell([figure("other"), figure("same")])]
    assert build(tmp_path, monkeypatch, cells, never_executed)[0] == 1
    assert capsys.readouterr().err.endswith(
        "\ncell 3 (plot()): figure name 'same' is declared twice (cells 1 and 3)\n")


def test_cells_that_do_not_yield_what_they_declare_fail_the_build(tmp_path, monkeypatch, capsys):
    """After running: each such cell named, an undeclared figure included; nothing written, and
    the hint about the backend (under MPLBACKEND=Agg without the inline backend, no PNG at all)."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    cells = [cell([figure("a")], pngs=0), cell([figure("b"), figure("c")], pngs=1),
             cell([figure("d")], pngs=1), cell(None, pngs=1, source="undeclared()")]
    status, folder = build(tmp_path, monkeypatch, cells)
    error = capsys.readouterr().err
    assert status == 1 and not folder.exists()
    assert error.splitlines()[1:5] == [
        "cell 1 (plot()): declares 1 figure(s), yields 0 PNG output(s)",
        "cell 2 (plot()): declares 2 figure(s), yields 1 PNG output(s)",
        "cell 4 (undeclared()): declares 0 figure(s), yields 1 PNG output(s)",
        "nothing written (MPLBACKEND='Agg'; a figure cell yields no PNG when the notebook does "
        "not select the inline backend)"]


def test_figures_are_written_under_their_names_with_their_alt_texts(tmp_path, monkeypatch):
    """Each PNG under its declared name (stale PNGs removed, other files kept); in the HTML each
    image's alt text is its declared sentence and the page's title is the first heading."""
    (tmp_path / "build" / "figures").mkdir(parents=True)
    (tmp_path / "build" / "figures" / "renamed-since.png").write_bytes(PNG)
    (tmp_path / "build" / "figures" / "notes.txt").write_text("mine")
    cells = [cell([figure("left", "The left panel."), figure("right", "The right <one>.")], 2),
             new_markdown_cell("text"), cell(None, source="print(1)"), cell([figure("x")], 1)]
    status, folder = build(tmp_path, monkeypatch, cells)
    assert status == 0
    assert sorted(path.name for path in (folder / "figures").iterdir()) == [
        "left.png", "notes.txt", "right.png", "x.png"]
    assert (folder / "figures" / "left.png").read_bytes() == PNG
    html = (folder / "lab.html").read_text(encoding="utf-8")
    assert re.findall(r'<img [^>]*alt="([^"]*)"', html) == [
        "The left panel.", "The right &lt;one&gt;.", "A line rising from left to right."]
    assert "<title>Lab 2: a title</title>" in html
    assert nbformat.read(folder / "lab.ipynb", as_version=4).cells[1].metadata["figures"][0] == (
        figure("left", "The left panel."))


def test_live_widgets_become_a_note(tmp_path, monkeypatch):
    """The widget state goes and each widget view becomes the note; the executed notebook keeps
    them."""
    view = new_output("display_data", data={"application/vnd.jupyter.widget-view+json":
                                            WIDGET_VIEW, "text/plain": "interactive(...)"})
    assert build(tmp_path, monkeypatch, [new_code_cell("explorer", outputs=[view])])[0] == 0
    html = (tmp_path / "build" / "lab.html").read_text(encoding="utf-8")
    assert WIDGET_NOTE in html and "widget-state" not in html
    executed = nbformat.read(tmp_path / "build" / "lab.ipynb", as_version=4)
    assert "application/vnd.jupyter.widget-view+json" in executed.cells[1].outputs[0]["data"]


@pytest.mark.parametrize(("arguments", "message"), [
    pytest.param(["lab.ipynb"], "the following arguments are required: BUILD_FOLDER",
                 id="one argument"),
    pytest.param(["missing.ipynb", "out"], "NOTEBOOK must be a Jupyter notebook file; got "
                 "'{folder}/missing.ipynb' ([Errno 2] No such file", id="no notebook"),
    pytest.param(["out", "out2"], "NOTEBOOK must be a Jupyter notebook file; got '{folder}/out' "
                 "([Errno 21] Is a directory", id="notebook a folder"),
    pytest.param(["afile", "out2"], "NOTEBOOK must be a Jupyter notebook file; got "
                 "'{folder}/afile' (Notebook does not appear to be JSON", id="not a notebook"),
    pytest.param(["lab.ipynb", "afile"], "BUILD_FOLDER must be a folder (new or with a figures/ "
                 "folder); got '{folder}/afile', where '{folder}/afile' is a file",
                 id="build folder a file"),
    pytest.param(["lab.ipynb", "out"], "BUILD_FOLDER must be a folder (new or with a figures/ "
                 "folder); got '{folder}/out', where '{folder}/out/figures' is a file",
                 id="figures folder a file"),
    pytest.param(["lab.ipynb", "."], "BUILD_FOLDER must not hold NOTEBOOK; got '{folder}', "
                 "where the executed copy would replace '{folder}/lab.ipynb'", id="in place"),
])
def test_unusable_arguments_are_refused_before_running(tmp_path, monkeypatch, capsys, arguments,
                                                       message):
    """A usage error (exit 2) naming the argument, what it must be and what was given; files left
    as they were."""
    monkeypatch.setattr(build_notebook, "execute", never_executed)
    nbformat.write(new_notebook(cells=[cell([figure("fine")], 1)]), tmp_path / "lab.ipynb")
    (tmp_path / "afile").write_text("mine")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "figures").write_text("mine")
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / argument) for argument in arguments])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("usage: python -m tools.build_notebook [-h] NOTEBOOK BUILD_FOLDER")
    assert message.format(folder=tmp_path) in error
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


def test_a_real_run_writes_a_page_that_works_offline(tmp_path, capsys):
    """In a real kernel: no script or stylesheet from the network; MathJax and its configuration
    in build/mathjax/, where the page's relative URL points; the figure embedded with its alt text
    and written under its name; the formula kept for MathJax; the Report section as report.pdf."""
    notebook = new_notebook(cells=[
        new_markdown_cell(r"# Tiny" "\n\n"
                          r"The loss $$\mathcal{L} = -\frac{1}{N}\sum_i \log p(y_i \mid x_i)$$"),
        new_markdown_cell("## Report\n\nThe numbers."),
        new_code_cell("%matplotlib inline\nimport matplotlib.pyplot as plt\nprint('n = 3')\n"
                      "plt.plot([0, 1])\nplt.show()", metadata={"figures": [figure("line")]}),
    ])
    source, folder = tmp_path / "tiny.ipynb", tmp_path / "build"
    nbformat.write(notebook, source)
    assert main([str(source), str(folder)]) == 0
    html = (folder / "tiny.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=[\"']?(https?:)?//", html), "a script from the net"
    assert not re.search(r"<link[^>]*\shref=[\"']?(https?:)?//", html), "a stylesheet from the net"
    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
    assert sources == ["mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"]
    assert 'webFont: "STIX-Web"' in html  # the only web fonts jupyter-server-mathjax ships
    for part in ["MathJax.js", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js",
                 "extensions/Safe.js", "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js",
                 "fonts/HTML-CSS/STIX-Web/woff/STIXMathJax_Main-Regular.woff"]:
        assert (folder / "mathjax" / part).is_file(), part
    assert r"\mathcal{L} = -\frac{1}{N}\sum_i" in html
    assert re.findall(r'<img [^>]*alt="([^"]*)"', html) == ["A line rising from left to right."]
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', html)) == 1
    assert [path.name for path in (folder / "figures").iterdir()] == ["line.png"]
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert ", report.pdf (1 page(s)) and 1 figures: line\n" in capsys.readouterr().out
