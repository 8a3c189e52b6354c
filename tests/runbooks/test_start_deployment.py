"""`start-deployment`: the live aliases in moto (two regions), CodeDeploy through one
botocore Stubber per region.

moto's CodeDeploy cannot run a Lambda deployment to an end, so every CodeDeploy call is
stubbed; a call the test did not expect, or one with other parameters, fails the command
(exit 1) and so the test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from deployment_hook.app import version_under_test
from moto import mock_aws

from runbooks import deployments
from runbooks.targets import Targets
from tests.runbooks.conftest import CliRunner
from tests.runbooks.moto_platform import REGION, create_live_alias

REPLICA = "eu-west-1"
# One session per region for all tests: a new session reloads botocore's endpoint data.
_SESSIONS = {region: boto3.session.Session(region_name=region) for region in (REGION, REPLICA)}
FUNCTIONS = ("processor", "api")
ACTIVE_STATUSES = ["Created", "Queued", "InProgress", "Baking", "Ready"]
STARTED = "d-STARTED001"


def _names(function: str, region: str) -> dict[str, str]:
    """The stack's names of `function` in `region`: each region's differ, so a test sees
    which region's names a call used."""
    suffix = "" if region == REGION else f"-{region}"
    return {
        "function": f"platform-{function}{suffix}",
        "application": f"platform-app{suffix}",
        "group": f"platform-{function}-group{suffix}",
        "hook": f"platform-{function}-hook{suffix}",
    }


