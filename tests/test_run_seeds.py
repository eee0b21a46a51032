"""tools/run_seeds.py (`make seeds`): SEED injected after the cell tagged "parameters", as
papermill does; the cells that raise under each seed reported; the command's refusals. One test
runs a real kernel on a tiny notebook; the others stand in for it."""

import re
from pathlib import Path

import pytest

pytest.importorskip("nbclient", reason="tools/run_seeds.py (make seeds) needs nbclient; the "
                    "notebook does not")
pytest.importorskip("jupyter_server_mathjax", reason="tools/run_seeds.py imports "
                    "tools/build_notebook.py, which needs jupyter_server_mathjax")

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import run_seeds
from tools.run_seeds import main

ROOT = Path(__file__).resolve().parent.parent


def lab(tmp_path, tagged: bool = True) -> Path:
    """A notebook whose cell 1 holds SEED = 0, tagged "parameters" when `tagged`."""
    parameters = new_code_cell("SEED = 0", metadata={"tags": ["parameters"] if tagged else []})
    cells = [new_markdown_cell("# Lab"), parameters, new_code_cell("train(SEED)"),
             new_code_cell("check(SEED)")]
    nbformat.write(new_notebook(cells=cells), tmp_path / "lab.ipynb")
    return tmp_path / "lab.ipynb"


def error(name: str, message: str) -> nbformat.NotebookNode:
    return new_output("error", ename=name, evalue=message, traceback=[])


class FakeKernel:
    """Stands in for execute: records what it was given; under SEED = 1, cells 3 and 4 of the
    seeded notebook (2 and 3 before the injection) raise, cell 3 twice."""

    def __init__(self):
        self.runs = []

    def __call__(self, notebook, cwd, allow_errors=False):
        self.runs.append((nbformat.from_dict(notebook), cwd, allow_errors))
        if "SEED = 1\n" in notebook.cells[2].source:
            notebook.cells[3].outputs = [error("ValueError", "bad seed\nsecond line"),
                                         error("KeyError", "")]
            notebook.cells[4].outputs = [error("AssertionError", "gap too large")]


def without_times(printed: str) -> list[str]:
    """The printed lines without the seconds each seed took."""
    return [re.sub(r" \(\d+ s\)$", "", line) for line in printed.splitlines()]


@pytest.fixture
def kernel(monkeypatch) -> FakeKernel:
    fake = FakeKernel()
    monkeypatch.setattr(run_seeds, "execute", fake)
    return fake


def test_seed_is_injected_after_the_parameters_cell_as_papermill_does(tmp_path, kernel):
    """A new cell right after the tagged one, papermill's source and tag; the rest unchanged; the
    notebook file untouched; run in the repository root with errors allowed."""
    path = lab(tmp_path)
    before = path.read_bytes()
    assert main(["--notebook", str(path), "7"]) == 0
    (seeded, cwd, allow_errors), = kernel.runs
    original = nbformat.read(path, as_version=4)
    assert seeded.cells[2].source == "# Parameters\nSEED = 7\n"
    assert seeded.cells[2].metadata == {"tags": ["injected-parameters"]}
    assert [cell.source for cell in seeded.cells[:2] + seeded.cells[3:]] == [
        cell.source for cell in original.cells]
    assert cwd == ROOT and allow_errors and path.read_bytes() == before


def test_the_cells_that_raise_are_reported_per_seed(tmp_path, kernel, capsys):
    """Each error output: the cell's index in the notebook as written, the exception, the first
    line of its message; exit 1 when any seed made a cell raise."""
    assert main(["--notebook", str(lab(tmp_path)), "0", "1", "2"]) == 1
    assert without_times(capsys.readouterr().out) == [
        "SEED = 0: no cell raised", "SEED = 1: 3 cell(s) raised",
        "  cell 2: ValueError: bad seed", "  cell 2: KeyError: ",
        "  cell 3: AssertionError: gap too large", "SEED = 2: no cell raised"]


def test_a_run_where_nothing_raises_exits_0(tmp_path, kernel, capsys):
    assert main(["--notebook", str(lab(tmp_path)), "0", "2"]) == 0
    assert len(kernel.runs) == 2 and "raised" in capsys.readouterr().out


@pytest.mark.parametrize(("arguments", "message"), [
    ([], "the following arguments are required: SEED"),
    (["x"], "argument SEED: invalid int value: 'x'"),
    (["1", "-3"], "argument SEED: must be an integer >= 0; got -3"),
    (["--notebook", "{folder}/missing.ipynb", "1"], "--notebook must be a Jupyter notebook file; "
     "got '{folder}/missing.ipynb' ([Errno 2] No such file"),
    (["--notebook", "{folder}/untagged.ipynb", "1"], '--notebook must have a cell tagged '
     '"parameters" (papermill\'s convention) to inject SEED after; got '
     "'{folder}/untagged.ipynb', which has none"),
])
def test_unusable_arguments_are_refused_before_running(tmp_path, kernel, capsys, arguments,
                                                       message):
    """A usage error (exit 2) naming the argument, what it must be and what was given."""
    lab(tmp_path, tagged=False).rename(tmp_path / "untagged.ipynb")
    with pytest.raises(SystemExit) as exit_info:
        main([argument.format(folder=tmp_path) for argument in arguments])
    error_text = capsys.readouterr().err
    assert exit_info.value.code == 2 and not kernel.runs
    assert error_text.startswith("usage: python -m tools.run_seeds [-h] [--notebook PATH] SEED")
    assert message.format(folder=tmp_path) in error_text


def test_a_real_kernel_runs_each_seed_in_the_repository_root(tmp_path, capsys):
    """The injected SEED wins over the tagged cell's; the kernel works in the repository root (the
    last cell reads pyproject.toml, then raises to show that it ran after a cell that raised)."""
    cells = [new_code_cell("SEED = 0", metadata={"tags": ["parameters"]}),
             new_code_cell("assert SEED != 1, f'seed {SEED} fails\\nsecond line'"),
             new_code_cell("open('pyproject.toml').close()\nraise RuntimeError(f'ran, {SEED = }')")]
    nbformat.write(new_notebook(cells=cells), tmp_path / "tiny.ipynb")
    assert main(["--notebook", str(tmp_path / "tiny.ipynb"), "0", "1"]) == 1
    assert without_times(capsys.readouterr().out) == [
        "SEED = 0: 1 cell(s) raised", "  cell 2: RuntimeError: ran, SEED = 0",
        "SEED = 1: 2 cell(s) raised", "  cell 1: AssertionError: seed 1 fails",
        "  cell 2: RuntimeError: ran, SEED = 1"]
