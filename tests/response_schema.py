"""Check answers against the project's own OpenAPI document, so the docs cannot drift from the payloads.

`openapi()` is the document `/api/schema/` serves; `check(answer, ...)` validates a JSON answer
against a component or an operation's response schema (OpenAPI 3.0 `nullable` read as JSON
Schema's null type) and, with `exact=True`, also refuses any top-level key the schema does not name.
"""
from __future__ import annotations

import functools
from typing import Any

import jsonschema


@functools.cache
def openapi() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return _json_schema(SchemaGenerator().get_schema(request=None, public=True))


def component(name: str) -> dict[str, Any]:
    return openapi()["components"]["schemas"][name]


def response_schema(path: str, method: str, status: int) -> dict[str, Any]:
    """The schema of one documented answer (fails the test if that answer is undocumented)."""
    responses = openapi()["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {path} documents no {status} answer: {sorted(responses)}"
    return responses[str(status)]["content"]["application/json"]["schema"]


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a `$ref` (or a lone `allOf` wrapper) to the component itself."""
    while True:
        if "$ref" in schema:
            schema = component(schema["$ref"].rsplit("/", 1)[-1])
        elif list(schema.get("allOf") or [])[:1] and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def check(answer: Any, schema: dict[str, Any], *, exact: bool = False) -> None:
    """`answer` validates against `schema`; with `exact`, every top-level key is a documented property."""
    if exact:
        properties = resolve(schema)["properties"]
        undocumented = sorted(set(answer) - set(properties))
        assert not undocumented, f"answer keys missing from the schema: {undocumented}"
    root = {**schema, "components": openapi()["components"]}
    errors = sorted(_validator(root).iter_errors(answer), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def _validator(root: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 to JSON Schema for validation: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted
