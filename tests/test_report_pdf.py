"""tools/report_pdf.py: the notebook's Report section as A4 pages of selectable text."""

import base64
import io
import re
import zlib

import nbformat
import pytest
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools.report_pdf import (
    BODY,
    CONTENT_HEIGHT,
    CONTENT_WIDTH,
    HEADING,
    Block,
    TextRow,
    code_blocks,
    image_row,
    keep_headings_with_next,
    markdown_blocks,
    mono_rows,
    paginate,
    plain_text,
    report_section,
    table_lines,
    write_report_pdf,
)

TABLE = ("hidden_size | train error test error     gap\n"
         "          5 |      14.00%     14.80%   0.80%\n"
         "        500 |       3.00%      3.08%   0.08%\n")
REPORT = '## Report <a id="report"></a>\n\nThe deliverables, computed from the **notebook**.'


def png(width: float, height: float) -> str:
    """A matplotlib figure of `width` x `height` inches as a base64 PNG, as a notebook stores it."""
    figure = Figure(figsize=(width, height))
    figure.add_subplot().plot([0, 1], [1, 0])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=50)
    return base64.b64encode(buffer.getvalue()).decode()


def stdout(text: str) -> nbformat.NotebookNode:
    return new_output("stream", name="stdout", text=text)


def figure_output(width: float = 8, height: float = 3) -> nbformat.NotebookNode:
    data = {"image/png": png(width, height), "text/plain": "<Figure>"}
    return new_output("display_data", data=data)


