"""Rule-based annual value table: one row per policy year, however OCR spaced the columns.

A data row is a line whose numbers start with a plausible policy year (optionally written
`第5年`) followed by at least four more cells. Which cell is which comes from the header
above the first row (its column names in order); without a usable header, from the count of
cells (7: with age and death benefit, 6: with age, 5: neither).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from apps.ocr.extraction.numbers import Number, numbers_in

TABLE_COLUMNS = ("policy_year", "age", "total_premiums_paid", "guaranteed_cash_value",
                 "non_guaranteed_bonus", "total_surrender_value", "death_benefit")

_HEADER_WORDS: dict[str, re.Pattern[str]] = {
    "policy_year": re.compile(r"保單年度|保单年度|policy\s*year|保單年期|保单年期", re.I),
    "age": re.compile(r"年齡|年龄|(?<![A-Za-z])age(?![A-Za-z])", re.I),
    "total_premiums_paid": re.compile(r"已繳保費|已缴保费|繳付保費總額|缴付保费总额|total\s+premiums?", re.I),
    "guaranteed_cash_value": re.compile(r"(?<![非不])保證現金價值|(?<![非不])保证现金价值|"
                                        r"(?<!non-)(?<!non )(?<!non)guaranteed\s+cash\s+value", re.I),
    "non_guaranteed_bonus": re.compile(r"非保證|非保证|non[-\s]?guaranteed", re.I),
    "total_surrender_value": re.compile(r"退保價值總額|退保价值总额|總退保價值|总退保价值|total\s+surrender", re.I),
    "death_benefit": re.compile(r"身故賠償|身故赔偿|身故保險賠償|身故保险赔偿|身故利益|death\s+benefit|death", re.I),
}
_BY_COUNT = {
    7: TABLE_COLUMNS,
    6: TABLE_COLUMNS[:6],
    5: ("policy_year", "total_premiums_paid", "guaranteed_cash_value", "non_guaranteed_bonus",
        "total_surrender_value"),
}
_YEAR_PREFIX = re.compile(r"^\s*[|\[(]?\s*(?:第\s*)?(\d{1,3})\s*(?:年|yr\.?|year)?(?=\s|\||$)", re.I)


def extract_table(text: str) -> dict[str, Any]:
    """`{"columns": [...], "rows": [{column: value}]}`; rows sorted by policy year, one per year."""
    lines = [unicodedata.normalize("NFKC", line) for line in text.splitlines()]
    candidates = [(index, cells) for index, cells in ((i, _row_cells(line)) for i, line in enumerate(lines)) if cells]
    if not candidates:
        return {"columns": [], "rows": []}
    first_index = candidates[0][0]
    header = _header_columns(lines[max(0, first_index - 6):first_index])
    rows: dict[int, dict[str, Number | None]] = {}
    used: list[str] = []
    for _, cells in candidates:
        columns = header if header and len(header) == len(cells) else _BY_COUNT.get(len(cells))
        if columns is None:
            continue
        row = dict(zip(columns, cells))
        year = int(row["policy_year"])
        if year in rows or (rows and year < max(rows)):
            continue  # a repeated or out-of-order "row" is another table's or a footnote's
        rows[year] = row
        used = list(columns) if len(columns) > len(used) else used
    ordered = [{column: row.get(column) for column in TABLE_COLUMNS} for _, row in sorted(rows.items())]
    for row in ordered:
        row["policy_year"] = int(row["policy_year"])
        if row["age"] is not None:
            row["age"] = int(row["age"])
    return {"columns": [c for c in TABLE_COLUMNS if c in used], "rows": ordered}


def _row_cells(line: str) -> list[Number] | None:
    """The numbers of a data row, or None when the line is not one."""
    if not _YEAR_PREFIX.match(line):
        return None
    cells = numbers_in(line)
    if len(cells) < 5 or not isinstance(cells[0], int) or not 1 <= cells[0] <= 120:
        return None
    return cells


def _header_columns(lines: list[str]) -> tuple[str, ...] | None:
    """Column names in the order the header shows them (multi-line headers read line by line)."""
    block = "\n".join(lines)
    found: list[tuple[int, str]] = []
    for column, pattern in _HEADER_WORDS.items():
        match = pattern.search(block)
        if match:
            found.append((_column_position(block, match.start()), column))
    if "policy_year" not in {c for _, c in found} and found:
        found.append((-1, "policy_year"))  # 第N年 rows often carry the year without a header word
    columns = tuple(column for _, column in sorted(found))
    return columns if len(columns) >= 5 else None


def _column_position(block: str, offset: int) -> tuple[int, int]:
    """Headers wrap over lines: order by position along the line, then by line."""
    line_start = block.rfind("\n", 0, offset) + 1
    line_no = block.count("\n", 0, offset)
    return (offset - line_start, line_no)
