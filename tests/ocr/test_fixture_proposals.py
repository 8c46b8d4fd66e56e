"""Eight realistic proposals (tests/fixtures/ocr/proposal_*.txt) against their truth files: every value, exactly.

Each truth file (tests/fixtures/ocr/truth/<name>.json) was written from the figures the proposal
was laid out from, not from the parser: basic info, the table's columns in order, every row, the
break-even year and the verification status.
"""
import json

import pytest

from apps.ocr.extraction.basic_info import extract_basic_info
from apps.ocr.extraction.summary import build_summary
from apps.ocr.extraction.table import TABLE_COLUMNS, extract_table
from tests.ocr.conftest import FIXTURES, proposal_text

TRUTHS = sorted(path.stem for path in (FIXTURES / "truth").glob("*.json"))


def truth(name: str) -> dict:
    return json.loads((FIXTURES / "truth" / f"{name}.json").read_text(encoding="utf-8"))


def test_there_are_at_least_eight_layouts():
    assert len(TRUTHS) >= 8


@pytest.mark.parametrize("name", TRUTHS)
def test_basic_info(name):
    info = extract_basic_info(proposal_text(name))
    assert {field: info[field] for field in truth(name)["basic_info"]} == truth(name)["basic_info"]


@pytest.mark.parametrize("name", TRUTHS)
def test_columns_and_every_value_of_every_row(name):
    expected = truth(name)
    text = proposal_text(name)
    table = extract_table(text, extract_basic_info(text))
    assert table["columns"] == expected["columns"]
    assert [row["policy_year"] for row in table["rows"]] == [row["policy_year"] for row in expected["rows"]]
    for got, want in zip(table["rows"], expected["rows"]):
        assert {column: got[column] for column in want} == want, f"policy year {want['policy_year']}"
        # The seven fields of the old wire shape are always there; columns the table lacks are null.
        assert set(TABLE_COLUMNS) <= set(got)
        for column in set(TABLE_COLUMNS) - set(expected["columns"]) - {"non_guaranteed_bonus"}:
            assert got[column] is None


@pytest.mark.parametrize("name", TRUTHS)
def test_break_even_year_and_verification(name):
    expected = truth(name)
    text = proposal_text(name)
    info = extract_basic_info(text)
    table = extract_table(text, info)
    summary = build_summary(info, table)
    assert summary["break_even_year"] == expected["break_even_year"]
    assert table["verification"]["status"] == summary["verification"]["status"] == expected["verification"]
    assert summary["verification"]["verified"] == len(expected["rows"])
    assert not [w for w in table["warnings"] if "check" in w]


def test_two_bonus_columns_before_the_total_are_not_the_total():
    """The HK plan of the issue: terminal bonus is not the total surrender value, the total is not the death benefit."""
    table = extract_table(proposal_text("hk_two_bonus_zh_hant"))
    year_12 = next(row for row in table["rows"] if row["policy_year"] == 12)
    assert year_12 == {
        "policy_year": 12, "age": 52, "total_premiums_paid": 100000, "guaranteed_cash_value": 51690,
        "non_guaranteed_reversionary_bonus": 13460, "non_guaranteed_terminal_bonus": 40540,
        "non_guaranteed_bonus": 54000, "total_surrender_value": 105690, "death_benefit": 105690,
    }
    assert table["headers"]["non_guaranteed_terminal_bonus"] == "非保證金額終期紅利"


def test_mainland_tab_table_is_not_shifted_and_its_cash_value_is_the_total():
    text = proposal_text("cn_whole_life_tabs")
    info = extract_basic_info(text)
    assert (info["annual_premium"], info["payment_term_years"], info["currency"]) == (12000, 20, "CNY")
    table = extract_table(text, info)
    assert table["columns"] == ["policy_year", "age", "total_premiums_paid", "total_surrender_value", "death_benefit"]
    assert table["rows"][2] == {"policy_year": 3, "age": 33, "total_premiums_paid": 36000,
                                "guaranteed_cash_value": None, "non_guaranteed_bonus": None,
                                "total_surrender_value": 11020.5, "death_benefit": 300000}


def test_amounts_in_ten_thousands_are_scaled():
    table = extract_table(proposal_text("cn_participating_wan"))
    assert table["rows"][0]["total_premiums_paid"] == 12000 and table["rows"][0]["death_benefit"] == 19200
    assert next(r for r in table["rows"] if r["policy_year"] == 50)["age"] == 95  # ages are not scaled


def test_a_plan_without_bonuses_has_no_bonus_columns_and_is_read_from_its_cash_value():
    text = proposal_text("en_no_bonus_single_spaced")
    table = extract_table(text)
    assert not {"non_guaranteed_bonus", "non_guaranteed_reversionary_bonus",
                "non_guaranteed_terminal_bonus"} & set(table["columns"])
    assert all("non_guaranteed_reversionary_bonus" not in row for row in table["rows"])
    summary = build_summary(extract_basic_info(text), table)
    assert summary["value_column"] == "guaranteed_cash_value" and summary["break_even_year"] == 18


def test_an_extra_column_keeps_its_own_name():
    table = extract_table(proposal_text("mo_income_pipes_zh_hant"))
    assert table["columns"][-1] == "保證每年入息"
    assert [row["保證每年入息"] for row in table["rows"][3:6]] == [0, 3000, 3000]


def test_blank_cells_and_a_broken_row_in_a_noisy_scan():
    table = extract_table(proposal_text("en_noisy_scan"))
    rows = {row["policy_year"]: row for row in table["rows"]}
    assert rows[1]["guaranteed_cash_value"] == rows[1]["total_surrender_value"] == 0
    assert rows[7]["total_surrender_value"] == 36590 and rows[12]["age"] == 41
    assert {w["code"] for w in table["warnings"]} == {"blank_cells"}
