"""Numbers as OCR writes them: thousands separators, currency marks, O for 0, l for 1, stray spaces.

Proposal tables are OCR'd from PDFs, so `10,000` arrives as `1O,000`, `10, 000` or `1 0,000`.
These functions repair such tokens before reading them; they never guess across real gaps
between columns (a lone `0` stays a cell of its own).
"""
from __future__ import annotations

import re
import unicodedata

Number = int | float

_CURRENCY = re.compile(r"(?:US\$|HK\$|NT\$|MOP\$|RMB|USD|HKD|CNY|MOP|SGD|S\$|\$|¥|￥|美元|港元|港幣|港币|人民幣|人民币|"
                       r"澳門元|澳门元|新加坡元)", re.IGNORECASE)
# A token of digits, O/o, l/I, commas and dots with at least one digit: its O/o were 0s, its l/I 1s (1O,OOO).
_DIGITS_WITH_O = re.compile(r"(?<![A-Za-z])[0-9OolI][0-9OolI,.]*(?![A-Za-z])")
_LONE_O = re.compile(r"(?<![^\s|])[Oo](?![^\s|])")            # a zero cell read as the letter
_COMMA_SPACE = re.compile(r"(\d),\s+(\d{3})(?!\d)")            # 10, 000 -> 10,000
_SPLIT_LEAD = re.compile(r"(?<!\d)(\d{1,3}) (0\d*,\d{3}|\d{1,2},\d{3})(?![\d,])")  # 1 0,000 / 1 02,530
_WIDE_GAPS = re.compile(r"\S(?: {2,}|\t|\s*\|\s*)\S")
_SHORT_GROUP = re.compile(r"(\d,\d{1,2}) (\d{1,2})(?![\d,])")  # 10,00 0 -> 10,000
# Letters of Latin words end a number (A4 is no cell), CJK ones do not (第4年, 35歲).
_TOKEN = re.compile(r"(?<![A-Za-z0-9.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![A-Za-z0-9])|(?<![^\s|])[-–—]{1,2}(?![^\s|])")


def clean_numeric_text(text: str) -> str:
    """Repair OCR noise in numbers so `_TOKEN` reads each cell as one number."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits and commas
    text = _CURRENCY.sub(lambda m: " " * display_width(m.group(0)), text)  # keeps the columns' positions
    text = _DIGITS_WITH_O.sub(lambda m: m.group(0).translate(_LOOKALIKES)
                              if any(ch.isdigit() for ch in m.group(0)) else m.group(0), text)
    text = _LONE_O.sub("0", text)
    text = _COMMA_SPACE.sub(r"\1,\2", text)
    text = _SHORT_GROUP.sub(lambda m: m.group(1) + m.group(2) if len(m.group(1).split(",")[1] + m.group(2)) == 3
                            else m.group(0), text)
    if _WIDE_GAPS.search(text):  # where one space separates columns, `29 3,600` is two cells
        text = _SPLIT_LEAD.sub(lambda m: _join_split(m.group(1), m.group(2)), text)
    return text


_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced layout: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _join_split(head: str, tail: str) -> str:
    """`1 02,530` is one number only if the joined digits form valid thousands groups."""
    joined = head + tail
    if re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})+", joined) and len(tail.split(",")[0]) < 3:
        return joined
    return f"{head} {tail}"


def to_number(token: str) -> Number:
    """`12,345` -> 12345, `25,000.00` -> 25000, `3.5` -> 3.5, a dash (empty cell) -> 0."""
    if token.strip("-–—") == "":
        return 0
    value = float(token.replace(",", ""))
    return int(value) if value.is_integer() else round(value, 2)


def numbers_in(text: str) -> list[Number]:
    """Every number in a line of OCR text, in order, noise repaired."""
    return [to_number(token) for token in _TOKEN.findall(clean_numeric_text(text))]


def number_spans(text: str) -> list[tuple[Number, int, int]]:
    """Every number of a line with its start and end column (display width), noise repaired."""
    cleaned = clean_numeric_text(text).expandtabs(8)
    return [(to_number(m.group(0)), display_width(cleaned[:m.start()]), display_width(cleaned[:m.end()]))
            for m in _TOKEN.finditer(cleaned)]


def parse_amount(text: str) -> Number | None:
    """The first amount in a label's value (`US$ 1O,000.00` -> 10000), or None."""
    found = [n for n in numbers_in(text) if not (isinstance(n, int) and n == 0 and "0" not in text)]
    return found[0] if found else None
