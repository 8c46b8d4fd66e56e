"""Rule-based basic info on the three fixture proposals, exact values."""
from apps.ocr.extraction.basic_info import detect_language, extract_basic_info


def test_traditional_chinese(zh_hant):
    assert extract_basic_info(zh_hant) == {
        "insured_name": "陳大文", "age": 35, "gender": "male", "product_name": "富饒千秋儲蓄計劃(5年繳)",
        "currency": "USD", "sum_assured": 50000, "annual_premium": 10000, "payment_term_years": 5,
        "coverage_term": "to age 100", "language": "zh-Hant",
    }


def test_simplified_chinese(zh_hans):
    assert extract_basic_info(zh_hans) == {
        "insured_name": "李明", "age": 30, "gender": "female", "product_name": "康盈终身储蓄保险计划",
        "currency": "HKD", "sum_assured": 485000, "annual_premium": 48500, "payment_term_years": 10,
        "coverage_term": "whole life", "language": "zh-Hans",
    }


def test_english(en):
    assert extract_basic_info(en) == {
        "insured_name": "John Smith", "age": 40, "gender": "male", "product_name": "Legacy Wealth Builder Plan",
        "currency": "USD", "sum_assured": 250000, "annual_premium": 25000, "payment_term_years": 10,
        "coverage_term": "to age 100", "language": "en",
    }


def test_missing_fields_are_none_not_guesses():
    info = extract_basic_info("Proposal\nSex: F\nSome unrelated line: 12")
    assert info["gender"] == "female"
    assert info["insured_name"] is None and info["annual_premium"] is None and info["currency"] is None


def test_detect_language():
    assert detect_language("保單價值 已繳保費總額 " * 5) == "zh-Hant"
    assert detect_language("保单价值 已缴保费总额 " * 5) == "zh-Hans"
    assert detect_language("Total Surrender Value " * 5) == "en"


def test_more_labels_and_units():
    info = extract_basic_info("被保险人：王芳    性别：女\n年交保费：1.20万元\n交费期间：趸交\n币种：人民币\n"
                              "Life Assured: Tan Wei Ming\nSum Insured: S$150,000")
    assert (info["insured_name"], info["gender"], info["annual_premium"]) == ("王芳", "female", 12000)
    assert (info["payment_term_years"], info["currency"], info["sum_assured"]) == (1, "CNY", 150000)
    assert extract_basic_info("Sum Insured: HKD 1,000,000\nInsured Person: Chan Ka Ho")["insured_name"] == "Chan Ka Ho"
