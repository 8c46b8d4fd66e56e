"""Rule-based basic info: who is insured, under which plan, for how much, for how long.

Proposals print `label：value` pairs, often two on one line (`受保人姓名：陳大文   性別：男`), in
traditional Chinese, simplified Chinese or English. A value runs from its label to the next
wide gap, the next label, or the end of the line; the first value that parses wins.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from apps.ocr.extraction.numbers import Number, numbers_in, parse_amount

BASIC_INFO_FIELDS = ("insured_name", "age", "gender", "product_name", "currency", "sum_assured",
                     "annual_premium", "payment_term_years", "coverage_term")

# Longest labels first inside each field, so 基本保額 is not read as 保額 of something else.
_LABELS: dict[str, tuple[str, ...]] = {
    "insured_name": ("受保人姓名", "被保險人姓名", "被保险人姓名", "受保人", "被保險人", "被保险人",
                     "Name of Life Insured", "Name of Life Assured", "Name of Insured", "Life Insured", "Life Assured",
                     "Insured Person", "Insured Name", "Insured"),
    "age": ("投保年齡", "投保年龄", "受保人年齡", "被保险人年龄", "年齡", "年龄",
            "Age at Issue", "Issue Age", "Age at Entry", "Age Next Birthday", "Age Last Birthday", "Age"),
    "gender": ("性別", "性别", "Sex", "Gender"),
    "product_name": ("計劃名稱", "计划名称", "產品名稱", "产品名称", "保險計劃", "保险计划", "保險產品", "保险产品",
                     "險種名稱", "险种名称", "Plan Name", "Product Name", "Basic Plan", "Plan"),
    "currency": ("保單貨幣", "保单货币", "貨幣", "货币", "幣種", "币种", "幣別", "币别", "Policy Currency", "Currency"),
    "sum_assured": ("基本保險金額", "基本保险金额", "基本保額", "基本保额", "名義金額", "名义金额", "保險金額", "保险金额",
                    "保額", "保额",
                    "Basic Sum Assured", "Sum Assured", "Sum Insured", "Notional Amount", "Face Amount"),
    "annual_premium": ("每年保費", "每年保费", "年繳保費", "年缴保费", "年交保費", "年交保费", "年交保險費", "年交保险费",
                       "年度保費", "年度保费", "Annual Premium", "Yearly Premium"),
    "payment_term_years": ("保費繳付期", "保费缴付期", "繳費期間", "缴费期间", "交費期間", "交费期间", "繳費年期", "缴费年期",
                           "交費年期", "交费年期", "繳費年限", "缴费年限", "交费年限", "繳費期", "缴费期", "交费期",
                           "Premium Payment Term", "Premium Payment Period", "Premium Paying Term", "Payment Term",
                           "Payment Period", "Premium Term"),
    "coverage_term": ("保障期", "保障年期", "保險期間", "保险期间", "保險期限", "保险期限", "Benefit Term", "Coverage Term",
                      "Coverage Period", "Benefit Period", "Policy Term"),
}
_ALL_LABELS = sorted({label for labels in _LABELS.values() for label in labels}, key=len, reverse=True)
_NEXT_LABEL = re.compile("|".join(re.escape(label) + r"\s*:" for label in _ALL_LABELS), re.IGNORECASE)
_WIDE_GAP = re.compile(r"\s{3,}|\t")

_CURRENCIES = (
    ("USD", ("US$", "USD", "美元", "美金", "US Dollar")),
    ("HKD", ("HK$", "HKD", "港元", "港幣", "港币", "HK Dollar")),
    ("CNY", ("RMB", "CNY", "人民幣", "人民币", "Renminbi")),
    ("MOP", ("MOP", "澳門元", "澳门元", "澳門幣", "澳门币", "Pataca")),
    ("SGD", ("S$", "SGD", "新加坡元", "新元", "Singapore Dollar")),
)
# Without a currency label, a unit line names it: `（金額單位：人民幣元）`, `Values (USD)`.
_UNIT_LINE = re.compile(r"單位|单位|currency|[（(](?:US\$|HK\$|S\$|USD|HKD|RMB|CNY|MOP|SGD)[)）]", re.IGNORECASE)
_TRADITIONAL_ONLY = set("單價證額險實際還廣們這個說與為區銀費繳終齡歲劃計貨幣賠償紅")
_SIMPLIFIED_ONLY = set("单价证额险实际还广们这个说与为区银费缴终龄岁划计货币赔偿红")


def detect_language(text: str) -> str:
    """`zh-Hant`, `zh-Hans` or `en`, from which characters the text is written in."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    if cjk < 20 and cjk < len(text) * 0.05:
        return "en"
    traditional = sum(1 for ch in text if ch in _TRADITIONAL_ONLY)
    simplified = sum(1 for ch in text if ch in _SIMPLIFIED_ONLY)
    return "zh-Hant" if traditional >= simplified else "zh-Hans"


