"""OCR'd numbers: separators, currency marks, O for 0, stray spaces; columns never merged."""
import pytest

from apps.ocr.extraction.numbers import numbers_in, parse_amount


@pytest.mark.parametrize("line, expected", [
    ("5    40    5O,000    16,000    12,430", [5, 40, 50000, 16000, 12430]),   # O read for 0
    ("10   45   50,000   36,000   28,3OO   64,300", [10, 45, 50000, 36000, 28300, 64300]),
    ("17    52    50,000    44,390    58,140    1 02,530", [17, 52, 50000, 44390, 58140, 102530]),  # stray space
    ("5 | 45 | 125, 000 | 80,000", [5, 45, 125000, 80000]),                   # space after the comma
    ("1    36    10,000    0    0    0    50,500", [1, 36, 10000, 0, 0, 0, 50500]),  # lone zeros stay cells
    ("第2年  32  97,000  38,800  -  38,800", [2, 32, 97000, 38800, 0, 38800]),  # a dash is an empty cell
    ("１０，０００　２０", [10000, 20]),                                         # full-width digits
    ("Oct 2025 NO, 5", [2025, 5]),                                              # words keep their O
])
def test_numbers_in_reads_each_cell_once(line, expected):
    assert numbers_in(line) == expected


@pytest.mark.parametrize("value, expected", [
    ("US$1O,000.00", 10000),
    ("US$ 50,OOO", 50000),
    ("HK$48,500", 48500),
    ("USD 1,234.56", 1234.56),
    ("港元 485,000", 485000),
    ("n/a", None),
])
def test_parse_amount(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize("line, expected", [
    ("l2   47   l,000   I0,500", [12, 47, 1000, 10500]),       # l and I read for 1
    ("3   O   --   12,000", [3, 0, 0, 12000]),                  # a lone O and a double dash are zero cells
    ("5 | 45 | $125,000 | ¥80,000", [5, 45, 125000, 80000]),    # currency marks
    ("1 29 3,600 0 1,000,000", [1, 29, 3600, 0, 1000000]),      # single spaces between columns: no joining
])
def test_more_ocr_noise(line, expected):
    assert numbers_in(line) == expected
