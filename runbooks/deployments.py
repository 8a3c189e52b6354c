"""`start-deployment`, `deployment-status` and `stop-deployment`: the gradual deploys of
the processor and api functions, starting them, following them, and stopping a bad one
while it shifts.

A CodeDeploy deployment group per function moves its `live` alias from the current
version to the new one (canary or linear), and rolls it back by itself when one of the
group's alarms fires or the pre-traffic hook fails. `pulumi up` only publishes the new
version: `start-deployment` starts the deployment that moves the alias to it, in every
region of the stack (the deploy pipeline runs it with `--wait --yes`).
`deployment-status` shows the group's latest deployments, why any of them stopped, and
where the alias sends traffic now; `stop-deployment` stops the deployment in progress
(`StopDeployment`), rolling the alias back to the previous version unless told not to.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from runbooks.changes import confirmed
from runbooks.command import Command, bounded_int
from runbooks.targets import DEPLOYED_FUNCTIONS as FUNCTIONS
from runbooks.targets import TARGETS, Targets, ToolError, UsageError, source_arguments

# Deployments that have not finished: the ones StopDeployment can stop.
ACTIVE_STATUSES = ("Created", "Queued", "InProgress", "Baking", "Ready")
# BatchGetDeployments takes at most 25 ids.
BATCH_SIZE = 25
MAX_LIMIT = 25
MAX_DAYS = 90
ALARM_STOPPED = "ALARM_ACTIVE"
HOOK_FAILED = "HOOK_EXECUTION_FAILURE"
# The Lambda AppSpec (JSON or YAML) names the versions a deployment shifts between, and
# the pre-traffic hook function.
_APPSPEC_FIELD = re.compile(
    r"\b(CurrentVersion|TargetVersion|BeforeAllowTraffic)\"?\s*:\s*[\"']?([\w$:.-]+)"
)
_NO_TIME = datetime.min.replace(tzinfo=UTC)
SUCCEEDED = "Succeeded"
# A deployment's end states; in every other status it is still under way.
END_STATUSES = (SUCCEEDED, "Failed", "Stopped")
# The AppSpec format version CodeDeploy accepts, a number in JSON as in AWS's examples.
APPSPEC_VERSION = 0.0
ROLLED_BACK_RUNBOOK = "runbooks/deployment-rolled-back.md"
# A canary of 10% for 5 minutes, after a hook of up to 15 minutes, ends well within this.
DEFAULT_TIMEOUT_MINUTES, MAX_TIMEOUT_MINUTES = 30, 180
DEFAULT_POLL_SECONDS, MAX_POLL_SECONDS = 15, 300


@dataclass(frozen=True)
class DeploymentGroup:
    """One function's CodeDeploy application and deployment group."""

    function: str
    application: str
    name: str

    @classmethod
    def of(cls, targets: Targets, function: str) -> DeploymentGroup:
        return cls(
            function,
            targets.require(f"{function}_deployment_application"),
            targets.require(f"{function}_deployment_group"),
        )

    def __str__(self) -> str:
        return f"deployment group {self.name} of application {self.application}"

    def request(self) -> dict[str, str]:
        return {"applicationName": self.application, "deploymentGroupName": self.name}


def alias_parts(flag: str, arn: str) -> tuple[str, str]:
    """The function ARN and the alias name of a Lambda alias ARN."""
    parts = arn.split(":")
    if len(parts) != 8 or parts[2] != "lambda" or parts[5] != "function":
        raise UsageError(
            f"{flag}: expected a Lambda alias ARN like "
            f"arn:aws:lambda:<region>:<account>:function:<name>:live, got {arn!r}"
        )
    return ":".join(parts[:7]), parts[7]


def describe_routing(alias: dict[str, Any]) -> str:
    """Where the alias sends traffic, as percentages per version."""
    primary = str(alias.get("FunctionVersion", "?"))
    weights = alias.get("RoutingConfig", {}).get("AdditionalVersionWeights", {})
    if not weights:
        return f"version {primary} takes all traffic"
    shares = [f"version {version} {weight:.0%}" for version, weight in sorted(weights.items())]
    rest = 1 - sum(weights.values())
    return (
        f"version {primary} takes {rest:.0%} of traffic, {', '.join(shares)} "
        "(weighted: a shift is under way or was stopped without rollback)"
    )


