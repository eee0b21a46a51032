"""tools/report_pdf.py: the notebook's Report section as A4 pages of selectable text, read back
from the PDF itself (its page content streams), with no PDF tool installed."""

import base64
import io
import re
import zlib

import nbformat
import pytest
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools.report_pdf import report_section, write_report_pdf

GRADIENT_CHECK = ("Gradient check (float64, 5 hidden units, eps = 1e-06):\n"
                  "parameter   max relative error   passes\n"
                  "W1                    3.1e-10    yes\n"
                  "b1                    2.7e-10    yes\n"
                  "W2                    1.2e-10    yes\n"
                  "b2                    9.8e-11    yes\n")
ERRORS = ("Test-set size: n = ceil(ln(2/δ) / (2 ε_H²)) = 26492 (ε_H = 0.01, δ = 0.01)\n"
          "  P(|test error - true error| > ε_H) ≤ 0.0099992 for each network.\n\n"
          "Hyperparameters: lr = 0.1, 100 epochs, full batch, SEED = 0\n\n"
          "hidden_size | train error test error     gap\n"
          "          5 |      14.00%     14.80%   0.80%\n"
          "         10 |      11.50%     12.77%   1.27%\n"
          "        100 |       6.00%      6.03%   0.03%\n"
          "        500 |       3.00%      3.08%   0.08%\n"
          "      Bayes |       3.00%      1.68%   (the floor)\n")
VERDICT = "**Verdict:** more hidden units fit better, and no gap exceeds two points."


def png(width: float, height: float) -> str:
    """A matplotlib figure of `width` x `height` inches as a base64 PNG, as a notebook stores it."""
    figure = Figure(figsize=(width, height))
    figure.add_subplot().plot([0, 1], [1, 0])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=50)
    return base64.b64encode(buffer.getvalue()).decode()


def stdout(text: str) -> nbformat.NotebookNode:
    return new_output("stream", name="stdout", text=text)


def figure_cell(width: float = 8.5, height: float = 9.7) -> nbformat.NotebookNode:
    data = {"image/png": png(width, height), "text/plain": "<Figure>"}
    return new_code_cell("plot()", outputs=[new_output("display_data", data=data)])


def notebook(*report_cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A notebook whose Report section (between Step 3 and Beyond) holds `report_cells`."""
    return new_notebook(cells=[
        new_markdown_cell("# Lab 2: *the* title\n\n## Step 3\n\nNot in the report."),
        new_code_cell("print('before')", outputs=[stdout("BEFORE THE REPORT\n")]),
        *report_cells,
        new_markdown_cell("## Beyond the assignment\n\nNot in the report either."),
        new_code_cell("print('after')", outputs=[stdout("AFTER THE REPORT\n")]),
    ])


def report() -> nbformat.NotebookNode:
    """A Report section as the notebook has it: heading, a line, tables, the figure, a verdict."""
    return notebook(
        new_markdown_cell('## Report <a id="report"></a>\n\nThe **deliverables**, from `errors`.'),
        new_code_cell("print(...)", outputs=[stdout(GRADIENT_CHECK)]),
        new_code_cell("print(...)", outputs=[stdout(ERRORS[:60]), stdout(ERRORS[60:])]),
        figure_cell(), new_markdown_cell(VERDICT))


def unescape(literal: bytes) -> bytes:
    """A PDF literal string's bytes, its backslash escapes resolved."""
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def resolve(match: re.Match) -> bytes:
        code = match.group(1)
        return bytes([int(code, 8)]) if code.isdigit() else escapes.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", resolve, literal, flags=re.DOTALL)


def pdf_objects(data: bytes) -> dict[bytes, tuple[bytes, bytes]]:
    """Each object's number -> its dictionary and its decompressed stream (b"" if none)."""
    objects = {}
    for number, body in re.findall(rb"(?<!\d)(\d+) 0 obj\s*(.*?)endobj", data, re.DOTALL):
        stream = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.DOTALL)
        objects[number] = (body, zlib.decompress(stream.group(1)) if stream else b"")
    return objects


