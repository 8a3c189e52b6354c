"""Plans of this project's stacks, built once per session by the offline engine."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gate.engine.plan import Plan, PlannedResource
from gate.engine.planner import build_plan

ROOT = Path(__file__).resolve().parent.parent.parent


class PlanView:
    """Query helpers over a Plan, so tests read as statements about resources."""

    def __init__(self, plan: Plan, resources: list[PlannedResource] | None = None) -> None:
        self.plan = plan
        self.resources = plan.resources if resources is None else resources

    def provider_for(self, region: str) -> PlannedResource:
        return self.one("pulumi:providers:aws", f"aws-{region}")

    def in_region(self, region: str) -> "PlanView":
        """Only the resources created through `region`'s provider."""
        provider = self.provider_for(region).urn
        return PlanView(self.plan, [r for r in self.resources if r.provider_urn == provider])

    def primary(self) -> "PlanView":
        region = json.loads(self.plan.config["serverless-platform:target"])["region"]
        return self.in_region(region)

    def all(self, typ: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.type == typ]

    def one(self, typ: str, name_suffix: str = "") -> PlannedResource:
        matches = [r for r in self.all(typ) if r.name.endswith(name_suffix)]
        assert len(matches) == 1, (
            f"expected one {typ} ending in {name_suffix!r}, got {[r.name for r in matches]}"
        )
        return matches[0]

    def document(self, typ: str, name_suffix: str = "", key: str = "policy") -> dict[str, Any]:
        return json.loads(self.one(typ, name_suffix).inputs[key])

    def arn_of(self, typ: str, name_suffix: str = "") -> str:
        arn = self.one(typ, name_suffix).arn
        assert arn, f"{typ} {name_suffix} has no ARN"
        return arn


@pytest.fixture(scope="session")
def plan_stack() -> Callable[..., PlanView]:
    cache: dict[str, PlanView] = {}

    def build(stack: str, **overrides: Any) -> PlanView:
        cache_key = json.dumps([stack, overrides], sort_keys=True)
        if cache_key not in cache:
            cache[cache_key] = PlanView(build_plan(ROOT, stack, config_overrides=overrides or None))
        return cache[cache_key]

    return build


@pytest.fixture(scope="session")
def dev(plan_stack: Callable[..., PlanView]) -> PlanView:
    """The dev stack's (only) region."""
    return plan_stack("dev").primary()


@pytest.fixture(scope="session")
def prod(plan_stack: Callable[..., PlanView]) -> PlanView:
    """The prod stack's primary region (replica regions: `prod_all_regions`)."""
    return plan_stack("prod").primary()


@pytest.fixture(scope="session")
def prod_all_regions(plan_stack: Callable[..., PlanView]) -> PlanView:
    return plan_stack("prod")


STACKS = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in ROOT.glob("Pulumi.*.yaml"))


@pytest.fixture(scope="session", params=["dev", "prod"])
def each_stack(request: pytest.FixtureRequest, plan_stack: Callable[..., PlanView]) -> PlanView:
    return plan_stack(request.param).primary()


@pytest.fixture(scope="session", params=STACKS)
def every_stack(request: pytest.FixtureRequest, plan_stack: Callable[..., PlanView]) -> PlanView:
    """Every stack file, all regions."""
    return plan_stack(request.param)
