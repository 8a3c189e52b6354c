"""Writes `docs/openapi.json` from the api function's resolver.

    .venv/bin/python docs/generate_openapi.py           # write it
    .venv/bin/python docs/generate_openapi.py --check   # exit 1 when it is stale

The routes, parameters, request bodies (the JSON schemas API Gateway validates) and
response shapes all come from `lambda_functions/api/app.py`; `tests/api/test_openapi.py`
fails when the committed document no longer matches.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler.openapi.models import (
    APIKey,
    APIKeyIn,
    Server,
    ServerVariable,
)

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "docs" / "openapi.json"
API_KEY_SCHEME = "api_key"


def render() -> str:
    """The OpenAPI document, as committed: sorted by path, two-space indented."""
    # The code root, as Lambda and pytest see it.
    if str(ROOT / "lambda_functions") not in sys.path:
        sys.path.insert(0, str(ROOT / "lambda_functions"))
    from api.app import ERROR_DESCRIPTIONS, app

    schema: dict[str, Any] = json.loads(
        app.get_openapi_json_schema(
            title="serverless-platform API",
            version="1",
            description=(
                "Uploads, results and reprocessing workflows. Every route needs an API key "
                "in the `x-api-key` header. See docs/api.md."
            ),
            servers=[
                Server(
                    url="https://{rest_api_id}.execute-api.{region}.amazonaws.com/{stage}",
                    description="The stage's default endpoint (`pulumi stack output api_url`)",
                    variables={
                        "rest_api_id": ServerVariable(default="rest_api_id"),
                        "region": ServerVariable(default="eu-west-1"),
                        "stage": ServerVariable(default="dev"),
                    },
                )
            ],
            security_schemes={
                API_KEY_SCHEME: APIKey(
                    name="x-api-key",
                    in_=APIKeyIn.header,
                    description="`pulumi stack output api_key --show-secrets`",
                )
            },
            security=[{API_KEY_SCHEME: []}],
        )
    )
    _document_errors_as_answered(schema, ERROR_DESCRIPTIONS[500])
    schema["paths"] = dict(sorted(schema["paths"].items()))
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _document_errors_as_answered(schema: dict[str, Any], internal_error: str) -> None:
    """Powertools documents its own 422 (this API answers 400, declared on every route)
    and its own model for a response that fails validation (this API answers every 500
    with `ErrorBody`). Both would only mislead."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            operation["responses"].pop("422", None)
            operation["responses"]["500"] = {
                "description": internal_error,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
                },
            }
    components = schema.get("components", {}).get("schemas", {})
    for model in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        components.pop(model, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    document = render()
    if args.check:
        current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
        if current != document:
            print(f"{DOCUMENT.relative_to(ROOT)} is stale: run docs/generate_openapi.py")
            return 1
        return 0
    DOCUMENT.write_text(document, encoding="utf-8")
    print(f"wrote {DOCUMENT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