def to_unicode(objects: dict[bytes, tuple[bytes, bytes]]) -> dict[bytes, dict[int, str]]:
    """Each font resource's (b"F1", ...) character codes -> the text a viewer copies, from its
    ToUnicode CMap: with pdf.fonttype 42 most codes are the Unicode code points, but a ligature
    (fi, ffi) has a code of its own, mapped there to its letters."""
    fonts = re.search(rb"/Font (\d+) 0 R", b"".join(body for body, _ in objects.values()))
    maps = {}
    for name, font in re.findall(rb"/(F\d+) (\d+) 0 R", objects[fonts.group(1)][0]):
        cmap = objects[re.search(rb"/ToUnicode (\d+) 0 R", objects[font][0]).group(1)][1]
        maps[name] = {}
        for low, high, targets in re.findall(rb"<(\w+)> <(\w+)> \[([^\]]*)\]", cmap):
            texts = [bytes.fromhex(target.decode()).decode("utf-16-be")
                     for target in re.findall(rb"<(\w+)>", targets)]
            maps[name].update(zip(range(int(low, 16), int(high, 16) + 1), texts, strict=True))
    return maps


def pdf_pages(data: bytes) -> list[tuple[list[str], bytes]]:
    """Each page's texts as a viewer copies them (one per text object, BT ... ET) and its content
    stream."""
    objects = pdf_objects(data)
    maps = to_unicode(objects)
    pages = []
    for page in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[([^\]]*)\]", data).group(1)):
        content = objects[re.search(rb"/Contents (\d+) 0 R", objects[page][0]).group(1)][1]
        texts = []
        for text_object in re.findall(rb"\bBT\b(.*?)\bET\b", content, re.DOTALL):
            text, font = "", b""
            for name, literal, hexa in re.findall(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)"
                                                  rb"|<([0-9A-Fa-f\s]*)>", text_object, re.DOTALL):
                font = name or font
                raw = unescape(literal) if literal else bytes.fromhex(hexa.decode())
                text += "".join(maps[font].get(int.from_bytes(raw[k:k + 2]), "?")
                                for k in range(0, len(raw), 2))
            texts.append(text)
        pages.append((texts, content))
    return pages


def written(lab: nbformat.NotebookNode, tmp_path) -> list[tuple[list[str], bytes]]:
    path = tmp_path / "report.pdf"
    pages = write_report_pdf(lab, path, source="tiny.ipynb")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(pdf_pages(data)) == pages
    return pdf_pages(data)


def test_report_section_runs_from_its_heading_to_the_next_level_2_heading():
    """`## Report` opens the section; a level-3 heading and a code cell's `## ` stay in it."""
    cells = [new_markdown_cell("## Report\n\ntext"), new_code_cell("## not a heading"),
             new_markdown_cell("### Part 1\n\ntext")]
    assert report_section(notebook(*cells)) == cells
    assert report_section(notebook(new_markdown_cell("## Reporting\n\nnot it"))) == []


def test_a_notebook_without_a_report_section_gets_no_pdf(tmp_path):
    lab = new_notebook(cells=[new_markdown_cell("## Results\n\nThe Report is not a heading here")])
    assert write_report_pdf(lab, tmp_path / "report.pdf") == 0
    assert not (tmp_path / "report.pdf").exists()


def test_the_report_has_text_and_tables_on_page_1_and_the_figure_on_page_2(tmp_path):
    """Title, subtitle and paragraph as plain text; every printed line one text object, verbatim,
    on page 1 (consecutive prints joined); the figure (the 2 x 2 boundaries' shape) too tall for
    the rest of page 1, so on page 2 with the verdict after it; footers; nothing from outside."""
    (first, first_content), (second, second_content) = written(report(), tmp_path)
    assert first[:3] == ["Report", "Lab 2: the title", "The deliverables, from errors."]
    printed = [line for line in (GRADIENT_CHECK + ERRORS).splitlines() if line]
    assert [text for text in first if text in printed] == printed
    images = [re.findall(rb"/I\d+ Do", content) for content in (first_content, second_content)]
    assert [len(found) for found in images] == [0, 1]
    assert second[0] == "Verdict: more hidden units fit better, and no gap exceeds two points."
    assert first[-2:] == ["generated from tiny.ipynb", "page 1 of 2"]
    assert second[-2:] == ["generated from tiny.ipynb", "page 2 of 2"]
    assert not any("REPORT" in text or "Not in" in text for text in first + second)


