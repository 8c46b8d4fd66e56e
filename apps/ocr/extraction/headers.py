"""The value table's header: which words name which column, and where each column sits.

A header is one to three lines above the data rows. Its words are split into fragments (cells
between `|`, tabs or wide gaps); fragments on different lines that overlap horizontally are one
column (`Total` over `Surrender Value`), and a fragment spanning several columns of another line
is a group heading (`非保證金額` over `週年紅利  終期紅利`) whose words go to each of them. Each
column's words are then named from a vocabulary in traditional Chinese, simplified Chinese and
English; a column the vocabulary does not know keeps a slug of its own words.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from apps.ocr.extraction.numbers import display_width

# Stable column names, in the order a table lists them.
STABLE_COLUMNS = ("policy_year", "age", "total_premiums_paid", "guaranteed_cash_value", "non_guaranteed_bonus",
                  "non_guaranteed_reversionary_bonus", "non_guaranteed_terminal_bonus", "total_surrender_value",
                  "death_benefit")
BONUS_COLUMNS = ("non_guaranteed_bonus", "non_guaranteed_reversionary_bonus", "non_guaranteed_terminal_bonus")
NOT_AMOUNTS = ("policy_year", "age")

# First match wins: specific names before the generic words they contain (終期紅利 before 紅利).
_WORDS: tuple[tuple[str, str], ...] = (
    ("non_guaranteed_terminal_bonus", r"終期|终期|特別紅利|特别红利|terminal|special bonus"),
    ("non_guaranteed_reversionary_bonus", (r"週年紅利|周年紅利|周年红利|歸原紅利|归原红利|復歸紅利|复归红利|累積紅利|累积红利|"
                                          r"reversionary|annual (?:bonus|dividend)|accumulated (?:bonus|dividend)")),
    ("total_surrender_value", (r"退保價值總額|退保价值总额|總退保價值|总退保价值|退保總額|退保总额|現金價值總額|现金价值总额|"
                              r"total (?:surrender|cash)|surrender value total")),
    ("death_benefit", r"身故|death"),
    ("guaranteed_cash_value", r"(?<!非)(?:保證|保证).*?(?:價值|价值)|(?<!non-)(?<!non)(?<!non )guaranteed.*?value"),
    ("non_guaranteed_bonus", r"非保證|非保证|non-? ?guaranteed|紅利|红利|bonus|dividend"),
    ("annual_premium", r"(?:年繳|年缴|年交|每年|annual|yearly) ?(?:保費|保费|premium)"),
    ("total_premiums_paid", r"保費|保费|保險費|保险费|premium"),
    ("age", r"年齡|年龄|歲|岁|\bage\b"),
    ("policy_year", r"保單年度|保单年度|年度|保單周年|保单周年|第\s*n\s*年|policy year|policy anniversary|\byear\b|年期"),
    ("cash_value", r"現金價值|现金价值|退保價值|退保价值|cash value|surrender value"),
)
_VOCABULARY = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _WORDS)
_TEN_THOUSANDS = re.compile(r"萬元|万元|[（(]\s*[萬万]\s*[)）]|單位\s*[:：]?\s*[萬万]|单位\s*[:：]?\s*[萬万]|ten thousands?|'0000",
                            re.IGNORECASE)
_THOUSANDS = re.compile(r"千元|in thousands|'000\b|\(000\)|000s\b", re.IGNORECASE)
_PROSE = re.compile(r"[。；;！!？?]|\.\s|\.$|[，,]\s*\S+[，,]")
_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{2,}|(?<=[\u3400-\u9fff\uff09)）]) (?=[\u3400-\u9fff(（])")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Column:
    """One column of the header: its stable name (or slug), its words, where it sits, its unit."""

    name: str
    text: str
    start: int
    end: int
    unit: int = 1

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2


@dataclass(frozen=True)
class _Fragment:
    line: int
    text: str
    start: int
    end: int
    group: bool = False  # a group heading's words, given to each column under it


def normalise(line: str) -> str:
    """NFKC (full-width letters and digits), hyphens unified."""
    return unicodedata.normalize("NFKC", line).replace("‐", "-").replace("–", "-")


def concept_of(text: str) -> str | None:
    """The vocabulary name of a header text, or None when no word is known."""
    spaced = re.sub(r"\s+", " ", text.lower()).strip()
    packed = _CJK_SPACES.sub("", spaced)
    for name, pattern in _VOCABULARY:
        if pattern.search(spaced) or pattern.search(packed):
            return name
    return None


_CJK_SPACES = re.compile(r"(?<=[\u3400-\u9fff]) +|(?<=[a-z]) +(?=[\u3400-\u9fff])")


def concepts_in(text: str) -> int:
    """How many vocabulary words a line carries (a header line carries several)."""
    return len(vocabulary_spans(normalise(text)))


def unit_of(text: str) -> int:
    """10000 for amounts in 万 (ten thousands), 1000 in thousands, else 1."""
    if _TEN_THOUSANDS.search(text):
        return 10000
    if _THOUSANDS.search(text):
        return 1000
    return 1


def is_headerish(line: str) -> bool:
    """A line that can be part of a header: words in cells, not a sentence."""
    text = normalise(line).strip()
    if not text or _PROSE.search(text):
        return False
    digits = sum(ch.isdigit() for ch in text)
    return digits <= max(2, len(text) // 6)


def header_columns(lines: list[str], expected: int, context: str = "") -> list[Column]:
    """The columns of a header block, left to right, named; `expected` is the data rows' cell count."""
    lines = [normalise(line) for line in lines]
    table_unit = unit_of(context + "\n" + "\n".join(lines))
    if lines and all(("|" in line or "\t" in line) for line in lines):
        raw = _columns_by_index(lines)
    else:
        raw = _columns_by_position(lines, expected)
    columns = [Column(name="", text=text, start=start, end=end, unit=unit_of(text) if unit_of(text) > 1 else table_unit)
               for text, start, end in raw]
    return _named(columns)


