"""Summary figures computed from the fixture tables: break-even, milestones, IRR, key points."""
import pytest

from apps.ocr.extraction.basic_info import extract_basic_info
from apps.ocr.extraction.summary import build_summary, premium_schedule, surrender_irr_percent
from apps.ocr.extraction.table import extract_table


def summary_of(text):
    return build_summary(extract_basic_info(text), extract_table(text))


def milestones(summary):
    return [(m["policy_year"], m["total_premiums_paid"], m["total_surrender_value"], m["value_multiple"],
             m["irr_percent"]) for m in summary["milestones"]]


def test_traditional_chinese(zh_hant):
    summary = summary_of(zh_hant)
    assert (summary["break_even_year"], summary["break_even_age"]) == (9, 44)
    assert summary["total_premiums"] == 50000 and summary["table_rows"] == 30
    assert milestones(summary) == [(10, 50000, 64300, 1.29, 3.18), (20, 50000, 120820, 2.42, 5.01),
                                   (30, 50000, 203360, 4.07, 5.13)]
    assert summary["key_points"] == [
        "每年保費 USD 10,000，繳費 5 年",
        "第 9 個保單年度終結時退保價值總額達到已繳保費（回本）",
        "第 10 年退保價值總額 USD 64,300，內部回報率 3.18%",
        "第 20 年退保價值總額 USD 120,820，內部回報率 5.01%",
        "第 30 年退保價值總額 USD 203,360，內部回報率 5.13%",
    ]


def test_simplified_chinese_breaks_even_at_the_first_listed_year_after_a_gap(zh_hans):
    summary = summary_of(zh_hans)
    assert (summary["break_even_year"], summary["break_even_age"]) == (15, 45)
    assert milestones(summary) == [(10, 485000, 407430, 0.84, -3.2), (20, 485000, 594710, 1.23, 1.32),
                                   (30, 485000, 794590, 1.64, 1.95)]
    assert summary["key_points"][1] == "第 15 个保单年度末退保价值总额达到已缴保费（回本）"


def test_english(en):
    summary = summary_of(en)
    assert summary["break_even_year"] == 5
    assert milestones(summary) == [(10, 250000, 288050, 1.15, 2.56), (20, 250000, 500110, 2.0, 4.52),
                                   (30, 250000, 774130, 3.1, 4.5)]
    assert summary["key_points"][0] == "Annual premium USD 25,000 for 10 years"
    assert summary["key_points"][-1] == "Year 30: total surrender value USD 774,130, IRR 4.50%"


def test_premium_schedule_spreads_gaps_evenly():
    rows = [{"policy_year": 1, "total_premiums_paid": 100}, {"policy_year": 4, "total_premiums_paid": 400}]
    assert premium_schedule(rows) == [100, 100, 100, 100]


@pytest.mark.parametrize("premiums, value, expected", [
    ([100.0], 110.0, 10.0),            # one premium, one year
    ([100.0, 100.0], 210.0, 3.3),      # 100*(1+r)^2 + 100*(1+r) = 210 -> 1+r = 1.03297
    ([100.0], 0.0, None),              # nothing back
    ([], 50.0, None),
])
def test_irr(premiums, value, expected):
    assert surrender_irr_percent(premiums, value) == expected


def test_no_table_no_figures():
    summary = build_summary({"language": "en"}, {"rows": []})
    assert summary["break_even_year"] is None and summary["milestones"] == []
    assert summary["key_points"] == ["Total surrender value stays below the premiums paid in the years shown"]
