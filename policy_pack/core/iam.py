"""The shapes shared by the IAM policies: judge each statement of each document, and
decide whether a resource policy (or grant) lets everyone in."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

from pulumi_policy import ResourceValidationArgs

from .documents import (
    Document,
    Statement,
    action_matches,
    has_wildcard,
    iter_documents,
    parse_arn,
)
from .metadata import label
from .policy import Config, ResourceCheck

# Returns what is wrong with the statement ("allows the wildcard action 'kms:*'"), or None.
StatementRule = Callable[[Statement, Config], str | None]
# Judges a whole document: what is wrong, attributed to the statement that says it.
DocumentRule = Callable[[Document, Config], Iterable[tuple[Statement, str]]]


def document_rule_check(kinds: tuple[str, ...], rule: DocumentRule, fix: str) -> ResourceCheck:
    """A check that applies `rule` to every document of `kinds` in the resource, and names
    the resource, the document and the statement in each finding."""

    def check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
        for source, document in iter_documents(args.resource_type, args.props, *kinds):
            for statement, problem in rule(document, config):
                yield (
                    f"{label(args.resource_type)} '{args.name}' {problem} "
                    f"({source.path}, {statement.label}); {fix}"
                )

    return check


def document_check(kinds: tuple[str, ...], rule: StatementRule, fix: str) -> ResourceCheck:
    """`document_rule_check` for a rule about one statement at a time."""

    def per_statement(document: Document, config: Config) -> Iterator[tuple[Statement, str]]:
        for statement in document.statements:
            problem = rule(statement, config)
            if problem:
                yield statement, problem

    return document_rule_check(kinds, per_statement, fix)


def grants_on_any(statement: Statement, action: str, is_broad: Callable[[str], bool]) -> bool:
    """Whether the statement allows `action` on resources `is_broad` calls unbounded, and
    no tag or alias condition scopes them (`scopes_by_condition`)."""
    if not statement.grants(action) or scopes_by_condition(statement):
        return False
    return bool(statement.not_resources) or any(
        is_broad(resource) for resource in statement.resources
    )


def granted_actions(statement: Statement) -> str:
    """The statement's actions as a message quotes them."""
    if statement.not_actions:
        return f"every action except {', '.join(map(repr, statement.not_actions))}"
    return ", ".join(map(repr, statement.actions))


def every_key(resource: str) -> bool:
    """Whether a Resource covers every KMS key: '*', or a KMS ARN with a wildcard account
    or key id (`key/*`; key ids are random, so a prefix does not scope them either)."""
    arn = parse_arn(resource)
    if arn is None:
        return has_wildcard(resource)
    if not action_matches(arn.service, "kms"):
        return False
    if has_wildcard(arn.partition) or has_wildcard(arn.account):
        return True
    return has_wildcard(arn.resource) and not arn.resource.startswith("alias/")


# --- Scoping by condition: tags, aliases, the function a mapping feeds -------------------

# Resources whose ids AWS generates (KMS keys, certificates, API keys, REST APIs) cannot be
# named before they exist. Attribute-based access control scopes them instead: a bounding
# condition on the resource's tag, the key's alias, the function an event source mapping
# feeds, or (for requests that create) the request's tag, pinned to a value with a
# literal start. AWS requires tag permissions scoped by the request's tag to tag a
# resource as it is created; such a grant can also tag an untagged resource into scope,
# which is ABAC's known trade-off (see the AWS KMS guide, "ABAC for AWS KMS").
_SCOPING_KEYS = ("kms:resourcealiases", "kms:requestalias", "lambda:functionarn")
_TAG_KEY = re.compile(r"^([a-z0-9-]+:resourcetag|aws:requesttag)/.+$")


def _scoping_value(value: Any, pattern: bool) -> bool:
    return isinstance(value, str) and bool(value) and not (pattern and value[0] in "*?")


def scopes_by_condition(statement: Statement) -> bool:
    """Whether a condition on the resource's tag or alias, or the request's tag, limits
    the statement to the resources it means."""
    return any(
        statement.is_bounded(key, _scoping_value)
        for key in statement.condition_keys()
        if key in _SCOPING_KEYS or _TAG_KEY.match(key)
    )


# --- Public access: the one evaluator for every resource policy and grant ---------------


def _literal(value: Any, pattern: bool) -> bool:
    return isinstance(value, str) and bool(value) and not (pattern and has_wildcard(value))


def _prefixed(value: Any, pattern: bool) -> bool:
    # An organisation path (`o-a1/r-b2/ou-c3/*`) narrows by its literal start.
    return isinstance(value, str) and bool(value) and not (pattern and value[0] in "*?")


def _bounding_arn(value: Any, pattern: bool) -> bool:
    """An ARN that pins an account, or (for account-less ARNs such as buckets) a name."""
    if not isinstance(value, str) or not value:
        return False
    if not pattern:
        return True
    arn = parse_arn(value)
    if arn is None:
        return not has_wildcard(value)
    if arn.account:
        return not has_wildcard(arn.account)
    return not arn.is_wildcard


def _network(value: Any, pattern: bool) -> bool:
    return isinstance(value, str) and value.strip() not in ("", "0.0.0.0/0", "::/0")


# Condition keys that bound "*" to an account, organisation, source, network or caller,
# with the test each value must pass to bound anything.
RESTRICTING_KEYS: dict[str, Callable[[Any, bool], bool]] = {
    "aws:SourceArn": _bounding_arn,
    "aws:PrincipalArn": _bounding_arn,
    "aws:SourceAccount": _literal,
    "aws:SourceOwner": _literal,
    "aws:PrincipalAccount": _literal,
    "kms:CallerAccount": _literal,
    "aws:PrincipalOrgID": _literal,
    "aws:SourceOrgID": _literal,
    "aws:PrincipalOrgPaths": _prefixed,
    "aws:SourceOrgPaths": _prefixed,
    "aws:SourceVpc": _literal,
    "aws:SourceVpce": _literal,
    "aws:SourceIp": _network,
    "lambda:EventSourceToken": _literal,
}


def is_restricted(statement: Statement) -> bool:
    """Whether a condition bounds who can use the statement (see `RESTRICTING_KEYS`)."""
    return any(statement.is_bounded(key, test) for key, test in RESTRICTING_KEYS.items())


def public_access(statement: Statement, public_actions: Collection[str] = ()) -> str | None:
    """What an Allow statement grants to everyone, or None.

    Everyone means Principal '*' (or {'AWS': '*'}), or NotPrincipal in an Allow, without a
    condition from `RESTRICTING_KEYS` that is not negated, not `...IfExists` and not a
    wildcard. Statements whose actions are all in `public_actions` (public by design, such
    as calling a public API) are left alone.
    """
    if not statement.admits_everyone or is_restricted(statement):
        return None
    public = {action.lower() for action in public_actions}
    if statement.actions and all(action.lower() in public for action in statement.actions):
        return None
    who = (
        "every principal not in its NotPrincipal"
        if statement.not_principals
        else "any principal ('*')"
    )
    return (
        f"allows {who} to call {granted_actions(statement)} without a condition that pins "
        "the caller's account, organisation, source or network"
    )
