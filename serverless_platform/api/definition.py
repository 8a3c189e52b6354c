"""The REST API's routes and request models, as data, read from the api function.

The api function's resolver is the one definition of the API: `docs/generate_openapi.py`
writes its routes to `docs/openapi.json` (a test fails when the file is stale), and
`ROUTES` is read from that document, so API Gateway serves exactly the routes the
function answers. The infrastructure builds resources, methods, validators and models
from `ROUTES`, and the deployment trigger is a hash of everything a deployment
snapshots (`deployment_document`), so every change the stage would serve redeploys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPOSITORY / "lambda_functions" / "api" / "schemas"
OPENAPI_DOCUMENT = REPOSITORY / "docs" / "openapi.json"


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


@cache
def _schema_text(file: str) -> str:
    return (SCHEMA_DIR / file).read_text(encoding="utf-8")


def _schema(file: str) -> dict[str, Any]:
    """The schema file, read once, as a fresh dict (callers may change theirs)."""
    loaded: dict[str, Any] = json.loads(_schema_text(file))
    return loaded


# Request models by name: each schema file's title.
MODEL_FILES = {_schema(path.name)["title"]: path.name for path in sorted(SCHEMA_DIR.glob("*.json"))}
# What the OpenAPI document keeps of a schema: all but these (pydantic retitles it "Body").
_NOT_IN_OPENAPI = ("$schema", "title")


class ApiDefinitionError(ValueError):
    """The OpenAPI document does not describe an API the infrastructure can declare."""


def _model_of(where: str, operation: dict[str, Any]) -> str | None:
    """The model whose JSON schema is the operation's body schema, or None without one."""
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is None:
        return None
    documented = {k: v for k, v in body["schema"].items() if k not in _NOT_IN_OPENAPI}
    for model, file in MODEL_FILES.items():
        schema = {k: v for k, v in _schema(file).items() if k not in _NOT_IN_OPENAPI}
        if schema == documented:
            return model
    raise ApiDefinitionError(
        f"{where}: its request body is none of the schemas in {SCHEMA_DIR} "
        f"({', '.join(MODEL_FILES.values())}); add its JSON schema there, titled with the "
        "model's name"
    )


def routes_from_openapi(document: dict[str, Any]) -> tuple[Route, ...]:
    """Every operation of the document as a Route: method, path, body model, query names.

    Example:
        >>> routes_from_openapi({"paths": {"/v1/results/{result_id}": {"get": {
        ...     "parameters": [{"name": "result_id", "in": "path", "required": True}]}}}})
        (Route(method='GET', path='/v1/results/{result_id}', model=None, query=()),)
    """
    routes = []
    for path, operations in sorted(document["paths"].items()):
        for method, operation in sorted(operations.items()):
            where = f"{method.upper()} {path} in the OpenAPI document"
            query = tuple(
                parameter["name"]
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "query"
            )
            routes.append(Route(method.upper(), path, _model_of(where, operation), query))
    return tuple(routes)


ROUTES: tuple[Route, ...] = routes_from_openapi(
    json.loads(OPENAPI_DOCUMENT.read_text(encoding="utf-8"))
)


def model_schema(model: str, max_reprocess_keys: int) -> dict[str, Any]:
    """The model's JSON schema; the reprocess list is capped by config."""
    schema = _schema(MODEL_FILES[model])
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
