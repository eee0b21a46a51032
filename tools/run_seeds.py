"""`make seeds`: the notebook headless under each SEED (injected after the cell tagged "parameters",
as papermill does), outputs not compared; lists every cell that raised, exit 1 if any did."""

import argparse
import copy
import sys
import time
from pathlib import Path

import nbformat

from tools.build_notebook import execute, read_notebook

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
INJECTED = "injected-parameters"  # papermill's tag for the cell it injects


def _tagged(cell: nbformat.NotebookNode, tag: str) -> bool:
    """Whether the cell's metadata has `tag` among its tags."""
    return tag in cell.metadata.get("tags", [])


def _with_seed(notebook: nbformat.NotebookNode, seed: int) -> nbformat.NotebookNode:
    """A copy of `notebook` with papermill's parameters cell for `seed` after the tagged cell."""
    seeded = copy.deepcopy(notebook)
    index = next(i for i, cell in enumerate(seeded.cells) if _tagged(cell, "parameters"))
    seeded.cells.insert(index + 1, nbformat.v4.new_code_cell(
        f"# Parameters\nSEED = {seed}\n", metadata={"tags": [INJECTED]}))
    return seeded


def _raised(seeded: nbformat.NotebookNode) -> list[str]:
    """One line per error output of an executed notebook: the cell's index in the notebook before
    the injection, the exception's name, the first line of its message."""
    cells = [cell for cell in seeded.cells if not _tagged(cell, INJECTED)]
    return [f"cell {index}: {output.ename}: {(output.evalue.splitlines() or [''])[0]}"
            for index, cell in enumerate(cells) for output in cell.get("outputs", [])
            if output.output_type == "error"]


def main(argv: list[str] | None = None) -> int:
    """Run the notebook once per seed; print what raised; 1 if anything did, else 0."""
    parser = argparse.ArgumentParser(prog="python -m tools.run_seeds", description=__doc__)
    parser.add_argument("--notebook", type=Path, default=ROOT / "lab2_backprop.ipynb",
                        metavar="PATH", help="the notebook (default: lab2_backprop.ipynb)")
    parser.add_argument("seeds", type=int, nargs="+", metavar="SEED", help="seeds to run")
    args = parser.parse_args(argv)
    if min(args.seeds) < 0:  # numpy's generators refuse them
        parser.error(f"argument SEED: must be an integer >= 0; got {min(args.seeds)}")
    notebook = read_notebook(parser, args.notebook, "--notebook")
    if not any(_tagged(cell, "parameters") for cell in notebook.cells):
        parser.error(f'--notebook must have a cell tagged "parameters" (papermill\'s convention) '
                     f"to inject SEED after; got {str(args.notebook)!r}, which has none")
    failed = False
    for seed in args.seeds:
        start, seeded = time.perf_counter(), _with_seed(notebook, seed)
        execute(seeded, ROOT, allow_errors=True)
        raised = _raised(seeded)
        print(f"SEED = {seed}: {f'{len(raised)} cell(s) raised' if raised else 'no cell raised'} "
              f"({time.perf_counter() - start:.0f} s)", *raised, sep="\n  ", flush=True)
        failed = failed or bool(raised)
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
