"""The REST API's routes and request models, as data.

The infrastructure builds resources, methods, validators and models from this table,
and the deployment trigger is a hash of everything a deployment snapshots
(`deployment_document`), so every change the stage would serve redeploys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "lambda_functions" / "api" / "schemas"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    # Name of the request model (JSON schema) that API Gateway validates the body against.
    model: str | None = None
    query: tuple[str, ...] = ()

    @property
    def path_parameters(self) -> list[str]:
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]


ROUTES: tuple[Route, ...] = (
    Route("POST", "/v1/uploads", model="UploadRequest"),
    Route("GET", "/v1/results", query=("status", "limit", "next_token")),
    Route("GET", "/v1/results/{result_id}"),
    Route("POST", "/v1/workflows/reprocess", model="ReprocessRequest"),
    Route("GET", "/v1/workflows/{execution_id}"),
)

MODEL_FILES = {"UploadRequest": "upload_request.json", "ReprocessRequest": "reprocess_request.json"}


def model_schema(model: str, max_reprocess_keys: int) -> dict[str, Any]:
    """The model's JSON schema; the reprocess list is capped by config."""
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / MODEL_FILES[model]).read_text())
    if model == "ReprocessRequest":
        schema["properties"]["object_keys"]["maxItems"] = max_reprocess_keys
    return schema


def resource_paths(routes: tuple[Route, ...] = ROUTES) -> list[str]:
    """Every path prefix that needs an API Gateway Resource, parents first."""
    paths: set[str] = set()
    for route in routes:
        parts = route.path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            paths.add("/" + "/".join(parts[:depth]))
    return sorted(paths, key=lambda p: (p.count("/"), p))


def method_settings(route: Route) -> dict[str, Any]:
    """What API Gateway's Method for `route` is given (besides ids), and so what a
    deployment snapshots of it."""
    parameters = {f"method.request.path.{p}": True for p in route.path_parameters}
    parameters |= {f"method.request.querystring.{q}": False for q in route.query}
    return {
        "http_method": route.method,
        "authorization": "NONE",
        "api_key_required": True,
        "request_parameters": parameters or None,
        "request_models": {"application/json": route.model} if route.model else None,
    }


# Every method is validated by one validator with these settings.
VALIDATOR_SETTINGS: dict[str, Any] = {
    "validate_request_body": True,
    "validate_request_parameters": True,
}
# Every route is a Lambda proxy integration.
INTEGRATION_SETTINGS: dict[str, Any] = {"type": "AWS_PROXY", "integration_http_method": "POST"}


def deployment_document(
    *,
    routes: tuple[Route, ...],
    models: dict[str, dict[str, Any]],
    gateway_responses: dict[str, tuple[str | None, str]],
    integration_uri: str,
) -> dict[str, Any]:
    """Everything a deployment snapshots: methods, their integrations with the URI they
    call, the validator, the models and the gateway responses. Whatever the stage
    serves comes from one of these."""
    return {
        "methods": {
            f"{route.method} {route.path}": {
                **method_settings(route),
                "integration": {**INTEGRATION_SETTINGS, "uri": integration_uri},
            }
            for route in routes
        },
        "validator": VALIDATOR_SETTINGS,
        "models": models,
        "gateway_responses": {kind: list(answer) for kind, answer in gateway_responses.items()},
    }


def definition_hash(document: dict[str, Any]) -> str:
    """The redeploy trigger: changes whenever anything the deployment snapshots does."""
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
