"""OpenAPI schema tweaks shared by every app."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class JobcastAutoSchema(AutoSchema):
    """Plain APIViews answering a collection at a path without parameters are lists.

    drf-spectacular names both `GET /things/` and `GET /things/{id}/` "…_retrieve" when the
    views are APIViews, and then renames them with numeral suffixes (check --deploy warns).
    """

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        if operation_id.endswith("_retrieve") and "{" not in self.path and self.path.endswith("/"):
            return operation_id[: -len("_retrieve")] + "_list"
        return operation_id


def enum_component(name: str, values: Sequence[str]) -> type[serializers.ChoiceField]:
    """A ChoiceField class documented as its own enum component `name`.

    drf-spectacular names an enum after its property (`StatusEnum`) and warns when one property
    name carries several choice sets; a named component keeps e.g. an OCR document's `status`
    apart from a job's.
    """
    choices = list(values)

    @extend_schema_field({"type": "string", "enum": choices}, component_name=name)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices, **kwargs)

    NamedChoiceField.__name__ = NamedChoiceField.__qualname__ = f"{name}Field"
    return NamedChoiceField


# DRF's 4xx body for a request: each offending field with its messages, or `{"detail": …}` (a parse
# error, a body over the size limit); raw schemas, as a serializer cannot say "any field name".
CLIENT_ERROR: dict[str, Any] = {
    "oneOf": [
        {"type": "object", "description": "Each offending field with its messages.",
         "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
    ],
}
