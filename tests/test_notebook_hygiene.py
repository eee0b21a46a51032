"""The committed notebook is trustworthy: executed top to bottom, no stray errors, nothing
machine-specific.

nbval re-runs the notebook and compares outputs; these checks catch what nbval cannot see (a
notebook committed half-run or out of order) and what would make it flaky or leak the author's
machine (memory addresses, paths, stderr, SVG). They follow the course's shared notebook check
(../shared/tools/check_notebook.py), and are functions over the notebook's JSON so that each one
is tested on a copy of the notebook with the fault injected.

stderr policy: a traceback on stderr is always flagged (an error was swallowed); any other stderr
stream (a warning, a log line) is flagged unless its cell is tagged nbval-ignore-output, because its
text changes with library versions and nbval would compare it; a marked cell shows it on purpose
(paths in it are still flagged).
"""

import copy
import json
import re
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "lab2_backprop.ipynb"
# with or without "at ": 8+ hex digits are an address, not a constant
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{8,}\b")
MACHINE_PATH = re.compile(
    r"(/work/|/root/|/tmp/|/home/[^/\s]+/|/Users/[^/\s]+/|/usr/|/opt/|site-packages|ipykernel_\d+|"
    # C:\Users\ as printed, or C:\\Users\\ in a repr
    r"[A-Za-z]:\\{1,2}(Users|Program Files|ProgramData)\\{1,2})"
)


def load_notebook() -> dict:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


COMMITTED = load_notebook()


