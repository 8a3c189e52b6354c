"""iam:PassRole names the roles it may pass, and never travels with the power to run code
as the role passed.

Two escalation paths of the catalogue: passing any role (`*`, `role/*`, `role/app-*`:
a wildcard matches roles the policy does not name, including ones created later), and
passing a role to a service while creating the compute that runs as it (a new Lambda
function, an EC2 instance, an ECS task, a Glue endpoint, a CloudFormation stack, a state
machine ...). The second is judged per document: iam:PassRole in one statement and
lambda:CreateFunction in another count together. An iam:PassedToService condition that
excludes the compute's service closes that combination.

A deploy principal must pass the roles it creates to the compute it creates. That is
accepted when the roles it may pass are ones it can only create with a permissions
boundary: the PassRole statement names a literal role prefix (`role/platform-*`) and an
iam:PassedToService condition, and the same document grants iam:CreateRole on that
prefix only under an iam:PermissionsBoundary condition (and grants no way to remove or
change a boundary, which `iam-no-escalation-via-permission-grants` checks). The code it
runs can then do no more than the boundary allows.
"""

from collections.abc import Iterator

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import (
    IDENTITY,
    Document,
    Statement,
    action_matches,
    has_wildcard,
    parse_arn,
    types_with,
)
from ...core.escalation import PERMISSIONS_BOUNDARY
from ...core.iam import document_rule_check
from ...core.policy import MANDATORY, Config, resource_policy

# Actions that run code (or arbitrary API calls) as a role passed to the service, and the
# service principal the role is passed to.
CODE_RUNNERS = {
    "lambda:CreateFunction": "lambda.amazonaws.com",
    "lambda:UpdateFunctionConfiguration": "lambda.amazonaws.com",
    "ec2:RunInstances": "ec2.amazonaws.com",
    "ec2:AssociateIamInstanceProfile": "ec2.amazonaws.com",
    "ec2:ReplaceIamInstanceProfileAssociation": "ec2.amazonaws.com",
    "ecs:RunTask": "ecs-tasks.amazonaws.com",
    "ecs:StartTask": "ecs-tasks.amazonaws.com",
    "ecs:RegisterTaskDefinition": "ecs-tasks.amazonaws.com",
    "glue:CreateDevEndpoint": "glue.amazonaws.com",
    "glue:UpdateDevEndpoint": "glue.amazonaws.com",
    "glue:CreateJob": "glue.amazonaws.com",
    "glue:UpdateJob": "glue.amazonaws.com",
    "cloudformation:CreateStack": "cloudformation.amazonaws.com",
    "cloudformation:UpdateStack": "cloudformation.amazonaws.com",
    "cloudformation:CreateChangeSet": "cloudformation.amazonaws.com",
    "cloudformation:CreateStackSet": "cloudformation.amazonaws.com",
    "states:CreateStateMachine": "states.amazonaws.com",
    "states:UpdateStateMachine": "states.amazonaws.com",
    "datapipeline:CreatePipeline": "datapipeline.amazonaws.com",
    "sagemaker:CreateNotebookInstance": "sagemaker.amazonaws.com",
    "sagemaker:CreateTrainingJob": "sagemaker.amazonaws.com",
    "sagemaker:CreateProcessingJob": "sagemaker.amazonaws.com",
    "codebuild:CreateProject": "codebuild.amazonaws.com",
    "codebuild:UpdateProject": "codebuild.amazonaws.com",
    "elasticmapreduce:RunJobFlow": "elasticmapreduce.amazonaws.com",
    "scheduler:CreateSchedule": "scheduler.amazonaws.com",
}
_SHOWN = 4  # runners named in a message; the rest are counted


def _may_pass_to(statement: Statement, service: str) -> bool:
    """Whether the statement's iam:PassedToService condition (if any) admits `service`."""

    def excludes(value: object, pattern: bool) -> bool:
        if not isinstance(value, str):
            return False
        if pattern:
            return not action_matches(value, service)
        return value.lower() != service

    return not statement.is_bounded("iam:PassedToService", excludes)