def test_fonts_are_embedded_truetype_and_the_body_is_10_points(tmp_path):
    """pdf.fonttype 42: the text is text (selectable), not glyph drawings (Type 3)."""
    written(report(), tmp_path)
    data = (tmp_path / "report.pdf").read_bytes()
    assert b"/FontFile2" in data and b"/Type3" not in data
    content = pdf_pages(data)[0][1]
    assert re.findall(rb"/F\d+ ([\d.]+) Tf", content)[:3] == [b"16", b"10", b"10"]


def test_a_long_paragraph_wraps_within_the_page(tmp_path):
    words = "the boundaries stay smooth and the gaps stay small " * 12
    texts = written(notebook(new_markdown_cell(f"## Report\n\n{words}")), tmp_path)[0][0]
    lines = texts[2:-2]
    assert len(lines) > 3 and " ".join(lines) == words.strip()


def test_a_no_break_space_is_never_a_line_break(tmp_path):
    """`&nbsp;` (or U+00A0) keeps a number with its unit: every line ends with the unit."""
    lab = notebook(new_markdown_cell("## Report\n\n" + "error 12.5&nbsp;% " * 40))
    lines = written(lab, tmp_path)[0][0][2:-2]
    assert len(lines) > 2 and all(line.endswith("12.5\u00a0%") for line in lines)


def test_a_printed_line_wider_than_the_page_stays_one_line_in_a_smaller_font(tmp_path):
    wide = "x" * 150
    lab = notebook(new_markdown_cell("## Report"), new_code_cell("", outputs=[stdout(wide)]))
    texts, content = written(lab, tmp_path)[0]
    assert wide in texts
    sizes = [float(size) for size in re.findall(rb"/F\d+ ([\d.]+) Tf", content)]
    assert 4 < min(sizes) < 6  # 150 characters of DejaVu Sans Mono fit 482 points at 5.3 points


@pytest.mark.parametrize(("markdown", "shown"), [
    (r"$\varepsilon_H \le 0.01$", "εH≤0.01"),  # mathtext, after \le became \leq
    (r"$\foo{x} + 1$", "foox+1"),  # mathtext cannot parse it: plain text
    ("[Step 3](#step-3) costs \\$5 &amp; `$HOME`", "Step3costs$5&$HOME"),
])
def test_math_links_and_dollars(tmp_path, markdown, shown):
    """Math that mathtext parses is drawn by it, glyph by glyph; what it cannot parse is plain text;
    a literal dollar stays a dollar."""
    texts = written(notebook(new_markdown_cell(f"## Report\n\n{markdown}")), tmp_path)[0][0]
    assert "".join(texts[2].split()) == shown


def test_list_items_are_separate_wrapped_lines(tmp_path):
    lab = notebook(new_markdown_cell("## Report\n\n1. first item\n   continued\n2. second item"))
    assert written(lab, tmp_path)[0][0][2:4] == ["1. first item continued", "2. second item"]


def test_a_heading_is_kept_with_the_block_after_it(tmp_path):
    """Whatever the filler above, a heading is on the page of its paragraph: with 25 to 39 filler
    paragraphs, page 1 ends at each possible place, one where the heading alone would fit."""
    moved = False
    for fillers in range(25, 40):
        filler = "\n\n".join(["filler"] * fillers)
        lab = notebook(new_markdown_cell(f"## Report\n\n{filler}\n\n### Heading\n\nAfter it."))
        pages = [texts for texts, _ in written(lab, tmp_path)]
        assert any(texts[-4:-2] == ["Heading", "After it."] for texts in pages), fillers
        moved = moved or pages[-1][:2] == ["Heading", "After it."]
    assert moved, "the filler never pushed the heading to page 2"


def test_more_than_two_pages_are_written_with_a_warning(tmp_path):
    figures = [figure_cell(6, 7) for _ in range(3)]
    with pytest.warns(UserWarning, match="takes 3 pages, more than 2"):
        assert len(written(notebook(new_markdown_cell("## Report"), *figures), tmp_path)) == 3
