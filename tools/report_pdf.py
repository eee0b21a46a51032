"""The notebook's Report section as ``build/report.pdf``: A4 pages drawn by matplotlib (no LaTeX).

The section runs from the markdown cell holding ``<a id="report"></a>`` to the next markdown cell
that opens with a level-2 heading. Markdown becomes wrapped plain text (math through mathtext when
it parses); a code cell gives its stdout in a monospace font and its PNG figures at the page width.
Fonts are embedded as TrueType (``pdf.fonttype`` 42), so the text can be selected and searched.
"""

from __future__ import annotations

import base64
import html
import io
import re
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
from matplotlib import cbook
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.image import imread
from matplotlib.mathtext import MathTextParser
from matplotlib.textpath import TextToPath

REPORT_ANCHOR = '<a id="report"></a>'
MAX_PAGES = 2

# A4 portrait in points (1/72 inch), its margins, and the footer's baseline above the page's bottom.
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, FOOTER_BASELINE = 56.7, 56.7, 62.0, 34.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
CONTENT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
BLOCK_GAP, HEADING_GAP = 7.0, 12.0
RC = {"pdf.fonttype": 42, "mathtext.fontset": "dejavusans"}

# Math that mathtext does not know, rewritten to what it does before it is tried.
MATHTEXT_FIXES = ((r"\\[lr]Vert\b", r"\\Vert"), (r"\\[lr]vert\b", "|"), (r"\\tfrac\b", r"\\frac"),
                  (r"\\frac\s*(\w)\s*(\w)", r"\\frac{\1}{\2}"), (r"\\le\b", r"\\leq"),
                  (r"\\ge\b", r"\\geq"))
# Commands turned into plain text when the math does not parse (or goes into monospace text).
MATH_SYMBOLS = {
    "varepsilon": "ε", "epsilon": "ε", "delta": "δ", "alpha": "α", "beta": "β",  # noqa: RUF001
    "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ", "Delta": "Δ",  # noqa: RUF001
    "Sigma": "Σ", "sum": "Σ", "nabla": "∇", "partial": "∂", "infty": "∞", "approx": "≈",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "pm": "±", "in": "∈",
    "times": "×", "cdot": "·", "to": "→", "iff": "⇔", "mid": "|", "top": "ᵀ",  # noqa: RUF001
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "langle": "⟨", "rangle": "⟩",
    "quad": " ", "qquad": " ", "left": "", "right": "",
}
MATH_SPACES = {",": " ", ";": " ", ":": " ", "!": "", " ": " ", "_": "_", "{": "{", "}": "}",
               "%": "%", "|": "‖"}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
HORIZONTAL_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
TOKEN = re.compile(r"(?:\$(?:\\.|[^$\\])+\$|\\\$|[^\s$])+")
_PARSER = MathTextParser("path")
_MEASURE = TextToPath()


@dataclass(frozen=True)
class Style:
    """How a line of text is drawn: size in points, font family and weight, colour, line spacing."""

    size: float
    family: str = "DejaVu Sans"
    weight: str = "normal"
    color: str = "black"
    leading: float = 1.35

    def font(self) -> FontProperties:
        """The matplotlib font of this style."""
        return FontProperties(family=self.family, weight=self.weight, size=self.size)


TITLE = Style(17, weight="bold", leading=1.3)
SUBTITLE = Style(10, color="0.35")
HEADING = Style(12.5, weight="bold", leading=1.4)
BODY = Style(10)
MONO = Style(8.5, family="DejaVu Sans Mono", leading=1.25)
FOOTER = Style(8, color="0.4")


@dataclass(frozen=True)
class TextRow:
    """One line of text; `prose` lines may hold $math$, the others are drawn verbatim."""

    text: str
    style: Style
    prose: bool = False
    indent: float = 0.0
    centered: bool = False

    @property
    def ascent(self) -> float:
        """Points from the row's top to its baseline."""
        return max(self.style.size * 1.05, math_extent(self)[0] + self.style.size * 0.15)

    @property
    def height(self) -> float:
        """Points the row takes on the page."""
        descent = max(self.style.size * (self.style.leading - 1.05), math_extent(self)[1] + 2.0)
        return self.ascent + descent


