"""Every taggable resource carries the required tags; every resource uses the explicit provider."""

import importlib
import inspect
import json
from functools import cache

REQUIRED = {"Project", "Environment", "Owner", "CostCenter", "DataClassification"}


@cache
def is_taggable(token: str) -> bool:
    """Whether the pulumi-aws resource class behind `token` accepts a `tags` input."""
    module_name, class_name = token.split(":")[1].split("/")[0], token.split(":")[2]
    module = importlib.import_module(
        f"pulumi_aws.{'lambda_' if module_name == 'lambda' else module_name}"
    )
    cls = getattr(module, class_name)
    return "tags" in inspect.signature(cls._internal_init).parameters


def test_taggable_detection_is_not_vacuous():
    assert is_taggable("aws:sqs/queue:Queue")
    assert not is_taggable("aws:sqs/queuePolicy:QueuePolicy")


def test_every_taggable_resource_carries_the_required_tags(every_stack):
    each_stack = every_stack
    aws_resources = [r for r in each_stack.resources if r.custom and r.type.startswith("aws:")]
    taggable = [r for r in aws_resources if is_taggable(r.type)]
    assert len(taggable) >= 10
    missing = {r.name: sorted(REQUIRED - set(r.inputs.get("tags") or {})) for r in taggable}
    assert {name: keys for name, keys in missing.items() if keys} == {}
    environment = each_stack.plan.stack.split("-")[0]
    assert {r.inputs["tags"]["Environment"] for r in taggable} == {environment}


def test_every_resource_uses_an_explicit_provider_without_default_tags(every_stack):
    providers = every_stack.all("pulumi:providers:aws")
    assert providers
    assert all("defaultTags" not in p.inputs for p in providers)
    custom = [
        r for r in every_stack.resources if r.custom and not r.type.startswith("pulumi:providers:")
    ]
    assert {r.provider_urn for r in custom} == {p.urn for p in providers}


def test_the_default_provider_is_disabled_in_every_stack_file(every_stack):
    assert json.loads(every_stack.plan.config["pulumi:disable-default-providers"]) == ["*"]


def test_the_program_logs_no_deprecation_or_other_warning(every_stack):
    assert every_stack.plan.diagnostics == []


def test_components_are_registered_with_their_children_parented(every_stack):
    each_stack = every_stack
    components = [r for r in each_stack.resources if not r.custom]
    assert {c.type for c in components} >= {
        "serverless-platform:index:ServerlessPlatform",
        "serverless-platform:storage:SecureBucket",
        "serverless-platform:functions:PlatformFunction",
    }
    urns = {r.urn for r in each_stack.resources}
    orphans = [
        r.name
        for r in each_stack.resources
        if r.custom and not r.type.startswith("pulumi:providers:") and r.parent not in urns
    ]
    assert orphans == []
