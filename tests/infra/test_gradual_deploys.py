"""Gradual deploys as planned: the processor and api publish versions behind a `live`
alias that CodeDeploy shifts by the stack's strategy, and rolls back on their alarms."""

import json

import pytest
import yaml
from deployment_hook.settings import HookSettings

from serverless_platform.operations.alarm_catalog import ROLLBACK_ALARMS

from .conftest import ROOT, STACKS, PlanView

FUNCTION = "aws:lambda/function:Function"
ALIAS = "aws:lambda/alias:Alias"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup"
APPLICATION = "aws:codedeploy/application:Application"
POLICY = "aws:iam/rolePolicy:RolePolicy"
DEPLOYED = ("processor", "api")
STRATEGIES = {
    "dev": "CodeDeployDefault.LambdaAllAtOnce",
    "prod": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    "prod-eu": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    "prod-shared": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
}
HOOKED_STACKS = {"prod", "prod-eu", "prod-shared"}


def regions_of(view: PlanView) -> list[PlanView]:
    """One view per region of the stack (a replica region has its own aliases and groups)."""
    return [view.in_region(name) for name in region_names(view)]


def region_names(view: PlanView) -> list[str]:
    return [p.inputs["region"] for p in view.all("pulumi:providers:aws")]


def statements(view: PlanView, policy_suffix: str) -> dict[str, dict]:
    document = json.loads(view.one(POLICY, policy_suffix).inputs["policy"])
    return {s["Sid"]: s for s in document["Statement"]}


def alarm_named(view: PlanView, slug: str):
    (alarm,) = [a for a in view.all(ALARM) if a.inputs["name"].endswith(f"-{slug}")]
    return alarm


def test_the_strategy_table_covers_every_stack_file():
    assert set(STRATEGIES) == set(STACKS)


def test_processor_and_api_publish_versions_behind_a_live_alias(every_stack):
    for region in regions_of(every_stack):
        for slug in DEPLOYED:
            function = region.one(FUNCTION, f"{slug}-function")
            alias = region.one(ALIAS, f"{slug}-live").inputs
            assert function.inputs["publish"] is True
            assert alias["name"] == "live"
            assert alias["functionName"] == function.id
            # A published version, never $LATEST (provisioned concurrency needs one too).
            assert alias["functionVersion"].isdigit()


def test_codedeploy_owns_the_aliass_version_and_routing(every_stack):
    """`pulumi up` must neither move the alias to the newest version at once (skipping
    the canary) nor wipe the weights of a shift under way."""
    for alias in every_stack.all(ALIAS):
        assert set(alias.options["ignore_changes"]) == {"functionVersion", "routingConfig"}


def test_the_ingest_queue_feeds_the_processor_alias(every_stack):
    for region in regions_of(every_stack):
        mapping = region.one("aws:lambda/eventSourceMapping:EventSourceMapping").inputs
        assert mapping["functionName"] == region.arn_of(ALIAS, "processor-live")


def test_one_lambda_application_with_a_blue_green_group_per_function(every_stack):
    for region in regions_of(every_stack):
        application = region.one(APPLICATION).inputs
        assert application["computePlatform"] == "Lambda"
        groups = {g.inputs["deploymentGroupName"]: g.inputs for g in region.all(GROUP)}
        assert set(groups) == {f"{application['name']}-{slug}" for slug in DEPLOYED}
        for group in groups.values():
            assert group["appName"] == application["name"]
            # The only style CodeDeploy accepts for Lambda.
            assert group["deploymentStyle"] == {
                "deploymentOption": "WITH_TRAFFIC_CONTROL",
                "deploymentType": "BLUE_GREEN",
            }


def test_groups_shift_by_the_stacks_strategy(every_stack):
    strategy = STRATEGIES[every_stack.plan.stack]
    groups = every_stack.all(GROUP)
    assert len(groups) == len(DEPLOYED) * len(regions_of(every_stack))
    assert {g.inputs["deploymentConfigName"] for g in groups} == {strategy}


def test_groups_roll_back_on_failure_and_on_alarm(every_stack):
    for group in every_stack.all(GROUP):
        assert group.inputs["autoRollbackConfiguration"] == {
            "enabled": True,
            "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
        }


