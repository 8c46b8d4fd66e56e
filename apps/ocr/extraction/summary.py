"""The plan summary: figures computed from the value table, and key points in the proposal's language.

Figures are always computed here, never taken from an LLM: break-even year (the first table
year whose total surrender value reaches the premiums paid), the values at policy years
10/20/30, and the IRR of surrendering then, with premiums paid at the start of each year.
A table without a total surrender value column is read from its guaranteed cash value (the
only value such a plan pays on surrender). The table's cross-checks come along: a summary
whose table failed them on most rows says so first.
"""
from __future__ import annotations

from typing import Any

MILESTONE_YEARS = (10, 20, 30)


def build_summary(basic_info: dict[str, Any], table: dict[str, Any],
                  key_points: list[str] | None = None) -> dict[str, Any]:
    """The summary stored on the document (`key_points` from an LLM replace the built-in ones)."""
    rows = table.get("rows") or []
    figures = summary_figures(rows)
    checked = table.get("verification") or {"status": "not_checkable", "rows": len(rows), "verified": 0,
                                             "flagged": 0, "checks": []}
    points = key_points if key_points else key_points_for(basic_info, figures)
    if checked["status"] == "failed":
        texts = _TEMPLATES.get(basic_info.get("language") or "en", _TEMPLATES["en"])
        points = [texts["unverified"].format(flagged=checked["flagged"], rows=checked["rows"]), *points]
    return {
        "product_name": basic_info.get("product_name"),
        "insured_name": basic_info.get("insured_name"),
        "currency": basic_info.get("currency"),
        "annual_premium": basic_info.get("annual_premium"),
        "payment_term_years": basic_info.get("payment_term_years"),
        **figures,
        "verification": checked,
        "figures_verified": checked["status"] == "verified",
        "table_warnings": len(table.get("warnings") or []),
        "key_points": points,
    }


def summary_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Break-even, milestones with IRR, and the totals, from the table rows alone."""
    by_year = {row["policy_year"]: row for row in rows}
    column = value_column(rows)
    total_premiums = max((row.get("total_premiums_paid") or 0 for row in rows), default=None) if rows else None
    break_even = next((row for row in rows
                       if row.get(column) is not None and row.get("total_premiums_paid")
                       and row[column] >= row["total_premiums_paid"]), None)
    schedule = premium_schedule(rows)
    milestones = []
    for year in MILESTONE_YEARS:
        row = by_year.get(year)
        if row is None or row.get(column) is None:
            continue
        paid = row.get("total_premiums_paid") or 0
        value = row[column]
        milestones.append({
            "policy_year": year,
            "age": row.get("age"),
            "total_premiums_paid": paid,
            "guaranteed_cash_value": row.get("guaranteed_cash_value"),
            "total_surrender_value": value,
            "death_benefit": row.get("death_benefit"),
            "value_multiple": round(value / paid, 2) if paid else None,
            "irr_percent": surrender_irr_percent(schedule[:year], value),
        })
    return {
        "total_premiums": total_premiums,
        "table_rows": len(rows),
        "break_even_year": break_even["policy_year"] if break_even else None,
        "break_even_age": break_even.get("age") if break_even else None,
        "milestones": milestones,
        "value_column": column,
    }


def value_column(rows: list[dict[str, Any]]) -> str:
    """The total surrender value, or the guaranteed cash value where the table has no total."""
    if any(row.get("total_surrender_value") is not None for row in rows):
        return "total_surrender_value"
    if any(row.get("guaranteed_cash_value") is not None for row in rows):
        return "guaranteed_cash_value"
    return "total_surrender_value"


def premium_schedule(rows: list[dict[str, Any]]) -> list[float]:
    """Premium paid in each policy year 1..last row, from the running total (gaps spread evenly)."""
    schedule: list[float] = []
    previous_year, previous_total = 0, 0.0
    for row in rows:
        year, total = row["policy_year"], row.get("total_premiums_paid")
        if total is None or year <= previous_year:
            continue
        span = year - previous_year
        schedule.extend([(total - previous_total) / span] * span)
        previous_year, previous_total = year, float(total)
    return schedule


def surrender_irr_percent(premiums: list[float], value: float) -> float | None:
    """Annual rate r with sum(p_t * (1+r)^(n-t+1)) == value (premiums at each year's start), in %.

    Solved by bisection on [-99%, +100%]; None when nothing was paid or nothing comes back.
    """
    n = len(premiums)
    if n == 0 or value <= 0 or sum(premiums) <= 0:
        return None

    def future_value(rate: float) -> float:
        return sum(p * (1 + rate) ** (n - t) for t, p in enumerate(premiums))

    low, high = -0.99, 1.0
    if future_value(high) < value:
        return None
    for _ in range(200):
        mid = (low + high) / 2
        if future_value(mid) < value:
            low = mid
        else:
            high = mid
    return round(100 * (low + high) / 2, 2)


def key_points_for(basic_info: dict[str, Any], figures: dict[str, Any]) -> list[str]:
    """A few plain sentences a reader wants first, in the proposal's language."""
    language = basic_info.get("language") or "en"
    texts = _TEMPLATES.get(language, _TEMPLATES["en"])
    currency = basic_info.get("currency") or ""
    points = []
    if basic_info.get("annual_premium") is not None and basic_info.get("payment_term_years"):
        points.append(texts["premium"].format(currency=currency, premium=_money(basic_info["annual_premium"]),
                                              years=basic_info["payment_term_years"]))
    if figures.get("break_even_year") is not None:
        points.append(texts["break_even"].format(year=figures["break_even_year"]))
    else:
        points.append(texts["no_break_even"])
    for milestone in figures.get("milestones", []):
        irr = milestone["irr_percent"]
        points.append(texts["milestone"].format(
            year=milestone["policy_year"], currency=currency, value=_money(milestone["total_surrender_value"]),
            irr="—" if irr is None else f"{irr:.2f}%"))
    return points


def _money(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


_TEMPLATES = {
    "zh-Hant": {
        "premium": "每年保費 {currency} {premium}，繳費 {years} 年",
        "break_even": "第 {year} 個保單年度終結時退保價值總額達到已繳保費（回本）",
        "no_break_even": "表列年度內退保價值總額未達已繳保費",
        "milestone": "第 {year} 年退保價值總額 {currency} {value}，內部回報率 {irr}",
        "unverified": "注意：價值表 {rows} 行中有 {flagged} 行未通過數字核對，以下數字未經核實",
    },
    "zh-Hans": {
        "premium": "每年保费 {currency} {premium}，缴费 {years} 年",
        "break_even": "第 {year} 个保单年度末退保价值总额达到已缴保费（回本）",
        "no_break_even": "表列年度内退保价值总额未达已缴保费",
        "milestone": "第 {year} 年退保价值总额 {currency} {value}，内部回报率 {irr}",
        "unverified": "注意：价值表 {rows} 行中有 {flagged} 行未通过数字核对，以下数字未经核实",
    },
    "en": {
        "premium": "Annual premium {currency} {premium} for {years} years",
        "break_even": "Total surrender value reaches the premiums paid at the end of policy year {year}",
        "no_break_even": "Total surrender value stays below the premiums paid in the years shown",
        "milestone": "Year {year}: total surrender value {currency} {value}, IRR {irr}",
        "unverified": "Caution: {flagged} of the {rows} table rows fail the cross-checks; the figures below are "
                      "not verified",
    },
}
