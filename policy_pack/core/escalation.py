"""Privilege escalation: grants that let a principal give itself more than it was given.

The paths are those of the published catalogue of AWS IAM privilege-escalation methods
(Rhino Security Labs; cloudsplaining encodes it for checkov's CKV_AWS_286), grouped into
families. Each family is one policy, built by `escalation_policy`, and each finding names
the actions and the path they open ("iam:PutRolePolicy (create roles or change their
policies) without an iam:PermissionsBoundary condition").

Only identity documents are judged (role, user, group and permission-set policies): a
resource policy cannot grant IAM actions, and in a key policy '*' means that one key.
Actions count through wildcards (`iam:Put*`, `iam:*`, `*`) and through NotAction.

Example:
    >>> from policy_pack.core.documents import parse_document
    >>> document = parse_document(
    ...     '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", '
    ...     '"Action": "iam:Update*", "Resource": "*"}}'
    ... )
    >>> print(opened_paths(document.statements[0], (ROLE_TRUST,)))
    allows privilege escalation through iam:UpdateAssumeRolePolicy (rewrite who may assume roles)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Unpack

from .documents import IDENTITY, Statement, has_wildcard, types_with
from .iam import document_check, every_key, scopes_by_condition
from .policy import Config, Described, TypedResourcePolicy, resource_policy


def _anywhere(resource: str) -> bool:
    return True


def _named_boundary(value: Any, pattern: bool) -> bool:
    return isinstance(value, str) and bool(value) and not (pattern and has_wildcard(value))


def _aws_resource_grant(value: Any, pattern: bool) -> bool:
    return str(value).lower() == "true"


@dataclass(frozen=True)
class Bound:
    """A condition that makes a statement safe from a whole family: the actions that
    support the key are pinned by it, and the others never carry the key, so a bounding
    (non-negated, non-IfExists) condition on it denies them."""

    key: str
    test: Callable[[Any, bool], bool]

    def holds(self, statement: Statement) -> bool:
        return statement.is_bounded(self.key, self.test)


PERMISSIONS_BOUNDARY = Bound("iam:PermissionsBoundary", _named_boundary)
GRANT_FOR_AWS_RESOURCE = Bound("kms:GrantIsForAWSResource", _aws_resource_grant)


@dataclass(frozen=True)
class Path:
    """Actions that open one escalation path, on the resources where they do."""

    what: str
    actions: tuple[str, ...]
    reaches: Callable[[str], bool] = _anywhere
    bound: Bound | None = None
    # Whether a tag or alias condition (`scopes_by_condition`) keeps the statement off the
    # resources `reaches` is about: true for paths that matter because they reach
    # every key, not for role or policy changes, where a tag scopes nothing.
    scoped_by_tags: bool = False
    # Said after the actions when the bound is the fix: "without an ... condition".
    unless: str = ""

    def opened_by(self, statement: Statement) -> list[str]:
        """The path's actions the statement allows on resources it reaches."""
        if self.bound and self.bound.holds(statement):
            return []
        reaches = (
            bool(statement.not_resources)
            or not statement.resources
            or any(self.reaches(resource) for resource in statement.resources)
        )
        if not reaches or (self.scoped_by_tags and scopes_by_condition(statement)):
            return []
        return [action for action in self.actions if statement.grants(action)]

    def describe(self, actions: Sequence[str]) -> str:
        unless = f" {self.unless}" if self.unless else ""
        return f"{', '.join(actions)} ({self.what}){unless}"


_WITHOUT_BOUNDARY = "without an iam:PermissionsBoundary condition"

# --- the families -----------------------------------------------------------------------

GRANT_PERMISSIONS = (
    Path(
        "create roles or change their policies",
        (
            "iam:CreateRole",
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
            "iam:PutRolePermissionsBoundary",
        ),
        bound=PERMISSIONS_BOUNDARY,
        unless=_WITHOUT_BOUNDARY,
    ),
    Path(
        "change users' policies",
        ("iam:PutUserPolicy", "iam:AttachUserPolicy", "iam:PutUserPermissionsBoundary"),
        bound=PERMISSIONS_BOUNDARY,
        unless=_WITHOUT_BOUNDARY,
    ),
    Path(
        "change groups' policies or members",
        ("iam:PutGroupPolicy", "iam:AttachGroupPolicy", "iam:AddUserToGroup"),
        bound=PERMISSIONS_BOUNDARY,
    ),
    Path(
        "remove permissions boundaries",
        ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"),
        bound=PERMISSIONS_BOUNDARY,
    ),
)
POLICY_VERSIONS = Path(
    "rewrite managed policies", ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion")
)
ROLE_TRUST = Path("rewrite who may assume roles", ("iam:UpdateAssumeRolePolicy",))

# `arn:aws:iam::<account>:user/${aws:username}`, under any path (user names are unique
# in an account): the caller's own user, the self-service pattern for keys and passwords.
_SELF_USER = re.compile(r"^arn:aws[\w-]*:iam::[^:]*:user/(?:[^:]*/)?\$\{aws:username\}$")


def _other_users(resource: str) -> bool:
    return not _SELF_USER.match(resource)


USER_CREDENTIALS = Path(
    "create access keys or console passwords for other users",
    ("iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"),
    reaches=_other_users,
)
KEY_CONTROL = (
    Path(
        "rewrite the policy of every key",
        ("kms:PutKeyPolicy",),
        reaches=every_key,
        bound=GRANT_FOR_AWS_RESOURCE,
        scoped_by_tags=True,
    ),
    Path(
        "grant anyone the use of every key",
        ("kms:CreateGrant",),
        reaches=every_key,
        bound=GRANT_FOR_AWS_RESOURCE,
        scoped_by_tags=True,
        unless="without a kms:GrantIsForAWSResource condition",
    ),
)


def opened_paths(statement: Statement, paths: Sequence[Path]) -> str | None:
    """The escalation the statement allows through `paths`, or None."""
    opened = [path.describe(actions) for path in paths if (actions := path.opened_by(statement))]
    if opened:
        return "allows privilege escalation through " + "; ".join(opened)
    return None


def escalation_policy(
    *, paths: Sequence[Path], fix: str, **described: Unpack[Described]
) -> TypedResourcePolicy:
    """A policy reporting every identity statement that opens `paths`."""

    def rule(statement: Statement, config: Config) -> str | None:
        return opened_paths(statement, paths)

    return resource_policy(
        resource_types=types_with(IDENTITY),
        check=document_check((IDENTITY,), rule, fix),
        **described,
    )
