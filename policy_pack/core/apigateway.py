"""API Gateway REST resources matched to each other (stage ↔ method settings, API ↔ domain)."""

from __future__ import annotations

from pulumi_policy import PolicyResource

from .stack import StackView

REST_APIS = ("aws:apigateway/restApi:RestApi",)
STAGES = ("aws:apigateway/stage:Stage",)
METHOD_SETTINGS = ("aws:apigateway/methodSettings:MethodSettings",)
BASE_PATH_MAPPINGS = ("aws:apigateway/basePathMapping:BasePathMapping",)


def _same_api(stack: StackView, one: PolicyResource, other: PolicyResource) -> bool:
    apis = stack.linked(one, "restApi", REST_APIS)
    if apis:
        return any(api in stack.linked(other, "restApi", REST_APIS) for api in apis)
    return bool(one.props.get("restApi")) and one.props.get("restApi") == other.props.get("restApi")


def method_settings_of(stack: StackView, stage: PolicyResource) -> list[PolicyResource]:
    """The MethodSettings that apply to `stage`: same REST API and stage name."""
    return [
        settings
        for settings in stack.of_type(METHOD_SETTINGS)
        if stage in stack.linked(settings, "stageName", STAGES)
        or (
            settings.props.get("stageName") == stage.props.get("stageName")
            and _same_api(stack, settings, stage)
        )
    ]
