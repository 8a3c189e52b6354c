"""Policy metadata shared by every policy: categories, compliance mappings, labels."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pulumi_policy import PolicyComplianceFramework

from .categories import (
    ENCRYPTION,
    EXPOSURE,
    IAM,
    LOGGING,
    OTHER,
    RESILIENCE,
    TAGGING,
    TRACING,
)
from .categories import POLICY_CATEGORIES as CATEGORIES

__all__ = [
    "CATEGORIES",
    "ENCRYPTION",
    "EXPOSURE",
    "IAM",
    "LOGGING",
    "OTHER",
    "RESILIENCE",
    "TAGGING",
    "TRACING",
]

CATEGORY_TAG_PREFIX = "category:"

# Mapping tags: `fsbp:<control>`, `cdk-nag:<rule id>`, `checkov:<check id>`. The first
# mapping (in this order of preference) also becomes the policy's compliance framework.
_FRAMEWORKS = {
    "fsbp": ("AWS Foundational Security Best Practices", "1.0.0"),
    "cdk-nag": ("cdk-nag", "2"),
    "checkov": ("checkov", "3"),
    "awsguard": ("Pulumi AWSGuard", "1"),
}
_MAPPING = re.compile(r"^(fsbp|cdk-nag|checkov|awsguard):[A-Za-z0-9_.-]+$")


def category_tag(category: str) -> str:
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; expected one of {CATEGORIES}")
    return CATEGORY_TAG_PREFIX + category


def framework_for(mappings: Sequence[str]) -> PolicyComplianceFramework | None:
    for prefix in _FRAMEWORKS:
        for mapping in mappings:
            if mapping.startswith(prefix + ":"):
                name, version = _FRAMEWORKS[prefix]
                return PolicyComplianceFramework(
                    name=name, version=version, reference=mapping.split(":", 1)[1]
                )
    return None


def check_mappings(mappings: Sequence[str]) -> list[str]:
    bad = [mapping for mapping in mappings if not _MAPPING.match(mapping)]
    if bad:
        raise ValueError(
            "mappings must look like 'fsbp:S3.5', 'cdk-nag:AwsSolutions-S1', "
            f"'checkov:CKV_AWS_18' or 'awsguard:<rule>'; got {bad}"
        )
    return list(mappings)


def mappings(*ids: str) -> tuple[str, ...]:
    """A policy's compliance mappings (FSBP, cdk-nag, checkov, Pulumi AWSGuard), checked."""
    return tuple(check_mappings(ids))


_SERVICES = {
    "apigateway": "API Gateway",
    "cloudwatch": "CloudWatch",
    "dynamodb": "DynamoDB",
    "iam": "IAM",
    "kms": "KMS",
    "lambda": "Lambda",
    "s3": "S3",
    "sfn": "Step Functions",
    "sns": "SNS",
    "sqs": "SQS",
    "ssoadmin": "SSO",
}
# Where the derived name reads badly.
_LABELS = {
    "aws:s3/bucketV2:BucketV2": "S3 bucket",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "CloudWatch Logs resource policy",
    "aws:sfn/stateMachine:StateMachine": "Step Functions state machine",
    "aws:apigateway/restApi:RestApi": "API Gateway REST API",
    "aws:apigateway/restApiPolicy:RestApiPolicy": "API Gateway REST API policy",
}


def label(resource_type: str) -> str:
    """'SQS queue' for aws:sqs/queue:Queue, 'CloudWatch metric alarm' for MetricAlarm."""
    if resource_type in _LABELS:
        return _LABELS[resource_type]
    parts = resource_type.split(":")
    if len(parts) != 3:
        return resource_type
    service = parts[1].split("/", 1)[0]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", parts[2]).lower()
    return f"{_SERVICES.get(service, service.upper() if len(service) <= 3 else service)} {words}"
