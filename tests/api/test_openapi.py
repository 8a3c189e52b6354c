"""The committed OpenAPI document is the resolver's, and matches what API Gateway serves."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from serverless_platform.api.definition import MODEL_FILES, ROUTES, SCHEMA_DIR

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_openapi", ROOT / "docs" / "generate_openapi.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def document(generator: ModuleType) -> dict:
    return json.loads(generator.render())


def test_committed_openapi_document_is_current(generator):
    # WHEN
    rendered = generator.render()

    # THEN
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == rendered, "docs/openapi.json is stale: run docs/generate_openapi.py"


def test_openapi_routes_are_the_routes_api_gateway_serves(document):
    # WHEN
    documented = {
        (method.upper(), path) for path, methods in document["paths"].items() for method in methods
    }

    # THEN
    assert documented == {(route.method, route.path) for route in ROUTES}


def test_openapi_requires_the_api_key_header_everywhere(document):
    assert document["components"]["securitySchemes"]["api_key"] == {
        "type": "apiKey",
        "in": "header",
        "name": "x-api-key",
        "description": "`pulumi stack output api_key --show-secrets`",
    }
    assert document["security"] == [{"api_key": []}]


@pytest.mark.parametrize("route", [r for r in ROUTES if r.model], ids=lambda r: r.path)
def test_openapi_request_bodies_are_the_api_gateway_models(document, route):
    # GIVEN
    model = json.loads((SCHEMA_DIR / MODEL_FILES[route.model]).read_text())

    # WHEN
    body = document["paths"][route.path][route.method.lower()]["requestBody"]

    # THEN
    schema = body["content"]["application/json"]["schema"]
    for keyword in ("type", "properties", "required", "additionalProperties", "oneOf"):
        assert schema.get(keyword) == model.get(keyword), keyword
    assert body["required"] is True


def test_openapi_documents_400_and_500_as_json_errors_on_every_route(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert "422" not in responses, f"{method} {path}"
            for status in ("400", "500"):
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, f"{method} {path}"


def test_openapi_documents_the_status_each_route_answers_with(document):
    # WHEN
    success = {
        (method.upper(), path): sorted(code for code in operation["responses"] if code < "300")
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }

    # THEN
    assert success == {
        ("POST", "/v1/uploads"): ["201"],
        ("GET", "/v1/results"): ["200"],
        ("GET", "/v1/results/{result_id}"): ["200"],
        ("POST", "/v1/workflows/reprocess"): ["202"],
        ("GET", "/v1/workflows/{execution_id}"): ["200"],
    }


def test_api_gateway_serves_exactly_the_routes_the_resolver_answers():
    """One definition: the resolver's routers. API Gateway's methods are read from the
    OpenAPI document generated from them, so a route cannot exist on one side only."""
    from api.app import routes

    assert set(routes()) == {(route.method, route.path) for route in ROUTES}
    assert len(routes()) == len(ROUTES)


def test_each_area_has_its_own_router():
    from api import results, uploads, workflows
    from api.app import routes

    # A Router keeps its routes keyed by (rule, methods, ...) until the resolver includes it.
    by_area = {
        area.__name__.removeprefix("api."): {
            (method, rule) for rule, methods, *_ in area.router._routes for method in methods
        }
        for area in (uploads, results, workflows)
    }
    for area, served in by_area.items():
        assert served
        assert all(path.startswith(f"/v1/{area}") for _, path in served), area
    assert sum(len(served) for served in by_area.values()) == len(routes())