@dataclass(frozen=True, eq=False)
class ImageRow:
    """A PNG figure drawn `width` x `height` points."""

    image: np.ndarray
    width: float
    height: float


@dataclass(frozen=True)
class Space:
    """Vertical space between blocks kept on one page; dropped at the top of a page."""

    height: float


Row = TextRow | ImageRow | Space
Placed = tuple[float, Row]  # a row and its top, in points below the top of the page's content


@dataclass(frozen=True)
class Block:
    """Rows kept on one page when they fit on one, with the space above them."""

    rows: tuple[Row, ...]
    gap: float = BLOCK_GAP


def holds_report_anchor(cell: nbformat.NotebookNode) -> bool:
    """Whether `cell` is the markdown cell that opens the Report section."""
    return cell.cell_type == "markdown" and REPORT_ANCHOR in cell.source


def has_report_section(notebook: nbformat.NotebookNode) -> bool:
    """Whether the notebook has a Report section."""
    return any(map(holds_report_anchor, notebook.cells))


def report_section(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cells from the one holding the report anchor up to the next level-2 markdown heading."""
    if not has_report_section(notebook):
        raise ValueError(f"the notebook has no Report section (no cell with {REPORT_ANCHOR})")
    cells = notebook.cells
    start = next(i for i, cell in enumerate(cells) if holds_report_anchor(cell))
    end = next((i for i in range(start + 1, len(cells)) if cells[i].cell_type == "markdown"
                and cells[i].source.lstrip().startswith("## ")), len(cells))
    return cells[start:end]


def notebook_title(notebook: nbformat.NotebookNode) -> str | None:
    """The text of the notebook's first level-1 heading, if it has one."""
    for cell in notebook.cells:
        found = re.search(r"^# (.+)$", cell.source, re.MULTILINE)
        if cell.cell_type == "markdown" and found:
            return plain_text(found.group(1), mathtext=False)
    return None


def math_parses(tex: str) -> bool:
    """Whether matplotlib's mathtext can draw `tex` (without its dollars)."""
    try:
        _PARSER.parse(f"${tex}$", 72)
    except ValueError:
        return False
    return True


def simple_math(tex: str) -> str:
    """LaTeX math as plain text: known commands become symbols, the others lose their backslash."""
    text = re.sub(r"\\(?:text|math[a-z]+|operatorname)\s*\{((?:\\.|[^{}])*)\}", r"\1", tex)
    text = re.sub(r"\\[dt]?frac\s*(\{[^{}]*\}|\w)\s*(\{[^{}]*\}|\w)", r"\1/\2", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: MATH_SYMBOLS.get(m.group(1), m.group(1)), text)
    text = re.sub(r"\\(.)", lambda m: MATH_SPACES.get(m.group(1), m.group(1)), text)
    text = re.sub(r"([_^])\{([^{}]*)\}", r"\1\2", text).replace("{", "").replace("}", "")
    return re.sub(r" {2,}", " ", text).strip()


def math_span(tex: str, mathtext: bool) -> str:
    """A math span: ``$tex$`` for mathtext when allowed and it parses, else its plain-text form."""
    fixed = tex.strip()
    for pattern, replacement in MATHTEXT_FIXES:
        fixed = re.sub(pattern, replacement, fixed)
    return f"${fixed}$" if mathtext and math_parses(fixed) else simple_math(tex).replace("$", r"\$")


def plain_text(markdown: str, mathtext: bool = True) -> str:
    """Inline markdown as plain text: emphasis, code marks, links and HTML go, math stays as $...$
    when `mathtext` and mathtext parses it; a literal dollar comes out as ``\\$``."""
    kept: list[str] = []

    def keep(text: str) -> str:
        kept.append(text)
        return f"\ue000{len(kept) - 1}\ue001"

    text = re.sub(r"`([^`]+)`", lambda m: keep(m.group(1).replace("$", r"\$")), markdown)
    text = re.sub(r"\$\$(.+?)\$\$|(?<!\\)\$(.+?)(?<!\\)\$", lambda m: keep(math_span(
        m.group(1) or m.group(2), mathtext)), text, flags=re.DOTALL)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])|(?<!\w)_(\S(?:.*?\S)?)_(?!\w)",
                  lambda m: m.group(1) or m.group(2), text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\\$", "$").replace("$", r"\$")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub("\ue000(\\d+)\ue001", lambda m: kept[int(m.group(1))], text)


