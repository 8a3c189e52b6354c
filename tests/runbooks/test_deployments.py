"""`deployment-status` and `stop-deployment`: CodeDeploy through a botocore Stubber, the
`live` aliases and the alarms in moto.

moto's CodeDeploy has no StopDeployment and cannot make a deployment fail, stop or roll
back, so every CodeDeploy call is stubbed; the Stubber checks each request against the
real service model and fails the test on any call it was not told to expect.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from tests.runbooks.conftest import CliRunner
from tests.runbooks.moto_platform import (
    REGION,
    MotoPlatform,
    create_live_alias,
    stub_operations,
)

CODEDEPLOY_OPERATIONS = (
    # The paginator of the stubbed client sends its ListDeployments to the Stubber too.
    "get_paginator",
    "get_deployment_group",
    "list_deployments",
    "batch_get_deployments",
    "stop_deployment",
)
ERRORS_ALARM = "serverless-platform-dev-processor-errors"
THROTTLES_ALARM = "serverless-platform-dev-processor-throttles"
BAD = "d-BAD0000001"
ROLLBACK = "d-RLBK000001"
STARTED = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
ACTIVE_STATUSES = ["Created", "Queued", "InProgress", "Baking", "Ready"]


def _create_live_alias(platform: MotoPlatform, function: str, weights: dict[str, float]) -> str:
    """A function with versions 1 and 2, and its `live` alias on 1 with `weights`."""
    role = platform.client("iam").create_role(
        RoleName=f"{function}-role", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    return create_live_alias(platform.client("lambda"), role, function, weights=weights)


def _create_alarm(platform: MotoPlatform, name: str, state: str) -> None:
    cloudwatch = platform.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/Lambda",
        MetricName="Errors",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    cloudwatch.set_alarm_state(AlarmName=name, StateValue=state, StateReason="test")


@pytest.fixture
def deployed() -> Iterator[MotoPlatform]:
    """The processor mid-shift (10% on version 2), the api settled on version 1."""
    with mock_aws():
        platform = MotoPlatform(outputs={"region": REGION})
        platform.outputs.update(
            processor_deployment_application="platform-processor-app",
            processor_deployment_group="platform-processor-group",
            processor_alias=_create_live_alias(platform, "platform-processor", {"2": 0.1}),
            api_deployment_application="platform-api-app",
            api_deployment_group="platform-api-group",
            api_alias=_create_live_alias(platform, "platform-api", {}),
        )
        _create_alarm(platform, ERRORS_ALARM, "ALARM")
        _create_alarm(platform, THROTTLES_ALARM, "OK")
        yield platform


@pytest.fixture
def outputs(deployed: MotoPlatform, tmp_path: Path) -> Path:
    return deployed.write_outputs(tmp_path)


@pytest.fixture
def codedeploy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    stubber = stub_operations(monkeypatch, "codedeploy", *CODEDEPLOY_OPERATIONS)
    yield stubber
    stubber.deactivate()


def _group_request(function: str, group: str | None = None) -> dict[str, str]:
    return {
        "applicationName": f"platform-{function}-app",
        "deploymentGroupName": group or f"platform-{function}-group",
    }


def _appspec(current: str, target: str, hook: str | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {
        "version": 0.0,
        "Resources": [
            {
                "processor": {
                    "Type": "AWS::Lambda::Function",
                    "Properties": {
                        "Name": "platform-processor",
                        "Alias": "live",
                        "CurrentVersion": current,
                        "TargetVersion": target,
                    },
                }
            }
        ],
    }
    if hook:
        content["Hooks"] = [{"BeforeAllowTraffic": hook}]
    return {
        "revisionType": "AppSpecContent",
        "appSpecContent": {"content": json.dumps(content)},
    }


def _deployment(deployment_id: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "deploymentId": deployment_id,
        "applicationName": "platform-processor-app",
        "deploymentGroupName": "platform-processor-group",
        "deploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
        "status": status,
        "creator": "user",
        "createTime": STARTED,
        "computePlatform": "Lambda",
        **extra,
    }


def _rolled_back_pair(error_message: str) -> list[dict[str, Any]]:
    """A deployment an alarm stopped, and the rollback CodeDeploy started for it."""
    return [
        _deployment(
            BAD,
            "Stopped",
            revision=_appspec("1", "2"),
            completeTime=datetime(2024, 5, 1, 10, 3, tzinfo=UTC),
            errorInformation={"code": "ALARM_ACTIVE", "message": error_message},
            rollbackInfo={
                "rollbackDeploymentId": ROLLBACK,
                "rollbackMessage": f"Deployment {BAD} was rolled back by {ROLLBACK}",
            },
        ),
        _deployment(
            ROLLBACK,
            "Succeeded",
            creator="codeDeployRollback",
            createTime=datetime(2024, 5, 1, 10, 3, tzinfo=UTC),
            rollbackInfo={"rollbackTriggeringDeploymentId": BAD},
        ),
    ]


def _expect_status(
    stubber: Stubber,
    function: str,
    deployments: list[dict[str, Any]],
    group: str | None = None,
) -> None:
    newest = max(deployments, key=lambda deployment: deployment["createTime"], default=None)
    last_attempted = (
        {"deploymentId": newest["deploymentId"], "status": newest["status"]} if newest else {}
    )
    stubber.add_response(
        "get_deployment_group",
        {
            "deploymentGroupInfo": {
                "lastAttemptedDeployment": last_attempted,
                "deploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                "alarmConfiguration": {
                    "enabled": True,
                    "alarms": [{"name": ERRORS_ALARM}, {"name": THROTTLES_ALARM}],
                },
                "autoRollbackConfiguration": {
                    "enabled": True,
                    "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
                },
            }
        },
        _group_request(function, group),
    )
    ids = [deployment["deploymentId"] for deployment in deployments]
    stubber.add_response(
        "list_deployments",
        {"deployments": ids},
        {**_group_request(function, group), "createTimeRange": {"start": ANY}},
    )
    if ids:
        stubber.add_response(
            "batch_get_deployments", {"deploymentsInfo": deployments}, {"deploymentIds": ids}
        )


def _expect_active(stubber: Stubber, deployments: list[dict[str, Any]]) -> None:
    ids = [deployment["deploymentId"] for deployment in deployments]
    stubber.add_response(
        "list_deployments",
        {"deployments": ids},
        {**_group_request("processor"), "includeOnlyStatuses": ACTIVE_STATUSES},
    )
    if ids:
        stubber.add_response(
            "batch_get_deployments", {"deploymentsInfo": deployments}, {"deploymentIds": ids}
        )


def test_status_shows_a_rolled_back_deployment_the_alarm_that_stopped_it_and_the_alias(
    outputs: Path, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    # GIVEN a deployment that the errors alarm stopped, and its rollback
    message = f"One or more alarms have been activated. Activated alarms: {ERRORS_ALARM}"
    _expect_status(codedeploy, "processor", list(reversed(_rolled_back_pair(message))))
    # WHEN on-call asks for the processor's deployments
    result = run_cli("deployment-status", "--outputs", str(outputs), "--function", "processor")
    # THEN the output says what stopped it, what rolled it back, and where traffic is
    assert result.code == 0, result.err
    codedeploy.assert_no_pending_responses()
    lines = [line.strip() for line in result.out.splitlines()]
    [bad] = [line for line in lines if line.startswith(BAD)]
    assert "Stopped  created by user  2024-05-01T10:00:00+00:00 -> 2024-05-01T10:03:00+00:00" in bad
    assert "config CodeDeployDefault.LambdaCanary10Percent5Minutes, version 1 -> 2" in bad
    assert f"stopped by alarm {ERRORS_ALARM}" in lines
    assert f"rolled back by deployment {ROLLBACK}" in lines
    assert f"rollback: Deployment {BAD} was rolled back by {ROLLBACK}" in lines
    assert f"a rollback of deployment {BAD}" in lines
    # AND the newest deployment comes first
    assert result.out.index(ROLLBACK + "  Succeeded") < result.out.index(BAD + "  Stopped")
    assert "version 1 takes 90% of traffic, version 2 10%" in result.out
    assert f"last attempted: {ROLLBACK} Succeeded" in result.out


def test_status_lists_the_alarm_states_when_codedeploy_does_not_name_the_alarm(
    outputs: Path, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    _expect_status(codedeploy, "processor", _rolled_back_pair("The deployment was stopped."))
    result = run_cli("deployment-status", "--outputs", str(outputs), "--function", "processor")
    assert result.code == 0, result.err
    [line] = [line for line in result.out.splitlines() if "stopped by one of" in line]
    assert f"{ERRORS_ALARM} (ALARM since" in line
    assert f"{THROTTLES_ALARM} (OK since" in line


def test_status_names_the_hook_that_failed_a_deployment(
    outputs: Path, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    failed = _deployment(
        BAD,
        "Failed",
        revision=_appspec("1", "2", hook="platform-processor-hook"),
        errorInformation={"code": "HOOK_EXECUTION_FAILURE", "message": "hook said Failed"},
    )
    _expect_status(codedeploy, "processor", [failed])
    result = run_cli("deployment-status", "--outputs", str(outputs), "--function", "processor")
    assert result.code == 0, result.err
    assert "error HOOK_EXECUTION_FAILURE: hook said Failed" in result.out
    assert "the pre-traffic hook platform-processor-hook failed the new version" in result.out


def test_status_without_function_shows_both_groups_and_aliases(
    outputs: Path, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    _expect_status(codedeploy, "processor", [])
    _expect_status(codedeploy, "api", [])
    result = run_cli("deployment-status", "--outputs", str(outputs))
    assert result.code == 0, result.err
    codedeploy.assert_no_pending_responses()
    assert "processor: deployment group platform-processor-group of application" in result.out
    assert "api: deployment group platform-api-group of application platform-api-app" in result.out
    assert "version 1 takes all traffic" in result.out
    assert result.out.count("No deployments in the last 14 days.") == 2


def test_status_reads_every_page_and_shows_the_newest_whatever_the_list_order(
    outputs: Path, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    # GIVEN 30 deployments, listed oldest first over two pages
    deployments = [
        _deployment(f"d-{day:010d}", "Succeeded", createTime=datetime(2024, 5, day, tzinfo=UTC))
        for day in range(1, 31)
    ]
    ids = [deployment["deploymentId"] for deployment in deployments]
    request = {**_group_request("processor"), "createTimeRange": {"start": ANY}}
    codedeploy.add_response("get_deployment_group", {"deploymentGroupInfo": {}})
    codedeploy.add_response(
        "list_deployments", {"deployments": ids[:20], "nextToken": "t"}, request
    )
    codedeploy.add_response(
        "list_deployments", {"deployments": ids[20:]}, {**request, "nextToken": "t"}
    )
    # AND BatchGetDeployments is asked at most 25 ids at a time
    for batch in (deployments[:25], deployments[25:]):
        codedeploy.add_response(
            "batch_get_deployments",
            {"deploymentsInfo": batch},
            {"deploymentIds": [deployment["deploymentId"] for deployment in batch]},
        )
    # WHEN the 3 latest are asked for
    result = run_cli(
        "deployment-status", "--outputs", str(outputs), "--function", "processor", "--limit", "3"
    )
    # THEN they are the 3 newest, newest first
    assert result.code == 0, result.err
    codedeploy.assert_no_pending_responses()
    shown = [line.split()[0] for line in result.out.splitlines() if line.startswith("    d-")]
    assert shown == ["d-0000000030", "d-0000000029", "d-0000000028"]


def test_a_flag_wins_over_the_deployment_group_output(
    outputs: Path, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    # The Stubber rejects any request whose group is not the flag's.
    _expect_status(codedeploy, "processor", [], group="hotfix-group")
    result = run_cli(
        "deployment-status",
        "--outputs",
        str(outputs),
        "--function",
        "processor",
        "--processor-deployment-group",
        "hotfix-group",
    )
    assert result.code == 0, result.err
    codedeploy.assert_no_pending_responses()


def test_status_works_from_flags_alone(
    deployed: MotoPlatform, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    _expect_status(codedeploy, "api", [])
    names = deployed.outputs
    result = run_cli(
        "deployment-status",
        "--function",
        "api",
        "--region",
        REGION,
        "--api-deployment-application",
        names["api_deployment_application"],
        "--api-deployment-group",
        names["api_deployment_group"],
        "--api-alias",
        names["api_alias"],
    )
    assert result.code == 0, result.err
    assert "alias live" in result.out
    # CodeDeploy was asked about the group the flags named.
    codedeploy.assert_no_pending_responses()


def test_a_missing_deployment_output_names_the_flag_and_the_output(
    deployed: MotoPlatform, tmp_path: Path, run_cli: CliRunner
) -> None:
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"region": REGION}), encoding="utf-8")
    result = run_cli("deployment-status", "--outputs", str(path), "--function", "api")
    assert result.code == 2
    assert "--api-deployment-application is required" in result.err
    assert "'api_deployment_application'" in result.err


def test_an_alias_that_is_not_an_alias_arn_names_the_flag(
    outputs: Path, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    codedeploy.add_response("get_deployment_group", {"deploymentGroupInfo": {}})
    result = run_cli(
        "deployment-status",
        "--outputs",
        str(outputs),
        "--function",
        "api",
        "--api-alias",
        "platform-api",
    )
    assert result.code == 2
    assert "--api-alias: expected a Lambda alias ARN" in result.err


def test_an_unknown_function_is_rejected_naming_the_flag(outputs: Path, run_cli: CliRunner) -> None:
    result = run_cli("stop-deployment", "--outputs", str(outputs), "--function", "workflow")
    assert result.code == 2
    assert "argument --function: invalid choice: 'workflow'" in result.err


def test_stop_deployment_needs_the_function(outputs: Path, run_cli: CliRunner) -> None:
    result = run_cli("stop-deployment", "--outputs", str(outputs))
    assert result.code == 2
    assert "the following arguments are required: --function" in result.err


def test_stop_deployment_without_yes_says_what_it_would_stop_and_stops_nothing(
    deployed: MotoPlatform, outputs: Path, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    # GIVEN a deployment in progress; no StopDeployment response is queued, so a call
    # to it would fail the command
    _expect_active(codedeploy, [_deployment(BAD, "InProgress", revision=_appspec("1", "2"))])
    # WHEN stop-deployment runs without --yes
    result = run_cli("stop-deployment", "--outputs", str(outputs), "--function", "processor")
    # THEN it describes the stop and the rollback, and changes nothing
    assert result.code == 0, result.err
    codedeploy.assert_no_pending_responses()
    assert (
        f"stop deployment {BAD} of deployment group platform-processor-group of application "
        "platform-processor-app (InProgress, version 1 -> 2) and roll back"
    ) in result.out
    assert "Dry run: nothing was changed" in result.out
    alias = deployed.client("lambda").get_alias(FunctionName="platform-processor", Name="live")
    assert alias["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.1}}


@pytest.mark.parametrize(("flags", "rollback"), [((), True), (("--no-rollback",), False)])
def test_stop_deployment_with_yes_calls_stop_deployment(
    outputs: Path,
    codedeploy: Stubber,
    run_cli: CliRunner,
    flags: tuple[str, ...],
    rollback: bool,
) -> None:
    _expect_active(codedeploy, [_deployment(BAD, "InProgress")])
    codedeploy.add_response(
        "stop_deployment",
        {"status": "Pending", "statusMessage": "Stopping deployment, rolling back"},
        {"deploymentId": BAD, "autoRollbackEnabled": rollback},
    )
    result = run_cli(
        "stop-deployment", "--outputs", str(outputs), "--function", "processor", "--yes", *flags
    )
    assert result.code == 0, result.err
    codedeploy.assert_no_pending_responses()
    assert f"Stop of {BAD}: Pending: Stopping deployment, rolling back" in result.out
    assert ("without rollback (--no-rollback)" in result.out) is not rollback


def test_stop_deployment_with_nothing_in_progress_fails_naming_the_latest(
    outputs: Path, codedeploy: Stubber, run_cli: CliRunner
) -> None:
    _expect_active(codedeploy, [])
    codedeploy.add_response(
        "get_deployment_group",
        {
            "deploymentGroupInfo": {
                "lastAttemptedDeployment": {"deploymentId": BAD, "status": "Succeeded"}
            }
        },
        _group_request("processor"),
    )
    result = run_cli(
        "stop-deployment", "--outputs", str(outputs), "--function", "processor", "--yes"
    )
    assert result.code == 1
    codedeploy.assert_no_pending_responses()
    assert "no deployment of deployment group platform-processor-group" in result.err
    assert f"the latest, {BAD}, is Succeeded" in result.err
    assert "Will change" not in result.out
