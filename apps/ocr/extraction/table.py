"""Rule-based annual value table: columns named by the table's own header, never by position.

The text is cut into runs of data rows (`rows.row_line`); each run's header is the one to three
header-like lines above it (`headers.header_columns`), or, when a page break left a run without
one, the previous run's header of the same width. Rows are read OCR-robustly, amounts scaled
when the header says 万, and the whole table cross-checked (`checks.check_table`). Anything
that cannot be read becomes a warning on the table; only a table without a header at all falls
back to naming cells by their count, and says so.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from apps.ocr.extraction.checks import check_table
from apps.ocr.extraction.headers import (
    BONUS_COLUMNS,
    NOT_AMOUNTS,
    STABLE_COLUMNS,
    Column,
    concepts_in,
    fragments_of,
    header_columns,
    is_headerish,
    normalise,
    unit_of,
)
from apps.ocr.extraction.numbers import Number
from apps.ocr.extraction.rows import RowLine, assemble, expected_cells, is_decoration, is_page_marker, row_lines

# The seven row fields every table row carries (null where the table has no such column).
TABLE_COLUMNS = ("policy_year", "age", "total_premiums_paid", "guaranteed_cash_value",
                 "non_guaranteed_bonus", "total_surrender_value", "death_benefit")
_BY_COUNT = {
    7: TABLE_COLUMNS,
    6: TABLE_COLUMNS[:6],
    5: ("policy_year", "total_premiums_paid", "guaranteed_cash_value", "non_guaranteed_bonus",
        "total_surrender_value"),
}
_MAX_HEADER_LINES = 3


def extract_table(text: str, basic_info: dict[str, Any] | None = None) -> dict[str, Any]:
    """`{"columns", "rows", "warnings", "verification", "headers"}`; rows sorted by policy year, one per year."""
    lines = [normalise(line) for line in text.splitlines()]
    candidates = row_lines(lines)
    warnings: list[dict[str, Any]] = []
    rows: dict[int, dict[str, Any]] = {}
    columns: list[str] = []
    headers: dict[str, str] = {}
    previous: list[Column] | None = None
    for segment in _segments(lines, candidates):
        try:
            layout = _layout(lines, candidates, segment, previous, warnings)
            if layout is None:
                continue
            taken = _read_rows(segment, layout, rows, warnings)
        except (ValueError, TypeError, ArithmeticError, IndexError, KeyError) as exc:
            # One unreadable run of rows must not cost the rest of the table: say so and go on.
            warnings.append(_line_warning(segment[0].line_no, "unreadable_rows",
                                          f"rows not read ({type(exc).__name__}: {exc})"))
            continue
        previous = layout
        if not taken:
            continue  # another table's years, all seen already: its columns are not this table's
        for column in layout:
            if column.name not in columns:
                columns.append(column.name)
                headers[column.name] = column.text
    if not rows:
        empty: dict[str, Any] = {"columns": [], "rows": []}
        if warnings:  # rows were there but none could be read: say why
            empty.update(warnings=warnings, verification=check_table([], [])[1], headers={})
        return empty
    table = finish_table(list(rows.values()), columns, basic_info, warnings)
    table["headers"] = {name: headers[name] for name in table["columns"] if name in headers}
    return table


def finish_table(rows: list[dict[str, Any]], columns: list[str], basic_info: dict[str, Any] | None,
                 warnings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The stored table from named rows (rules or LLM): sorted, the seven fields on every row, cross-checked."""
    ordered_columns = [c for c in STABLE_COLUMNS if c in columns] + [c for c in columns if c not in STABLE_COLUMNS]
    specific_bonuses = [c for c in BONUS_COLUMNS[1:] if c in columns]
    out = []
    for row in sorted(rows, key=lambda r: r["policy_year"]):
        shaped = {column: row.get(column) for column in TABLE_COLUMNS}
        shaped.update({column: row.get(column) for column in ordered_columns if column not in TABLE_COLUMNS})
        if "non_guaranteed_bonus" not in columns and specific_bonuses:
            parts = [row[c] for c in specific_bonuses if row.get(c) is not None]
            shaped["non_guaranteed_bonus"] = _tidy(sum(parts)) if parts else None  # the old field: all bonuses
        out.append(shaped)
    check_warnings, verified = check_table(out, ordered_columns, basic_info)
    return {"columns": ordered_columns, "rows": out, "warnings": [*(warnings or []), *check_warnings],
            "verification": verified}


def _segments(lines: list[str], candidates: dict[int, RowLine]) -> list[list[RowLine]]:
    """Runs of row lines; blank lines, page markers and one stray note do not end a run, a header does."""
    segments: list[list[RowLine]] = []
    current: list[RowLine] | None = None
    words_since_row = 0
    for number, line in enumerate(lines):
        row = candidates.get(number)
        if row is not None:
            if current is None:
                current = []
                segments.append(current)
            current.append(row)
            words_since_row = 0
        elif not line.strip() or is_page_marker(line) or is_decoration(line):
            continue
        elif current is not None:
            words_since_row += 1
            if concepts_in(line) >= 2 or words_since_row >= 2:
                current = None
    return segments


