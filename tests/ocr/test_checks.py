"""Cross-checks: rows that disagree are kept and named, the summary counts what was verified."""
from apps.ocr.extraction.basic_info import extract_basic_info
from apps.ocr.extraction.checks import check_table
from apps.ocr.extraction.summary import build_summary
from apps.ocr.extraction.table import extract_table
from tests.ocr.conftest import proposal_text

HEADER = "Policy Year   Age   Total Premiums Paid   Guaranteed Cash Value   Reversionary Bonus   Total Surrender Value"


def table_of(*rows: str, basic_info=None):
    return extract_table("\n".join([HEADER, *rows]) + "\n", basic_info)


def test_a_row_that_does_not_add_up_is_kept_and_named():
    table = table_of("1    41    10,000        0      0        0",
                     "2    42    20,000    8,000    500    9,500",     # 8,000 + 500 is 8,500
                     "3    43    30,000   16,000  1,000   17,000")
    assert [row["policy_year"] for row in table["rows"]] == [1, 2, 3]
    assert table["rows"][1]["total_surrender_value"] == 9500
    (warning,) = table["warnings"]
    assert warning["policy_year"] == 2 and warning["check"] == "values_add_up"
    assert "8,500" in warning["message"] and "9,500" in warning["message"]
    assert table["verification"] == {"status": "partly_verified", "rows": 3, "verified": 2, "flagged": 1,
                                     "checks": ["values_add_up", "premiums_never_fall", "premiums_match_plan",
                                                "age_follows_year"]}


def test_premiums_against_the_plan_and_age_against_the_year():
    table = table_of("1    41    10,000        0      0        0",
                     "2    42    20,000    8,000    500    8,500",
                     "3    44    30,000   16,000  1,000   17,000",     # age skips
                     "4    44    35,000   24,000  1,500   25,500",     # not 4 x 10,000
                     "5    45    30,000   32,000  2,000   34,000",     # premiums fall
                     basic_info={"annual_premium": 10000, "payment_term_years": 5})
    flagged = {(w["policy_year"], w["check"]) for w in table["warnings"]}
    assert flagged == {(3, "age_follows_year"), (4, "premiums_match_plan"), (5, "premiums_never_fall"),
                       (5, "premiums_match_plan")}
    assert table["verification"]["verified"] == 2 and table["verification"]["status"] == "failed"  # 3 of 5


def test_premiums_stop_at_the_end_of_the_payment_term():
    rows = [{"policy_year": year, "total_premiums_paid": 10000 * min(year, 3)} for year in (1, 2, 3, 10)]
    warnings, verified = check_table(rows, ["policy_year", "total_premiums_paid"],
                                     {"annual_premium": 10000, "payment_term_years": 3})
    assert warnings == [] and verified["status"] == "verified"
    warnings, _ = check_table(rows, ["policy_year", "total_premiums_paid"],
                              {"annual_premium": 10000, "payment_term_years": 5})
    assert [w["policy_year"] for w in warnings] == [10]


def test_a_table_that_fails_most_checks_says_so_instead_of_presenting_figures_as_fact():
    table = table_of("1    41    10,000    5,000    100    9,000",
                     "2    42    20,000    8,000    500    4,500",
                     "3    43    30,000   16,000  1,000   61,000")
    assert table["verification"]["status"] == "failed"
    summary = build_summary({"language": "en", "currency": "USD"}, table)
    assert summary["figures_verified"] is False and summary["verification"]["flagged"] == 3
    assert summary["key_points"][0] == ("Caution: 3 of the 3 table rows fail the cross-checks; "
                                        "the figures below are not verified")
    zh = build_summary({"language": "zh-Hant"}, table)
    assert zh["key_points"][0] == "注意：價值表 3 行中有 3 行未通過數字核對，以下數字未經核實"


def test_the_fixtures_verify_and_the_summary_counts_them(zh_hant):
    summary = build_summary(extract_basic_info(zh_hant), extract_table(zh_hant, extract_basic_info(zh_hant)))
    assert summary["verification"]["status"] == "verified" and summary["verification"]["verified"] == 30
    assert summary["figures_verified"] is True and summary["table_warnings"] == 0


def test_the_columns_without_a_counterpart_are_not_checked():
    rows = [{"policy_year": 1, "death_benefit": 100}, {"policy_year": 2, "death_benefit": 50}]
    assert check_table(rows, ["policy_year", "death_benefit"]) == (
        [], {"status": "not_checkable", "rows": 2, "verified": 0, "flagged": 0, "checks": []})


def test_a_misread_layout_is_caught_by_the_checks():
    """Read by position (the old way) the HK plan's terminal bonus would be its total: the checks refuse that."""
    text = proposal_text("hk_two_bonus_zh_hant")
    rows = [{"policy_year": r["policy_year"], "guaranteed_cash_value": r["guaranteed_cash_value"],
             "non_guaranteed_bonus": r["non_guaranteed_reversionary_bonus"],
             "total_surrender_value": r["non_guaranteed_terminal_bonus"]}
            for r in extract_table(text)["rows"]]
    _, verified = check_table(rows, ["policy_year", "guaranteed_cash_value", "non_guaranteed_bonus",
                                     "total_surrender_value"])
    assert verified["status"] == "failed"


def test_a_first_year_discount_is_not_an_error():
    rows = [{"policy_year": year, "total_premiums_paid": 10000 * min(year, 5) - 1000} for year in range(1, 8)]
    plan = {"annual_premium": 10000, "payment_term_years": 5}
    assert check_table(rows, ["policy_year", "total_premiums_paid"], plan)[1]["status"] == "verified"
    rows[3]["total_premiums_paid"] = 45000  # one row off: flagged
    warnings, _ = check_table(rows, ["policy_year", "total_premiums_paid"], plan)
    assert [(w["policy_year"], w["check"]) for w in warnings] == [(4, "premiums_match_plan")]