def markdown_blocks(source: str) -> list[tuple[str, str]]:
    """A markdown cell as (kind, text) blocks; kinds: heading, paragraph, item, pre, table."""
    blocks: list[tuple[str, str]] = []
    kind, lines = "", []

    def flush() -> None:
        if lines:
            blocks.append((kind, "\n".join(lines)))
        lines.clear()

    for line in source.splitlines():
        if kind == "pre" and not line.startswith("```"):
            lines.append(line)
            continue
        item = LIST_ITEM.match(line)
        if line.startswith("```") or not line.strip() or HORIZONTAL_RULE.match(line):
            flush()
            kind = "pre" if line.startswith("```") and kind != "pre" else ""
        elif re.match(r"^#{1,6} ", line):
            flush()
            blocks.append(("heading", line.lstrip("#").strip()))
        elif line.lstrip().startswith("|"):
            if kind != "table":
                flush()
            kind = "table"
            lines.append(line.strip())
        elif item:
            flush()
            kind = "item"
            marker = "•" if item.group(2) in "-*+" else item.group(2)
            lines.append(f"{' ' * len(item.group(1))}{marker} {item.group(3)}")
        else:
            if kind not in ("paragraph", "item"):
                flush()
                kind = "paragraph"
            lines.append(re.sub(r"^\s*>\s?", "", line))
    flush()
    return blocks


def table_lines(table: str) -> list[str]:
    """A markdown table as monospace lines, aligned as its separator row says (then dropped)."""
    rows = [[plain_text(cell, mathtext=False).replace(r"\$", "$")
             for cell in line.strip().strip("|").split("|")] for line in table.splitlines()]
    rule = next((row for row in rows if all(re.fullmatch(r":?-+:?", cell) for cell in row)), [])
    rows = [row for row in rows if row is not rule]
    columns = max(len(row) for row in [rule, *rows])
    rows = [row + [""] * (columns - len(row)) for row in rows]
    widths = [max(len(row[k]) for row in rows) for k in range(columns)]
    aligns = [str.rjust if cell.endswith(":") and not cell.startswith(":") else
              str.center if cell.endswith(":") else str.ljust for cell in rule]
    aligns += [str.ljust] * (columns - len(aligns))
    return ["  ".join(align(cell, width) for cell, width, align
                      in zip(row, widths, aligns, strict=True)).rstrip() for row in rows]


def math_extent(row: TextRow) -> tuple[float, float]:
    """Height above and depth below the baseline of a prose row's mathtext; (0, 0) for the rest."""
    if not row.prose or not cbook.is_math_text(row.text):
        return 0.0, 0.0
    _, height, descent = _MEASURE.get_text_width_height_descent(row.text, row.style.font(), True)
    return height - descent, descent


def text_width(text: str, style: Style, prose: bool = True) -> float:
    """Width in points of `text` drawn in `style` (as mathtext when it is prose holding $math$)."""
    ismath = prose and cbook.is_math_text(text)
    shown = text if ismath or not prose else text.replace(r"\$", "$")
    return _MEASURE.get_text_width_height_descent(shown, style.font(), ismath)[0]


def wrap(text: str, style: Style, width: float) -> list[str]:
    """Prose split into lines no wider than `width` points, at spaces, a $math$ span never split."""
    lines: list[str] = []
    for token in TOKEN.findall(text):
        candidate = f"{lines[-1]} {token}" if lines else token
        if lines and text_width(candidate, style) <= width:
            lines[-1] = candidate
        else:
            lines.append(token)
    return lines


def prose_rows(text: str, style: Style, indent: float = 0.0, hang: float = 0.0) -> list[TextRow]:
    """Wrapped prose at `indent` points; lines after the first indented `hang` points more."""
    first, *rest = wrap(text, style, CONTENT_WIDTH - indent - hang) or [""]
    return [TextRow(first, style, prose=True, indent=indent),
            *(TextRow(line, style, prose=True, indent=indent + hang) for line in rest)]


