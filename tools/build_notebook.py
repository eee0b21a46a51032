"""Execute the notebook headless and write the build folder, in one process (what `make run` does):

- ``<build>/<name>.ipynb``: the executed notebook, with its outputs;
- ``<build>/<name>.html``: the same, to read in a browser, offline: MathJax is copied to
  ``<build>/mathjax/`` and nothing is loaded from the network (live widgets, which need a kernel,
  are replaced by a note);
- ``<build>/figures/<figure>.png``: every figure, named for what it shows (stale PNGs there are
  removed first).
- ``<build>/report.pdf``: the notebook's Report section as a PDF (when it has one).

A code cell names its figures in its first line: ``# figure: name`` for one figure,
``# figures: a, b, c`` for several (any case; spaces around the colon allowed); figures of unnamed
cells are named ``cell-<index>-<k>``. Before anything runs, the build refuses, naming the cells, a
figure name that is not a plain file name (letters, digits, - and _; not empty), one of the
cell-<index>-<k> names, or a name declared twice; it also refuses a missing notebook, a build folder
that is a file, and one whose output would replace the notebook. After running, it fails, naming the
cells, when a cell does not yield exactly the figures it declares.
Usage: python -m tools.build_notebook NOTEBOOK BUILD_FOLDER
"""

from __future__ import annotations

import base64
import copy
import os
import re
import shutil
import sys
import time
from pathlib import Path

import jupyter_server_mathjax
import nbformat
from jinja2 import DictLoader
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from tools.report_pdf import has_report_section, notebook_title, write_report_pdf

FIGURE_DECLARATION = re.compile(r"#\s*figures?\s*:(.*)", re.IGNORECASE)  # a line naming figures
FIGURE_NAME = re.compile(r"[A-Za-z0-9_-]+")  # a plain file name: nothing written outside figures/
AUTOMATIC_NAME = re.compile(r"cell-\d+-\d+")  # reserved for the figures of unnamed cells

# MathJax 2.7 as jupyter-server-mathjax ships it (12 MB), and the 2.3 MB of it a page of this
# notebook can use: the TeX input with its extensions, the HTML-CSS output with the STIX web fonts
# (the only ones shipped), the MathML elements, and English. Left out: other languages, the SVG
# output, the accessibility explorer.
MATHJAX_SOURCE = Path(jupyter_server_mathjax.__file__).parent / "static"
MATHJAX_FOLDER = "mathjax"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
MATHJAX_PARTS = (
    "LICENSE",
    "MathJax.js",
    "config/TeX-AMS-MML_HTMLorMML-full.js",
    "config/Safe.js",
    "extensions/Safe.js",
    "extensions/HelpDialog.js",
    "extensions/TeX",
    "jax/input/TeX",
    "jax/element/mml",
    "jax/output/HTML-CSS",
    "fonts/HTML-CSS/STIX-Web/woff",
    "localization/en",
)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("Interactive widget: it needs a running Jupyter kernel, so this page cannot show "
               "it. Open the notebook in Jupyter (make lab) to use it.")

# The lab template without the scripts it loads from the network: require.js (nothing here needs it)
# and Mermaid (no diagrams here); the widget manager goes with the widget state (see
# without_live_widgets). MathJax is told to use the STIX web fonts it has, not look for its TeX
# fonts first. Figures are embedded with their names as alternative text (see described).
OFFLINE_TEMPLATE = ("""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}
{{ super() }}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({"HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", """
                    """imageFont: null}});
</script>
{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" """
                    """alt="{{ output | get_metadata('alt', 'image/png') | escape_html }}">
</div>
{%- endblock data_png %}
""")


def execute(path: Path) -> nbformat.NotebookNode:
    """The notebook at `path`, executed top to bottom in a fresh kernel, with the notebook's folder
    as cwd."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(path.resolve().parent)}}).execute()
    return notebook


def declared_figures(source: str) -> list[str]:
    """The figure names a cell's first line declares (``# figure: a`` or ``# figures: a, b``), as
    written, empty ones included (``declaration_problems`` refuses them); [] if none."""
    match = FIGURE_DECLARATION.fullmatch(first_line(source).strip())
    return [name.strip() for name in match.group(1).split(",")] if match else []


def first_line(source: str) -> str:
    """A cell's first line ('' for an empty cell)."""
    return source.splitlines()[0] if source else ""


def declaration_problems(notebook: nbformat.NotebookNode) -> list[str]:
    """One line per bad figure name among the code cells' declarations, naming the cell (or the
    cells, for a name declared twice), so that the build can refuse them before running anything."""
    problems, declared_by = [], {}
    for index, cell in enumerate(notebook.cells):
        names = declared_figures(cell.source) if cell.cell_type == "code" else []
        for name in names:
            problem = name_problem(name)
            if problem is None and name in declared_by:
                problem = (f"figure name {name!r} is declared twice (cells {declared_by[name]} "
                           f"and {index})")
            if problem is not None:
                problems.append(f"cell {index} ({first_line(cell.source)}): {problem}")
            declared_by.setdefault(name, index)
    return problems


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a figure's file name (empty, not plain, or reserved), or None."""
    if not name:
        return "empty figure name (a stray comma?)"
    if not FIGURE_NAME.fullmatch(name):
        return f"figure name {name!r} is not a plain file name (letters, digits, - and _ only)"
    if AUTOMATIC_NAME.fullmatch(name):
        return f"figure name {name!r} is reserved for the figures of cells that declare none"
    return None


