"""Data rows of a value table as OCR delivers them: noisy numbers, blank cells, rows broken in two.

A row line is a line of numbers with (almost) no words. Its cells are read with `numbers_in`'s
repairs; cells separated by `|` or tabs keep an empty cell as a zero; a row short of cells is
either the first half of a row broken over two lines, or has blank (zero) cells, which are placed
by where its numbers sit under the other rows' columns.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from apps.ocr.extraction.numbers import Number, clean_numeric_text, number_spans, numbers_in

_PAGE_MARKER = re.compile(r"^\s*(?:[-–—]\s*)?(?:第\s*\d+\s*[頁页](?:\s*[,，/]?\s*共\s*\d+\s*[頁页])?|"
                          r"page\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*/\s*\d+|[-–—]\s*\d+\s*[-–—]|"
                          r"共\s*\d+\s*[頁页]\s*第\s*\d+\s*[頁页])\s*(?:[-–—]\s*)?$", re.IGNORECASE)
_DECORATION = re.compile(r"[(（\[]\s*[A-Za-z0-9]{1,2}\s*[)）\]]|[+=＋＝×x*/|\-–—_]")
# Words a data row may carry: 第5年, 36歲, 5 yrs, 元/万 after amounts.
_ROW_WORDS = re.compile(r"第|年末|年|周歲|周岁|歲|岁|末|元|萬|万|yrs?\.?|years?|end|of", re.IGNORECASE)
_SEPARATED = re.compile(r"\s*\|\s*|\t")


@dataclass(frozen=True)
class RowLine:
    """A line that reads as (part of) a data row: its cells, where they sit, and any explicit cells."""

    line_no: int
    values: tuple[Number, ...]
    centers: tuple[float, ...]
    separated: tuple[Number, ...] | None  # cells split on | or tabs, blanks as zeros


def is_page_marker(line: str) -> bool:
    """`第 3 頁`, `第 1 頁，共 4 頁`, `Page 2 of 4`, `- 3 -`, `2/4`."""
    return bool(_PAGE_MARKER.match(line.strip())) if line.strip() else False


def is_decoration(line: str) -> bool:
    """Column numbering and rules under a header: `(1)  (2)  (3)=(1)+(2)`, `-----`."""
    stripped = line.strip()
    return bool(stripped) and not _DECORATION.sub("", stripped).strip()


def row_line(line: str, line_no: int, min_cells: int = 2) -> RowLine | None:
    """The line as a data row, or None when it is words (a note, a title, a header)."""
    if not line.strip() or is_page_marker(line) or is_decoration(line):
        return None
    spans = number_spans(line)
    if len(spans) < min_cells:
        return None
    residue = re.sub(r"[A-Za-z\u3400-\u9fff]+", lambda m: _ROW_WORDS.sub("", m.group(0)), _without_numbers(line))
    if sum(ch.isalpha() for ch in residue) > 3:
        return None
    return RowLine(line_no, tuple(v for v, _, _ in spans), tuple((s + e) / 2 for _, s, e in spans), _separated(line))


def _without_numbers(line: str) -> str:
    return re.sub(r"[\d,.]+", " ", clean_numeric_text(line))


def _separated(line: str) -> tuple[Number, ...] | None:
    """Cells between `|` or tabs, an empty one read as zero; None when the line is not so separated."""
    # Trailing tabs are cells (blank, read as zero): strip spaces, never tabs.
    body = line.strip(" \r\n").strip("|")
    if not _SEPARATED.search(body):
        return None
    cells = _SEPARATED.split(body)
    values: list[Number] = []
    for cell in cells:
        found = numbers_in(cell)
        if len(found) > 1:
            return None
        values.append(found[0] if found else 0)
    return tuple(values)


def row_lines(lines: list[str]) -> dict[int, RowLine]:
    """The row lines of a text by line number; a lone number next to a short row is the rest of it (wrapped)."""
    rows = {number: row for number, row in ((n, row_line(line, n)) for n, line in enumerate(lines)) if row}
    widest = max((len(row.values) for row in rows.values()), default=0)
    for number, line in enumerate(lines):
        if number in rows:
            continue
        beside = [rows[n] for n in (number - 1, number + 1) if n in rows]
        if any(len(row.values) < widest for row in beside):
            lone = row_line(line, number, min_cells=1)
            if lone is not None:
                rows[number] = lone
    return dict(sorted(rows.items()))


def expected_cells(rows: list[RowLine]) -> int:
    """The cell count of a full row: the most common count among the rows (ties: the larger)."""
    counts = [len(row.values) for row in rows]
    return max(set(counts), key=lambda n: (counts.count(n), n)) if counts else 0


def assemble(rows: list[RowLine], width: int,
             header_centers: list[float] | None = None) -> tuple[list[tuple[int, list[Number]]], list[dict]]:
    """Full rows of `width` cells (line number, cells), and warnings for lines that could not be read."""
    centers = _column_centers(rows, width) or header_centers
    out: list[tuple[int, list[Number]]] = []
    warnings: list[dict] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        following = rows[index + 1] if index + 1 < len(rows) else None
        if len(row.values) == width:
            out.append((row.line_no, list(row.values)))
        elif row.separated is not None and len(row.separated) == width:
            out.append((row.line_no, list(row.separated)))
        elif (following is not None and following.line_no <= row.line_no + 2
              and len(row.values) + len(following.values) == width and len(row.values) < width):
            out.append((row.line_no, list(row.values + following.values)))  # a row broken over two lines
            index += 1
        elif len(row.values) < width and centers and len(row.values) >= max(2, width - 3):
            out.append((row.line_no, _placed(row, centers)))
            warnings.append({"line": row.line_no + 1, "code": "blank_cells",
                             "message": f"{width - len(row.values)} blank cell(s) read as 0"})
        else:
            warnings.append({"line": row.line_no + 1, "code": "unreadable_row",
                             "message": f"{len(row.values)} numbers where the table has {width} columns; not read"})
        index += 1
    return out, warnings


def _column_centers(rows: list[RowLine], width: int) -> list[float] | None:
    full = [row.centers for row in rows if len(row.values) == width]
    if len(full) < 2:
        return None
    return [statistics.median(centers[i] for centers in full) for i in range(width)]


def _placed(row: RowLine, centers: list[float]) -> list[Number]:
    """Each number under the nearest column, keeping their order; the columns left over are zeros."""
    k, n = len(row.values), len(centers)
    inf = float("inf")
    # cost[i][j]: best cost placing the first i numbers within the first j columns.
    cost = [[inf] * (n + 1) for _ in range(k + 1)]
    cost[0] = [0.0] * (n + 1)
    for i in range(1, k + 1):
        for j in range(i, n + 1):
            cost[i][j] = min(cost[i][j - 1], cost[i - 1][j - 1] + abs(row.centers[i - 1] - centers[j - 1]))
    cells: list[Number] = [0] * n
    i, j = k, n
    while i > 0:
        if cost[i][j] == cost[i][j - 1] and j > i:
            j -= 1
        else:
            cells[j - 1] = row.values[i - 1]
            i, j = i - 1, j - 1
    return cells