@pytest.mark.parametrize("slug", DEPLOYED)
def test_each_group_stops_on_its_functions_alarms_in_the_same_plan(every_stack, slug):
    for region in regions_of(every_stack):
        group = region.one(GROUP, f"-{slug}-group").inputs
        alarms = [alarm_named(region, alarm_slug) for alarm_slug in ROLLBACK_ALARMS[slug]]
        assert group["alarmConfiguration"] == {
            "enabled": True,
            "alarms": [alarm.inputs["name"] for alarm in alarms],
        }


def test_each_function_rolls_back_on_its_errors_and_on_what_its_callers_see():
    assert ROLLBACK_ALARMS == {
        "processor": ("processor-errors", "processor-throttles"),
        # The api answers its own errors with 500s, which Lambda's Errors never count.
        "api": ("api-function-errors", "api-5xx-rate"),
    }


def test_the_rollback_alarms_watch_the_function_they_roll_back(every_stack):
    for region in regions_of(every_stack):
        processor = region.one(FUNCTION, "processor-function").id
        api = region.one(FUNCTION, "api-function").id
        stage = region.one("aws:apigateway/stage:Stage", "api-stage").inputs["stageName"]
        # The API's name is generated from its resource name (an output the engine makes up).
        rest_api = region.one("aws:apigateway/restApi:RestApi", "api-rest-api").name
        expected = {
            "processor-errors": {"FunctionName": processor},
            "processor-throttles": {"FunctionName": processor},
            "api-function-errors": {"FunctionName": api},
        }
        for slug, dimensions in expected.items():
            (query,) = alarm_named(region, slug).inputs["metricQueries"]
            assert query["metric"]["dimensions"] == dimensions, slug
        five_xx = alarm_named(region, "api-5xx-rate").inputs["metricQueries"][0]["metric"]
        assert five_xx["dimensions"]["Stage"] == stage
        assert five_xx["dimensions"]["ApiName"].startswith(f"{rest_api}-")


def test_failures_and_rollbacks_are_published_to_the_alerts_topic(every_stack):
    for region in regions_of(every_stack):
        topic = region.arn_of("aws:sns/topic:Topic")
        for group in region.all(GROUP):
            assert group.inputs["triggerConfigurations"] == [
                {
                    "triggerEvents": ["DeploymentFailure", "DeploymentRollback"],
                    "triggerName": "failed-or-rolled-back",
                    "triggerTargetArn": topic,
                }
            ]


@pytest.mark.parametrize("slug", DEPLOYED)
def test_codedeploy_role_shifts_only_its_function_and_publishes_only_to_the_topic(
    every_stack, slug
):
    for region in regions_of(every_stack):
        group = region.one(GROUP, f"-{slug}-group")
        role = region.one("aws:iam/role:Role", f"-{slug}-codedeploy-role")
        assert group.inputs["serviceRoleArn"] == role.arn
        trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
        assert [s["Principal"] for s in trust] == [{"Service": "codedeploy.amazonaws.com"}]
        granted = statements(region, f"-{slug}-codedeploy-policy")
        function = region.arn_of(FUNCTION, f"{slug}-function")
        assert granted["ShiftLiveAlias"]["Resource"] == [function, f"{function}:*"]
        assert granted["WatchRollbackAlarms"]["Resource"] == [
            alarm_named(region, alarm).arn for alarm in ROLLBACK_ALARMS[slug]
        ]
        assert granted["NotifyAlertsTopic"]["Resource"] == [region.arn_of("aws:sns/topic:Topic")]
        # The topic is SSE-KMS: publishing needs its key.
        assert granted["EncryptForAlertsTopic"]["Resource"] == [
            region.arn_of("aws:kms/key:Key", "alerts-key-key")
        ]


def test_pre_traffic_hooks_exist_only_where_configured(every_stack):
    hooks = [f for f in every_stack.all(FUNCTION) if f.name.endswith("-hook-function")]
    expected = len(DEPLOYED) * len(regions_of(every_stack))
    assert len(hooks) == (expected if every_stack.plan.stack in HOOKED_STACKS else 0)


