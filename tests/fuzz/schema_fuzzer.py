"""A small property-style fuzzer over the OpenAPI schema (schemathesis is not a dependency).

For every operation in /api/schema/ it derives inputs from the schema and then breaks them:
wrong types, missing and unknown fields, boundary numbers, huge and odd strings, nesting,
non-object bodies, malformed JSON, form and multipart encodings, and hostile path/query
values. Seeded, so a failure replays with the same JOBCAST_FUZZ_SEED.
"""
from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

ODD_STRINGS = ["", " ", "0", "-1", "null", "true", "[]", "{}", "NaN", "1e309", "\x00", "\u202e\u0000\ufeff",
               "' OR 1=1 --", "<script>alert(1)</script>", "../../../../etc/passwd", "%00%2e%2e%2f", "{{7*7}}",
               "${jndi:ldap://x}", "A" * 5000, "é" * 300, "😀" * 100, "http://169.254.169.254/", "\\\\?\\C:\\"]
ODD_NUMBERS = [0, -1, 1, 2**31, -(2**31) - 1, 2**63, 10**40, 1.5, -0.0, 1e308]
ODD_VALUES: list[Any] = [None, True, False, [], {}, [None], {"": None}, ODD_STRINGS[0], *ODD_NUMBERS[:4]]
PATH_VALUES = ["0", "1", "-1", "999999999999999999999999", str(uuid.uuid4()), "not-a-uuid", "..", "%2e%2e",
               "%00", "' OR '1'='1", "A" * 300, "😀", "1;DROP TABLE jobs_job", "$(id)"]


@dataclass
class Case:
    """One request to send."""

    method: str
    path: str
    params: dict[str, Any]
    json_body: Any = None
    raw: bytes | None = None
    form: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    content_type: str | None = None

    def describe(self) -> str:
        body = self.raw[:80] if self.raw is not None else json.dumps(self.json_body, default=str)[:120]
        return f"{self.method} {self.path} params={str(self.params)[:80]} body={body!r}"


def resolve(schema: dict[str, Any], node: Any) -> Any:
    """Follow `$ref`s into components (one level at a time, as needed)."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"].lstrip("#/").split("/")
        node = schema
        for part in ref:
            node = node[part]
    return node


def example(schema: dict[str, Any], node: Any, rng: random.Random, depth: int = 0) -> Any:
    """A plausible value for a schema node (then broken by `mutations`)."""
    node = resolve(schema, node) or {}
    if depth > 4:
        return None
    if "enum" in node:
        return rng.choice(node["enum"])
    for key in ("oneOf", "anyOf", "allOf"):
        if key in node:
            return example(schema, rng.choice(node[key]), rng, depth + 1)
    kind = node.get("type", "object" if "properties" in node else "string")
    if kind == "object":
        return {name: example(schema, prop, rng, depth + 1) for name, prop in node.get("properties", {}).items()
                if not resolve(schema, prop).get("readOnly")}
    if kind == "array":
        return [example(schema, node.get("items", {}), rng, depth + 1)]
    if kind == "integer":
        return rng.choice([node.get("minimum", 0), node.get("maximum", 10), 1])
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return rng.random() < 0.5
    if node.get("format") == "binary":
        return "binary"
    return rng.choice(["x", "test", "http://127.0.0.1:9"])


def mutations(base: Any, rng: random.Random) -> Iterator[Any]:
    """Broken variants of a valid-looking body."""
    yield base
    yield {}
    yield from (v for v in ([], None, "x", 0, [base], "A" * 100_000))
    if isinstance(base, dict) and base:
        for name in list(base):
            yield {k: v for k, v in base.items() if k != name}  # one field missing
            for value in rng.sample(ODD_VALUES + ODD_STRINGS + ODD_NUMBERS, 4):
                yield {**base, name: value}
        yield {**base, "unknown_field": "x", "__proto__": {"admin": True}}
        yield {name: {"nested": [base] * 3} for name in base}
        yield {name: [ODD_STRINGS[-5]] * 200 for name in base}


def cases_for(schema: dict[str, Any], path: str, method: str, op: dict[str, Any], rng: random.Random,
              per_operation: int, known_ids: dict[str, list[str]]) -> list[Case]:
    """Up to `per_operation` requests for one operation."""
    params = [resolve(schema, p) for p in op.get("parameters", [])]
    content = op.get("requestBody", {}).get("content", {})
    body_schema = next((c.get("schema") for t, c in content.items() if t == "application/json"), None)
    base = example(schema, body_schema, rng) if body_schema else None
    bodies = list(mutations(base, rng)) if body_schema else [None]
    out: list[Case] = []
    for i in range(per_operation):
        concrete = path
        for p in params:
            if p.get("in") == "path":
                pool = known_ids.get(p["name"], []) if rng.random() < 0.4 else []
                value = rng.choice(pool) if pool else rng.choice(PATH_VALUES)
                concrete = concrete.replace("{" + p["name"] + "}", value)
        query = {p["name"]: rng.choice(ODD_STRINGS + [str(n) for n in ODD_NUMBERS])
                 for p in params if p.get("in") == "query" and rng.random() < 0.7}
        if rng.random() < 0.2:
            query["page"] = rng.choice(["0", "-1", "99999", "x"])
        case = Case(method.upper(), concrete, query)
        if method in ("post", "put", "patch"):
            roll = rng.random()
            body = bodies[i % len(bodies)]
            if roll < 0.08:
                case.raw, case.content_type = rng.choice([b"{bad json", b"\xff\xfe\x00", b"[" * 50 + b"]" * 50,
                                                          b'{"a": 1, "a": 2}', b"", b"null"]), "application/json"
            elif roll < 0.16 and isinstance(body, dict):
                case.form = {k: json.dumps(v) if not isinstance(v, str) else v for k, v in body.items()}
            elif roll < 0.22:
                case.files = {"file": ("../../x.pdf", b"%PDF-1.4 junk", "application/pdf"),
                              "image": ("x.png", b"\x89PNG junk", "image/png")}
            else:
                case.json_body = body
        out.append(case)
    return out