def _columns_by_index(lines: list[str]) -> list[tuple[str, int, int]]:
    """`|`- or tab-separated header lines: the n-th cell of each line is the n-th column."""
    rows = []
    for line in lines:
        cells = re.split(r" *\| *|\t", line.strip(" \r\n").strip("|"))  # a leading tab is an empty first cell
        rows.append([cell.strip() for cell in cells])
    width = max(len(cells) for cells in rows)
    columns = []
    for index in range(width):
        words = [cells[index] for cells in rows if index < len(cells) and cells[index]]
        if words:
            columns.append((_joined(words), -1, -1))  # where it sits is not known, only its order
    return columns


def fragments_of(line: str, line_no: int = 0) -> list[_Fragment]:
    """The cells of one header line with their start and end column (display width)."""
    text = normalise(line).expandtabs(8)
    fragments, position = [], 0
    for piece in _SPLIT.split(text):
        at = text.find(piece, position) if piece else -1
        if not piece.strip() or at < 0:
            continue
        stripped = piece.strip()
        start = display_width(text[:at + piece.index(stripped)])
        fragments.append(_Fragment(line_no, stripped, start, start + display_width(stripped)))
        position = at + len(piece)
    return fragments


def _columns_by_position(lines: list[str], expected: int) -> list[tuple[str, int, int]]:
    fragments = [f for number, line in enumerate(lines) for f in fragments_of(line, number)]
    columns = _merge(fragments)
    if len(columns) < expected:
        columns = _merge([piece for f in fragments for piece in _split_by_vocabulary(f)])
    while len(columns) > expected > 0 and _merge_closest(columns):
        pass
    return [(_joined([f.text for f in sorted(group, key=lambda f: f.line)]),
             min(f.start for f in group if not f.group),
             max(f.end for f in group if not f.group)) for group in columns]


def _merge(fragments: list[_Fragment]) -> list[list[_Fragment]]:
    """Overlapping fragments of different lines are one column; a fragment over several is a group heading."""
    def overlaps(a: _Fragment, b: _Fragment) -> bool:
        return a.start < b.end and b.start < a.end

    def spanned(f: _Fragment) -> int:
        return max((sum(1 for g in fragments if g.line == line and overlaps(f, g))
                    for line in {g.line for g in fragments} - {f.line}), default=0)

    # Two headings OCR ran together (`Terminal Dividend Total Surrender Value`) are split at their words;
    # what spans several columns and stays one word is a group heading (`非保證金額`).
    fragments = [piece for f in fragments
                 for piece in (_split_by_vocabulary(f) if spanned(f) >= 2
                               and len(_split_by_vocabulary(f)) == spanned(f) else [f])]
    groups = [f for f in fragments if spanned(f) >= 2]
    columns: list[list[_Fragment]] = []
    for fragment in sorted((f for f in fragments if f not in groups), key=lambda f: (f.start, f.line)):
        home = next((column for column in columns
                     if all(f.line != fragment.line for f in column) and any(overlaps(f, fragment) for f in column)),
                    None)
        if home is None:
            columns.append([fragment])
        else:
            home.append(fragment)
    columns.sort(key=lambda column: min(f.start for f in column))
    for group in groups:
        for column in columns:
            if any(overlaps(group, f) for f in column):
                column.append(replace(group, group=True))
    return columns


