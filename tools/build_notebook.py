"""`make run`: the notebook executed headless into BUILD_FOLDER, its offline HTML page, report.pdf
and figures/<name>.png, named and described by each cell's metadata "figures": [{"name", "alt"}]."""

import argparse
import base64
import copy
import os
import re
import shutil
import sys
import time
from functools import partial
from pathlib import Path

import jupyter_server_mathjax
import nbformat
from jinja2 import DictLoader
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from tools.report_pdf import notebook_title, write_report_pdf

__all__ = ["execute", "main", "read_notebook"]

FIGURE_NAME = re.compile(r"[A-Za-z0-9_-]+")  # a plain file name: nothing written outside figures/
FIGURE = ('{"name": a plain file name (letters, digits, - and _), "alt": a sentence saying what '
          "the figure shows}")
# The 2.3 MB of jupyter-server-mathjax's MathJax 2.7 (12 MB) that the page uses.
MATHJAX_SOURCE = Path(jupyter_server_mathjax.__file__).parent / "static"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
MATHJAX_PARTS = ("LICENSE", "MathJax.js", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js",
                 "extensions/Safe.js", "extensions/HelpDialog.js", "extensions/TeX",
                 "jax/input/TeX", "jax/element/mml", "jax/output/HTML-CSS",
                 "fonts/HTML-CSS/STIX-Web/woff", "localization/en")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("Interactive widget: it needs a running Jupyter kernel, so this page cannot show "
               "it. Open the notebook in Jupyter (make lab) to use it.")
