"""Builders for policy fixtures: resources in wire form, linked by name, as a Plan.

A fixture names its subjects checkov-style: `pass-*` must not be reported, `fail-*` must
be; anything else (a bucket's settings, a queue's DLQ) is supporting cast.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from gate.engine.plan import Plan, PlannedResource

STACK = "test"
PROJECT = "policy-tests"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
QUEUE = "aws:sqs/queue:Queue"
QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
KEY = "aws:kms/key:Key"
KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
TABLE = "aws:dynamodb/table:Table"
FUNCTION = "aws:lambda/function:Function"
PERMISSION = "aws:lambda/permission:Permission"
MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
IAM_POLICY = "aws:iam/policy:Policy"
USER_POLICY = "aws:iam/userPolicy:UserPolicy"
GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
SSO_INLINE = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
STATE_MACHINE = "aws:sfn/stateMachine:StateMachine"
REST_API = "aws:apigateway/restApi:RestApi"
STAGE = "aws:apigateway/stage:Stage"
METHOD = "aws:apigateway/method:Method"
METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan"
DOMAIN = "aws:apigateway/domainName:DomainName"
BASE_PATH = "aws:apigateway/basePathMapping:BasePathMapping"
PROVIDER = "pulumi:providers:aws"

ACCOUNT = "123456789012"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"
TAGS = {
    "Project": "serverless-platform",
    "Environment": "dev",
    "Owner": "data-platform-team",
    "CostCenter": "cc-1001",
    "DataClassification": "internal",
}


def urn_of(typ: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{typ}::{name}"


@dataclass(frozen=True)
class Spec:
    """One resource: wire-form inputs, and links (input → names of the resources it
    came from), which become property dependencies as the engine records them; and the
    name of the explicit provider it goes through, if any (see `through`)."""

    type: str
    name: str
    inputs: Mapping[str, Any] = field(default_factory=dict)
    links: Mapping[str, Sequence[str]] = field(default_factory=dict)
    provider: str | None = None

    @property
    def urn(self) -> str:
        return urn_of(self.type, self.name)


def r(
    typ: str, name: str, links: Mapping[str, str | Sequence[str]] | None = None, /, **inputs: Any
) -> Spec:
    """`r(QUEUE, "pass-q", kmsMasterKeyId=KEY_ARN)`; inputs left None are dropped."""
    normalized = {
        key: [value] if isinstance(value, str) else list(value)
        for key, value in (links or {}).items()
    }
    return Spec(typ, name, {k: v for k, v in inputs.items() if v is not None}, normalized)


def through(provider: str, spec: Spec) -> Spec:
    """`spec` created with `opts=ResourceOptions(provider=<the PROVIDER spec named provider>)`."""
    return replace(spec, provider=provider)


@dataclass(frozen=True)
class Case:
    """A policy's fixture: the resources, and the policy config to evaluate them with."""

    resources: Sequence[Spec]
    config: Mapping[str, Any] = field(default_factory=dict)

    def names(self, prefix: str) -> set[str]:
        return {spec.name for spec in self.resources if spec.name.startswith(prefix)}


def plan_of(specs: Iterable[Spec], inputs: Mapping[str, Mapping[str, Any]] | None = None) -> Plan:
    """A Plan of the specs; `inputs` replaces the inputs of the named resources."""
    specs = list(specs)
    by_name = {spec.name: spec for spec in specs}
    resources = []
    for spec in specs:
        property_dependencies = {
            key: [by_name[name].urn for name in names] for key, names in spec.links.items()
        }
        resources.append(
            PlannedResource(
                urn=spec.urn,
                type=spec.type,
                name=spec.name,
                custom=True,
                id=None,
                parent=None,
                # A provider reference, as the SDK sends it: "<provider urn>::<provider id>".
                provider=f"{by_name[spec.provider].urn}::{spec.provider}-id"
                if spec.provider
                else None,
                inputs=dict((inputs or {}).get(spec.name, spec.inputs)),
                dependencies=sorted(
                    {urn for urns in property_dependencies.values() for urn in urns}
                ),
                property_dependencies=property_dependencies,
            )
        )
    return Plan(project=PROJECT, stack=STACK, resources=resources)


