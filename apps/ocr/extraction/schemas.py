"""JSON Schemas of what an LLM must answer for each stage (sent in the prompt, checked on return)."""
from __future__ import annotations

from typing import Any

_NULLABLE_NUMBER = {"type": ["number", "null"], "minimum": 0}

BASIC_INFO_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["insured_name", "age", "gender", "product_name", "currency", "sum_assured", "annual_premium",
                 "payment_term_years", "coverage_term"],
    "properties": {
        "insured_name": {"type": ["string", "null"], "maxLength": 200},
        "age": {"type": ["integer", "null"], "minimum": 0, "maximum": 120},
        "gender": {"enum": ["male", "female", None]},
        "product_name": {"type": ["string", "null"], "maxLength": 300},
        "currency": {"type": ["string", "null"], "pattern": "^[A-Z]{3}$"},
        "sum_assured": _NULLABLE_NUMBER,
        "annual_premium": _NULLABLE_NUMBER,
        "payment_term_years": {"type": ["integer", "null"], "minimum": 1, "maximum": 100},
        "coverage_term": {"type": ["string", "null"], "maxLength": 100},
    },
}

TABLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["rows"],
    "properties": {
        "rows": {
            "type": "array",
            "minItems": 1,
            "maxItems": 150,
            "items": {
                "type": "object",
                "required": ["policy_year", "total_premiums_paid", "total_surrender_value"],
                "additionalProperties": False,
                "properties": {
                    "policy_year": {"type": "integer", "minimum": 1, "maximum": 120},
                    "age": {"type": ["integer", "null"], "minimum": 0, "maximum": 130},
                    "total_premiums_paid": _NULLABLE_NUMBER,
                    "guaranteed_cash_value": _NULLABLE_NUMBER,
                    "non_guaranteed_bonus": _NULLABLE_NUMBER,
                    "non_guaranteed_reversionary_bonus": _NULLABLE_NUMBER,
                    "non_guaranteed_terminal_bonus": _NULLABLE_NUMBER,
                    "total_surrender_value": _NULLABLE_NUMBER,
                    "death_benefit": _NULLABLE_NUMBER,
                },
            },
        },
    },
}

KEY_POINTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["key_points"],
    "properties": {
        "key_points": {"type": "array", "minItems": 1, "maxItems": 12,
                       "items": {"type": "string", "minLength": 1, "maxLength": 500}},
    },
}
