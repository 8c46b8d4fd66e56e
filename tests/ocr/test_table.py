"""Rule-based value tables on the three fixture proposals: every row, exact values."""
from apps.ocr.extraction.table import TABLE_COLUMNS, extract_table

# (policy year, age, premiums paid, guaranteed cash value, non-guaranteed bonus, surrender value, death benefit)
ZH_HANT_ROWS = [
    (1, 36, 10000, 0, 0, 0, 50500), (2, 37, 20000, 4000, 0, 4000, 50500),
    (3, 38, 30000, 8000, 7090, 15090, 50500), (4, 39, 40000, 12000, 9700, 21700, 50500),
    (5, 40, 50000, 16000, 12430, 28430, 50500), (6, 41, 50000, 20000, 15300, 35300, 50500),
    (7, 42, 50000, 24000, 18320, 42320, 50500), (8, 43, 50000, 28000, 21490, 49490, 50500),
    (9, 44, 50000, 32000, 24810, 56810, 56810), (10, 45, 50000, 36000, 28300, 64300, 64300),
    (11, 46, 50000, 40600, 31970, 72570, 72570), (12, 47, 50000, 41210, 35810, 77020, 77020),
    (13, 48, 50000, 41830, 39850, 81680, 81680), (14, 49, 50000, 42450, 44100, 86550, 86550),
    (15, 50, 50000, 43090, 48550, 91640, 91640), (16, 51, 50000, 43740, 53230, 96970, 96970),
    (17, 52, 50000, 44390, 58140, 102530, 102530), (18, 53, 50000, 45060, 63300, 108360, 108360),
    (19, 54, 50000, 45740, 68710, 114450, 114450), (20, 55, 50000, 46420, 74400, 120820, 120820),
    (21, 56, 50000, 47120, 80370, 127490, 127490), (22, 57, 50000, 47820, 86640, 134460, 134460),
    (23, 58, 50000, 48540, 93220, 141760, 141760), (24, 59, 50000, 49270, 100130, 149400, 149400),
    (25, 60, 50000, 50010, 107390, 157400, 157400), (26, 61, 50000, 50760, 115010, 165770, 165770),
    (27, 62, 50000, 51520, 123010, 174530, 174530), (28, 63, 50000, 52290, 131410, 183700, 183700),
    (29, 64, 50000, 53080, 140230, 193310, 193310), (30, 65, 50000, 53870, 149490, 203360, 203360),
]
ZH_HANS_ROWS = [
    (1, 31, 48500, 0, 0, 0, None), (2, 32, 97000, 38800, 0, 38800, None),
    (3, 33, 145500, 77600, 15140, 92740, None), (4, 34, 194000, 116400, 20600, 137000, None),
    (5, 35, 242500, 155200, 26270, 181470, None), (6, 36, 291000, 194000, 32170, 226170, None),
    (7, 37, 339500, 232800, 38310, 271110, None), (8, 38, 388000, 271600, 44690, 316290, None),
    (9, 39, 436500, 310400, 51330, 361730, None), (10, 40, 485000, 349200, 58230, 407430, None),
    (15, 45, 485000, 417990, 97110, 515100, None), (20, 50, 485000, 450290, 144420, 594710, None),
    (25, 55, 485000, 485090, 201980, 687070, None), (30, 60, 485000, 522580, 272010, 794590, None),
]
EN_ROWS = [
    (1, 41, 25000, 0, 0, 0, 250000), (2, 42, 50000, 20000, 0, 20000, 250000),
    (3, 43, 75000, 40000, 28090, 68090, 250000), (4, 44, 100000, 60000, 38220, 98220, 250000),
    (5, 45, 125000, 80000, 48750, 128750, 250000), (6, 46, 150000, 100000, 59700, 159700, 250000),
    (7, 47, 175000, 120000, 71080, 191080, 250000), (8, 48, 200000, 140000, 82930, 222930, 250000),
    (9, 49, 225000, 160000, 95250, 255250, 255250), (10, 50, 250000, 180000, 108050, 288050, 288050),
    (15, 55, 250000, 215460, 180210, 395670, 395670), (20, 60, 250000, 232110, 268000, 500110, 500110),
    (25, 65, 250000, 250050, 374810, 624860, 624860), (30, 70, 250000, 269370, 504760, 774130, 774130),
]


def rows(table):
    return [tuple(row[column] for column in TABLE_COLUMNS) for row in table["rows"]]


def test_traditional_chinese_thirty_rows_with_ocr_noise(zh_hant):
    table = extract_table(zh_hant)
    assert table["columns"] == list(TABLE_COLUMNS)
    assert rows(table) == ZH_HANT_ROWS


def test_simplified_chinese_without_death_benefit_and_with_year_gaps(zh_hans):
    table = extract_table(zh_hans)
    assert table["columns"] == list(TABLE_COLUMNS[:6])
    assert rows(table) == ZH_HANS_ROWS


def test_english_pipe_separated_two_line_header(en):
    table = extract_table(en)
    assert table["columns"] == list(TABLE_COLUMNS)
    assert rows(table) == EN_ROWS


def test_every_row_adds_up(zh_hant, zh_hans, en):
    for text in (zh_hant, zh_hans, en):
        for row in extract_table(text)["rows"]:
            assert row["guaranteed_cash_value"] + row["non_guaranteed_bonus"] == row["total_surrender_value"]


def test_columns_however_spaced_and_without_header():
    text = "1\t36  10,000 0\t0  0   50,500\n2 37 20,000     4,000 0 4,000 50,500\n"
    assert rows(extract_table(text)) == [(1, 36, 10000, 0, 0, 0, 50500), (2, 37, 20000, 4000, 0, 4000, 50500)]


def test_text_without_a_table():
    assert extract_table("第 1 頁，共 4 頁\n受保人姓名：陳大文") == {"columns": [], "rows": []}


def test_tab_separated_rows_whose_last_cells_are_blank_keep_those_cells():
    """Found by the property test: `1<tab>1O00<tab><tab>` has four cells (two blank, read as 0);
    stripping the line's trailing tabs left two numbers and the header's four names unmatched."""
    text = ("保單年度終結\t已繳保費總額\t保證現金價值\t退保價值總額\n"
            "1\t1O00\t\t\n2\t1O00\t\t\n3\t1O00\t\t\n")
    table = extract_table(text, {"annual_premium": 1000, "payment_term_years": 1})
    assert table["columns"] == ["policy_year", "total_premiums_paid", "guaranteed_cash_value", "total_surrender_value"]
    assert [(r["policy_year"], r["total_premiums_paid"], r["guaranteed_cash_value"], r["total_surrender_value"])
            for r in table["rows"]] == [(1, 1000, 0, 0), (2, 1000, 0, 0), (3, 1000, 0, 0)]
    assert table["warnings"] == []
