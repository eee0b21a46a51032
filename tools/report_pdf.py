"""The Report section (``## Report`` to the next level-2 heading) as A4 pages of selectable text by
matplotlib: markdown (with $math$), code cells' printed lines in monospace, PNG figures."""

import base64
import html
import io
import re
import warnings
from collections.abc import Callable
from itertools import groupby, pairwise
from pathlib import Path

import matplotlib
import nbformat
from matplotlib import cbook
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.image import imread
from matplotlib.mathtext import MathTextParser
from matplotlib.textpath import TextToPath

__all__ = ["notebook_title", "report_section", "write_report_pdf"]

MAX_PAGES = 2
# A4 portrait in points (1/72 inch), its margin, and the footer's baseline above the page's bottom.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN, FOOTER_BASELINE = 595.28, 841.89, 56.7, 34.0
CONTENT_WIDTH, CONTENT_HEIGHT = PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN - 6
MONO_SIZE, BLOCK_GAP, HEADING_GAP = 9.0, 7.0, 12.0
TITLE, HEADING, BODY, SMALL = (FontProperties(family="DejaVu Sans", weight=weight, size=size) for
                               size, weight in ((16, "bold"), (12.5, "bold"), (10, 400), (8, 400)))
# LaTeX commands that mathtext knows under another name.
MATHTEXT_NAMES = {"le": "leq", "ge": "geq", "lVert": "Vert", "rVert": "Vert", "tfrac": "frac"}
SPAN = re.compile(r"(`[^`]*`|(?<!\\)\$\$?[^$]+\$\$?)")  # a code span or a math span
TOKEN = re.compile(r"(?:\$[^$]*\$|\\\$|[^ $])+")  # a word for wrapping; a math span is one
LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")
_MEASURE = TextToPath()

Row = tuple[float, Callable[[Figure, float], None]]  # its height in points; draws it at a top
Block = tuple[float, list[Row], bool]  # the space above, its rows, whether kept with the next