# The lab template without what it loads from the network (require.js, Mermaid; the widget manager
# goes with the widget state), MathJax told to use its STIX web fonts, figures with alt text.
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}
{{ super() }}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({"HTML-CSS": {availableFonts: [], webFont: "STIX-Web", imageFont: null}});
</script>
{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
     alt="{{ output | get_metadata('alt', 'image/png') | escape_html }}"></div>
{%- endblock data_png %}
"""


def read_notebook(parser: argparse.ArgumentParser, path: Path,
                  name: str = "NOTEBOOK") -> nbformat.NotebookNode:
    """The notebook at `path`, argument `name` of a command: a usage error if it cannot be read."""
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError, nbformat.ValidationError) as error:
        parser.error(f"{name} must be a Jupyter notebook file; got {str(path)!r} ({error})")


def execute(notebook: nbformat.NotebookNode, cwd: Path, allow_errors: bool = False) -> None:
    """Run `notebook` top to bottom in a fresh kernel working in `cwd`, its outputs kept in it."""
    NotebookClient(notebook, kernel_name="python3", timeout=600, allow_errors=allow_errors,
                   resources={"metadata": {"path": str(cwd)}}).execute()


def _where(index: int, cell: nbformat.NotebookNode) -> str:
    """A cell as error messages name it: its index and first line."""
    return f"cell {index} ({(cell.source.splitlines() or [''])[0]})"


def _figures(cell: nbformat.NotebookNode) -> list:
    """The figures a cell declares in its metadata (checked by `_declaration_problems`)."""
    return cell.metadata.get("figures", []) if cell.cell_type == "code" else []


def _is_figure(entry: object) -> bool:
    """Whether `entry` declares a figure as FIGURE says."""
    return (isinstance(entry, dict) and set(entry) == {"name", "alt"}
            and isinstance(entry["name"], str) and bool(FIGURE_NAME.fullmatch(entry["name"]))
            and isinstance(entry["alt"], str) and bool(entry["alt"].strip()))


def _declaration_problems(notebook: nbformat.NotebookNode) -> list[str]:
    """One line per bad "figures" list or name declared twice, naming the cell(s)."""
    problems, declared_by = [], {}
    for index, cell in enumerate(notebook.cells):
        figures = _figures(cell)
        bad = [entry for entry in figures if not _is_figure(entry)] if isinstance(
            figures, list) else [figures]
        if bad:
            problems.append(f'{_where(index, cell)}: each entry of "figures" must be {FIGURE}; '
                            f"got {bad[0]!r}")
            continue
        for name in (figure["name"] for figure in figures):
            if name in declared_by:
                problems.append(f"{_where(index, cell)}: figure name {name!r} is declared twice "
                                f"(cells {declared_by[name]} and {index})")
            declared_by.setdefault(name, index)
    return problems


def _pngs(cell: nbformat.NotebookNode) -> list[str]:
    """The base64-encoded image/png outputs of a cell, in order."""
    return [out["data"]["image/png"] for out in cell.get("outputs", [])
            if "image/png" in out.get("data", {})]


def _figure_mismatches(notebook: nbformat.NotebookNode) -> list[str]:
    """One line per code cell whose PNG outputs are not exactly the figures it declares."""
    return [f"{_where(index, cell)}: declares {len(_figures(cell))} figure(s), yields "
            f"{len(_pngs(cell))} PNG output(s)" for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and len(_figures(cell)) != len(_pngs(cell))]


def _export_figures(notebook: nbformat.NotebookNode, folder: Path) -> list[Path]:
    """Each declared figure decoded into `folder` under its name, after removing the PNGs that an
    earlier run left there; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.png"):
        stale.unlink()
    written = []
    for cell in notebook.cells:
        for figure, image in zip(_figures(cell), _pngs(cell), strict=True):
            written.append(folder / f"{figure['name']}.png")
            written[-1].write_bytes(base64.b64decode(image))
    return written


def _copy_mathjax(build: Path) -> None:
    """Copy the part of MathJax that the HTML uses into `build`/mathjax."""
    for part in MATHJAX_PARTS:
        source, destination = MATHJAX_SOURCE / part, build / "mathjax" / part
        destination.parent.mkdir(parents=True, exist_ok=True)
        (partial(shutil.copytree, dirs_exist_ok=True) if source.is_dir() else shutil.copyfile)(
            source, destination)


def _for_html(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy titled by its first heading, its figures carrying their alt texts, without the
    widget state, each widget view replaced by a note saying why."""
    static = copy.deepcopy(notebook)
    static.metadata.pop("widgets", None)
    static.metadata["title"] = notebook_title(notebook) or "Notebook"
    for cell in static.cells:
        figures = iter(_figures(cell))
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output["data"] = {"text/plain": WIDGET_NOTE}
            elif "image/png" in output.get("data", {}):
                output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = next(
                    figures)["alt"]
    return static


def _offline_html(notebook: nbformat.NotebookNode) -> str:
    """The notebook as an HTML page loading MathJax from ./mathjax/, nothing from the network; not
    sanitized: our own content, and sanitizing it costs seconds."""
    exporter = HTMLExporter(extra_loaders=[DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})],
                            filters={"clean_html": lambda html: html},
                            template_file="offline.html.j2",
                            mathjax_url=f"mathjax/MathJax.js?config={MATHJAX_CONFIG}")
    return exporter.from_notebook_node(_for_html(notebook))[0]


def _arguments(argv: list[str] | None) -> tuple[Path, Path, nbformat.NotebookNode]:
    """NOTEBOOK, BUILD_FOLDER and the notebook read; a usage error (exit 2) saying what was
    expected and what was given when they cannot be used."""
    parser = argparse.ArgumentParser(prog="python -m tools.build_notebook",
                                     description=__doc__)
    parser.add_argument("notebook", metavar="NOTEBOOK", type=Path, help="the notebook to run")
    parser.add_argument("build", metavar="BUILD_FOLDER", type=Path, help="where to write")
    args = parser.parse_args(argv)
    notebook = read_notebook(parser, args.notebook)
    for folder in (args.build, args.build / "figures"):
        if folder.exists() and not folder.is_dir():
            parser.error(f"BUILD_FOLDER must be a folder (new or with a figures/ folder); got "
                         f"{str(args.build)!r}, where {str(folder)!r} is a file")
    if (args.build / args.notebook.name).resolve() == args.notebook.resolve():
        parser.error(f"BUILD_FOLDER must not hold NOTEBOOK; got {str(args.build)!r}, where the "
                     f"executed copy would replace {str(args.notebook)!r}")
    return args.notebook, args.build, notebook


def main(argv: list[str] | None = None) -> int:
    """Build: exit 0, or 1 naming the cells when figures are declared badly or not yielded."""
    source, build, notebook = _arguments(argv)
    problems = _declaration_problems(notebook)
    if problems:
        print(f"build_notebook: {source}: refused before running anything:", *problems,
              sep="\n", file=sys.stderr)
        return 1
    start = time.perf_counter()
    execute(notebook, source.resolve().parent)
    mismatches = _figure_mismatches(notebook)
    if mismatches:
        print(f"build_notebook: {source}: cells do not yield the figures they declare:",
              *mismatches, f"nothing written (MPLBACKEND={os.environ.get('MPLBACKEND', '')!r}; "
              "a figure cell yields no PNG when the notebook does not select the inline backend)",
              sep="\n", file=sys.stderr)
        return 1
    figures = _export_figures(notebook, build / "figures")
    nbformat.write(notebook, build / source.name)
    _copy_mathjax(build)
    (build / source.with_suffix(".html").name).write_text(_offline_html(notebook), "utf-8")
    pages = write_report_pdf(notebook, build / "report.pdf", source=source.name)
    report = f"report.pdf ({pages} page(s))" if pages else "no report.pdf (no Report section)"
    print(f"executed {source} in {time.perf_counter() - start:.1f} s; wrote {build / source.name}, "
          f"{source.with_suffix('.html').name} (MathJax in mathjax/), {report} and {len(figures)} "
          f"figures: {', '.join(p.stem for p in figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