def doc(*statements: Mapping[str, Any]) -> str:
    """A policy document as the JSON string Output.json_dumps produces."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(
    action: str | list[str], resource: str | list[str] = KEY_ARN, **extra: Any
) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny_insecure(action: str, resource: str = "*") -> dict[str, Any]:
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resource,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


TLS_ONLY = deny_insecure("s3:*")


def bucket(
    name: str,
    *,
    sse: Mapping[str, Any] | None = None,
    bucket_key: bool = True,
    versioning_status: str | None = "Enabled",
    pab: bool | Mapping[str, bool] = True,
    ownership: str | None = "BucketOwnerEnforced",
    access_logging: bool = True,
    bucket_policy: Mapping[str, Any] | None = TLS_ONLY,
    lifecycle_config: bool = True,
    **inline: Any,
) -> list[Spec]:
    """A bucket and its split settings resources: compliant unless told otherwise.
    `inline` are inputs of the bucket itself (deprecated inline settings, tags)."""
    specs = [r(BUCKET, name, **{"tags": TAGS, **inline})]
    on = {"bucket": name}
    default = sse if sse is not None else {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN}
    if sse != {}:
        rule = {"applyServerSideEncryptionByDefault": default, "bucketKeyEnabled": bucket_key}
        specs.append(r(SSE, f"sse-of-{name}", on, bucket=name, rules=[rule]))
    if versioning_status:
        specs.append(
            r(
                VERSIONING,
                f"versioning-of-{name}",
                on,
                bucket=name,
                versioningConfiguration={"status": versioning_status},
            )
        )
    if pab:
        flags = dict.fromkeys(
            ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"),
            True,
        )
        flags.update(pab if isinstance(pab, Mapping) else {})
        specs.append(r(PAB, f"pab-of-{name}", on, bucket=name, **flags))
    if ownership:
        specs.append(
            r(
                OWNERSHIP,
                f"ownership-of-{name}",
                on,
                bucket=name,
                rule={"objectOwnership": ownership},
            )
        )
    if access_logging:
        specs.append(
            r(
                BUCKET_LOGGING,
                f"logging-of-{name}",
                {**on, "targetBucket": "log-target"},
                bucket=name,
                targetBucket="log-target-bucket",
                targetPrefix=f"{name}/",
            )
        )
    if bucket_policy:
        specs.append(
            r(BUCKET_POLICY, f"policy-of-{name}", on, bucket=name, policy=doc(bucket_policy))
        )
    if lifecycle_config:
        specs.append(
            r(
                LIFECYCLE,
                f"lifecycle-of-{name}",
                on,
                bucket=name,
                rules=[{"id": "expire", "status": "Enabled"}],
            )
        )
    return specs


# The access-log bucket the fixtures' buckets log to (KMS here: the SSE-S3 exemption has
# its own tests).
LOG_TARGET = bucket("log-target", access_logging=False)


def queue_feeding_function(
    name: str,
    *,
    visibility: float | None = 360.0,
    timeout: float | None = 60.0,
    redrive: Mapping[str, Any] | None = None,
    dlq_retention: float = 1_209_600.0,
    retention: float = 345_600.0,
) -> list[Spec]:
    """A queue, its DLQ, a function and the event source mapping between them."""
    dlq, function = f"dlq-of-{name}", f"function-of-{name}"
    policy = (
        redrive
        if redrive is not None
        else {"deadLetterTargetArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:{dlq}", "maxReceiveCount": 5}
    )
    return [
        r(QUEUE, dlq, kmsMasterKeyId=KEY_ARN, messageRetentionSeconds=dlq_retention, tags=TAGS),
        r(
            QUEUE,
            name,
            {"redrivePolicy": dlq} if redrive is None or redrive else None,
            kmsMasterKeyId=KEY_ARN,
            visibilityTimeoutSeconds=visibility,
            messageRetentionSeconds=retention,
            redrivePolicy=json.dumps(policy) if policy else None,
            tags=TAGS,
        ),
        r(FUNCTION, function, runtime="python3.12", timeout=timeout, tags=TAGS),
        r(
            MAPPING,
            f"mapping-of-{name}",
            {"eventSourceArn": name, "functionName": function},
            eventSourceArn=f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}",
            functionName=f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{function}",
            functionResponseTypes=["ReportBatchItemFailures"],
        ),
    ]