def report_section(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cells from the ``## Report`` heading's to the next level-2 heading's ([] if none)."""
    headings = [re.findall(r"^## (.*)", cell.source, re.M) if cell.cell_type == "markdown" else []
                for cell in notebook.cells]
    start = next((i for i, found in enumerate(headings)
                  if any(re.match(r"Report\b", heading) for heading in found)), len(headings))
    end = next((i for i in range(start + 1, len(headings)) if headings[i]), len(headings))
    return notebook.cells[start:end]


def notebook_title(notebook: nbformat.NotebookNode) -> str | None:
    """The text of the notebook's first level-1 heading, if it has one."""
    for cell in notebook.cells:
        found = re.search(r"^# (.+)$", cell.source, re.M)
        if cell.cell_type == "markdown" and found:
            return " ".join(_unmarked(found.group(1)).split())
    return None


def _unmarked(markdown: str) -> str:
    """Markdown text without its marks: links become their text; HTML tags and emphasis go."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return html.unescape(re.sub(r"<[^>]+>|\*|\b_|_\b", "", text)).replace(r"\$", "$")


def _math(tex: str) -> str:
    """A math span for mathtext, or plain text (no backslashes, no braces) where it cannot parse."""
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: "\\" + MATHTEXT_NAMES.get(m[1], m[1]), tex.strip())
    try:
        MathTextParser("path").parse(f"${tex}$")
    except ValueError:
        return re.sub(r"\\([A-Za-z]+ ?)|[\\{}]", r"\1", tex)
    return f"${tex}$"


def _inline(markdown: str) -> str:
    """Inline markdown as matplotlib text: code verbatim, math by `_math`, the rest unmarked."""
    pieces = [_math(piece.strip("$")) if piece.startswith("$") else
              (piece.strip("`") if piece.startswith("`") else _unmarked(piece)).replace("$", r"\$")
              for piece in SPAN.split(markdown)]
    return re.sub(r"[ \t\r\n]+", " ", "".join(pieces)).strip(" ")  # no-break spaces kept


def _extent(text: str, font: FontProperties) -> tuple[float, float, float]:
    """Width, height and depth in points of `text` as matplotlib draws it (mathtext if $math$)."""
    math = cbook.is_math_text(text)
    shown = text if math else text.replace(r"\$", "$")
    return _MEASURE.get_text_width_height_descent(shown, font, math)


def _text_row(text: str, font: FontProperties, *, indent: float = 0.0, color: str = "black",
              math: bool = True, leading: float = 1.4) -> Row:
    """One line of text; with `math`, its $...$ spans are drawn by mathtext."""
    size = font.get_size_in_points()
    _, height, depth = _extent(text, font) if math else (0, 0, 0)
    ascent, descent = max(size, height - depth + 0.15 * size), max((leading - 1) * size, depth + 2)

    def draw(figure: Figure, top: float) -> None:
        figure.text((MARGIN + indent) / PAGE_WIDTH, 1 - (MARGIN + top + ascent) / PAGE_HEIGHT,
                    text, fontproperties=font, color=color, va="baseline", parse_math=math)

    return ascent + descent, draw


def _prose(text: str, font: FontProperties, indent: float = 0.0, hang: float = 0.0) -> list[Row]:
    """Text wrapped at spaces to the content's width, lines after the first `hang` points in."""
    lines: list[str] = []
    for token in TOKEN.findall(text):
        if lines and _extent(f"{lines[-1]} {token}", font)[0] <= CONTENT_WIDTH - indent - hang:
            lines[-1] += f" {token}"
        else:
            lines.append(token)
    return [_text_row(line, font, indent=indent + hang * (k > 0)) for k, line in enumerate(lines)]


def _mono_rows(printed: str) -> list[Row]:
    """Printed text in a monospace font, a row per line; the font shrinks for a line too wide."""
    lines = printed.expandtabs().rstrip().splitlines()
    font = FontProperties(family="DejaVu Sans Mono", size=MONO_SIZE)
    widest = _extent("0" * max(map(len, lines)), font)[0]
    font.set_size(min(MONO_SIZE, MONO_SIZE * CONTENT_WIDTH / widest))
    return [_text_row(line, font, math=False, leading=1.25) for line in lines]


def _image_row(png: str) -> Row:
    """A PNG figure at the content's width, or smaller where it would not fit a page's height."""
    image = imread(io.BytesIO(base64.b64decode(png)), format="png")
    scale = min(CONTENT_WIDTH / image.shape[1], (CONTENT_HEIGHT - 40) / image.shape[0])
    width, height = image.shape[1] * scale / PAGE_WIDTH, image.shape[0] * scale / PAGE_HEIGHT

    def draw(figure: Figure, top: float) -> None:
        left, bottom = MARGIN / PAGE_WIDTH, 1 - (MARGIN + top) / PAGE_HEIGHT - height
        figure.add_axes((left, bottom, width, height)).imshow(image, interpolation="none",
                                                              aspect="auto")
        figure.axes[-1].set_axis_off()

    return height * PAGE_HEIGHT, draw


def _code_blocks(cell: nbformat.NotebookNode) -> list[Block]:
    """A code cell's stdout (consecutive prints joined) and PNG figures, in output order."""
    shown = [output for output in cell.get("outputs", []) if "image/png" in output.get("data", {})
             or (output.get("name") == "stdout" and output["text"].strip())]
    blocks: list[Block] = []
    for printed, outputs in groupby(shown, key=lambda output: "text" in output):
        if printed:
            blocks.append((BLOCK_GAP, _mono_rows("".join(out["text"] for out in outputs)), False))
        else:
            blocks += [(BLOCK_GAP, [_image_row(o["data"]["image/png"])], False) for o in outputs]
    return blocks


def _markdown_parts(source: str) -> list[tuple[str, str]]:
    """A markdown cell as ("heading" | "item" | "paragraph", text) pairs, in order."""
    parts: list[tuple[str, str]] = []
    open_part = False
    for line in source.splitlines():
        if heading := re.match(r"#{1,6} ", line):
            parts.append(("heading", line[heading.end():]))
        elif line.strip() and (LIST_ITEM.match(line) or not open_part):
            parts.append(("item" if LIST_ITEM.match(line) else "paragraph", line.strip()))
        elif line.strip():
            parts[-1] = (parts[-1][0], f"{parts[-1][1]} {line.strip()}")
        open_part = bool(line.strip()) and not heading
    return parts


def _markdown_block(kind: str, text: str, subtitle: str | None, first: bool) -> Block:
    """One markdown part's rows; the section's first heading is its title, `subtitle` under it."""
    if kind == "heading" and first:
        subtitle_row = [_text_row(subtitle, BODY, color="0.35", math=False)] if subtitle else []
        return 0.0, _prose(_inline(text), TITLE) + subtitle_row, True
    if kind == "heading":
        return HEADING_GAP, _prose(_inline(text), HEADING), True
    if kind == "item":
        marker, body = text.split(maxsplit=1)
        hang = _extent(f"{marker} ", BODY)[0]
        return BLOCK_GAP / 2, _prose(f"{marker} {_inline(body)}", BODY, 12, hang), False
    return BLOCK_GAP, _prose(_inline(text), BODY), False


def _section_blocks(cells: list[nbformat.NotebookNode], subtitle: str | None) -> list[Block]:
    """The section's blocks, top to bottom."""
    blocks: list[Block] = []
    for cell in cells:
        for kind, text in _markdown_parts(cell.source) if cell.cell_type == "markdown" else []:
            blocks.append(_markdown_block(kind, text, subtitle, first=not blocks))
        blocks += _code_blocks(cell) if cell.cell_type == "code" else []
    return blocks


def _paginate(blocks: list[Block]) -> list[list[tuple[float, Row]]]:
    """Each page's rows with their tops: a block that does not fit the rest of a page (with the
    next block, for a heading) starts the next one; one taller than a page is cut between rows."""
    pages: list[list[tuple[float, Row]]] = [[]]
    used = 0.0
    for (gap, rows, keep), (_, after, _) in pairwise([*blocks, (0.0, [], False)]):
        needed = gap + sum(height for height, _ in rows + (after if keep else []))
        if pages[-1] and used + needed > CONTENT_HEIGHT:
            pages.append([])
        used = used + gap if pages[-1] else 0.0
        for row in rows:
            if pages[-1] and used + row[0] > CONTENT_HEIGHT:
                pages.append([])
                used = 0.0
            pages[-1].append((used, row))
            used += row[0]
    return pages


def write_report_pdf(notebook: nbformat.NotebookNode, path: Path, *,
                     source: str = "lab2_backprop.ipynb") -> int:
    """Write the notebook's Report section to `path` as A4 pages, warning past MAX_PAGES; returns
    the page count, 0 (and nothing written) when the notebook has no Report section."""
    title, section = notebook_title(notebook), report_section(notebook)
    if not section:
        return 0
    with matplotlib.rc_context({"pdf.fonttype": 42, "mathtext.fontset": "dejavusans"}):
        pages = _paginate(_section_blocks(section, title))
        if len(pages) > MAX_PAGES:
            warnings.warn(f"report.pdf: the Report section takes {len(pages)} pages, more than "
                          f"{MAX_PAGES}", stacklevel=2)
        metadata = {"Creator": f"tools/report_pdf.py from {source}", "CreationDate": None}
        with PdfPages(path, metadata=metadata) as pdf:
            for number, rows in enumerate(pages, start=1):
                page = Figure(figsize=(PAGE_WIDTH / 72, PAGE_HEIGHT / 72))
                for top, (_, draw) in rows:
                    draw(page, top)
                for x, text in ((MARGIN, f"generated from {source}"),
                                (PAGE_WIDTH - MARGIN, f"page {number} of {len(pages)}")):
                    page.text(x / PAGE_WIDTH, FOOTER_BASELINE / PAGE_HEIGHT, text, color="0.4",
                              fontproperties=SMALL, ha="left" if x == MARGIN else "right")
                pdf.savefig(page)
    return len(pages)
