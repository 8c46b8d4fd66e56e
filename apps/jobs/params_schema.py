"""JSON Schema of a params serializer, served at /api/kinds/ and used to build submit forms.

A field can ask for a file input with style={"content_media_type": "image/*",
"content_encoding": "base64"}: the browser then reads the file and sends its base64 text.
"""
from __future__ import annotations

from typing import Any

from rest_framework import fields, serializers

_EMPTY = fields.empty


def serializer_schema(serializer: serializers.Serializer | type[serializers.Serializer]) -> dict[str, Any]:
    """An object schema: properties, required, additionalProperties false."""
    if isinstance(serializer, type):
        serializer = serializer()
    props: dict[str, Any] = {}
    required: list[str] = []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        props[name] = field_schema(field)
        if field.required:
            required.append(name)
    schema: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        schema["required"] = required
    one_of = getattr(serializer, "exactly_one_of", ())
    if one_of:
        schema["oneOf"] = [{"required": [name]} for name in one_of]
    return schema


def without_diagnostics(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema a user who is not staff sees: no fault-injection (`x-diagnostics`) properties."""
    hidden = {name for name, prop in schema.get("properties", {}).items() if prop.get("x-diagnostics")}
    if not hidden:
        return schema
    trimmed = {**schema, "properties": {k: v for k, v in schema["properties"].items() if k not in hidden}}
    if "required" in schema:
        trimmed["required"] = [name for name in schema["required"] if name not in hidden]
    return trimmed


def field_schema(field: fields.Field) -> dict[str, Any]:
    # A custom field may say what it accepts (e.g. seconds or "2m") as a `json_schema` attribute.
    schema = dict(getattr(field, "json_schema", None) or _type_schema(field))
    if field.label:
        schema["title"] = str(field.label)
    if field.help_text:
        schema["description"] = str(field.help_text)
    if field.default is not _EMPTY and not callable(field.default):
        schema["default"] = field.default
    if getattr(field, "allow_null", False):
        schema["nullable"] = True
    style = getattr(field, "style", {}) or {}
    if "content_media_type" in style:
        schema["contentMediaType"] = style["content_media_type"]
    if "content_encoding" in style:
        schema["contentEncoding"] = style["content_encoding"]
    if "widget" in style:
        schema["x-widget"] = style["widget"]
    if style.get("diagnostics"):
        schema["x-diagnostics"] = True
    return schema


def _type_schema(field: fields.Field) -> dict[str, Any]:
    if isinstance(field, serializers.BaseSerializer) and not isinstance(field, serializers.ListSerializer):
        return serializer_schema(field)
    if isinstance(field, serializers.ListSerializer):
        return {"type": "array", "items": serializer_schema(field.child)}
    if isinstance(field, fields.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, fields.MultipleChoiceField):
        return {"type": "array", "items": {"enum": list(field.choices)}, "uniqueItems": True}
    if isinstance(field, fields.ChoiceField):
        return {"enum": list(field.choices)}
    if isinstance(field, fields.IntegerField):
        return _bounds({"type": "integer"}, field)
    if isinstance(field, (fields.FloatField, fields.DecimalField)):
        return _bounds({"type": "number"}, field)
    if isinstance(field, fields.ListField):
        schema: dict[str, Any] = {"type": "array", "items": field_schema(field.child)}
        if field.min_length is not None:
            schema["minItems"] = field.min_length
        if field.max_length is not None:
            schema["maxItems"] = field.max_length
        return schema
    if isinstance(field, (fields.DictField, fields.JSONField, fields.HStoreField)):
        return {"type": "object"}
    if isinstance(field, fields.FileField):
        return {"type": "string", "format": "binary"}
    if isinstance(field, fields.CharField):
        schema = {"type": "string"}
        if field.max_length is not None:
            schema["maxLength"] = field.max_length
        if field.min_length is not None:
            schema["minLength"] = field.min_length
        if isinstance(field, fields.URLField):
            schema["format"] = "uri"
        elif isinstance(field, fields.EmailField):
            schema["format"] = "email"
        return schema
    return {}


def _bounds(schema: dict[str, Any], field: fields.Field) -> dict[str, Any]:
    if getattr(field, "min_value", None) is not None:
        schema["minimum"] = field.min_value
    if getattr(field, "max_value", None) is not None:
        schema["maximum"] = field.max_value
    return schema
