"""Header words in three languages to stable column names; header blocks over one to three lines."""
import pytest

from apps.ocr.extraction.headers import concept_of, header_columns, unit_of


@pytest.mark.parametrize("words, name", [
    ("保單年度終結", "policy_year"), ("保单年度末", "policy_year"), ("End of Policy Year", "policy_year"),
    ("受保人年齡", "age"), ("年龄", "age"), ("Attained Age", "age"), ("Age at End of Year", "age"),
    ("已繳保費總額", "total_premiums_paid"), ("累计所交保费", "total_premiums_paid"),
    ("Total Premiums Paid", "total_premiums_paid"),
    ("保證現金價值", "guaranteed_cash_value"), ("保证现金价值", "guaranteed_cash_value"),
    ("Guaranteed Surrender Value", "guaranteed_cash_value"),
    ("週年紅利", "non_guaranteed_reversionary_bonus"), ("歸原紅利", "non_guaranteed_reversionary_bonus"),
    ("复归红利", "non_guaranteed_reversionary_bonus"), ("Reversionary Bonus", "non_guaranteed_reversionary_bonus"),
    ("Annual Dividend", "non_guaranteed_reversionary_bonus"),
    ("非保證金額 終期紅利", "non_guaranteed_terminal_bonus"), ("终期红利", "non_guaranteed_terminal_bonus"),
    ("Non-Guaranteed Terminal Dividend", "non_guaranteed_terminal_bonus"),
    ("非保證紅利", "non_guaranteed_bonus"), ("Non-guaranteed Bonus", "non_guaranteed_bonus"),
    ("退保價值總額", "total_surrender_value"), ("非保證金額 退保價值總額", "total_surrender_value"),
    ("Total Cash Value", "total_surrender_value"),
    ("身故賠償", "death_benefit"), ("身故保险金", "death_benefit"), ("Death Benefit", "death_benefit"),
    ("Loyalty Programme", None),
])
def test_vocabulary(words, name):
    assert concept_of(words) == name


def names(lines, width):
    return [column.name for column in header_columns(lines, width)]


def test_a_lone_cash_value_is_the_total_and_beside_a_total_it_is_guaranteed():
    assert names(["保单年度末  年龄  累计所交保费  现金价值  身故保险金"], 5) == [
        "policy_year", "age", "total_premiums_paid", "total_surrender_value", "death_benefit"]
    assert names(["Year  Premiums  Cash Value  Bonus  Total Surrender Value"], 5) == [
        "policy_year", "total_premiums_paid", "guaranteed_cash_value", "non_guaranteed_bonus", "total_surrender_value"]


def test_a_group_heading_names_the_columns_under_it():
    lines = ["保單年度   已繳保費   保證現金價值          非保證金額           退保價值",
             "終結       總額                     週年紅利     終期紅利       總額"]
    assert names(lines, 6) == ["policy_year", "total_premiums_paid", "guaranteed_cash_value",
                               "non_guaranteed_reversionary_bonus", "non_guaranteed_terminal_bonus",
                               "total_surrender_value"]


def test_unknown_columns_keep_a_slug_of_their_words():
    assert names(["Policy Year   Total Premiums Paid   Loyalty Programme (A)   Total Surrender Value"], 4) == [
        "policy_year", "total_premiums_paid", "loyalty_programme", "total_surrender_value"]


def test_bar_separated_lines_are_read_cell_by_cell():
    assert names(["| 保單 | | 已繳 | 退保價值 |", "| 年度 | 年齡 | 保費 | 總額 |"], 4) == [
        "policy_year", "age", "total_premiums_paid", "total_surrender_value"]


@pytest.mark.parametrize("text, unit", [("利益演示表（单位：万元）", 10000), ("現金價值(萬元)", 10000),
                                        ("Values in HK$ '000", 1000), ("說明摘要（美元）", 1)])
def test_units(text, unit):
    assert unit_of(text) == unit


def test_bilingual_headings_and_two_headings_run_together():
    lines = ["保單年度終結        已繳保費總額         保證現金價值       週年紅利          終期紅利          退保價值總額",
             "End of Policy Year  Total Premiums Paid  Guaranteed Cash    Annual Dividend   Terminal Dividend Total Surrender Value",
             "                                         Value"]
    columns = header_columns(lines, 6)
    assert [c.name for c in columns] == ["policy_year", "total_premiums_paid", "guaranteed_cash_value",
                                         "non_guaranteed_reversionary_bonus", "non_guaranteed_terminal_bonus",
                                         "total_surrender_value"]
    assert columns[4].text == "終期紅利 Terminal Dividend"