@dataclass(frozen=True)
class LiveAlias:
    """A function's alias as Lambda reports it, with the function's ARN and the alias's."""

    arn: str
    function_arn: str
    name: str
    found: dict[str, Any]


def _get_alias(targets: Targets, function: str, *, required: bool) -> LiveAlias | None:
    target = TARGETS[f"{function}_alias"]
    arn = targets.require(target.name) if required else targets.get(target.name)
    if arn is None:
        return None
    function_arn, name = alias_parts(target.flag, arn)
    found = targets.client("lambda").get_alias(FunctionName=function_arn, Name=name)
    return LiveAlias(arn, function_arn, name, found)


def _print_alias(targets: Targets, function: str, *, required: bool) -> None:
    alias = _get_alias(targets, function, required=required)
    if alias is not None:
        print(f"  alias {alias.name} ({alias.arn}): {describe_routing(alias.found)}")


def _time(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "-"


def _appspec(deployment: dict[str, Any]) -> dict[str, str]:
    content = deployment.get("revision", {}).get("appSpecContent", {}).get("content", "")
    return dict(_APPSPEC_FIELD.findall(content))


def _versions(deployment: dict[str, Any]) -> str:
    appspec = _appspec(deployment)
    if "CurrentVersion" not in appspec and "TargetVersion" not in appspec:
        return ""
    return f", version {appspec.get('CurrentVersion', '?')} -> {appspec.get('TargetVersion', '?')}"


def _alarm_states(targets: Targets, names: Sequence[str]) -> str:
    alarms = targets.client("cloudwatch").describe_alarms(AlarmNames=list(names))["MetricAlarms"]
    return ", ".join(
        f"{alarm['AlarmName']} ({alarm['StateValue']} since "
        f"{_time(alarm.get('StateUpdatedTimestamp'))})"
        for alarm in alarms
    )


def _stopping_alarm(
    deployment: dict[str, Any], alarms: Sequence[str], alarm_states: Callable[[], str]
) -> str:
    """The alarm that stopped the deployment: named in its error message when CodeDeploy
    names it, otherwise the group's alarms with their states, to tell it apart."""
    message = deployment.get("errorInformation", {}).get("message", "")
    named = [alarm for alarm in alarms if alarm in message]
    if named:
        return f"stopped by alarm {', '.join(named)}"
    if alarms:
        return f"stopped by one of the group's alarms, now: {alarm_states()}"
    return "stopped by an alarm the deployment group no longer lists"


def _outcome(
    deployment: dict[str, Any],
    alarms: Sequence[str] | None = None,
    alarm_states: Callable[[], str] = lambda: "",
) -> list[str]:
    """Why a deployment ended as it did: its error, the alarm (when the group's `alarms`
    are known) or hook that stopped it, and its rollback (`deployment-status` and
    `start-deployment --wait` say the same)."""
    lines = []
    error = deployment.get("errorInformation")
    if error:
        lines.append(f"error {error.get('code', '?')}: {error.get('message', '')}")
        if error.get("code") == ALARM_STOPPED and alarms is not None:
            lines.append(_stopping_alarm(deployment, alarms, alarm_states))
        elif error.get("code") == HOOK_FAILED:
            hook = _appspec(deployment).get("BeforeAllowTraffic", "(not named in the AppSpec)")
            lines.append(f"the pre-traffic hook {hook} failed the new version: read its logs")
    rollback = deployment.get("rollbackInfo", {})
    if rollback.get("rollbackDeploymentId"):
        lines.append(f"rolled back by deployment {rollback['rollbackDeploymentId']}")
    if rollback.get("rollbackTriggeringDeploymentId"):
        lines.append(f"a rollback of deployment {rollback['rollbackTriggeringDeploymentId']}")
    if rollback.get("rollbackMessage"):
        lines.append(f"rollback: {rollback['rollbackMessage']}")
    return lines


def _print_deployment(
    deployment: dict[str, Any], alarms: Sequence[str], alarm_states: Callable[[], str]
) -> None:
    print(
        f"    {deployment['deploymentId']}  {deployment.get('status', '?')}  "
        f"created by {deployment.get('creator', '?')}  "
        f"{_time(deployment.get('createTime'))} -> {_time(deployment.get('completeTime'))}  "
        f"config {deployment.get('deploymentConfigName', '?')}{_versions(deployment)}"
    )
    for line in _outcome(deployment, alarms, alarm_states):
        print(f"      {line}")


def _batch_get(codedeploy: Any, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The deployments with these ids, read in batches of the most BatchGetDeployments takes."""
    deployments: list[dict[str, Any]] = []
    for start in range(0, len(ids), BATCH_SIZE):
        batch = list(ids[start : start + BATCH_SIZE])
        deployments += codedeploy.batch_get_deployments(deploymentIds=batch)["deploymentsInfo"]
    return deployments


def latest_deployments(
    codedeploy: Any, group: DeploymentGroup, limit: int, since: datetime
) -> list[dict[str, Any]]:
    """Up to `limit` of the group's deployments created since `since`, newest first."""
    # ListDeployments documents no order, so every id in the window is read and sorted.
    pages = codedeploy.get_paginator("list_deployments").paginate(
        **group.request(), createTimeRange={"start": since}
    )
    ids = [deployment_id for page in pages for deployment_id in page.get("deployments", [])]
    deployments = _batch_get(codedeploy, ids)
    deployments.sort(key=lambda d: d.get("createTime") or _NO_TIME, reverse=True)
    return deployments[:limit]


def _print_group(targets: Targets, function: str, limit: int, days: int) -> None:
    codedeploy = targets.client("codedeploy")
    group = DeploymentGroup.of(targets, function)
    info = codedeploy.get_deployment_group(**group.request())["deploymentGroupInfo"]
    alarm_config = info.get("alarmConfiguration", {})
    alarms = [alarm["name"] for alarm in alarm_config.get("alarms", [])]
    rollback = info.get("autoRollbackConfiguration", {})
    print(f"{function}: {group}, config {info.get('deploymentConfigName', '?')}")
    print(
        f"  stops on alarms: {', '.join(alarms) if alarm_config.get('enabled') else 'none'}; "
        "rolls back on: "
        f"{', '.join(rollback.get('events', [])) if rollback.get('enabled') else 'nothing'}"
    )
    last = info.get("lastAttemptedDeployment")
    if last:
        print(
            f"  last attempted: {last['deploymentId']} {last.get('status', '?')}, "
            f"ended {_time(last.get('endTime'))}"
        )
    _print_alias(targets, function, required=True)
    since = datetime.now(tz=UTC) - timedelta(days=days)
    deployments = latest_deployments(codedeploy, group, limit, since)
    if not deployments:
        print(f"  No deployments in the last {days} days.")
        return
    print(f"  Latest {len(deployments)} deployment(s) of the last {days} days, newest first:")
    # Read once for the group, and only when a deployment needs them.
    alarm_states = functools.cache(lambda: _alarm_states(targets, alarms))
    for deployment in deployments:
        _print_deployment(deployment, alarms, alarm_states)


def _functions(args: argparse.Namespace) -> list[str]:
    """The function `--function` names, or both."""
    return [args.deployed_function] if args.deployed_function else list(FUNCTIONS)


def deployment_status(args: argparse.Namespace, targets: Targets) -> int:
    for function in _functions(args):
        _print_group(targets, function, args.limit, args.days)
    return 0


def _active_deployments(codedeploy: Any, group: DeploymentGroup) -> list[dict[str, Any]]:
    ids = codedeploy.list_deployments(
        **group.request(), includeOnlyStatuses=list(ACTIVE_STATUSES)
    ).get("deployments", [])
    return _batch_get(codedeploy, ids)


def _nothing_to_stop(codedeploy: Any, group: DeploymentGroup, sources: str) -> ToolError:
    info = codedeploy.get_deployment_group(**group.request())["deploymentGroupInfo"]
    last = info.get("lastAttemptedDeployment")
    latest = (
        f"the latest, {last['deploymentId']}, is {last.get('status', '?')}"
        if last
        else "it has no deployments yet"
    )
    return ToolError(
        f"no deployment of {group} is in progress ({latest}): nothing to stop. See "
        f"`python -m runbooks deployment-status {sources} --function {group.function}`"
    )


def _stop_change(group: DeploymentGroup, deployment: dict[str, Any], *, rollback: bool) -> str:
    what = (
        f"stop deployment {deployment['deploymentId']} of {group} "
        f"({deployment.get('status', '?')}{_versions(deployment)})"
    )
    if rollback:
        return (
            f"{what} and roll back: CodeDeploy starts a rollback deployment that returns "
            "the alias to the version it had before"
        )
    return f"{what} without rollback (--no-rollback): the alias keeps its current weights"


def stop_deployment(args: argparse.Namespace, targets: Targets) -> int:
    codedeploy = targets.client("codedeploy")
    group = DeploymentGroup.of(targets, args.deployed_function)
    print(f"{args.deployed_function}: {group}")
    _print_alias(targets, args.deployed_function, required=False)
    active = _active_deployments(codedeploy, group)
    if not active:
        raise _nothing_to_stop(codedeploy, group, source_arguments(args))
    rollback = not args.no_rollback
    changes = [_stop_change(group, deployment, rollback=rollback) for deployment in active]
    if not confirmed(changes, yes=args.yes):
        return 0
    for deployment in active:
        stopped = codedeploy.stop_deployment(
            deploymentId=deployment["deploymentId"], autoRollbackEnabled=rollback
        )
        print(
            f"Stop of {deployment['deploymentId']}: {stopped.get('status', '?')}"
            f"{': ' + stopped['statusMessage'] if stopped.get('statusMessage') else ''}"
        )
    print(
        f"Follow it with: python -m runbooks deployment-status {source_arguments(args)} "
        f"--function {args.deployed_function}"
    )
    print(
        "Pulumi: the program leaves the alias's version and weights to CodeDeploy, so a stop "
        "leaves no drift. The stack's code is still the stopped release: revert or fix it, "
        "and deploy again (runbooks/deployment-rolled-back.md)."
    )
    return 0


# start-deployment


@dataclass(frozen=True)
class Clock:
    """What `--wait` measures and waits with (tests pass one that takes no real time)."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


CLOCK = Clock()


@dataclass(frozen=True)
class Release:
    """One function in one region: the version its `live` alias serves, and the version
    the last `pulumi up` published, which a deployment moves the alias to."""

    region: str
    group: DeploymentGroup
    function_name: str
    alias: str
    current: str
    target: str
    hook: str | None
    codedeploy: Any = field(repr=False, compare=False)

    def __str__(self) -> str:
        return f"{self.group.function} in {self.region}"

    @property
    def due(self) -> bool:
        return self.current != self.target

    def appspec(self) -> dict[str, Any]:
        """The Lambda AppSpec, whose `TargetVersion` the pre-traffic hook tests
        (`lambda_functions/deployment_hook/app.py`); versions are strings, as in AWS's."""
        appspec: dict[str, Any] = {
            "version": APPSPEC_VERSION,
            "Resources": [
                {
                    self.group.function: {
                        "Type": "AWS::Lambda::Function",
                        "Properties": {
                            "Name": self.function_name,
                            "Alias": self.alias,
                            "CurrentVersion": self.current,
                            "TargetVersion": self.target,
                        },
                    }
                }
            ],
        }
        if self.hook:
            appspec["Hooks"] = [{"BeforeAllowTraffic": self.hook}]
        return appspec

    def revision(self) -> dict[str, Any]:
        return {
            "revisionType": "AppSpecContent",
            "appSpecContent": {"content": json.dumps(self.appspec())},
        }

    def change(self) -> str:
        hook = f"pre-traffic hook {self.hook}" if self.hook else "no pre-traffic hook"
        return (
            f"{self}: start a deployment in {self.group} that moves alias {self.alias} of "
            f"{self.function_name} from version {self.current} to {self.target} ({hook})"
        )

    def command(self, name: str, sources: str) -> str:
        """The runbook command `name` for this release's function and region."""
        return (
            f"python -m runbooks {name} {sources} --region {self.region} "
            f"--function {self.group.function}"
        )


def _published_version(targets: Targets, function: str) -> str:
    target = TARGETS[f"{function}_version"]
    version = targets.require(target.name)
    if not version.isdigit():
        raise UsageError(
            f"{target.flag}: expected a published version number such as 7, got {version!r} "
            f"(names came from {targets.origin})"
        )
    return version


def _release(targets: Targets, function: str) -> Release:
    """Where `function`'s alias is in `targets`' region, and the version it should serve."""
    group = DeploymentGroup.of(targets, function)
    published = _published_version(targets, function)
    alias = _get_alias(targets, function, required=True)
    assert alias is not None  # required: a missing alias was a UsageError
    release = Release(
        region=targets.require("region"),
        group=group,
        function_name=alias.function_arn.rsplit(":", 1)[1],
        alias=alias.name,
        current=str(alias.found["FunctionVersion"]),
        target=published,
        hook=targets.get(f"{function}_deployment_hook"),
        codedeploy=targets.client("codedeploy"),
    )
    print(
        f"{release}: alias {alias.name} of {release.function_name}: "
        f"{describe_routing(alias.found)}; the last `pulumi up` published version {published}"
    )
    return release


def _refuse_when_busy(releases: Sequence[Release], sources: str) -> None:
    """CodeDeploy runs one deployment of a group at a time and refuses a second one."""
    busy = [
        f"{release}: deployment {deployment['deploymentId']} of {release.group} is "
        f"{deployment.get('status', '?')}{_versions(deployment)}; "
        f"follow it: {release.command('deployment-status', sources)}"
        for release in releases
        for deployment in _active_deployments(release.codedeploy, release.group)
    ]
    if busy:
        raise ToolError(
            "a deployment is already under way, so none was started:\n  "
            + "\n  ".join(busy)
            + "\nWait for it to end, or stop it (`stop-deployment` with the same flags), "
            "then start again."
        )


def _start(release: Release) -> str:
    deployment_id = str(
        release.codedeploy.create_deployment(
            **release.group.request(),
            revision=release.revision(),
            description=(
                f"{release.group.function} version {release.current} -> {release.target} "
                "(python -m runbooks start-deployment)"
            ),
        )["deploymentId"]
    )
    print(f"{release}: started deployment {deployment_id}")
    return deployment_id


def _progress(deployment: dict[str, Any]) -> str:
    error = deployment.get("errorInformation", {}).get("code")
    return f"{deployment.get('status', '?')}{f' ({error})' if error else ''}"


def _elapsed(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def _failure(release: Release, deployment: dict[str, Any], sources: str) -> str:
    lines = [
        f"  {release}: deployment {deployment['deploymentId']} of {release.group} ended "
        f"{deployment.get('status', '?')}{_versions(deployment)}"
    ]
    # Which alarm it was is deployment-status's to tell (it reads the group's alarms).
    lines += [f"    {line}" for line in _outcome(deployment)]
    lines.append(f"    why, and where traffic is: {release.command('deployment-status', sources)}")
    return "\n".join(lines)


def _wait(
    started: Sequence[tuple[Release, str]], timeout_minutes: int, poll_seconds: int, sources: str
) -> int:
    """Follow every started deployment to its end, or until the time is up."""
    clock = CLOCK
    began = clock.now()
    deadline = began + timeout_minutes * 60
    print(
        f"Waiting for {len(started)} deployment(s), at most {timeout_minutes} min, "
        f"checking every {poll_seconds} s:"
    )
    shown: dict[str, str] = {}
    ended: dict[str, dict[str, Any]] = {}
    while True:
        for release, deployment_id in started:
            if deployment_id in ended:
                continue
            deployment = release.codedeploy.get_deployment(deploymentId=deployment_id)[
                "deploymentInfo"
            ]
            progress = _progress(deployment)
            if shown.get(deployment_id) != progress:
                shown[deployment_id] = progress
                print(f"  [{_elapsed(clock.now() - began)}] {release}: {deployment_id} {progress}")
            if deployment.get("status") in END_STATUSES:
                ended[deployment_id] = deployment
        if len(ended) == len(started):
            break
        remaining = deadline - clock.now()
        if remaining <= 0:
            under_way = [
                f"{release}: deployment {deployment_id} is {shown[deployment_id]}; follow it: "
                f"{release.command('deployment-status', sources)}"
                for release, deployment_id in started
                if deployment_id not in ended
            ]
            raise ToolError(
                f"gave up waiting after {timeout_minutes} min; CodeDeploy goes on with:\n  "
                + "\n  ".join(under_way)
            )
        clock.sleep(min(poll_seconds, remaining))
    failed = [
        _failure(release, ended[deployment_id], sources)
        for release, deployment_id in started
        if ended[deployment_id].get("status") != SUCCEEDED
    ]
    if failed:
        raise ToolError(
            f"{len(failed)} deployment(s) failed, stopped or rolled back; follow "
            f"{ROLLED_BACK_RUNBOOK}:\n" + "\n".join(failed)
        )
    print("Every deployment succeeded: the live aliases serve the published versions.")
    return 0


def start_deployment(args: argparse.Namespace, targets: Targets) -> int:
    regions = [targets, *targets.replicas.values()]
    releases = [
        _release(regional, function) for regional in regions for function in _functions(args)
    ]
    for release in releases:
        if not release.due:
            print(f"{release}: already serves version {release.target}: nothing to deploy.")
    due = [release for release in releases if release.due]
    if not due:
        print("Nothing to deploy: every alias serves the version the last `pulumi up` published.")
        return 0
    # Each release's command names its own region.
    sources = source_arguments(args, with_region=False)
    _refuse_when_busy(due, sources)
    if not confirmed([release.change() for release in due], yes=args.yes):
        return 0
    started = [(release, _start(release)) for release in due]
    if args.wait:
        return _wait(started, args.timeout_minutes, args.poll_seconds, sources)
    print("Started; CodeDeploy shifts the traffic. Follow each deployment with:")
    for release, _ in started:
        print(f"  {release.command('deployment-status', sources)}")
    return 0


def _add_function_flag(parser: argparse.ArgumentParser, help: str, *, required: bool) -> None:
    parser.add_argument(
        "--function", dest="deployed_function", choices=FUNCTIONS, required=required, help=help
    )


def _configure_status(parser: argparse.ArgumentParser) -> None:
    _add_function_flag(parser, "only this function's deployments (default: both)", required=False)
    parser.add_argument(
        "--limit",
        type=bounded_int(1, MAX_LIMIT),
        default=5,
        help=f"deployments to show per function (1..{MAX_LIMIT}, default 5)",
    )
    parser.add_argument(
        "--days",
        type=bounded_int(1, MAX_DAYS),
        default=14,
        help=f"look at deployments created in the last N days (1..{MAX_DAYS}, default 14)",
    )


def _configure_stop(parser: argparse.ArgumentParser) -> None:
    _add_function_flag(parser, "whose deployment to stop", required=True)
    parser.add_argument(
        "--no-rollback",
        action="store_true",
        help=(
            "stop without rolling back: the alias keeps the weights it has now, so the new "
            "version keeps its share of traffic (default: roll back to the previous version)"
        ),
    )


def _configure_start(parser: argparse.ArgumentParser) -> None:
    _add_function_flag(parser, "only this function (default: both)", required=False)
    parser.add_argument(
        "--wait",
        action="store_true",
        help=(
            "follow the deployments to their end; exit 1 when any failed, stopped or rolled "
            "back, or is still under way after --timeout-minutes"
        ),
    )
    parser.add_argument(
        "--timeout-minutes",
        type=bounded_int(1, MAX_TIMEOUT_MINUTES),
        default=DEFAULT_TIMEOUT_MINUTES,
        help=(
            f"with --wait: the longest wait for all of them (1..{MAX_TIMEOUT_MINUTES}, "
            f"default {DEFAULT_TIMEOUT_MINUTES}); CodeDeploy goes on after it"
        ),
    )
    parser.add_argument(
        "--poll-seconds",
        type=bounded_int(1, MAX_POLL_SECONDS),
        default=DEFAULT_POLL_SECONDS,
        help=f"with --wait: seconds between checks (1..{MAX_POLL_SECONDS}, "
        f"default {DEFAULT_POLL_SECONDS})",
    )


_TARGETS = tuple(
    f"{function}_{kind}"
    for function in FUNCTIONS
    for kind in ("deployment_application", "deployment_group", "alias")
)
# What a deployment needs on top: the version to move the alias to, and the hook.
_START_TARGETS = _TARGETS + tuple(
    f"{function}_{kind}" for function in FUNCTIONS for kind in ("version", "deployment_hook")
)

COMMANDS = [
    Command(
        "start-deployment",
        "start the CodeDeploy deployments that move each function's live alias to the "
        "version the last `pulumi up` published, in every region of the stack; dry run "
        "without --yes",
        _START_TARGETS,
        start_deployment,
        _configure_start,
        mutating=True,
    ),
    Command(
        "deployment-status",
        "latest CodeDeploy deployments of the functions, why they stopped, and where the "
        "live alias sends traffic (read-only)",
        _TARGETS,
        deployment_status,
        _configure_status,
    ),
    Command(
        "stop-deployment",
        "stop the function's deployment in progress and roll its alias back; dry run without --yes",
        _TARGETS,
        stop_deployment,
        _configure_stop,
        mutating=True,
    ),
]