def _runners(document: Document) -> list[str]:
    # A statement bounded by iam:PassedToService grants nothing else: other requests do
    # not carry the key, so its condition fails for them.
    granting = [s for s in document.statements if not s.bounding_values("iam:PassedToService")]
    return [action for action in CODE_RUNNERS if any(s.grants(action) for s in granting)]


def _boundary_bound_roles(document: Document) -> list[str]:
    """Role patterns the document lets be created only with a permissions boundary (and
    does not let be created any other way)."""
    bounded: list[str] = []
    unbounded: list[str] = []
    for statement in document.statements:
        if statement.grants("iam:CreateRole"):
            target = bounded if PERMISSIONS_BOUNDARY.holds(statement) else unbounded
            target.extend(statement.resources or ["*"])
            if statement.not_resources:
                unbounded.append("*")
    return [
        pattern
        for pattern in bounded
        if not any(action_matches(other, pattern) for other in unbounded)
    ]


def _literal_role_prefix(resource: str) -> bool:
    """`arn:aws:iam::<account>:role/<literal start>*`: roles of one account under one name
    prefix, not `role/*`."""
    arn = parse_arn(resource)
    if arn is None or has_wildcard(arn.account) or not arn.resource.startswith("role/"):
        return False
    name = arn.resource.removeprefix("role/")
    return bool(name) and name[0] not in "*?"


def _passes_only_bounded_roles(statement: Statement, bounded: list[str]) -> bool:
    if statement.not_resources or not statement.resources:
        return False
    if not statement.bounding_values("iam:PassedToService"):
        return False
    return all(
        _literal_role_prefix(resource)
        and any(action_matches(pattern, resource) for pattern in bounded)
        for resource in statement.resources
    )


def _named(actions: list[str]) -> str:
    shown = ", ".join(actions[:_SHOWN])
    rest = len(actions) - _SHOWN
    return f"{shown} and {rest} more" if rest > 0 else shown


def _rule(document: Document, config: Config) -> Iterator[tuple[Statement, str]]:
    runners = _runners(document)
    bounded = _boundary_bound_roles(document)
    for statement in document.statements:
        if not statement.grants("iam:PassRole") or _passes_only_bounded_roles(statement, bounded):
            continue
        problems = []
        wildcards = [resource for resource in statement.resources if has_wildcard(resource)]
        if statement.not_resources:
            wildcards.append(f"every role except {', '.join(statement.not_resources)}")
        if wildcards:
            problems.append(
                f"on {', '.join(map(repr, wildcards))}, which matches roles it does not name"
            )
        combined = [action for action in runners if _may_pass_to(statement, CODE_RUNNERS[action])]
        if combined:
            problems.append(f"together with {_named(combined)} (running code as the role passed)")
        if problems:
            yield statement, "allows iam:PassRole " + ", and ".join(problems)


POLICY = resource_policy(
    name="iam-no-escalation-via-pass-role",
    description=(
        "iam:PassRole is granted only on named roles, and not in a document that also "
        "creates compute running as the role passed."
    ),
    resource_types=types_with(IDENTITY),
    check=document_rule_check(
        (IDENTITY,),
        _rule,
        "list the exact role ARNs, and keep PassRole apart from actions that run code as them",
    ),
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Scope iam:PassRole to exact role ARNs with an iam:PassedToService condition. A "
        "principal that can both pass a role and create a Lambda function, an instance, a "
        "task, a stack or a state machine runs code with that role's permissions: give "
        "such deploy principals only roles bounded by a permissions boundary, exclude the "
        "compute's service from iam:PassedToService, or exempt the statement with a reason. "
        "A deploy principal passes the roles it creates: scope PassRole to a literal role "
        "prefix with iam:PassedToService, and grant iam:CreateRole on that prefix only "
        "with an iam:PermissionsBoundary condition."
    ),
    mappings=("cdk-nag:AwsSolutions-IAM5", "checkov:CKV_AWS_286"),
)
