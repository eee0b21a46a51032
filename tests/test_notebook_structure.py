"""The committed notebook reads as a reference solution: every link resolves, every question of the
assignment has a bold answer right after its code, the spine stays lean, and nothing scrolls
sideways. Each check is a function over the notebook's JSON, tested on a copy with a fault injected.
"""

import copy
import json
import re
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "lab2_backprop.ipynb"
COMMITTED = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
LINK = re.compile(r"\]\(#([^)]+)\)")
HEADING = re.compile(r"^(#{2,4}) ", re.MULTILINE)
SPINE_CELLS, SPINE_WORDS, CELL_LINES, LINE_WIDTH = 65, 2500, 35, 100
# The sections of the assignment's spine whose question needs a bold answer, by anchor.
SPINE_ANSWERS = ("part1-step1", "part1-step2", "part1-step3", "part1-step4", "part1-step5",
                 "part2-step1", "part2-step2", "part2-step3", "test-size", "boundaries")
# Part 2's sections, whose bold answers quote the numbers their cells print.
PART2_SECTIONS = ("data", "model", "part2-step1", "part2-step2", "part2-step3", "test-size",
                  "boundaries")
# A quoted number: one with a decimal point or an exponent, or an integer of three digits or more
# (digit groups may be split by a thin space, `\,` in math, or a space).
QUOTED_NUMBER = re.compile(r"(?<![\w.])(\d+\.\d+(?:e[-+]\d+)?|\d{3,})(?![\w.]*\d)")
DIGIT_GROUPS = re.compile(r"(?<=\d)(?:\\,|\u2009|\u202f| )(?=\d{3}\b)")


