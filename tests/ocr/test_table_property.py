"""Property: a value table rendered in a random layout is read back exactly, by its header words.

Random plans (with or without age, bonuses, total, death benefit), random column order, header
wording in traditional Chinese, simplified Chinese or English split over one to three lines,
spaces, tabs or bars between columns, amounts in units or in 万, and OCR noise (O for 0, l for
1, dashes for zero, stray spaces at the start of rows, page markers and a repeated header).
"""
from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.ocr.extraction.table import extract_table

WORDING = {
    "policy_year": {"zh-Hant": ["保單年度終結", "保單年度"], "zh-Hans": ["保单年度末", "保单年度"],
                    "en": ["End of Policy Year", "Policy Year", "Year"]},
    "age": {"zh-Hant": ["年齡", "受保人年齡"], "zh-Hans": ["年龄", "被保险人年龄"], "en": ["Age", "Attained Age"]},
    "total_premiums_paid": {"zh-Hant": ["已繳保費總額", "繳付保費總額"], "zh-Hans": ["累计所交保费", "已缴保费总额"],
                            "en": ["Total Premiums Paid", "Premiums Paid"]},
    "guaranteed_cash_value": {"zh-Hant": ["保證現金價值"], "zh-Hans": ["保证现金价值"],
                              "en": ["Guaranteed Cash Value", "Guaranteed Surrender Value"]},
    "non_guaranteed_bonus": {"zh-Hant": ["非保證紅利"], "zh-Hans": ["非保证红利"], "en": ["Non-Guaranteed Bonus"]},
    "non_guaranteed_reversionary_bonus": {"zh-Hant": ["週年紅利", "歸原紅利"], "zh-Hans": ["复归红利", "周年红利"],
                                          "en": ["Reversionary Bonus", "Annual Dividend"]},
    "non_guaranteed_terminal_bonus": {"zh-Hant": ["終期紅利"], "zh-Hans": ["终期红利"],
                                      "en": ["Terminal Bonus", "Terminal Dividend"]},
    "total_surrender_value": {"zh-Hant": ["退保價值總額", "總退保價值"], "zh-Hans": ["退保价值总额"],
                              "en": ["Total Surrender Value", "Total Cash Value"]},
    "cash_value": {"zh-Hant": ["現金價值"], "zh-Hans": ["现金价值"], "en": ["Cash Value"]},
    "death_benefit": {"zh-Hant": ["身故賠償"], "zh-Hans": ["身故保险金", "身故赔偿"], "en": ["Death Benefit"]},
}
BONUS_SETS = [(), ("non_guaranteed_bonus",), ("non_guaranteed_reversionary_bonus",),
              ("non_guaranteed_terminal_bonus",), ("non_guaranteed_reversionary_bonus", "non_guaranteed_terminal_bonus")]
CANONICAL = ("policy_year", "age", "total_premiums_paid", "guaranteed_cash_value", "non_guaranteed_bonus",
             "non_guaranteed_reversionary_bonus", "non_guaranteed_terminal_bonus", "total_surrender_value",
             "death_benefit")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@st.composite
def plans(draw):
    """Column set and consistent rows: guaranteed + bonuses = total, premiums = annual x min(year, term)."""
    bonuses = draw(st.sampled_from(BONUS_SETS))
    values = ("guaranteed_cash_value", "total_surrender_value") if bonuses else draw(st.sampled_from(
        [("guaranteed_cash_value", "total_surrender_value"), ("cash_value",), ("guaranteed_cash_value",)]))
    columns = ["policy_year", "total_premiums_paid", *values[:1], *bonuses, *values[1:]]
    if draw(st.booleans()):
        columns.append("age")
    if draw(st.booleans()):
        columns.append("death_benefit")
    unit = draw(st.sampled_from([1, 1, 10000]))
    step = 100 if unit == 10000 else 1
    annual = draw(st.integers(10, 600)) * 100
    term = draw(st.integers(1, 12))
    first_age = draw(st.integers(0, 70))
    count = draw(st.integers(3, 14))
    years = sorted(draw(st.sets(st.integers(1, 60), min_size=count, max_size=count)))
    rows, guaranteed = [], 0
    bonus_values = {name: 0 for name in bonuses}
    for year in years:
        guaranteed += draw(st.integers(0, 500)) * 10 * step
        for name in bonuses:
            bonus_values[name] += draw(st.integers(0, 300)) * 10 * step
        paid = annual * min(year, term)
        total = guaranteed + sum(bonus_values.values())
        row = {"policy_year": year, "total_premiums_paid": paid, "age": first_age + year,
               "guaranteed_cash_value": guaranteed, "total_surrender_value": total, "cash_value": guaranteed,
               "death_benefit": max(paid, total) + draw(st.integers(0, 50)) * 100 * step, **bonus_values}
        rows.append({name: row[name] for name in columns})
    return columns, rows, unit, annual, term


