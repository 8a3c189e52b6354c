"""IAM policy documents: every place one can appear in a resource, and what it says.

A document may be a JSON string or an object; `Action`, `Resource` and `Principal` a
string or a list. `parse_document` normalises all of that into `Statement`s, so each IAM
policy is a few lines about statements rather than about JSON shapes.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .props import as_list, dig, is_mapping, plain

IDENTITY = "identity"  # attached to a role, user, group or permission set
TRUST = "trust"  # a role's assume-role policy
RESOURCE = "resource"  # a bucket, queue, topic, API or log resource policy
KEY = "key"  # a KMS key policy: there, Resource "*" means "this key"

# Where each resource type carries a policy document, and which kind it is. A path step
# "*" walks every element of a list (a role's inline policies).
_LOCATIONS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "aws:iam/policy:Policy": ((("policy",), IDENTITY),),
    "aws:iam/rolePolicy:RolePolicy": ((("policy",), IDENTITY),),
    "aws:iam/userPolicy:UserPolicy": ((("policy",), IDENTITY),),
    "aws:iam/groupPolicy:GroupPolicy": ((("policy",), IDENTITY),),
    "aws:iam/role:Role": (
        (("assumeRolePolicy",), TRUST),
        (("inlinePolicies", "*", "policy"), IDENTITY),
    ),
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": (
        (("inlinePolicy",), IDENTITY),
    ),
    "aws:s3/bucketPolicy:BucketPolicy": ((("policy",), RESOURCE),),
    "aws:s3/bucket:Bucket": ((("policy",), RESOURCE),),
    "aws:s3/bucketV2:BucketV2": ((("policy",), RESOURCE),),
    "aws:sqs/queuePolicy:QueuePolicy": ((("policy",), RESOURCE),),
    "aws:sqs/queue:Queue": ((("policy",), RESOURCE),),
    "aws:sns/topicPolicy:TopicPolicy": ((("policy",), RESOURCE),),
    "aws:sns/topic:Topic": ((("policy",), RESOURCE),),
    "aws:apigateway/restApi:RestApi": ((("policy",), RESOURCE),),
    "aws:apigateway/restApiPolicy:RestApiPolicy": ((("policy",), RESOURCE),),
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": ((("policyDocument",), RESOURCE),),
    "aws:kms/key:Key": ((("policy",), KEY),),
    "aws:kms/keyPolicy:KeyPolicy": ((("policy",), KEY),),
}

DOCUMENT_TYPES: frozenset[str] = frozenset(_LOCATIONS)


def types_with(*kinds: str) -> frozenset[str]:
    """The resource types that carry at least one document of the given kinds."""
    return frozenset(
        typ for typ, places in _LOCATIONS.items() if any(kind in kinds for _, kind in places)
    )


class DocumentError(ValueError):
    """A policy document that AWS would reject or that cannot be read."""


@dataclass(frozen=True)
class Statement:
    index: int
    sid: str | None
    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    # Principal type ("AWS", "Service", ...) to values; a bare "*" is stored as {"*": ("*",)}.
    principals: Mapping[str, tuple[str, ...]]
    conditions: Mapping[str, Any]

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def label(self) -> str:
        return f"statement '{self.sid}'" if self.sid else f"statement #{self.index + 1}"

    @property
    def has_public_principal(self) -> bool:
        return any("*" in values for values in self.principals.values())

    def grants(self, action: str) -> bool:
        """Whether an Allow statement covers `action` (IAM wildcards, any case)."""
        if not self.allows:
            return False
        if self.not_actions:
            return not any(action_matches(pattern, action) for pattern in self.not_actions)
        return any(action_matches(pattern, action) for pattern in self.actions)

    def condition_keys(self) -> set[str]:
        """Every condition key, lower-cased (IAM compares keys case-insensitively)."""
        keys: set[str] = set()
        for block in self.conditions.values():
            if isinstance(block, Mapping):
                keys.update(str(key).lower() for key in block)
        return keys

    def condition_values(self, key: str) -> list[Any]:
        """The values every operator gives `key` (lower-cased key match)."""
        values: list[Any] = []
        for block in self.conditions.values():
            if isinstance(block, Mapping):
                for name, value in block.items():
                    if str(name).lower() == key.lower():
                        values.extend(as_list(value))
        return values


@dataclass(frozen=True)
class Document:
    statements: tuple[Statement, ...]
    version: str | None = None

    def allow_statements(self) -> Iterator[Statement]:
        return (statement for statement in self.statements if statement.allows)


@dataclass(frozen=True)
class DocumentSource:
    """One document inside one resource, e.g. a role's `inlinePolicies[0].policy`."""

    path: str
    kind: str
    raw: Any