def _layout(lines: list[str], candidates: dict[int, RowLine], segment: list[RowLine],
            previous: list[Column] | None, warnings: list[dict[str, Any]]) -> list[Column] | None:
    """The named columns of a run of rows: its own header, the previous one of its width, or by count."""
    width = expected_cells(segment)
    # Separated rows count their blank cells too (`1<tab>1000<tab><tab>`: four cells, two numbers).
    counts = {len(row.values) for row in segment} | {len(row.separated) for row in segment if row.separated}
    header_lines, context = _header_block(lines, candidates, segment[0].line_no)
    if header_lines:
        layout = header_columns(header_lines, width, context)
        if "policy_year" not in {c.name for c in layout} and layout and layout[0].name not in STABLE_COLUMNS:
            layout[0] = replace(layout[0], name="policy_year")  # `第N年`, `保單周年日`: the unnamed first column
        if "policy_year" not in {c.name for c in layout} and len(layout) == width - 1:
            layout = [Column("policy_year", "", layout[0].start - 6, layout[0].start - 1), *layout]
        if len(layout) == width or (len(layout) > width and len(layout) in counts):  # short rows may outnumber
            if previous and [c.name for c in previous] == [c.name for c in layout] and all(c.unit == 1 for c in layout):
                layout = [replace(c, unit=p.unit) for c, p in zip(layout, previous)]  # a repeated header: same units
            return layout
        warnings.append(_line_warning(segment[0].line_no, "header_mismatch",
                                      f"the header names {len(layout)} columns but the rows have {width} numbers"))
    if previous is not None and (len(previous) == width or (len(previous) > width and len(previous) in counts)):
        return previous  # the table goes on after a page break without repeating its header
    if width in _BY_COUNT:
        if not header_lines:
            warnings.append(_line_warning(segment[0].line_no, "no_header",
                                          f"no header above the rows; {width} columns assumed in the usual order"))
        return [Column(name, "", 0, 0) for name in _BY_COUNT[width]]
    warnings.append(_line_warning(segment[0].line_no, "no_header", "rows without a readable header; not read"))
    return None


def _header_block(lines: list[str], candidates: dict[int, RowLine], first_row: int) -> tuple[list[str], str]:
    """The header lines right above the first row (blank lines, rules and page markers skipped), and context."""
    block: list[str] = []
    index, blanks = first_row - 1, 0
    while index >= 0 and len(block) < _MAX_HEADER_LINES:
        line = lines[index]
        if not line.strip():
            if block:
                break
            blanks += 1
            if blanks > 2:
                break
        elif is_decoration(line) or (is_page_marker(line) and not block):
            pass
        elif index in candidates or not is_headerish(line):
            break
        else:
            block.insert(0, line)
        index -= 1
    while block and _is_title(block, block[0]):
        block.pop(0)  # a title above the header, not part of it
    context = "\n".join(lines[max(0, index - 2):index + 1] + [line for line in lines[index + 1:first_row]])
    if sum(concepts_in(line) for line in block) < 2:
        return [], context
    return block, context


def _is_title(block: list[str], line: str) -> bool:
    """A one-cell line above the header that is its title, not the top words of one column or a group heading."""
    fragments = fragments_of(line)
    if len(fragments) != 1 or line.count("|") + line.count("\t") >= 2:
        return False  # several cells, or an empty-celled line of a bar or tab table
    top = fragments[0]
    if len(block) < 2 or (unit_of(line) > 1 and concepts_in(line) == 0):  # `(單位：萬元)` is context
        return concepts_in(line) == 0
    below = fragments_of(block[1])
    under = [f for f in below if f.start < top.end and top.start < f.end]
    if len(under) >= 2:
        return concepts_in(line) == 0 or top.start <= 1  # a group heading is named and sits inside the table
    if not under:
        return concepts_in(line) == 0
    column = under[0]
    following = [f.start for f in below if f.start >= column.end]
    return concepts_in(column.text) >= 2 or (bool(following) and top.end > min(following))


def _read_rows(segment: list[RowLine], layout: list[Column], rows: dict[int, dict[str, Any]],
               warnings: list[dict[str, Any]]) -> int:
    """Add the run's rows to `rows` (the first of each policy year wins); how many were added."""
    header_centers = [c.center for c in layout] if all(c.end > 0 for c in layout) else None
    assembled, problems = assemble(segment, len(layout), header_centers)
    warnings.extend(problems)
    taken = 0
    for line_no, cells in assembled:
        row = _named_row(layout, cells)
        year = row.get("policy_year")
        if not isinstance(year, int) or not 1 <= year <= 120:
            warnings.append(_line_warning(line_no, "bad_policy_year", f"policy year {year!r} is not one; row not read"))
            continue
        if year in rows:
            if any(rows[year].get(k) != v for k, v in row.items()):
                warnings.append({"line": line_no + 1, "policy_year": year, "code": "duplicate_year",
                                 "message": f"policy year {year} appears again with other figures; kept the first"})
            continue
        rows[year] = row
        taken += 1
    return taken


def _named_row(layout: list[Column], cells: list[Number]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column, value in zip(layout, cells):
        if column.name in NOT_AMOUNTS:
            row[column.name] = int(value) if float(value).is_integer() else value
        else:
            row[column.name] = _tidy(value * column.unit)
    return row


def _tidy(value: float) -> Number:
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def _line_warning(line_no: int, code: str, message: str) -> dict[str, Any]:
    return {"line": line_no + 1, "code": code, "message": message}