StackFactory = Callable[..., Path]


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[StackFactory]:
    """Builds what `pulumi up` left in moto: each function with versions 1 and 2 and its
    alias on `live`; returns the path of the outputs naming them (the replica region's
    under `replica_regions`)."""
    with mock_aws():
        role = (
            _SESSIONS[REGION]
            .client("iam")
            .create_role(RoleName="platform-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        )

        def build(
            *, live: str = "1", published: str = "2", hooks: bool = False, replica: bool = True
        ) -> Path:
            regional: dict[str, dict[str, str]] = {}
            for region in (REGION, REPLICA) if replica else (REGION,):
                awslambda = _SESSIONS[region].client("lambda")
                outputs = regional.setdefault(region, {"region": region})
                for function in FUNCTIONS:
                    names = _names(function, region)
                    outputs[f"{function}_alias"] = create_live_alias(
                        awslambda, role, names["function"], live=live
                    )
                    outputs[f"{function}_version"] = published
                    outputs[f"{function}_deployment_application"] = names["application"]
                    outputs[f"{function}_deployment_group"] = names["group"]
                    if hooks:
                        outputs[f"{function}_deployment_hook"] = names["hook"]
            path = tmp_path / "outputs.json"
            primary = regional.pop(REGION)
            path.write_text(json.dumps({**primary, "replica_regions": regional}), "utf-8")
            return path

        yield build


@pytest.fixture
def codedeploy(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Stubber]]:
    """A stubbed CodeDeploy client per region: the tools get the one of their region."""
    clients = {region: session.client("codedeploy") for region, session in _SESSIONS.items()}
    stubbers = {region: Stubber(client) for region, client in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    original = Targets.client

    def client(self: Targets, service: str) -> Any:
        if service == "codedeploy":
            return clients[self.require("region")]
        return original(self, service)

    monkeypatch.setattr(Targets, "client", client)
    yield stubbers
    for stubber in stubbers.values():
        stubber.deactivate()


@dataclass
class FakeClock:
    """Time that passes only when the command sleeps."""

    seconds: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def now(self) -> float:
        return self.seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.seconds += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(deployments, "CLOCK", deployments.Clock(now=fake.now, sleep=fake.sleep))
    return fake


def _group(function: str, region: str = REGION) -> dict[str, str]:
    names = _names(function, region)
    return {"applicationName": names["application"], "deploymentGroupName": names["group"]}


def _expect_idle(stubber: Stubber, function: str, region: str = REGION) -> None:
    stubber.add_response(
        "list_deployments",
        {"deployments": []},
        {**_group(function, region), "includeOnlyStatuses": ACTIVE_STATUSES},
    )


def _expected_appspec(function: str, region: str, *, hook: bool) -> str:
    """The AppSpec as CodeDeploy's Lambda examples write it, spelled out here rather than
    built by the code under test."""
    name = _names(function, region)["function"]
    properties = (
        f'{{"Name": "{name}", "Alias": "live", "CurrentVersion": "1", "TargetVersion": "2"}}'
    )
    hooks = (
        f', "Hooks": [{{"BeforeAllowTraffic": "{_names(function, region)["hook"]}"}}]'
        if hook
        else ""
    )
    return (
        f'{{"version": 0.0, "Resources": [{{"{function}": {{"Type": "AWS::Lambda::Function", '
        f'"Properties": {properties}}}}}]{hooks}}}'
    )


def _expect_create(
    stubber: Stubber,
    function: str,
    region: str = REGION,
    *,
    hook: bool = False,
    deployment_id: str = STARTED,
) -> None:
    stubber.add_response(
        "create_deployment",
        {"deploymentId": deployment_id},
        {
            **_group(function, region),
            "revision": {
                "revisionType": "AppSpecContent",
                "appSpecContent": {"content": _expected_appspec(function, region, hook=hook)},
            },
            "description": ANY,
        },
    )


def _expect_status(
    stubber: Stubber, status: str, deployment_id: str = STARTED, **extra: Any
) -> None:
    stubber.add_response(
        "get_deployment",
        {"deploymentInfo": {"deploymentId": deployment_id, "status": status, **extra}},
        {"deploymentId": deployment_id},
    )


def _no_pending(stubbers: dict[str, Stubber]) -> None:
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()


def test_nothing_is_deployed_where_the_alias_serves_the_published_version(
    stack: StackFactory, codedeploy: dict[str, Stubber], run_cli: CliRunner
) -> None:
    # GIVEN every alias already on the published version; no CodeDeploy call is expected
    outputs = stack(live="2", published="2")
    # WHEN start-deployment runs, even with --yes
    result = run_cli("start-deployment", "--outputs", str(outputs), "--yes")
    # THEN it says so for each function in each region, and starts nothing
    assert result.code == 0, result.err
    assert result.out.count("already serves version 2: nothing to deploy.") == 4
    assert "processor in eu-west-1: already serves version 2" in result.out
    assert "Nothing to deploy" in result.out
    assert "Will change" not in result.out


def test_a_dry_run_says_what_it_would_start_and_starts_nothing(
    stack: StackFactory, codedeploy: dict[str, Stubber], run_cli: CliRunner
) -> None:
    # GIVEN the processor's alias on 1, version 2 published; no CreateDeployment is queued
    outputs = stack(replica=False)
    _expect_idle(codedeploy[REGION], "processor")
    # WHEN start-deployment runs without --yes
    result = run_cli("start-deployment", "--outputs", str(outputs), "--function", "processor")
    # THEN it describes the deployment, and creates none
    assert result.code == 0, result.err
    _no_pending(codedeploy)
    assert (
        "processor in us-east-1: start a deployment in deployment group platform-processor-group "
        "of application platform-app that moves alias live of platform-processor from version "
        "1 to 2 (no pre-traffic hook)"
    ) in result.out
    assert "Dry run: nothing was changed" in result.out
    assert "version 1 takes all traffic" in result.out


@pytest.mark.parametrize("hook", [False, True], ids=["without-hook", "with-hook"])
def test_yes_creates_the_deployment_with_the_exact_appspec(
    stack: StackFactory,
    codedeploy: dict[str, Stubber],
    run_cli: CliRunner,
    hook: bool,
) -> None:
    # GIVEN a stack with or without pre-traffic hooks
    outputs = stack(hooks=hook, replica=False)
    _expect_idle(codedeploy[REGION], "processor")
    # The Stubber compares the AppSpec's text with the one spelled out in the test.
    _expect_create(codedeploy[REGION], "processor", hook=hook)
    # WHEN the processor is deployed
    result = run_cli(
        "start-deployment", "--outputs", str(outputs), "--function", "processor", "--yes"
    )
    # THEN its deployment was created with that AppSpec
    assert result.code == 0, result.err
    _no_pending(codedeploy)
    assert f"processor in us-east-1: started deployment {STARTED}" in result.out
    assert ("pre-traffic hook platform-processor-hook" in result.out) is hook
    assert "python -m runbooks deployment-status --outputs" in result.out


def test_the_hook_reads_the_target_version_from_the_revision_it_creates() -> None:
    # GIVEN the revision of a deployment from version 3 to 4
    release = deployments.Release(
        region=REGION,
        group=deployments.DeploymentGroup("api", "platform-app", "platform-api-group"),
        function_name="platform-api",
        alias="live",
        current="3",
        target="4",
        hook="platform-api-hook",
        codedeploy=None,
    )
    # WHEN the pre-traffic hook reads it back, as GetDeployment returns it
    version = version_under_test({"revision": release.revision()}, "platform-api")
    # THEN it finds the version to test
    assert version == "4"


def test_every_region_of_the_stack_is_deployed_with_its_own_names(
    stack: StackFactory, codedeploy: dict[str, Stubber], run_cli: CliRunner
) -> None:
    # GIVEN a stack with a replica region, both functions due in both regions
    outputs = stack(hooks=True)
    for region in (REGION, REPLICA):
        for function in FUNCTIONS:
            _expect_idle(codedeploy[region], function, region)
    for region in (REGION, REPLICA):
        for function in FUNCTIONS:
            _expect_create(
                codedeploy[region],
                function,
                region,
                hook=True,
                deployment_id=f"d-{function}-{region}",
            )
    # WHEN start-deployment runs
    result = run_cli("start-deployment", "--outputs", str(outputs), "--yes")
    # THEN each region's CodeDeploy created its own two deployments, with its names
    assert result.code == 0, result.err
    _no_pending(codedeploy)
    for region in (REGION, REPLICA):
        for function in FUNCTIONS:
            assert f"{function} in {region}: started deployment d-{function}-{region}" in result.out
    assert "--region eu-west-1 --function api" in result.out


def test_region_narrows_the_deployment_to_that_replica_region(
    stack: StackFactory, codedeploy: dict[str, Stubber], run_cli: CliRunner
) -> None:
    outputs = stack()
    # Only the replica's CodeDeploy is told to expect calls.
    _expect_idle(codedeploy[REPLICA], "api", REPLICA)
    _expect_create(codedeploy[REPLICA], "api", REPLICA)
    result = run_cli(
        "start-deployment",
        "--outputs",
        str(outputs),
        "--region",
        REPLICA,
        "--function",
        "api",
        "--yes",
    )
    assert result.code == 0, result.err
    _no_pending(codedeploy)
    assert "us-east-1" not in result.out


def test_a_region_that_is_not_the_stacks_is_rejected_naming_its_regions(
    stack: StackFactory, run_cli: CliRunner
) -> None:
    outputs = stack()
    result = run_cli("start-deployment", "--outputs", str(outputs), "--region", "ap-south-1")
    assert result.code == 2
    assert "--region ap-south-1: outputs file" in result.err
    assert "is in us-east-1 and the replica regions eu-west-1; expected one of them" in result.err


def test_a_deployment_under_way_refuses_to_start_another(
    stack: StackFactory, codedeploy: dict[str, Stubber], run_cli: CliRunner
) -> None:
    # GIVEN a deployment of the processor's group still under way
    outputs = stack(replica=False)
    codedeploy[REGION].add_response(
        "list_deployments",
        {"deployments": ["d-BUSY000001"]},
        {**_group("processor"), "includeOnlyStatuses": ACTIVE_STATUSES},
    )
    codedeploy[REGION].add_response(
        "batch_get_deployments",
        {"deploymentsInfo": [{"deploymentId": "d-BUSY000001", "status": "InProgress"}]},
        {"deploymentIds": ["d-BUSY000001"]},
    )
    # WHEN start-deployment runs with --yes
    result = run_cli(
        "start-deployment", "--outputs", str(outputs), "--function", "processor", "--yes"
    )
    # THEN it names that deployment, exits 1, and starts none
    assert result.code == 1
    _no_pending(codedeploy)
    assert "deployment d-BUSY000001 of deployment group platform-processor-group" in result.err
    assert "is InProgress" in result.err
    assert "Will change" not in result.out


def test_wait_follows_the_deployment_to_success(
    stack: StackFactory, codedeploy: dict[str, Stubber], clock: FakeClock, run_cli: CliRunner
) -> None:
    outputs = stack(replica=False)
    _expect_idle(codedeploy[REGION], "processor")
    _expect_create(codedeploy[REGION], "processor")
    _expect_status(codedeploy[REGION], "InProgress")
    _expect_status(codedeploy[REGION], "InProgress")
    _expect_status(codedeploy[REGION], "Succeeded")
    result = run_cli(
        "start-deployment",
        "--outputs",
        str(outputs),
        "--function",
        "processor",
        "--wait",
        "--poll-seconds",
        "20",
        "--yes",
    )
    assert result.code == 0, result.err
    _no_pending(codedeploy)
    assert clock.sleeps == [20, 20]
    # Each change of status is printed once, with the time since the wait began.
    assert f"[0m00s] processor in us-east-1: {STARTED} InProgress" in result.out
    assert f"[0m40s] processor in us-east-1: {STARTED} Succeeded" in result.out
    assert result.out.count(" InProgress") == 1
    assert "Every deployment succeeded" in result.out


def test_wait_fails_naming_a_rolled_back_deployment_and_the_runbook(
    stack: StackFactory, codedeploy: dict[str, Stubber], clock: FakeClock, run_cli: CliRunner
) -> None:
    # GIVEN a processor deployment that an alarm stops, and an api one that succeeds
    outputs = stack(replica=False)
    _expect_idle(codedeploy[REGION], "processor")
    _expect_idle(codedeploy[REGION], "api")
    _expect_create(codedeploy[REGION], "processor", deployment_id="d-PROC000001")
    _expect_create(codedeploy[REGION], "api", deployment_id="d-API0000001")
    _expect_status(
        codedeploy[REGION],
        "Stopped",
        "d-PROC000001",
        errorInformation={"code": "ALARM_ACTIVE", "message": "alarm processor-errors"},
        rollbackInfo={"rollbackDeploymentId": "d-RLBK000001"},
    )
    _expect_status(codedeploy[REGION], "Succeeded", "d-API0000001")
    # WHEN start-deployment waits for them
    result = run_cli("start-deployment", "--outputs", str(outputs), "--wait", "--yes")
    # THEN it exits 1 naming the stopped deployment, its rollback and the runbook
    assert result.code == 1
    _no_pending(codedeploy)
    assert "deployment d-PROC000001 of deployment group platform-processor-group" in result.err
    assert "ended Stopped" in result.err
    assert "error ALARM_ACTIVE: alarm processor-errors" in result.err
    assert "rolled back by deployment d-RLBK000001" in result.err
    assert "runbooks/deployment-rolled-back.md" in result.err
    assert "d-API0000001" not in result.err


def test_wait_gives_up_after_the_timeout_and_exits_1(
    stack: StackFactory, codedeploy: dict[str, Stubber], clock: FakeClock, run_cli: CliRunner
) -> None:
    # GIVEN a deployment that stays under way: checked at 0, 30 and 60 s
    outputs = stack(replica=False)
    _expect_idle(codedeploy[REGION], "api")
    _expect_create(codedeploy[REGION], "api")
    for _ in range(3):
        _expect_status(codedeploy[REGION], "InProgress")
    # WHEN start-deployment waits at most one minute
    result = run_cli(
        "start-deployment",
        "--outputs",
        str(outputs),
        "--function",
        "api",
        "--wait",
        "--timeout-minutes",
        "1",
        "--poll-seconds",
        "30",
        "--yes",
    )
    # THEN it stops waiting, exit 1, naming the deployment CodeDeploy goes on with
    assert result.code == 1
    _no_pending(codedeploy)
    assert clock.sleeps == [30, 30]
    assert "gave up waiting after 1 min" in result.err
    assert f"api in us-east-1: deployment {STARTED} is InProgress" in result.err


def test_a_published_version_that_is_not_a_number_names_the_flag(
    stack: StackFactory, tmp_path: Path, run_cli: CliRunner
) -> None:
    outputs = stack(replica=False)
    result = run_cli(
        "start-deployment",
        "--outputs",
        str(outputs),
        "--function",
        "api",
        "--api-version",
        "$LATEST",
    )
    assert result.code == 2
    assert "--api-version: expected a published version number such as 7" in result.err


def test_a_stack_without_version_outputs_names_the_flag_and_the_output(
    stack: StackFactory, tmp_path: Path, run_cli: CliRunner
) -> None:
    outputs = json.loads(stack(replica=False).read_text(encoding="utf-8"))
    del outputs["processor_version"]
    path = tmp_path / "old-outputs.json"
    path.write_text(json.dumps(outputs), encoding="utf-8")
    result = run_cli("start-deployment", "--outputs", str(path), "--function", "processor")
    assert result.code == 2
    assert "--processor-version is required" in result.err
    assert "'processor_version'" in result.err
