"""Write every PNG figure of an executed notebook to a folder, named for what it shows.

A code cell names its figures in its first line: ``# figure: name`` for one figure,
``# figures: a, b, c`` for several; figures of unnamed cells are named ``cell-<index>-<k>``.
Usage: python scripts/export_figures.py EXECUTED_NOTEBOOK OUTPUT_FOLDER
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path


def figure_names(source: str, count: int, index: int) -> list[str]:
    """The names the cell's first line declares, or numbered fallbacks; exactly `count` of them."""
    first_line = source.splitlines()[0] if source else ""
    for prefix in ("# figure:", "# figures:"):
        if first_line.startswith(prefix):
            names = [name.strip() for name in first_line[len(prefix):].split(",") if name.strip()]
            if len(names) == count:
                return names
    return [f"cell-{index}-{k}" for k in range(1, count + 1)]


def export_figures(notebook: Path, folder: Path) -> list[Path]:
    """Decode each image/png output of `notebook` into `folder`; returns the files written."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, cell in enumerate(cells):
        images = [out["data"]["image/png"] for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]
        if not images:
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for name, image in zip(figure_names(source, len(images), index), images, strict=True):
            path = folder / f"{name}.png"
            path.write_bytes(base64.b64decode(image))
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    written = export_figures(Path(argv[0]), Path(argv[1]))
    print(f"wrote {len(written)} figures to {argv[1]}: {', '.join(path.stem for path in written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