def path_problems(source: Path, build: Path) -> list[str]:
    """What makes the notebook and build folder unusable, found before running: a missing notebook,
    a build folder (or its figures folder) that is a file, a build folder whose executed copy would
    replace the source."""
    if not source.is_file():
        return [f"the notebook {source} is not a file"]
    for folder in (build, build / "figures"):
        if folder.exists() and not folder.is_dir():
            return [f"the build folder must be a folder; {folder} is a file"]
    if (build / source.name).resolve() == source.resolve():
        return [f"the build folder {build} would receive the executed copy as "
                f"{build / source.name}, replacing the notebook itself: choose another folder"]
    return []


def png_outputs(cell: nbformat.NotebookNode) -> list[str]:
    """The base64-encoded image/png outputs of a cell, in order."""
    return [out["data"]["image/png"] for out in cell.get("outputs", [])
            if "image/png" in out.get("data", {})]


def figure_mismatches(notebook: nbformat.NotebookNode) -> list[str]:
    """One line per code cell whose PNG outputs are not exactly the figures its first line
    declares."""
    mismatches = []
    for index, cell in enumerate(notebook.cells):
        declared = declared_figures(cell.source) if cell.cell_type == "code" else []
        produced = len(png_outputs(cell))
        if declared and produced != len(declared):
            mismatches.append(f"cell {index} ({first_line(cell.source)}): declares "
                              f"{len(declared)}, yields {produced} PNG output(s)")
    return mismatches


def figure_names(source: str, count: int, index: int) -> list[str]:
    """The names the cell's first line declares, or `count` numbered fallbacks when it declares
    none."""
    return declared_figures(source) or [f"cell-{index}-{k}" for k in range(1, count + 1)]


def export_figures(notebook: nbformat.NotebookNode, folder: Path) -> list[Path]:
    """Decode each image/png output of `notebook` into `folder`, after removing the PNGs an earlier
    run left there.

    Returns the files written. Raises ValueError when a cell declares a bad figure name (see
    ``declaration_problems``: nothing is written outside `folder`) or its PNGs do not match what it
    declares.
    """
    problems = declaration_problems(notebook)
    if problems:
        raise ValueError("cells declare figure names that cannot be used:\n" + "\n".join(problems))
    mismatches = figure_mismatches(notebook)
    if mismatches:
        raise ValueError("cells do not yield the figures they declare:\n" + "\n".join(mismatches))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.png"):
        stale.unlink()
    written = []
    for index, cell in enumerate(notebook.cells):
        images = png_outputs(cell)
        names = figure_names(cell.source, len(images), index) if images else []
        for name, image in zip(names, images, strict=True):
            path = folder / f"{name}.png"
            path.write_bytes(base64.b64decode(image))
            written.append(path)
    return written


def copy_mathjax(build: Path) -> Path:
    """Copy the part of MathJax the HTML uses into `build`/mathjax; returns that folder."""
    target = build / MATHJAX_FOLDER
    for part in MATHJAX_PARTS:
        source, destination = MATHJAX_SOURCE / part, target / part
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, destination)
    return target


def trusted(html: str) -> str:
    """The HTML sanitizer's replacement: this notebook is our own content, and sanitizing it costs
    seconds."""
    return html


def without_live_widgets(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of `notebook` without the widget state, each widget view replaced by a note saying
    why."""
    static = copy.deepcopy(notebook)
    static.metadata.pop("widgets", None)
    for cell in static.cells:
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output["data"] = {"text/plain": WIDGET_NOTE}
    return static


def described(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of `notebook` whose page title is its first heading and whose figures carry their
    names (as in build/figures/) as alternative text."""
    described_copy = copy.deepcopy(notebook)
    title = notebook_title(described_copy)
    if title:
        described_copy.metadata["title"] = title
    for index, cell in enumerate(described_copy.cells):
        if cell.cell_type != "code":
            continue
        images = [out for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]
        names = figure_names(cell.source, len(images), index)
        for output, name in zip(images, names, strict=False):
            output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = f"figure: {name}"
    return described_copy


def offline_html(notebook: nbformat.NotebookNode) -> str:
    """The notebook as an HTML page that loads MathJax from ./mathjax/ and nothing from the
    network."""
    exporter = HTMLExporter(
        extra_loaders=[DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})],
        template_file="offline.html.j2",
        mathjax_url=f"{MATHJAX_FOLDER}/MathJax.js?config={MATHJAX_CONFIG}",
        filters={"clean_html": trusted},
    )
    html, _ = exporter.from_notebook_node(described(without_live_widgets(notebook)))
    return html


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    source, build = Path(argv[0]), Path(argv[1])
    problems = (path_problems(source, build)
                or declaration_problems(nbformat.read(source, as_version=4)))
    if problems:
        print(f"build_notebook: {source}: refused before running anything:\n" + "\n".join(problems),
              file=sys.stderr)
        return 1
    start = time.perf_counter()
    notebook = execute(source)
    try:
        figures = export_figures(notebook, build / "figures")
    except ValueError as error:
        print(f"build_notebook: {source}: {error}\nnothing written "
              f"(MPLBACKEND={os.environ.get('MPLBACKEND', '')!r}; "
              "a figure cell yields no PNG when the notebook does not select the inline backend)",
              file=sys.stderr)
        return 1
    nbformat.write(notebook, build / source.name)
    copy_mathjax(build)
    (build / source.with_suffix(".html").name).write_text(offline_html(notebook), encoding="utf-8")
    report = (f"{write_report_pdf(notebook, build / 'report.pdf', source=source.name)} pages"
              if has_report_section(notebook)
              else "not written, the notebook has no Report section")
    print(f"report.pdf: {report}")
    print(f"executed {source} in {time.perf_counter() - start:.1f} s; wrote {build / source.name}, "
          f"{source.with_suffix('.html').name} (MathJax in {MATHJAX_FOLDER}/) and {len(figures)} "
          f"figures: {', '.join(p.stem for p in figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
