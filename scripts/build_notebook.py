"""Execute the notebook headless and write the build folder, in one process (what `make run` does):

- ``<build>/<name>.ipynb``: the executed notebook, with its outputs;
- ``<build>/<name>.html``: the same, to read in a browser;
- ``<build>/figures/<figure>.png``: every figure, named for what it shows.

A code cell names its figures in its first line: ``# figure: name`` for one figure,
``# figures: a, b, c`` for several; figures of unnamed cells are named ``cell-<index>-<k>``.
Usage: python scripts/build_notebook.py NOTEBOOK BUILD_FOLDER
"""

from __future__ import annotations

import base64
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter


def execute(path: Path) -> nbformat.NotebookNode:
    """The notebook at `path`, executed top to bottom in a fresh kernel, with the notebook's folder as cwd."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(path.resolve().parent)}}).execute()
    return notebook


def figure_names(source: str, count: int, index: int) -> list[str]:
    """The names the cell's first line declares, or numbered fallbacks; exactly `count` of them."""
    first_line = source.splitlines()[0] if source else ""
    for prefix in ("# figure:", "# figures:"):
        if first_line.startswith(prefix):
            names = [name.strip() for name in first_line[len(prefix):].split(",") if name.strip()]
            if len(names) == count:
                return names
    return [f"cell-{index}-{k}" for k in range(1, count + 1)]


def export_figures(notebook: nbformat.NotebookNode, folder: Path) -> list[Path]:
    """Decode each image/png output of `notebook` into `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, cell in enumerate(notebook.cells):
        images = [out["data"]["image/png"] for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]
        for name, image in zip(figure_names(cell.source, len(images), index), images, strict=True):
            path = folder / f"{name}.png"
            path.write_bytes(base64.b64decode(image))
            written.append(path)
    return written


def trusted(html: str) -> str:
    """The HTML sanitizer's replacement: this notebook is our own content, and sanitizing it costs seconds."""
    return html


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    source, build = Path(argv[0]), Path(argv[1])
    start = time.perf_counter()
    notebook = execute(source)
    build.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, build / source.name)
    html, _ = HTMLExporter(filters={"clean_html": trusted}).from_notebook_node(notebook)
    (build / source.with_suffix(".html").name).write_text(html, encoding="utf-8")
    figures = export_figures(notebook, build / "figures")
    print(f"executed {source} in {time.perf_counter() - start:.1f} s; wrote {build / source.name}, "
          f"{source.with_suffix('.html').name} and {len(figures)} figures: {', '.join(p.stem for p in figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