@pytest.mark.parametrize("slug", DEPLOYED)
def test_each_hook_tests_its_own_function_and_reports_only_to_its_own_group(prod_all_regions, slug):
    for name in region_names(prod_all_regions):
        region = prod_all_regions.in_region(name)
        hook = region.one(FUNCTION, f"-{slug}-hook-function")
        function = region.one(FUNCTION, f"{slug}-function")
        group = region.one(GROUP, f"-{slug}-group").inputs
        variables = hook.inputs["environment"]["variables"]
        assert (variables["TARGET_FUNCTION"], variables["SMOKE_TEST"]) == (function.id, slug)
        granted = statements(region, f"-{slug}-hook-policy")
        group_arn = (
            f"arn:aws:codedeploy:{name}:123456789012:"
            f"deploymentgroup:{group['appName']}/{group['deploymentGroupName']}"
        )
        assert granted["ReadOwnDeployments"]["Resource"] == [group_arn]
        assert granted["ReportOwnHookStatus"]["Resource"] == [group_arn]
        assert granted["InvokeGuardedFunctionVersions"]["Resource"] == [f"{function.arn}:*"]
        # CodeDeploy may invoke this hook, and only this one.
        codedeploy = statements(region, f"-{slug}-codedeploy-policy")
        assert codedeploy["InvokePreTrafficHook"]["Resource"] == [hook.arn]


def test_hooks_environment_is_exactly_what_the_hook_reads(prod):
    read = {field.validation_alias for field in HookSettings.model_fields.values()}
    for hook in [f for f in prod.all(FUNCTION) if f.name.endswith("-hook-function")]:
        assert set(hook.inputs["environment"]["variables"]) == read
        assert hook.inputs["handler"] == "deployment_hook.app.handler"


def test_without_hooks_codedeploy_may_invoke_nothing(dev):
    for slug in DEPLOYED:
        assert "InvokePreTrafficHook" not in statements(dev, f"-{slug}-codedeploy-policy")


def test_outputs_name_the_aliases_applications_and_groups(every_stack):
    outputs = every_stack.plan.outputs
    primary = every_stack.primary()
    views = [(outputs, primary)] + [
        (outputs["replica_regions"][region], every_stack.in_region(region))
        for region in outputs["replica_regions"]
    ]
    for exported, view in views:
        application = view.one(APPLICATION).inputs["name"]
        for slug in DEPLOYED:
            group = view.one(GROUP, f"-{slug}-group").inputs["deploymentGroupName"]
            assert exported[f"{slug}_alias"] == view.arn_of(ALIAS, f"{slug}-live")
            # The version this deploy published, which the alias starts at.
            assert (
                exported[f"{slug}_version"]
                == view.one(ALIAS, f"{slug}-live").inputs["functionVersion"]
            )
            assert exported[f"{slug}_deployment_application"] == application
            assert exported[f"{slug}_deployment_group"] == group


def test_hooks_are_exported_where_there_are_hooks(every_stack):
    outputs = every_stack.plan.outputs
    exported = {key for key in outputs if key.endswith("_deployment_hook")}
    if every_stack.plan.stack in HOOKED_STACKS:
        assert exported == {f"{slug}_deployment_hook" for slug in DEPLOYED}
        hook = every_stack.primary().one(FUNCTION, "-processor-hook-function")
        assert outputs["processor_deployment_hook"] == hook.id
    else:
        assert exported == set()


def test_every_stack_file_sets_its_deployment_strategy_explicitly():
    for stack in STACKS:
        config = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
        assert config["serverless-platform:deployment"]["strategy"] == STRATEGIES[stack]


def test_an_unknown_strategy_fails_the_program_naming_the_key_and_the_valid_values(plan_stack):
    from gate.engine.planner import EngineError

    with pytest.raises(
        EngineError,
        match=r"deployment.strategy': expected one of CodeDeployDefault.LambdaAllAtOnce, .*"
        r"got 'Canary10Percent5Minutes'",
    ):
        plan_stack("dev", deployment={"strategy": "Canary10Percent5Minutes"})