def extract_basic_info(text: str) -> dict[str, Any]:
    """The nine basic-info fields (None where the proposal does not say), plus its language."""
    lines = [unicodedata.normalize("NFKC", line) for line in text.splitlines()]
    info: dict[str, Any] = {}
    for field in BASIC_INFO_FIELDS:
        info[field] = _first_value(lines, _LABELS[field], _PARSERS[field])
    info["language"] = detect_language(text)
    if info["currency"] is None:
        info["currency"] = _currency_of_units(lines, info["language"])
    return info


def _currency_of_units(lines: list[str], language: str) -> str | None:
    """The currency a unit line names; bare 元 amounts in a simplified-Chinese proposal are renminbi."""
    for line in lines:
        if _UNIT_LINE.search(line):
            code = _currency(line)
            if code:
                return code
    if language == "zh-Hans" and any(re.search(r"\d\s*元", line) for line in lines):
        return "CNY"
    return None


def _first_value(lines: list[str], labels: tuple[str, ...], parse: Callable[[str], Any]) -> Any:
    for line in lines:
        for label in labels:
            for match in re.finditer(re.escape(label) + r"\s*:\s*", line, re.IGNORECASE):
                if match.start() and line[match.start() - 1].isalpha() and label.isascii():
                    continue  # "Plan" inside "Legacy Wealth Builder Plan:"
                if match.start() and _is_label_tail(line[:match.start()], label):
                    continue
                value = _value_after(line[match.end():])
                parsed = parse(value) if value else None
                if parsed not in (None, ""):
                    return parsed
    return None


def _is_label_tail(before: str, label: str) -> bool:
    """`保額` right after `基本` belongs to the longer label `基本保額`."""
    return any(longer.endswith(label) and before.endswith(longer[: -len(label)])
               for longer in _ALL_LABELS if len(longer) > len(label))


def _value_after(rest: str) -> str:
    """The value: up to a wide gap or the next `label:` on the same line."""
    rest = _WIDE_GAP.split(rest.strip(), maxsplit=1)[0]
    following = _NEXT_LABEL.search(rest)
    if following:
        rest = rest[: following.start()]
    return rest.strip(" ,;，；")


def _text(value: str) -> str | None:
    return value.strip() or None


def _age(value: str) -> int | None:
    found = numbers_in(value)
    return int(found[0]) if found and 0 <= found[0] <= 120 else None


def _gender(value: str) -> str | None:
    lowered = value.strip().lower()
    if lowered.startswith(("男", "male", "m")) and not lowered.startswith("mr"):
        return "male"
    if lowered.startswith(("女", "female", "f")):
        return "female"
    return None


def _currency(value: str) -> str | None:
    for code, names in _CURRENCIES:
        if any(name.lower() in value.lower() for name in names):
            return code
    return None


def _amount(value: str) -> Number | None:
    """An amount, scaled when written in 万 (`1.20万元` -> 12000)."""
    amount = parse_amount(value)
    if amount is not None and re.search(r"\d\s*[萬万]", value):
        scaled = round(amount * 10000, 2)
        return int(scaled) if float(scaled).is_integer() else scaled
    return amount


def _years(value: str) -> int | None:
    if re.search(r"躉繳|趸缴|趸交|一次[性交繳缴]|single", value, re.IGNORECASE):
        return 1  # a single premium
    found = numbers_in(value)
    return int(found[0]) if found and 0 < found[0] <= 100 else None


def _coverage(value: str) -> str | None:
    """Normalised coverage term: `whole life`, `to age 100` or `20 years`."""
    lowered = value.lower()
    if any(word in lowered for word in ("終身", "终身", "whole life", "whole of life", "lifetime")):
        return "whole life"
    found = numbers_in(value)
    if not found:
        return _text(value)
    if any(word in lowered for word in ("歲", "岁", "age")):
        return f"to age {int(found[0])}"
    return f"{int(found[0])} years"


_PARSERS: dict[str, Callable[[str], Any]] = {
    "insured_name": _text,
    "age": _age,
    "gender": _gender,
    "product_name": _text,
    "currency": _currency,
    "sum_assured": _amount,
    "annual_premium": _amount,
    "payment_term_years": _years,
    "coverage_term": _coverage,
}
