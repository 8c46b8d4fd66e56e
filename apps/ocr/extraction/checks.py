"""Cross-checks of a value table: its numbers must agree with each other and with the plan.

Checked where the table has the columns: guaranteed cash value + bonuses = total surrender value;
premiums paid never fall, and equal annual premium x years within the payment term (give or take one
constant: a first-year discount or levy); age rises
by one with each policy year. A row that fails stays in the table and is named in a warning;
the verification counts say how much of the table could be confirmed.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from apps.ocr.extraction.headers import BONUS_COLUMNS

CHECK_NAMES = ("values_add_up", "premiums_never_fall", "premiums_match_plan", "age_follows_year")


def check_table(rows: list[dict[str, Any]], columns: list[str],
                basic_info: dict[str, Any] | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Warnings (row, check, reason) and the verification counts for `rows` sorted by policy year."""
    checks = [check for check in (_values_add_up(columns), _premiums_never_fall(columns),
                                  _premiums_match_plan(rows, columns, basic_info or {}), _age_follows_year(rows, columns))
              if check is not None]
    warnings: list[dict[str, Any]] = []
    flagged: set[int] = set()
    previous: dict[str, Any] | None = None
    for row in rows:
        for name, check in checks:
            reason = check(row, previous)
            if reason:
                warnings.append({"policy_year": row["policy_year"], "check": name, "message": reason})
                flagged.add(row["policy_year"])
        previous = row
    return warnings, verification(len(rows), len(flagged) if checks else None, [name for name, _ in checks])


def verification(rows: int, flagged: int | None, checks: list[str]) -> dict[str, Any]:
    """`status`: verified, partly_verified, failed (most rows fail), or not_checkable (no check applies)."""
    if not rows or flagged is None:
        return {"status": "not_checkable", "rows": rows, "verified": 0, "flagged": 0, "checks": checks}
    if flagged == 0:
        status = "verified"
    elif flagged * 2 > rows:
        status = "failed"
    else:
        status = "partly_verified"
    return {"status": status, "rows": rows, "verified": rows - flagged, "flagged": flagged, "checks": checks}


def _close(a: float, b: float, relative: float = 0.002) -> bool:
    """Equal up to the rounding a printed table does (a unit, or a fraction of a percent)."""
    return abs(a - b) <= max(2.0, relative * max(abs(a), abs(b)))


def _money(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _values_add_up(columns: list[str]):
    bonuses = [c for c in columns if c in BONUS_COLUMNS]
    if "guaranteed_cash_value" not in columns or "total_surrender_value" not in columns:
        return None

    def check(row: dict[str, Any], previous: dict[str, Any] | None) -> str | None:
        parts = [row.get("guaranteed_cash_value"), *(row.get(c) for c in bonuses)]
        total = row.get("total_surrender_value")
        if total is None or any(part is None for part in parts):
            return None
        if _close(sum(parts), total):
            return None
        names = " + ".join(["guaranteed cash value", *(c.replace("non_guaranteed_", "").replace("_", " ")
                                                        for c in bonuses)])
        return f"{names} = {_money(sum(parts))}, but the total surrender value is {_money(total)}"
    return "values_add_up", check


def _premiums_never_fall(columns: list[str]):
    if "total_premiums_paid" not in columns:
        return None

    def check(row: dict[str, Any], previous: dict[str, Any] | None) -> str | None:
        paid = row.get("total_premiums_paid")
        before = previous.get("total_premiums_paid") if previous else None
        if paid is None or before is None or paid >= before - 1:
            return None
        return f"premiums paid fall from {_money(before)} (year {previous['policy_year']}) to {_money(paid)}"
    return "premiums_never_fall", check


def _premiums_match_plan(rows: list[dict[str, Any]], columns: list[str], basic_info: dict[str, Any]):
    """Premiums paid = annual premium x min(year, payment term); the premium from the plan or from year 1."""
    if "total_premiums_paid" not in columns:
        return None
    annual = basic_info.get("annual_premium")
    if not annual:
        first = next((row for row in rows if row["policy_year"] == 1), None)
        annual = first.get("total_premiums_paid") if first else None
    if not annual or annual <= 0:
        return None
    term = basic_info.get("payment_term_years")
    offset = _constant_offset(rows, annual, term) if term else 0

    def check(row: dict[str, Any], previous: dict[str, Any] | None) -> str | None:
        paid, year = row.get("total_premiums_paid"), row["policy_year"]
        if paid is None:
            return None
        if term:
            expected = annual * min(year, term) + offset
            if _close(paid, expected, 0.01):
                return None
            return (f"premiums paid {_money(paid)}, but {_money(annual)} a year for {min(year, term)} "
                    f"year(s) is {_money(expected)}")
        years_paid = round(paid / annual)
        if 1 <= years_paid <= year and _close(paid, annual * years_paid, 0.01):
            return None
        return f"premiums paid {_money(paid)} are not a whole number (at most {year}) of annual premiums {_money(annual)}"
    return "premiums_match_plan", check


def _constant_offset(rows: list[dict[str, Any]], annual: float, term: int) -> float:
    """A first-year discount or levy shifts every row by the same amount: the most common shift, if small."""
    shifts = Counter(round(row["total_premiums_paid"] - annual * min(row["policy_year"], term), 2)
                     for row in rows if row.get("total_premiums_paid") is not None)
    if not shifts:
        return 0
    shift, count = shifts.most_common(1)[0]
    return shift if count * 2 > sum(shifts.values()) and abs(shift) <= 0.25 * annual else 0


def _age_follows_year(rows: list[dict[str, Any]], columns: list[str]):
    """Age minus policy year is the same on every row (age rises by one a year)."""
    if "age" not in columns:
        return None
    offsets = Counter(row["age"] - row["policy_year"] for row in rows if row.get("age") is not None)
    if not offsets:
        return None
    offset = offsets.most_common(1)[0][0]

    def check(row: dict[str, Any], previous: dict[str, Any] | None) -> str | None:
        age = row.get("age")
        if age is None or age - row["policy_year"] == offset:
            return None
        return f"age {age} in policy year {row['policy_year']}; the other rows give age {row['policy_year'] + offset}"
    return "age_follows_year", check