@st.composite
def layouts(draw, columns):
    order = draw(st.permutations(columns))
    language = draw(st.sampled_from(["zh-Hant", "zh-Hans", "en"]))
    words = {name: draw(st.sampled_from(WORDING[name][language])) for name in columns}
    return {
        "order": order,
        "words": words,
        "lines": draw(st.integers(1, 3)),
        "separator": draw(st.sampled_from(["spaces", "spaces", "tabs", "bars"])),
        "gap": draw(st.integers(2, 6)),
        "splits": {name: draw(st.integers(0, 1000)) for name in columns},
        "noise": draw(st.lists(st.sampled_from(["O", "l", "dash", "blank", "indent", "page", "repeat", "bar", "wrap"]),
                               unique=True)),
        "separators": draw(st.booleans()),
    }


def header_pieces(text: str, lines: int, seed: int) -> list[str]:
    """The words of one column header over `lines` lines (top lines empty when it has fewer words)."""
    parts = text.split(" ") if text.isascii() else [text[i:i + 2] for i in range(0, len(text), 2)]
    pieces = min(lines, len(parts), 1 + seed % lines)
    cuts = sorted({1 + (seed // (k + 1)) % max(1, len(parts) - 1) for k in range(pieces - 1)})
    joiner = " " if text.isascii() else ""
    groups, start = [], 0
    for cut in [*cuts, len(parts)]:
        if cut > start:
            groups.append(joiner.join(parts[start:cut]))
            start = cut
    return [""] * (lines - len(groups)) + groups


def cell(name: str, value: int, unit: int, layout: dict) -> str:
    if name in ("policy_year", "age"):
        text = str(value)
        return text.replace("1", "l", 1) if "l" in layout["noise"] and name == "age" and len(text) > 1 else text
    if value == 0 and "dash" in layout["noise"]:
        return "-"
    if value == 0 and "blank" in layout["noise"] and layout["separator"] != "spaces" and name != "total_premiums_paid":
        return ""  # an empty cell between bars or tabs
    if unit == 10000:
        text = f"{value / 10000:.2f}"
    else:
        text = f"{value:,}" if layout["separators"] else str(value)
    if "O" in layout["noise"] and len(text) > 2:
        text = text[:-1].replace("0", "O", 1) + text[-1]
    return text


def render(columns, rows, unit, layout) -> str:
    order, lines = layout["order"], layout["lines"]
    heads = [header_pieces(layout["words"][name], lines, layout["splits"][name]) for name in order]
    cells = [[cell(name, row[name], unit, layout) for name in order] for row in rows]
    if layout["separator"] == "spaces":
        widths = [max([width(p) for p in head] + [width(c[i]) for c in cells]) for i, head in enumerate(heads)]

        def joined(items, right):
            out = ""
            for i, item in enumerate(items):
                padding = " " * (widths[i] - width(item))
                out += (padding + item if right else item + padding) + " " * layout["gap"]
            return out.rstrip()
        header = [joined([head[k] for head in heads], right=False) for k in range(lines)]
        body = [joined(c, right=True) for c in cells]
    else:
        sep = "\t" if layout["separator"] == "tabs" else " | "
        header = [sep.join(head[k] for head in heads) for k in range(lines)]
        body = [sep.join(c) for c in cells]
        if layout["separator"] == "bars":
            header = ["| " + line + " |" for line in header]
            body = ["| " + line + " |" for line in body]
    header = [line for line in header if line.strip(" |\t")]
    if "indent" in layout["noise"]:
        body = [(" " if i % 3 == 1 else "") + line for i, line in enumerate(body)]
    if "bar" in layout["noise"] and layout["separator"] == "spaces":
        body = [("| " if i % 4 == 2 else "") + line for i, line in enumerate(body)]  # a stray bar
    if "wrap" in layout["noise"] and layout["separator"] == "spaces" and len(order) > 3 and len(body) > 2:
        line = body[1]
        cut = line.index(" ", line.index(line.split()[2]))  # after the third cell
        body[1] = line[:cut] + "\n" + line[cut:].strip()  # the OCR wrapped one row over two lines
    out = ["Proposal / 建議書", "", "(單位：萬元)" if unit == 10000 else "", *header]
    half = len(body) // 2
    for index, line in enumerate(body):
        if index == half and "page" in layout["noise"]:
            out += ["", "Page 2 of 3", ""]
            if "repeat" in layout["noise"]:
                out += header
        out.append(line)
    out += ["", "Values are illustrative only."]
    return "\n".join(out) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_table_in_any_layout_is_read_back(data):
    columns, rows, unit, annual, term = data.draw(plans())
    layout = data.draw(layouts(columns))
    text = render(columns, rows, unit, layout)
    table = extract_table(text, {"annual_premium": annual, "payment_term_years": term})
    names = {name: ("total_surrender_value" if name == "cash_value" else name) for name in columns}
    assert table["columns"] == [c for c in CANONICAL if c in names.values()], text
    expected = [{names[name]: value for name, value in row.items()} for row in rows]
    assert [{name: row[name] for name in want} for row, want in zip(table["rows"], expected)] == expected, text
    assert len(table["rows"]) == len(expected)
    assert table["verification"]["status"] == "verified", (table["warnings"], text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-|\t\nOolI年第保單價值總額身故Policy Year Age Total")), max_size=600))
def test_any_text_reads_without_crashing(text):
    table = extract_table(text)
    assert set(table) >= {"columns", "rows"}
    assert all(isinstance(row["policy_year"], int) for row in table["rows"])