def notebook(*report_cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A notebook whose Report section (between Step 3 and Beyond) holds `report_cells`."""
    return new_notebook(cells=[
        new_markdown_cell("# Lab 2\n\n## Step 3\n\nNot in the report."),
        new_code_cell("print('before')", outputs=[stdout("BEFORE THE REPORT\n")]),
        *report_cells,
        new_markdown_cell("## Beyond the assignment\n\nNot in the report either."),
        new_code_cell("print('after')", outputs=[stdout("AFTER THE REPORT\n")]),
    ])


def small_report() -> nbformat.NotebookNode:
    return notebook(new_markdown_cell(REPORT),
                    new_code_cell("print(table)", outputs=[stdout(TABLE)]),
                    new_code_cell("# figure: boundaries", outputs=[figure_output()]))


def unescape(literal: bytes) -> bytes:
    """A PDF literal string's bytes, its backslash escapes resolved."""
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def resolve(match: re.Match) -> bytes:
        code = match.group(1)
        return bytes([int(code, 8)]) if code.isdigit() else escapes.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", resolve, literal, flags=re.DOTALL)


def pdf_text(data: bytes) -> list[str]:
    """The text a PDF viewer copies, one string per text object (BT ... ET) of each content stream.

    matplotlib embeds TrueType fonts (pdf.fonttype 42) with Identity-H, its character codes being
    the Unicode code points, so each shown string reads as UTF-16BE."""
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for text_object in re.findall(rb"\bBT\b(.*?)\bET\b", content, re.DOTALL):
            shown = re.findall(rb"\(((?:\\.|[^\\)])*)\)|<([0-9A-Fa-f\s]*)>", text_object, re.DOTALL)
            raw = b"".join(unescape(literal) if literal else bytes.fromhex(hexa.decode())
                           for literal, hexa in shown)
            texts.append(raw.decode("utf-16-be", "replace"))
    return texts


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def test_report_section_runs_from_the_anchor_to_the_next_level_2_heading():
    """The anchor's cell opens the section; a level-3 heading stays in it, a level-2 one ends it."""
    cells = [new_markdown_cell(REPORT), new_code_cell("print(1)"),
             new_markdown_cell("### Part 1\n\ntext")]
    section = report_section(notebook(*cells))
    assert [cell.source for cell in section] == [cell.source for cell in cells]


def test_a_notebook_without_a_report_section_is_refused(tmp_path):
    """No anchor, no PDF: a ValueError that says so, and no file."""
    lab = new_notebook(cells=[new_markdown_cell("## Report\n\nNo anchor here.")])
    with pytest.raises(ValueError, match="no Report section"):
        write_report_pdf(lab, tmp_path / "report.pdf")
    assert not (tmp_path / "report.pdf").exists()


@pytest.mark.parametrize(("markdown", "expected"), [
    ("**bold** and __bold__", "bold and bold"),
    ("`x @ W1.T + b1` is *the* formula", "x @ W1.T + b1 is the formula"),
    ("see [Step 3](#step-3) and ![a plot](plot.png)", "see Step 3 and a plot"),
    ('## Report <a id="report"></a>', "## Report"),
    ("hidden_size, init_params and _emphasis_", "hidden_size, init_params and emphasis"),
    ("lines\njoined,   spaces   collapsed", "lines joined, spaces collapsed"),
    ("a &lt; b &amp; c", "a < b & c"),
    (r"$\varepsilon = 0.01$ stays math", r"$\varepsilon = 0.01$ stays math"),
    (r"$\lVert u \rVert$ and $\frac12$", r"$\Vert u \Vert$ and $\frac{1}{2}$"),
    (r"$\foo{x} \le 2$ does not parse", "foox ≤ 2 does not parse"),
    (r"costs \$5, `$HOME`, a lone $ sign", r"costs \$5, \$HOME, a lone \$ sign"),
])
def test_plain_text_strips_markdown_and_keeps_math_that_parses(markdown, expected):
    """Emphasis, code marks, links and HTML go; math stays for mathtext when it parses, else it is
    simplified; a literal dollar is escaped so that matplotlib draws it as a dollar."""
    assert plain_text(markdown) == expected


@pytest.mark.parametrize(("markdown", "expected"), [
    (r"$\text{hidden\_size} = 500$", "hidden_size = 500"),
    (r"$n \ge \frac{\ln(2/\delta)}{2\varepsilon^2}$", "n ≥ ln(2/δ)/2ε^2"),
    (r"$\lVert x_i \rVert + 10^{-5}$", "‖ x_i ‖ + 10^-5"),
])
def test_plain_text_without_mathtext_simplifies_latex(markdown, expected):
    """For monospace text (tables), math becomes plain characters: symbols, no braces."""
    assert plain_text(markdown, mathtext=False) == expected


def test_markdown_blocks_split_headings_paragraphs_items_tables_and_code():
    source = ("### Part 1\n\nfirst line\nsecond line\n\n- one\n  continued\n* two\n  - nested\n"
              "1. first\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n```\n$ code\n\n  kept\n```\n---\nend")
    assert markdown_blocks(source) == [
        ("heading", "Part 1"), ("paragraph", "first line\nsecond line"),
        ("item", "• one\n  continued"), ("item", "• two"), ("item", "  • nested"),
        ("item", "1. first"), ("table", "| a | b |\n|---|--:|\n| 1 | 2 |"),
        ("pre", "$ code\n\n  kept"), ("paragraph", "end"),
    ]


def test_table_lines_align_columns_as_the_separator_row_says():
    table = "| size | error |\n| :--- | ---: |\n| 5 | 14.8 % |\n| **500** | 3.1 % |"
    assert table_lines(table) == ["size   error", "5     14.8 %", "500    3.1 %"]


def test_mono_rows_keep_short_lines_verbatim_and_wrap_long_ones():
    """Table rows keep their spaces; a line longer than the page wraps with a two-space hang."""
    long_line = " ".join(["word"] * 60)
    rows = [row.text for row in mono_rows(TABLE.rstrip() + "\n\n" + long_line)]
    assert rows[:4] == [*TABLE.rstrip().splitlines(), ""]
    assert len(rows) > 5 and all(row.startswith("  word") for row in rows[5:])
    assert " ".join(row.strip() for row in rows[4:]) == long_line


def test_code_blocks_keep_stdout_and_figures_in_order():
    """Consecutive prints make one block, stderr is left out, a figure takes the page width."""
    stderr = new_output("stream", name="stderr", text="warn\n")
    cell = new_code_cell("...", outputs=[stdout("a\n"), stderr, stdout("b\n"), figure_output(8, 3),
                                         stdout("c\n")])
    blocks = code_blocks(cell)
    assert [row.text for row in blocks[0].rows] == ["a", "b"]
    assert blocks[1].rows[0].width == pytest.approx(CONTENT_WIDTH)
    assert blocks[1].rows[0].height == pytest.approx(CONTENT_WIDTH * 3 / 8, rel=0.02)
    assert [row.text for row in blocks[2].rows] == ["c"]


def test_a_figure_taller_than_a_page_is_shrunk_to_fit():
    row = image_row(png(4, 12))
    assert row.height < CONTENT_HEIGHT and row.width < CONTENT_WIDTH
    assert row.width / row.height == pytest.approx(4 / 12, rel=0.02)


def test_paginate_moves_a_block_that_does_not_fit_and_keeps_rows_inside_the_page():
    blocks = [Block(tuple(TextRow(f"line {i}", BODY) for i in range(40))) for _ in range(3)]
    pages = paginate(blocks)
    assert len(pages) == 3  # two blocks of 40 lines never share a page
    assert all(top + row.height <= CONTENT_HEIGHT for page in pages for top, row in page)
    assert [row.text for _, row in pages[1]] == [f"line {i}" for i in range(40)]


def test_a_heading_is_kept_with_the_block_after_it():
    """A heading at the bottom of a full page moves to the next page with its paragraph."""
    line = TextRow("filler", BODY)
    filler = Block((line,) * (int(CONTENT_HEIGHT // line.height) - 2))
    lab = [filler, Block((TextRow("Heading", HEADING),)), Block((TextRow("text", BODY),) * 4)]
    assert len(paginate(lab)[0]) == len(filler.rows) + 1  # alone, the heading would stay on page 1
    pages = paginate(keep_headings_with_next(lab))
    assert len(pages) == 2 and pages[1][0][1].text == "Heading"


def test_write_report_pdf_writes_one_page_of_selectable_text(tmp_path):
    """Title, paragraph, table and footer are text in embedded TrueType fonts; the figure is an
    image; nothing outside the section is in the PDF."""
    path = tmp_path / "report.pdf"
    assert write_report_pdf(small_report(), path) == 1
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and page_count(data) == 1
    texts = pdf_text(data)
    assert texts[:3] == ["Report", "Lab 2", "The deliverables, computed from the notebook."]
    for line in TABLE.splitlines():
        assert line in texts
    assert "generated from lab2_backprop.ipynb" in texts and "page 1 of 1" in texts
    assert not any("REPORT" in text or "Not in" in text for text in texts)
    assert b"/FontFile2" in data and b"/Type3" not in data  # TrueType, not glyph drawings
    assert b"/Subtype /Image" in data


def test_a_long_report_goes_on_to_a_second_page(tmp_path):
    """Text past the first page's bottom continues on page 2, and the footer counts the pages."""
    paragraphs = "\n\n".join(f"Paragraph {i}: " + "the boundaries stay smooth. " * 12
                             for i in range(14))
    lab = notebook(new_markdown_cell(REPORT + "\n\n" + paragraphs),
                   new_code_cell("print(table)", outputs=[stdout(TABLE)]))
    path = tmp_path / "report.pdf"
    assert write_report_pdf(lab, path, source="tiny.ipynb") == 2
    data = path.read_bytes()
    texts = pdf_text(data)
    assert page_count(data) == 2 and "page 2 of 2" in texts and "generated from tiny.ipynb" in texts
    assert texts.index("page 1 of 2") < texts.index(TABLE.splitlines()[0])  # the table is on page 2


def test_more_than_two_pages_are_written_with_a_warning(tmp_path):
    figures = [new_code_cell("# figure: tall", outputs=[figure_output(6, 7)]) for _ in range(3)]
    with pytest.warns(UserWarning, match="takes 3 pages, more than 2"):
        pages = write_report_pdf(notebook(new_markdown_cell(REPORT), *figures), tmp_path / "r.pdf")
    assert pages == 3
    assert page_count((tmp_path / "r.pdf").read_bytes()) == 3