def mono_rows(text: str) -> list[TextRow]:
    """Monospace lines as printed; a line too long for the page is wrapped with a 2-space hang."""
    columns = int(CONTENT_WIDTH // text_width("0", MONO, prose=False))
    rows = []
    for line in text.splitlines():
        pieces = textwrap.wrap(line, columns, subsequent_indent="  ", replace_whitespace=False,
                               drop_whitespace=True) if len(line) > columns else [line]
        rows.extend(TextRow(piece, MONO) for piece in pieces)
    return rows


def item_rows(item: str) -> list[TextRow]:
    """A list item ("• text" or "1. text", indented by nesting) with a hanging indent."""
    nesting = (len(item) - len(item.lstrip())) // 2
    marker, _, body = item.strip().partition(" ")
    indent = 12.0 * (nesting + 1)
    hang = text_width(marker + " ", BODY, prose=False)
    return prose_rows(f"{marker} {plain_text(body)}", BODY, indent=indent, hang=hang)


def markdown_block(kind: str, text: str, title: bool) -> Block:
    """The rows of one markdown block; a heading is the page title when `title`."""
    if kind == "heading":
        return Block(tuple(prose_rows(plain_text(text), TITLE if title else HEADING)),
                     gap=0.0 if title else HEADING_GAP)
    if kind == "pre":
        return Block(tuple(mono_rows(text)))
    if kind == "table":
        return Block(tuple(mono_rows("\n".join(table_lines(text)))))
    if kind == "item":
        return Block(tuple(item_rows(text)), gap=BLOCK_GAP / 3)
    if re.fullmatch(r"\s*\$\$.+\$\$\s*", text, re.DOTALL):
        shown = plain_text(text)
        if cbook.is_math_text(shown) and text_width(shown, BODY) <= CONTENT_WIDTH:
            return Block((TextRow(shown, BODY, prose=True, centered=True),))
    return Block(tuple(prose_rows(plain_text(text), BODY)))


def stream_text(text: str) -> str:
    """Printed text as a terminal shows it: no colour codes, tabs expanded, a carriage return
    overwriting its line, trailing blank lines dropped."""
    lines = [line.rsplit("\r", 1)[-1].expandtabs() for line in ANSI.sub("", text).split("\n")]
    return "\n".join(lines).rstrip("\n ")


def image_row(png_base64: str) -> ImageRow:
    """A PNG output at the page width, or smaller when it would not fit a page's height."""
    image = imread(io.BytesIO(base64.b64decode(png_base64)), format="png")
    height, width = image.shape[:2]
    scale = min(CONTENT_WIDTH / width, (CONTENT_HEIGHT - 60) / height)
    return ImageRow(image, width * scale, height * scale)


def code_blocks(cell: nbformat.NotebookNode) -> list[Block]:
    """A code cell's stdout (consecutive prints joined) and PNG figures, in output order."""
    blocks: list[Block] = []
    printed = ""
    for output in [*cell.get("outputs", []), None]:  # None: the end, where the last print goes out
        if output is not None and output.get("output_type") == "stream":
            printed += output.text if output.get("name") == "stdout" else ""
            continue
        if stream_text(printed):
            blocks.append(Block(tuple(mono_rows(stream_text(printed)))))
        printed = ""
        if output is not None and "image/png" in output.get("data", {}):
            blocks.append(Block((image_row(output["data"]["image/png"]),)))
    return blocks


def section_blocks(cells: list[nbformat.NotebookNode], subtitle: str | None) -> list[Block]:
    """The section's blocks top to bottom; the first heading is the title, with `subtitle` under it,
    and every heading is kept on the page of the block that follows it."""
    blocks: list[Block] = []
    for cell in cells:
        if cell.cell_type == "code":
            blocks.extend(code_blocks(cell))
        elif cell.cell_type == "markdown":
            for kind, text in markdown_blocks(cell.source):
                title = kind == "heading" and not blocks
                blocks.append(markdown_block(kind, text, title))
                if title and subtitle:
                    blocks.append(Block((TextRow(subtitle, SUBTITLE, prose=True),), gap=1.0))
    return keep_headings_with_next(blocks)


def keep_headings_with_next(blocks: list[Block]) -> list[Block]:
    """Each heading block (and the subtitle under the title) joined to the block after it."""
    joined: list[Block] = []
    for block in blocks:
        last = joined[-1].rows[-1] if joined else None
        if isinstance(last, TextRow) and last.style in (TITLE, HEADING, SUBTITLE):
            joined[-1] = Block((*joined[-1].rows, Space(block.gap), *block.rows), joined[-1].gap)
        else:
            joined.append(block)
    return joined


def paginate(blocks: list[Block], capacity: float = CONTENT_HEIGHT) -> list[list[Placed]]:
    """Each page's rows with their tops. A block goes to a new page when it does not fit the rest
    of this one, and is cut between rows when it is taller than a page."""
    pages: list[list[Placed]] = [[]]
    used = 0.0
    for block in blocks:
        gap = block.gap if pages[-1] else 0.0
        height = sum(row.height for row in block.rows)
        if pages[-1] and used + gap + height > capacity and height <= capacity:
            pages.append([])
            used, gap = 0.0, 0.0
        used += gap
        for row in block.rows:
            if pages[-1] and used + row.height > capacity:
                pages.append([])
                used = 0.0
            if isinstance(row, Space) and not pages[-1]:
                continue
            pages[-1].append((used, row))
            used += row.height
    return pages


def draw_row(figure: Figure, top: float, row: Row) -> None:
    """Draw one row on an A4 figure, its top `top` points below the content's top."""
    left = MARGIN_SIDE / PAGE_WIDTH
    if isinstance(row, Space):
        return
    if isinstance(row, ImageRow):
        bottom = 1 - (MARGIN_TOP + top + row.height) / PAGE_HEIGHT
        axes = figure.add_axes((left, bottom, row.width / PAGE_WIDTH, row.height / PAGE_HEIGHT))
        axes.imshow(row.image, interpolation="none", aspect="auto")
        axes.set_axis_off()
        return
    x = 0.5 if row.centered else left + row.indent / PAGE_WIDTH
    baseline = 1 - (MARGIN_TOP + top + row.ascent) / PAGE_HEIGHT
    figure.text(x, baseline, row.text, fontproperties=row.style.font(), color=row.style.color,
                ha="center" if row.centered else "left", va="baseline", parse_math=row.prose)


def draw_footer(figure: Figure, number: int, pages: int, source: str) -> None:
    """The footer: where the report comes from on the left, the page number on the right."""
    y = FOOTER_BASELINE / PAGE_HEIGHT
    for x, text, align in ((MARGIN_SIDE / PAGE_WIDTH, f"generated from {source}", "left"),
                           (1 - MARGIN_SIDE / PAGE_WIDTH, f"page {number} of {pages}", "right")):
        figure.text(x, y, text, fontproperties=FOOTER.font(), color=FOOTER.color, ha=align,
                    va="baseline", parse_math=False)


def render_page(rows: list[Placed], number: int, pages: int, source: str) -> Figure:
    """One A4 page: its rows and the footer."""
    figure = Figure(figsize=(PAGE_WIDTH / 72, PAGE_HEIGHT / 72))
    for top, row in rows:
        draw_row(figure, top, row)
    draw_footer(figure, number, pages, source)
    return figure


def write_report_pdf(notebook: nbformat.NotebookNode, path: Path, *,
                     source: str = "lab2_backprop.ipynb") -> int:
    """Write the notebook's Report section to `path` as A4 pages; returns the page count.

    Raises ValueError when the notebook has no Report section; warns past MAX_PAGES pages.
    """
    with matplotlib.rc_context(RC):
        blocks = section_blocks(report_section(notebook), notebook_title(notebook))
        pages = paginate(blocks)
        if len(pages) > MAX_PAGES:
            warnings.warn(f"report.pdf: the Report section takes {len(pages)} pages, more than "
                          f"{MAX_PAGES}", stacklevel=2)
        title = next((row.text for row in blocks[0].rows if isinstance(row, TextRow)), "Report")
        metadata = {"Title": title.replace("$", ""), "CreationDate": None,
                    "Creator": f"tools/report_pdf.py from {source}"}
        with PdfPages(path, metadata=metadata) as pdf:
            for number, rows in enumerate(pages, start=1):
                pdf.savefig(render_page(rows, number, len(pages), source))
    return len(pages)