def _merge_closest(columns: list[list[_Fragment]]) -> bool:
    """Join the two neighbouring columns closest together whose words are on different lines."""
    def span(column: list[_Fragment]) -> tuple[int, int]:
        own = [f for f in column if not f.group]
        return min(f.start for f in own), max(f.end for f in own)

    best, best_gap = None, None
    for index in range(len(columns) - 1):
        left, right = columns[index], columns[index + 1]
        if {f.line for f in left if not f.group} & {f.line for f in right if not f.group}:
            continue
        gap = span(right)[0] - span(left)[1]
        if best_gap is None or gap < best_gap:
            best, best_gap = index, gap
    if best is None:
        return False
    columns[best].extend(f for f in columns.pop(best + 1) if f not in columns[best])
    return True


def vocabulary_spans(text: str) -> list[tuple[int, int, str]]:
    """Known words of a text, left to right, not overlapping; neighbours of one name are one word (非保證 紅利)."""
    found = sorted(((m.start(), -m.end(), name) for name, pattern in _VOCABULARY for m in pattern.finditer(text)
                    if m.end() > m.start()))
    spans: list[tuple[int, int, str]] = []
    for start, negative_end, name in found:
        end = -negative_end
        if spans and start < spans[-1][1]:
            continue
        if spans and not text[spans[-1][1]:start].strip(" -/") and _same_word(spans[-1][2], name):
            kept = name if spans[-1][2] == "non_guaranteed_bonus" else spans[-1][2]  # `Non-Guaranteed Terminal`
            spans[-1] = (spans[-1][0], end, kept)
            continue
        spans.append((start, end, name))
    return spans


def _same_word(before: str, after: str) -> bool:
    """Neighbouring words of one heading: the same name, or a bonus word next to a named bonus."""
    return before == after or ({before, after} <= set(BONUS_COLUMNS) and "non_guaranteed_bonus" in {before, after})


def _split_by_vocabulary(fragment: _Fragment) -> list[_Fragment]:
    """`保單年度 年齡 已繳保費` written with single spaces: split before each known word."""
    text = fragment.text
    starts = [start for start, _, _ in vocabulary_spans(text)]
    if len(starts) < 2:
        return [fragment]
    starts[0] = 0
    pieces = []
    for index, begin in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        piece = text[begin:end].strip()
        if piece:
            left = fragment.start + display_width(text[:begin])
            pieces.append(_Fragment(fragment.line, piece, left, left + display_width(piece)))
    return pieces


def _joined(words: list[str]) -> str:
    """Header words read top to bottom: CJK joined as written, English with a space."""
    out = ""
    for word in words:
        out += word if (out and _CJK.search(out[-1]) and _CJK.search(word[0])) else (" " if out else "") + word
    return out.strip()


def _named(columns: list[Column]) -> list[Column]:
    """Stable names from the vocabulary; a lone cash value is the total; duplicates and unknowns get slugs."""
    names = [concept_of(column.text) for column in columns]
    if "cash_value" in names:
        has_total = "total_surrender_value" in names
        has_guaranteed = "guaranteed_cash_value" in names
        has_bonus = any(name in BONUS_COLUMNS for name in names)
        for index, name in enumerate(names):
            if name != "cash_value":
                continue
            if not has_total and not has_bonus and not has_guaranteed:
                names[index], has_total = "total_surrender_value", True
            elif not has_guaranteed:
                names[index], has_guaranteed = "guaranteed_cash_value", True
            else:
                names[index] = None
    used: set[str] = set()
    named = []
    for index, (column, name) in enumerate(zip(columns, names)):
        if name is None or name in used or name not in (*STABLE_COLUMNS, "annual_premium"):
            name = slug(column.text) or f"column_{index + 1}"
            while name in used:
                name = f"{name}_{index + 1}"
        used.add(name)
        named.append(Column(name=name, text=column.text, start=column.start, end=column.end, unit=column.unit))
    return named


def slug(text: str) -> str:
    """A column name from its own words (`Loyalty Bonus` -> `loyalty_bonus`)."""
    text = re.sub(r"[（(][^)）]*[)）]", "", text)
    return re.sub(r"[^\w]+", "_", text.lower()).strip("_")[:60]