def source_of(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def pieces(cell: dict) -> list[dict]:
    """A markdown cell cut before each of its headings (a piece per heading), else the cell."""
    if cell["cell_type"] != "markdown":
        return [cell]
    parts = re.split(r"(?m)^(?=#{2,4} )", source_of(cell))
    return [{"cell_type": "markdown", "source": part} for part in parts if part.strip()]


def sections(notebook: dict) -> list[tuple[str, list[dict]]]:
    """(anchor, pieces of cells) per section that starts with an anchored heading, up to the next
    one; a markdown cell holding several headings is shared out at its headings."""
    found: list[tuple[str, list[dict]]] = []
    for piece in (piece for cell in notebook["cells"] for piece in pieces(cell)):
        first_line = source_of(piece).split("\n", 1)[0]
        anchor = ANCHOR.search(first_line) if piece["cell_type"] == "markdown" else None
        if anchor and HEADING.match(first_line):
            found.append((anchor.group(1), []))
        if found:
            found[-1][1].append(piece)
    return found


def link_problems(notebook: dict) -> list[str]:
    """Every in-page link must name an anchor that exists."""
    anchors = {match for cell in notebook["cells"] for match in ANCHOR.findall(source_of(cell))}
    links = {match for cell in notebook["cells"] if cell["cell_type"] == "markdown"
             for match in LINK.findall(source_of(cell))}
    return [f"link to #{link} has no anchor" for link in sorted(links - anchors)]


def has_answer(cells: list[dict]) -> bool:
    """Whether a markdown cell of the section has a paragraph that starts with **Answer:**."""
    answer = re.compile(r"(^|\n)\*\*Answer:\*\*")
    return any(cell["cell_type"] == "markdown" and answer.search(source_of(cell)) for cell in cells)


def answer_problems(notebook: dict) -> list[str]:
    """Each question of the spine, and each section of Beyond the assignment, has a bold answer;
    each Beyond section opens with its question in italics."""
    problems, beyond = [], False
    for anchor, cells in sections(notebook):
        beyond = beyond or anchor == "beyond"
        if anchor in SPINE_ANSWERS and not has_answer(cells):
            problems.append(f"section #{anchor} has no **Answer:**")
        if beyond and anchor not in ("beyond", "speed", "explorer"):
            if not has_answer(cells):
                problems.append(f"section #{anchor} of Beyond has no **Answer:**")
            if not re.search(r"\n\*[^*\n]+\?\*", source_of(cells[0])):
                problems.append(f"section #{anchor} of Beyond does not open with its question")
    return problems


def spine_problems(notebook: dict) -> list[str]:
    """Everything before the Report: at most SPINE_CELLS cells and SPINE_WORDS words of prose."""
    index = next(i for i, cell in enumerate(notebook["cells"]) if 'id="report"' in source_of(cell))
    spine = notebook["cells"][:index]
    words = sum(len(source_of(cell).split()) for cell in spine if cell["cell_type"] == "markdown")
    problems = []
    if len(spine) > SPINE_CELLS:
        problems.append(f"the spine has {len(spine)} cells (at most {SPINE_CELLS})")
    if words > SPINE_WORDS:
        problems.append(f"the spine has {words} words (at most {SPINE_WORDS})")
    return problems


def width_problems(notebook: dict) -> list[str]:
    """No code cell over CELL_LINES lines, no printed line over LINE_WIDTH characters."""
    problems = []
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    for index, cell in enumerate(code):
        if len(source_of(cell).splitlines()) > CELL_LINES:
            problems.append(f"code cell #{index} has more than {CELL_LINES} lines")
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", "")) if output["output_type"] == "stream" else ""
            if any(len(line) > LINE_WIDTH for line in text.splitlines()):
                problems.append(f"code cell #{index} prints a line over {LINE_WIDTH} characters")
    return problems


def printed_text(cell: dict) -> str:
    """The text a code cell printed (stdout and text/plain results)."""
    texts = []
    for output in cell.get("outputs", []):
        text = output.get("text", "") or output.get("data", {}).get("text/plain", "")
        texts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(texts)


def quoted_numbers(text: str) -> list[str]:
    """The numbers a bold answer quotes, with digit groups joined (26\\,492 → 26492)."""
    return QUOTED_NUMBER.findall(DIGIT_GROUPS.sub("", text))


def quoted_number_problems(notebook: dict) -> list[str]:
    """Every number quoted in a bold answer of Part 2 is printed by a code cell of its section
    above the answer, so the prose cannot go stale unnoticed."""
    problems = []
    for anchor, cells in sections(notebook):
        if anchor not in PART2_SECTIONS:
            continue
        printed = ""
        for cell in cells:
            if cell["cell_type"] == "code":
                printed += "\n" + printed_text(cell)
                continue
            for answer in re.findall(r"(?:^|\n)\*\*Answer:\*\*[^\n]*", source_of(cell)):
                for number in quoted_numbers(answer):
                    if not re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", printed):
                        problems.append(f"section #{anchor}: the answer quotes {number}, "
                                        "which no cell above it prints")
    return problems


CHECKS = (link_problems, answer_problems, spine_problems, width_problems, quoted_number_problems)


@pytest.mark.parametrize("check", CHECKS)
def test_committed_notebook_passes(check):
    assert check(COMMITTED) == []


def markdown_cell(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def with_cells(position: int, *cells: dict) -> dict:
    notebook = copy.deepcopy(COMMITTED)
    notebook["cells"][position:position] = list(cells)
    return notebook


def with_section_edited(anchor: str, edit) -> dict:
    """A copy of the notebook in which each markdown piece of section #anchor is passed through
    edit (pieces are parts of cells' sources, so each is replaced where it stands)."""
    notebook = copy.deepcopy(COMMITTED)
    section = dict(sections(COMMITTED))[anchor]
    for text in (source_of(piece) for piece in section if piece["cell_type"] == "markdown"):
        for cell in notebook["cells"]:
            if cell["cell_type"] == "markdown" and text in source_of(cell):
                cell["source"] = source_of(cell).replace(text, edit(text))
    return notebook


def test_a_dangling_link_is_flagged():
    notebook = with_cells(1, markdown_cell("See [the appendix](#appendix)."))
    assert link_problems(notebook) == ["link to #appendix has no anchor"]


@pytest.mark.parametrize("anchor", ["part1-step4", "part2-step2", "boundaries", "seeds"])
def test_a_missing_answer_is_flagged(anchor):
    notebook = with_section_edited(anchor, lambda text: text.replace("**Answer:**", "**Reply:**"))
    problems = answer_problems(notebook)
    assert any(f"#{anchor}" in problem and "Answer" in problem for problem in problems), problems


def test_a_beyond_section_without_its_question_is_flagged():
    notebook = with_section_edited("sharpness", lambda text: re.sub(r"\*[^*\n]+\?\*", "", text))
    assert answer_problems(notebook) == [
        "section #sharpness of Beyond does not open with its question"]


def test_a_fat_spine_is_flagged():
    padding = [markdown_cell("word " * 100) for _ in range(10)]
    problems = spine_problems(with_cells(2, *padding))
    assert any("cells" in problem for problem in problems)
    assert any("words" in problem for problem in problems)


def test_long_cells_and_wide_output_are_flagged():
    notebook = copy.deepcopy(COMMITTED)
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    code[3]["source"] = "x = 1\n" * (CELL_LINES + 1)
    code[4]["outputs"].append({"output_type": "stream", "name": "stdout", "text": "=" * 101 + "\n"})
    assert width_problems(notebook) == [f"code cell #3 has more than {CELL_LINES} lines",
                                        f"code cell #4 prints a line over {LINE_WIDTH} characters"]


def test_a_stale_number_in_an_answer_is_flagged():
    """The boundaries' answer quotes this run's test errors; one changed digit is caught."""
    notebook = with_section_edited("boundaries", lambda text: text.replace("14.80", "14.90"))
    assert quoted_number_problems(notebook) == [
        "section #boundaries: the answer quotes 14.90, which no cell above it prints"]


def test_quoted_numbers_join_digit_groups_and_skip_small_integers():
    text = r"**Answer:** $n = 26\,492$ points, 5 and 10 units, 0.7902, 2.0e-04 and 14.80 %."
    assert quoted_numbers(text) == ["26492", "0.7902", "2.0e-04", "14.80"]
