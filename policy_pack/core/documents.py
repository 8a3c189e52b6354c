"""IAM policy documents: every place one can appear in a resource, and what it says.

A document may be a JSON string or an object; `Action`, `Resource` and `Principal` a
string or a list. `parse_document` normalises all of that into `Statement`s, so each IAM
policy is a few lines about statements rather than about JSON shapes.

Some resources grant access without a document: a Lambda permission is one statement
spelled as inputs. `grant_sources` spells it as a document, so the policy that judges
resource policies judges these grants the same way.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .props import as_list, dig, is_mapping, plain

IDENTITY = "identity"  # attached to a role, user, group or permission set
TRUST = "trust"  # a role's assume-role policy
RESOURCE = "resource"  # a bucket, queue, topic, API or log resource policy
KEY = "key"  # a KMS key policy: there, Resource "*" means "this key"
GRANT = "grant"  # a one-statement grant spelled as inputs (a Lambda permission)

# `Statement.is_bounded`'s test of one condition value: (value, operator matches patterns).
ValueTest = Callable[[Any, bool], bool]

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
    "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy": ((("accessPolicy",), RESOURCE),),
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": ((("policy",), RESOURCE),),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": ((("policy",), RESOURCE),),
    "aws:ecr/registryPolicy:RegistryPolicy": ((("policy",), RESOURCE),),
    "aws:secretsmanager/secret:Secret": ((("policy",), RESOURCE),),
    "aws:secretsmanager/secretPolicy:SecretPolicy": ((("policy",), RESOURCE),),
    "aws:glacier/vault:Vault": ((("accessPolicy",), RESOURCE),),
    "aws:glacier/vaultLock:VaultLock": ((("policy",), RESOURCE),),
    "aws:opensearch/domain:Domain": ((("accessPolicies",), RESOURCE),),
    "aws:opensearch/domainPolicy:DomainPolicy": ((("accessPolicies",), RESOURCE),),
    "aws:elasticsearch/domain:Domain": ((("accessPolicies",), RESOURCE),),
    "aws:elasticsearch/domainPolicy:DomainPolicy": ((("accessPolicies",), RESOURCE),),
    "aws:efs/fileSystemPolicy:FileSystemPolicy": ((("policy",), RESOURCE),),
    "aws:backup/vaultPolicy:VaultPolicy": ((("policy",), RESOURCE),),
    "aws:s3/accessPoint:AccessPoint": ((("policy",), RESOURCE),),
    "aws:s3control/accessPointPolicy:AccessPointPolicy": ((("policy",), RESOURCE),),
    "aws:dynamodb/resourcePolicy:ResourcePolicy": ((("policy",), RESOURCE),),
    "aws:kinesis/resourcePolicy:ResourcePolicy": ((("policy",), RESOURCE),),
    "aws:glue/resourcePolicy:ResourcePolicy": ((("policy",), RESOURCE),),
    "aws:kms/key:Key": ((("policy",), KEY),),
    "aws:kms/keyPolicy:KeyPolicy": ((("policy",), KEY),),
}

DOCUMENT_TYPES: frozenset[str] = frozenset(_LOCATIONS)


def types_with(*kinds: str) -> frozenset[str]:
    """The resource types that carry at least one document (or grant) of the given kinds."""
    documents = {
        typ for typ, places in _LOCATIONS.items() if any(kind in kinds for _, kind in places)
    }
    return frozenset(documents | (set(_GRANTS) if GRANT in kinds else set()))


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
    not_principals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def label(self) -> str:
        return f"statement '{self.sid}'" if self.sid else f"statement #{self.index + 1}"

    @property
    def has_public_principal(self) -> bool:
        return any("*" in values for values in self.principals.values())

    @property
    def admits_everyone(self) -> bool:
        """An Allow for Principal '*', or for everyone but the NotPrincipal list."""
        return self.allows and (self.has_public_principal or bool(self.not_principals))

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

    def bounding_values(self, key: str) -> list[tuple[list[Any], bool]]:
        """The values each operator that bounds `key` pins it to, with whether that
        operator matches patterns (`...Like`, where `*` and `?` are wildcards).

        Only operators that bound a key count: not negated (`StringNotEquals` admits
        everything else), not `...IfExists` (true when the request lacks the key), not
        `ForAllValues:` (true for an empty set), not `Null`.
        """
        found: list[tuple[list[Any], bool]] = []
        for operator, block in self.conditions.items():
            if not _bounding_operator(str(operator)) or not isinstance(block, Mapping):
                continue
            for name, value in block.items():
                if str(name).lower() == key.lower() and as_list(value):
                    found.append((as_list(value), "like" in str(operator).lower()))
        return found

    def is_bounded(self, key: str, accept: ValueTest = lambda value, pattern: True) -> bool:
        """Whether some operator pins `key` to values that all pass `accept` (given each
        value and whether the operator matches patterns). Operators are ANDed, so one
        bounding operator is enough."""
        return any(
            all(accept(value, pattern) for value in values)
            for values, pattern in self.bounding_values(key)
        )


def _bounding_operator(operator: str) -> bool:
    lowered = operator.lower()
    return not (
        "not" in lowered
        or lowered.endswith("ifexists")
        or lowered.startswith("forallvalues:")
        or lowered == "null"
    )


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


def has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


# Services whose ARNs start with the resource's name rather than its type: an S3 bucket
# (`arn:aws:s3:::bucket/key`), a queue, a topic, an API (`api-id/stage/method/path`).
_NAME_FIRST = frozenset({"s3", "sqs", "sns", "execute-api"})


@dataclass(frozen=True)
class Arn:
    """`arn:<partition>:<service>:<region>:<account>:<resource>`, each part possibly a
    pattern (`*`, `?`)."""

    partition: str
    service: str
    region: str
    account: str
    resource: str

    @property
    def name(self) -> str:
        """The resource part after its type: `<name>` in `key/<name>`,
        `table/<name>/index/x`, `log-group:<name>`; all of `<bucket>/<key>`."""
        resource = self.resource.removeprefix("/")
        if self.service in _NAME_FIRST and not (self.service == "s3" and self.region):
            return resource
        typed = re.match(r"^[^/:]*[/:]", resource)
        return resource[typed.end() :] if typed else resource

    @property
    def is_wildcard(self) -> bool:
        """Whether the ARN leaves a whole segment open: the partition, the service, the
        account, or the resource's name (`key/*`, `*/*`). A wildcard region, or a wildcard
        after a literal name prefix (`bucket/incoming/*`, `role/app-*`), stays within the
        account and the name, so it does not count."""
        if any(map(has_wildcard, (self.partition, self.service, self.account))):
            return True
        return self.name[:1] in ("", "*", "?")


def parse_arn(value: str) -> Arn | None:
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return Arn(*parts[1:])


def is_wildcard_resource(resource: str) -> bool:
    """`*`, or an ARN whose partition, service, account or name is a wildcard
    (`arn:aws:s3:::*/*`, `arn:aws:kms:*:*:key/*`); see `Arn.is_wildcard`."""
    arn = parse_arn(resource)
    return arn.is_wildcard if arn else has_wildcard(resource)


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
    for one, other in (("Resource", "NotResource"), ("Principal", "NotPrincipal")):
        if one in item and other in item:
            raise DocumentError(f"{where} has both {one} and {other}")
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
        principals=_principals(item.get("Principal"), where, "Principal"),
        conditions=conditions,
        not_principals=_principals(item.get("NotPrincipal"), where, "NotPrincipal"),
    )


def _strings(item: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = as_list(item.get(key))
    if not all(isinstance(value, str) for value in values):
        raise DocumentError(f"{where} has a {key} that is not a string or a list of strings")
    return tuple(values)


def _principals(value: Any, where: str, key: str) -> Mapping[str, tuple[str, ...]]:
    if value is None:
        return {}
    if value == "*":
        return {"*": ("*",)}
    if not is_mapping(value):
        raise DocumentError(f"{where} has a {key} that is neither '*' nor an object")
    result: dict[str, tuple[str, ...]] = {}
    for kind, members in value.items():
        entries = as_list(members)
        if not all(isinstance(entry, str) for entry in entries):
            raise DocumentError(f"{where} has a {key}.{kind} that is not a string or list")
        result[str(kind)] = tuple(entries)
    return result


def iter_documents(
    resource_type: str, props: Mapping[str, Any], *kinds: str
) -> Iterator[tuple[DocumentSource, Document]]:
    """Every readable document of the given kinds (all kinds if none given).

    Malformed documents are skipped here: `iam-policy-document-valid` reports them, so
    the other IAM policies need not repeat that finding.
    """
    sources = document_sources(resource_type, props)
    if GRANT in kinds or not kinds:
        sources += grant_sources(resource_type, props)
    for source in sources:
        if kinds and source.kind not in kinds:
            continue
        try:
            yield source, parse_document(source.raw)
        except DocumentError:
            continue


def grant_sources(resource_type: str, props: Mapping[str, Any]) -> list[DocumentSource]:
    """The grant a resource spells as inputs, as a one-statement document."""
    spell = _GRANTS.get(resource_type)
    return [DocumentSource("principal", GRANT, spell(props))] if spell else []


def _principal(principal: Any) -> Any:
    if principal == "*" or not isinstance(principal, str):
        return principal
    if principal.endswith((".amazonaws.com", ".amazonaws.com.cn")):
        return {"Service": principal}
    return {"AWS": principal}


def _grant(principal: Any, action: Any, conditions: Mapping[str, Any]) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Principal": _principal(principal), "Action": action}
    return {"Version": "2012-10-17", "Statement": [{**statement, "Condition": conditions}]}


def _lambda_permission(props: Mapping[str, Any]) -> dict[str, Any]:
    principal = props.get("principal")
    if principal != "*":
        # Only a public grant needs its conditions; leave the rest unread (and unknown).
        return _grant(principal, props.get("action"), {})
    bounds = {
        ("ArnLike", "aws:SourceArn"): props.get("sourceArn"),
        ("StringEquals", "aws:SourceAccount"): props.get("sourceAccount"),
        ("StringEquals", "aws:PrincipalOrgID"): props.get("principalOrgId"),
        ("StringEquals", "lambda:EventSourceToken"): props.get("eventSourceToken"),
    }
    conditions: dict[str, dict[str, Any]] = {}
    for (operator, key), value in bounds.items():
        if value:
            conditions.setdefault(operator, {})[key] = value
    return _grant(principal, props.get("action"), conditions)


def _layer_permission(props: Mapping[str, Any]) -> dict[str, Any]:
    principal, organization = props.get("principal"), None
    if principal == "*":
        organization = props.get("organizationId")
    conditions = {"StringEquals": {"aws:PrincipalOrgID": organization}} if organization else {}
    return _grant(principal, props.get("action"), conditions)


_GRANTS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "aws:lambda/permission:Permission": _lambda_permission,
    "aws:lambda/layerVersionPermission:LayerVersionPermission": _layer_permission,
}
