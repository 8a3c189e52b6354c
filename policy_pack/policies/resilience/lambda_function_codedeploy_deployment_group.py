"""Lambda functions served through an alias (in prod, by the template's config) are deployed
gradually by CodeDeploy."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import codedeploy, families, metadata
from ...core.eventsources import FUNCTIONS
from ...core.policy import ADVISORY, Config, stack_policy
from ...core.props import environment_of
from ...core.stack import StackView


def _quoted(resources: list[PolicyResource]) -> str:
    return ", ".join(f"'{resource.name}'" for resource in resources)


def _check(function: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    aliases = codedeploy.aliases_of(stack, function)
    # Without an alias there is nothing to shift traffic between: not applicable.
    if not aliases:
        return
    environment = environment_of(function.props)
    if not families.in_environments(config, environment):
        return
    groups = codedeploy.deployment_groups_of(stack, function, aliases)
    if any(codedeploy.deploys_lambda(stack, group) for group in groups):
        return
    elsewhere = (
        f"; deployment group {_quoted(groups)} names it, but belongs to no application "
        "with compute_platform 'Lambda' in this stack"
        if groups
        else ""
    )
    yield (
        f"Lambda function '{function.name}' (Environment {environment or 'untagged'}) is "
        f"served through alias {_quoted(aliases)}, but no CodeDeploy deployment group "
        f"deploys it, so a new version takes all traffic at once{elsewhere}; add an "
        "aws.codedeploy.DeploymentGroup in an aws.codedeploy.Application with "
        "compute_platform='Lambda', linked to the function by "
        "deployment_group_name=function.name or tags={'Function': function.name}"
    )


POLICY = stack_policy(
    name="lambda-function-codedeploy-deployment-group",
    description=(
        "Lambda functions served through an alias, in the configured environments, have a "
        "CodeDeploy deployment group of a Lambda application, so new versions shift "
        "traffic gradually. A group deploys a function when one of its inputs is computed "
        "from the function or its alias (deployment_group_name=function.name), or when its "
        "deploymentGroupName or Function tag equals the function's name."
    ),
    resource_types=FUNCTIONS,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Create one aws.codedeploy.Application(compute_platform='Lambda') and, per function, "
        "an aws.codedeploy.DeploymentGroup with deployment_group_name=function.name (or "
        "tags={'Function': function.name}: an Output of the function, so the link holds at "
        "preview while the name is unknown), deployment_style BLUE_GREEN WITH_TRAFFIC_CONTROL, "
        "a canary or linear deployment_config_name and alarm rollback (see "
        "codedeploy-deployment-group-alarm-rollback); deploy new versions with an AppSpec "
        "that names the function and its alias. Which environments need it is this "
        "policy's `environments` config (globs over the function's Environment tag; an "
        "untagged function is covered)."
    ),
    options={
        "environments": families.environments_option(
            "functions behind an alias need a CodeDeploy deployment group"
        )
    },
)
