"""The REST API's routes and request models, as data.

The infrastructure builds resources, methods, validators and models from this table,
and the deployment trigger is a hash of it, so every route change redeploys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "lambda_functions" / "api" / "schemas"


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


def definition_hash(routes: tuple[Route, ...], models: dict[str, dict[str, Any]]) -> str:
    """Changes whenever a route, parameter or model changes: the redeploy trigger."""
    document = {"routes": [asdict(r) for r in routes], "models": models}
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
