"""CodeDeploy deployment groups matched to the Lambda functions they shift traffic for.

A deployment group for Lambda does not name its function: each deployment's AppSpec
does (function, alias, current and target version). SAM keeps one group per function
and ties the two together in the alias's `CodeDeployLambdaAliasUpdate` update policy;
pulumi-aws has no such link, so the pack reads the association from the program.

A group deploys a function when

- one of its inputs was computed from the function or from one of its aliases, e.g.
  `deployment_group_name=function.name` or `tags={"Function": function.name}`: the
  engine records that property dependency even while the name is unknown at preview;
- or, for plain strings, its `deploymentGroupName` or its `Function` tag equals the
  function's name.

It can deploy the function only if its application is an `aws.codedeploy.Application`
of this stack whose `compute_platform` is "Lambda" (unset means "Server").
"""

from __future__ import annotations

from collections.abc import Collection

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UnknownValueError

from .props import tags_of
from .stack import StackView, identifiers, known

ALIASES = ("aws:lambda/alias:Alias",)
APPLICATIONS = ("aws:codedeploy/application:Application",)
DEPLOYMENT_GROUPS = ("aws:codedeploy/deploymentGroup:DeploymentGroup",)
LAMBDA_PLATFORM = "Lambda"
FUNCTION_TAG = "Function"


def aliases_of(stack: StackView, function: PolicyResource) -> list[PolicyResource]:
    """The aliases whose `functionName` is this function."""
    return stack.referencing(function, ALIASES, "functionName")


def _derived_from(group: PolicyResource, sources: Collection[PolicyResource]) -> bool:
    urns = {source.urn for source in sources}
    return any(
        dependency.urn in urns
        for dependencies in group.property_dependencies.values()
        for dependency in dependencies
    )


def _function_tag(group: PolicyResource) -> object:
    # Like `known`: an unknown tag simply does not match by value.
    try:
        return tags_of(group.props).get(FUNCTION_TAG)
    except UnknownValueError:
        return None


def _named_after(group: PolicyResource, names: set[str]) -> bool:
    given = (known(group, "deploymentGroupName"), _function_tag(group))
    return any(isinstance(name, str) and name in names for name in given)


def deployment_groups_of(
    stack: StackView, function: PolicyResource, aliases: Collection[PolicyResource]
) -> list[PolicyResource]:
    """The deployment groups that deploy `function` (see the module docstring), whatever
    their application."""
    names = identifiers(function) | {
        name for alias in aliases if isinstance(name := known(alias, "functionName"), str)
    }
    return [
        group
        for group in stack.of_type(DEPLOYMENT_GROUPS)
        if _derived_from(group, [function, *aliases]) or _named_after(group, names)
    ]


def deploys_lambda(stack: StackView, group: PolicyResource) -> bool:
    """Whether the group's application (in this stack) has compute_platform "Lambda".

    Reading a compute platform that is unknown during preview raises the runtime's
    `UnknownValueError`, as every other read of props does.
    """
    return any(
        application.props.get("computePlatform") == LAMBDA_PLATFORM
        for application in stack.linked(group, "appName", APPLICATIONS)
    )
