"""TLS-only resource policies: a Deny for every principal when aws:SecureTransport is false."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pulumi_policy import PolicyResource, Severity

from .documents import Document, DocumentError, action_matches, parse_document
from .metadata import ENCRYPTION
from .policy import MANDATORY, Config, TypedStackPolicy, stack_policy
from .stack import StackView


def denies_insecure_transport(document: Document, action: str) -> bool:
    """Whether a statement denies `action` (e.g. `s3:*`) to everyone without TLS."""
    for statement in document.statements:
        if statement.effect != "Deny" or not statement.has_public_principal:
            continue
        if not any(action_matches(pattern, action) for pattern in statement.actions):
            continue
        values = statement.condition_values("aws:SecureTransport")
        if any(str(value).lower() == "false" for value in values):
            return True
    return False


def _documents(raws: Iterable[Any]) -> list[Document]:
    documents = []
    for raw in raws:
        try:
            documents.append(parse_document(raw))
        except DocumentError:
            continue  # reported by iam-policy-document-valid
    return documents


def resource_policies(
    stack: StackView, target: PolicyResource, policy_types: tuple[str, ...], prop: str
) -> list[Document]:
    """The target's own inline `policy` and every attached policy resource's document."""
    raws = [target.props.get("policy")]
    raws += [policy.props.get("policy") for policy in stack.referencing(target, policy_types, prop)]
    return _documents(raw for raw in raws if raw)


def tls_finding(
    stack: StackView,
    target: PolicyResource,
    policy_types: tuple[str, ...],
    prop: str,
    action: str,
    what: str,
) -> list[str]:
    """The one-message finding when no policy of `target` denies `action` without TLS."""
    documents = resource_policies(stack, target, policy_types, prop)
    if any(denies_insecure_transport(document, action) for document in documents):
        return []
    return [
        f"{what} '{target.name}' does not deny requests without TLS; add a policy statement "
        f"that denies '{action}' to Principal '*' when aws:SecureTransport is 'false'"
    ]


def tls_only_policy(
    *,
    name: str,
    what: str,
    resource_types: tuple[str, ...],
    policy_types: tuple[str, ...],
    prop: str,
    action: str,
    severity: Severity,
    mappings: tuple[str, ...],
) -> TypedStackPolicy:
    """ "<what>s deny `action` without TLS", for resources whose policy documents live in
    `policy_types` resources (linked through their `prop` input) or inline."""

    def check(target: PolicyResource, stack: StackView, config: Config) -> list[str]:
        return tls_finding(stack, target, policy_types, prop, action, what)

    return stack_policy(
        name=name,
        description=f"{what} policies deny {action} requests made without TLS.",
        resource_types=resource_types,
        check=check,
        category=ENCRYPTION,
        severity=severity,
        enforcement=MANDATORY,
        remediation=(
            f"Attach a resource policy to the {what} with a statement Effect=Deny, "
            f"Principal='*', Action='{action}', "
            "Condition={'Bool': {'aws:SecureTransport': 'false'}}."
        ),
        mappings=mappings,
    )