def code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def source_of(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def has_tag(cell: dict, tag: str) -> bool:
    """Whether the cell carries this metadata tag (nbval reads `nbval-ignore-output`, ...)."""
    return tag in cell.get("metadata", {}).get("tags", [])


def output_texts(output: dict) -> list[str]:
    """Every text an output shows: its stream text, each text/* representation, its traceback."""
    texts = ["".join(output.get("text", "")), "\n".join(output.get("traceback", []))]
    texts += ["".join(value) for mime, value in output.get("data", {}).items()
              if mime.startswith("text/")]
    return texts


def execution_order_problems(notebook: dict) -> list[str]:
    """A problem unless the execution counts are exactly 1..n: a fresh kernel, every cell once, in
    order."""
    counts = [cell.get("execution_count") for cell in code_cells(notebook)]
    return ([] if counts == list(range(1, len(counts) + 1))
            else [f"execution counts are not 1..n: {counts}"])


def output_problems(cell: dict, index: int) -> list[str]:
    """What is wrong with the outputs of code cell #index: errors, stderr, SVG, addresses, machine
    paths."""
    where = f"code cell #{index}"
    raises = has_tag(cell, "raises-exception")
    ignored = has_tag(cell, "nbval-ignore-output")
    problems = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "error" and not raises:
            problems.append(f"{where} has an error output: {output.get('ename')}")
        if output["output_type"] == "stream" and output.get("name") == "stderr":
            if "Traceback" in "".join(output.get("text", "")):
                problems.append(f"{where} prints a traceback on stderr")
            elif not ignored:
                problems.append(f"{where} writes to stderr and is not tagged nbval-ignore-output")
        if "image/svg+xml" in output.get("data", {}):
            problems.append(f"{where} has an SVG output (nbval compares it byte for byte; use PNG)")
        for text in output_texts(output):
            if match := ADDRESS.search(text):
                problems.append(f"{where} prints a memory address ({match.group(0)})")
            if match := MACHINE_PATH.search(text):
                problems.append(f"{where} prints a machine path ({match.group(0)})")
    return problems


def figure_problems(cell: dict, index: int) -> list[str]:
    """A problem unless the cell's metadata names each figure it draws, with an alt text (for
    `make run`'s build/figures/ and the HTML page)."""
    drawn = sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
    declared = cell.get("metadata", {}).get("figures", [])
    if drawn != len(declared):
        return [f"code cell #{index} draws {drawn} figure(s) and its metadata names "
                f"{len(declared)}"]
    return [f"code cell #{index} names a figure without a name and an alt text"
            for figure in declared if not (figure.get("name") and figure.get("alt"))]


def tooling_problems(cell: dict, index: int) -> list[str]:
    """Tooling belongs in metadata, not in what students read: no `# NBVAL_...` or `# figure:`
    comment lines."""
    tooling = re.compile(r"^\s*#\s*(NBVAL_|figures?:)", re.MULTILINE)
    return ([f"code cell #{index} carries a tooling comment"] if tooling.search(source_of(cell))
            else [])


def notebook_problems(notebook: dict) -> list[str]:
    """Everything that makes a committed notebook untrustworthy; [] for a clean one."""
    problems = execution_order_problems(notebook)
    for index, cell in enumerate(code_cells(notebook)):
        problems += (output_problems(cell, index) + figure_problems(cell, index)
                     + tooling_problems(cell, index))
    return problems


def test_committed_notebook_is_clean():
    """The committed notebook passes every check."""
    problems = notebook_problems(COMMITTED)
    assert problems == [], "\n".join(problems)


def stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def display(mime: str, value: str) -> dict:
    return {"output_type": "display_data", "data": {mime: value}, "metadata": {}}


def with_output(output: dict, *, tag: str | None = None) -> tuple[dict, int]:
    """A copy of the committed notebook with `output` added to a code cell (one tagged `tag`, if
    given)."""
    notebook = copy.deepcopy(COMMITTED)
    cells = code_cells(notebook)
    index = next(i for i, cell in enumerate(cells)
                 if tag is None or has_tag(cell, tag))
    cells[index]["outputs"].append(output)
    return notebook, index


@pytest.mark.parametrize(("output", "flagged_as"), [
    # as printed: single backslashes
    (stream("saved to C:\\Users\\alice\\lab2\\out.png\n"), "machine path"),
    # as a repr shows it
    (display("text/plain", "WindowsPath('C:\\\\Users\\\\alice\\\\lab2')"), "machine path"),
    (stream("/home/jane.doe/lab2/g2model.py:12: note\n"), "machine path"),
    (stream("/usr/lib/python3/dist-packages/numpy/core.py\n"), "machine path"),
    (stream("/opt/conda/lib/python3.11/site-packages/torch/__init__.py\n"), "machine path"),
    (stream(".venv/lib/python3.11/site-packages/torch/nn/modules/module.py:1\n"), "machine path"),
    (stream("wrote /tmp/tmpa1b2c3/figure.png\n"), "machine path"),
    (stream("File ipykernel_4711/3142.py, line 2\n"), "machine path"),
    (display("text/html", "<code>/work/main/build</code>"), "machine path"),
    (display("text/plain", "<g2model.G2Model object at 0x7f3a2b1c4d50>"), "memory address"),
    (stream("id(w) = 0x7f3a2b1c4d50\n"), "memory address"),  # hex(id(...)), no "at"
    (stream("data_ptr 0x00007FFD3A2B\n"), "memory address"),
    (stream("Traceback (most recent call last):\n  ValueError: x\n", name="stderr"),
     "traceback on stderr"),
    (stream("UserWarning: the figure layout has changed\n", name="stderr"), "stderr"),
    ({"output_type": "error", "ename": "ValueError", "evalue": "x", "traceback": []},
     "error output"),
    (display("image/svg+xml", "<svg/>"), "SVG output"),
])
def test_injected_fault_is_flagged(output, flagged_as):
    """Each kind of untrustworthy output, injected into a copy of the notebook, is flagged in that
    cell."""
    notebook, index = with_output(output)
    problems = notebook_problems(notebook)
    assert any(f"code cell #{index} " in problem and flagged_as in problem
               for problem in problems), problems


@pytest.mark.parametrize("output", [
    stream("mask 0xFFFF, seed 0x2A\n"),  # short hex constants are not addresses
    # relative paths are not machine paths
    stream("see data/users/alice.csv and src/usr_config.py\n"),
    stream("torch 2.13.0+cpu\n"),
])
def test_machine_independent_output_passes(output):
    """Outputs that merely look like addresses or paths are not flagged."""
    notebook, _ = with_output(output)
    assert notebook_problems(notebook) == []


def test_stderr_in_a_cell_marked_ignore_output_passes_unless_a_traceback():
    """A deliberate warning in a cell tagged nbval-ignore-output is allowed; a traceback on stderr
    never is."""
    warning, _ = with_output(stream("UserWarning: shown on purpose\n", name="stderr"),
                             tag="nbval-ignore-output")
    assert notebook_problems(warning) == []
    traceback, index = with_output(stream("Traceback (most recent call last):\n", name="stderr"),
                                   tag="nbval-ignore-output")
    assert notebook_problems(traceback) == [f"code cell #{index} prints a traceback on stderr"]


def test_error_in_a_cell_marked_raises_exception_passes():
    """nbval's raises-exception tag makes an error output expected."""
    notebook, index = with_output({"output_type": "error", "ename": "ValueError", "evalue": "x",
                                   "traceback": []})
    code_cells(notebook)[index]["metadata"]["tags"] = ["raises-exception"]
    assert notebook_problems(notebook) == []


def test_out_of_order_execution_is_flagged():
    """A cell re-run out of order (count 1 twice) is flagged."""
    notebook = copy.deepcopy(COMMITTED)
    code_cells(notebook)[1]["execution_count"] = 1
    assert notebook_problems(notebook)[0].startswith("execution counts are not 1..n")


def test_unnamed_figure_is_flagged():
    """A figure drawn by a cell whose metadata does not name it is flagged."""
    notebook, index = with_output(display("image/png", "iVBORw0KGgo="))
    assert f"code cell #{index} draws" in "\n".join(notebook_problems(notebook))


def test_a_figure_without_alt_text_is_flagged():
    notebook, index = with_output(display("image/png", "iVBORw0KGgo="))
    code_cells(notebook)[index]["metadata"]["figures"] = [{"name": "a-figure", "alt": ""}]
    assert notebook_problems(notebook) == [
        f"code cell #{index} names a figure without a name and an alt text"]


def test_a_tooling_comment_is_flagged():
    notebook = copy.deepcopy(COMMITTED)
    cell = code_cells(notebook)[2]
    cell["source"] = "# NBVAL_IGNORE_OUTPUT\n" + source_of(cell)
    assert notebook_problems(notebook) == ["code cell #2 carries a tooling comment"]