def action_matches(pattern: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def is_wildcard_action(action: str) -> bool:
    """`*` or a whole service (`kms:*`)."""
    return action == "*" or action.endswith(":*")


def document_sources(resource_type: str, props: Mapping[str, Any]) -> list[DocumentSource]:
    sources: list[DocumentSource] = []
    for path, kind in _LOCATIONS.get(resource_type, ()):
        for label, raw in _walk(props, path, ""):
            if raw is not None and raw != "":
                sources.append(DocumentSource(label, kind, raw))
    return sources


def _walk(value: Any, path: Sequence[str], label: str) -> Iterator[tuple[str, Any]]:
    if not path:
        yield label, value
        return
    step, rest = path[0], path[1:]
    if step == "*":
        for index, item in enumerate(as_list(value)):
            yield from _walk(item, rest, f"{label}[{index}]")
    else:
        yield from _walk(dig(value, step), rest, f"{label}.{step}" if label else step)


def parse_document(raw: Any) -> Document:
    """A document from a JSON string or an object; raises DocumentError if malformed."""
    if isinstance(raw, str):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise DocumentError(
                f"is not valid JSON ({error.msg} at line {error.lineno})"
            ) from error
    else:
        data = plain(raw)
    if not isinstance(data, dict):
        raise DocumentError("is not a JSON object")
    statements = data.get("Statement")
    if statements is None:
        raise DocumentError("has no Statement")
    items = statements if isinstance(statements, list) else [statements]
    version = data.get("Version")
    return Document(
        tuple(_statement(index, item) for index, item in enumerate(items)),
        version if isinstance(version, str) else None,
    )


def _statement(index: int, item: Any) -> Statement:
    where = f"statement #{index + 1}"
    if not isinstance(item, dict):
        raise DocumentError(f"{where} is not an object")
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise DocumentError(f"{where} has Effect {effect!r}; expected 'Allow' or 'Deny'")
    if ("Action" in item) == ("NotAction" in item):
        raise DocumentError(f"{where} needs exactly one of Action and NotAction")
    conditions = item.get("Condition") or {}
    if not isinstance(conditions, dict):
        raise DocumentError(f"{where} has a Condition that is not an object")
    return Statement(
        index=index,
        sid=item.get("Sid") or None,
        effect=effect,
        actions=_strings(item, "Action", where),
        not_actions=_strings(item, "NotAction", where),
        resources=_strings(item, "Resource", where),
        not_resources=_strings(item, "NotResource", where),
        principals=_principals(item.get("Principal"), where),
        conditions=conditions,
    )


def _strings(item: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = as_list(item.get(key))
    if not all(isinstance(value, str) for value in values):
        raise DocumentError(f"{where} has a {key} that is not a string or a list of strings")
    return tuple(values)


def _principals(value: Any, where: str) -> Mapping[str, tuple[str, ...]]:
    if value is None:
        return {}
    if value == "*":
        return {"*": ("*",)}
    if not is_mapping(value):
        raise DocumentError(f"{where} has a Principal that is neither '*' nor an object")
    result: dict[str, tuple[str, ...]] = {}
    for kind, members in value.items():
        entries = as_list(members)
        if not all(isinstance(entry, str) for entry in entries):
            raise DocumentError(f"{where} has a Principal.{kind} that is not a string or list")
        result[str(kind)] = tuple(entries)
    return result


def iter_documents(
    resource_type: str, props: Mapping[str, Any], *kinds: str
) -> Iterator[tuple[DocumentSource, Document]]:
    """Every readable document of the given kinds (all kinds if none given).

    Malformed documents are skipped here: `iam-policy-document-valid` reports them, so
    the other IAM policies need not repeat that finding.
    """
    for source in document_sources(resource_type, props):
        if kinds and source.kind not in kinds:
            continue
        try:
            yield source, parse_document(source.raw)
        except DocumentError:
            continue
