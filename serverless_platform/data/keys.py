"""Customer-managed KMS keys, each with a key policy that admits exactly its users.

Two keys, because their users differ: `data` encrypts the bucket, queues, table,
function environments and workflow; `logs` encrypts CloudWatch log groups, which
need the regional Logs service principal with an encryption-context condition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from serverless_platform.context import AwsContext
from serverless_platform.iam import Statement, allow_service, to_json

# The account root keeps administration (and lets IAM policies grant use of the key);
# listed explicitly instead of "kms:*" so the statement reads as what it allows.
_ACCOUNT_KEY_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
]


@dataclass(frozen=True)
class KeyUser:
    """A service principal that must use a key, with the conditions that pin it down."""

    sid: str
    service: pulumi.Input[str]
    actions: Sequence[str]
    condition: dict[str, object]

    def statement(self) -> Statement:
        # In a key policy "*" means "this key"; a key policy cannot name other keys.
        return allow_service(self.sid, self.service, sorted(self.actions), "*", self.condition)


def key_policy(context: AwsContext, users: Sequence[KeyUser]) -> pulumi.Output[str]:
    account_admin: Statement = {
        "Sid": "AccountAdministration",
        "Effect": "Allow",
        "Principal": {"AWS": context.account_root_arn},
        "Action": _ACCOUNT_KEY_ACTIONS,
        "Resource": "*",
    }
    return to_json([account_admin, *(user.statement() for user in users)])


def s3_notifications_user(context: AwsContext) -> KeyUser:
    """S3 encrypts event notifications it sends to an SSE-KMS queue with the queue's key."""
    return KeyUser(
        sid="S3EventNotificationsToEncryptedQueue",
        service="s3.amazonaws.com",
        actions=["kms:Decrypt", "kms:GenerateDataKey"],
        condition={"StringEquals": {"aws:SourceAccount": context.account_id}},
    )


def cloudwatch_logs_user(context: AwsContext) -> KeyUser:
    """CloudWatch Logs uses the key only for log groups of this account and region."""
    return KeyUser(
        sid="CloudWatchLogsEncryption",
        service=f"logs.{context.region}.amazonaws.com",
        actions=[
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
        ],
        condition={
            "ArnLike": {"kms:EncryptionContext:aws:logs:arn": context.arn("logs", "log-group:*")}
        },
    )


class PlatformKey(pulumi.ComponentResource):
    """One symmetric CMK with rotation, a deletion window from config, and an alias."""

    key: aws.kms.Key
    alias: aws.kms.Alias

    def __init__(
        self,
        name: str,
        *,
        description: str,
        alias: str,
        context: AwsContext,
        users: Sequence[KeyUser],
        deletion_window_days: int,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:keys:PlatformKey", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.key = aws.kms.Key(
            f"{name}-key",
            description=description,
            enable_key_rotation=True,
            rotation_period_in_days=365,
            deletion_window_in_days=deletion_window_days,
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            policy=key_policy(context, users),
            tags=tags,
            opts=child,
        )
        self.alias = aws.kms.Alias(
            f"{name}-alias", name=f"alias/{alias}", target_key_id=self.key.key_id, opts=child
        )
        self.arn = self.key.arn
        self.register_outputs({"arn": self.key.arn, "alias": self.alias.name})


def cloudwatch_alarms_user(context: AwsContext) -> KeyUser:
    """CloudWatch alarms publish to the SSE-KMS alerts topic; without this, alarms
    fire and nothing arrives."""
    return KeyUser(
        sid="CloudWatchAlarmsToEncryptedTopic",
        service="cloudwatch.amazonaws.com",
        actions=["kms:Decrypt", "kms:GenerateDataKey"],
        condition={"StringEquals": {"aws:SourceAccount": context.account_id}},
    )


def step_functions_log_delivery_user(context: AwsContext) -> KeyUser:
    """Step Functions hands logs of a CMK-encrypted state machine to the log-delivery
    service, which must decrypt the execution data it writes."""
    return KeyUser(
        sid="StepFunctionsLogDelivery",
        service="delivery.logs.amazonaws.com",
        actions=["kms:Decrypt"],
        condition={"StringEquals": {"aws:SourceAccount": context.account_id}},
    )
