"""IAM documents built from resource outputs, with exact ARNs, and the service roles
that carry them.

A document is plain data (dicts with `pulumi.Input` leaves) until `to_json` turns it
into an `Output[str]`, so the ARNs of other resources flow in without string pasting.
The only `"*"` resources allowed are for actions AWS defines without resource-level
scoping; each such statement uses `UNSCOPED_RESOURCE` and says why next to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

# Actions that AWS does not scope to a resource: the only legitimate "*" resource.
UNSCOPED_RESOURCE = "*"
XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]

Statement = dict[str, Any]


def allow(
    actions: Sequence[str],
    resources: Sequence[pulumi.Input[str]] | pulumi.Input[str],
    sid: str | None = None,
    condition: Mapping[str, Any] | None = None,
) -> Statement:
    statement: Statement = {"Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if sid:
        statement["Sid"] = sid
    if condition:
        statement["Condition"] = dict(condition)
    return statement


def allow_service(
    sid: str,
    service: pulumi.Input[str],
    actions: str | Sequence[str],
    resources: Sequence[pulumi.Input[str]] | pulumi.Input[str],
    condition: Mapping[str, Any],
) -> Statement:
    """A resource-policy grant to one AWS service principal, pinned by `condition`
    (source ARN and/or account) so that no other customer's resource can use it."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": actions,
        "Resource": resources,
        "Condition": dict(condition),
    }


def deny_insecure_transport(
    actions: str, resources: Sequence[pulumi.Input[str]] | pulumi.Input[str]
) -> Statement:
    """Refuse every request that does not use TLS (resource policies)."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": actions,
        "Resource": resources,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def xray_write() -> Statement:
    # X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions.
    return allow(XRAY_WRITE_ACTIONS, UNSCOPED_RESOURCE, sid="XRayWriteUnscopedByAws")


def document(statements: Sequence[Statement]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def to_json(statements: Sequence[Statement]) -> pulumi.Output[str]:
    return pulumi.Output.json_dumps(document(statements))


def service_trust_policy(
    service: str, conditions: Mapping[str, Any] | None = None
) -> pulumi.Output[str]:
    """A trust policy that lets exactly one AWS service assume the role."""
    statement: Statement = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
    }
    if conditions:
        statement["Condition"] = dict(conditions)
    return to_json([statement])


def service_role(
    name: str,
    *,
    service: str,
    description: str,
    permissions_boundary: str | None,
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
    conditions: Mapping[str, Any] | None = None,
) -> aws.iam.Role:
    """A role that exactly one AWS service assumes, under the account's permissions
    boundary when it has one (a deploy role that only creates bounded roles requires it)."""
    return aws.iam.Role(
        name,
        description=description,
        assume_role_policy=service_trust_policy(service, conditions),
        permissions_boundary=permissions_boundary,
        tags=tags,
        opts=opts,
    )
