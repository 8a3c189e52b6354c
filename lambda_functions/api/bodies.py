"""Request bodies: read with a fixed nesting limit, and checked against `schemas/*.json`,
the same JSON schemas API Gateway validates with, so the two can never disagree."""

import json
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
from aws_lambda_powertools.event_handler.openapi.params import Body
from shared.errors import PoisonObjectError
from shared.parsing import load_json

from api import runtime
from api.errors import invalid

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
# The request schemas nest two levels; no request needs anything near this.
MAX_BODY_NESTING = 32


def load_body(text: str) -> Any:
    """The request body's JSON. Python refuses some valid JSON (nested too deeply, or an
    integer with too many digits) with errors the resolver would answer with a 500, and
    the resolver's own logging recurses through the body: hence a fixed nesting limit."""
    try:
        return load_json(text, max_nesting=MAX_BODY_NESTING)
    except PoisonObjectError as error:
        raise invalid("body", f"cannot be read: {error.message}") from None


def schema_file(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return schema


def openapi_body(name: str) -> Any:
    """The body parameter, documented with the JSON schema API Gateway validates."""
    schema = {k: v for k, v in schema_file(name).items() if k != "$schema"}
    return Body(json_schema_extra=schema, description=schema.get("description"))


@cache
def body_validators(max_reprocess_keys: int) -> dict[str, Any]:
    """Compiled once per execution environment; the key list is capped by config, as the
    infrastructure caps the API Gateway model."""
    reprocess = schema_file("reprocess_request.json")
    reprocess["properties"]["object_keys"]["maxItems"] = max_reprocess_keys
    return {
        "upload": fastjsonschema.compile(schema_file("upload_request.json")),
        "reprocess": fastjsonschema.compile(reprocess),
    }


def validate_body(schema: str, body: dict[str, Any]) -> None:
    try:
        body_validators(runtime.settings().max_reprocess_keys)[schema](body)
    except fastjsonschema.JsonSchemaValueException as error:
        field, reason = describe_schema_error(error)
        raise invalid(field, reason) from None


def describe_schema_error(error: fastjsonschema.JsonSchemaValueException) -> tuple[str, str]:
    """fastjsonschema speaks of `data`; clients sent a body. Name the field and the rule."""
    field = ".".join(["body", *(str(part) for part in (error.path or [])[1:])])
    definition = error.definition or {}
    value = error.value
    if error.rule == "required" and isinstance(value, dict):
        missing = [name for name in definition.get("required", []) if name not in value]
        return f"{field}.{missing[0]}", "is required"
    if error.rule == "additionalProperties" and isinstance(value, dict):
        unknown = sorted(set(value) - set(definition.get("properties", {})))
        return f"{field}.{unknown[0]}", "is not an allowed field"
    if error.rule == "oneOf":
        options = [" and ".join(o.get("required", [])) for o in definition.get("oneOf", [])]
        return field, "must contain exactly one of: " + ", ".join(options)
    return field, error.message.removeprefix(error.name or "").strip()
