"""The deploy role's permissions: the services the platform uses, on the names it uses.

Resource patterns follow the platform's naming: Pulumi auto-names resources after
their logical names, which all start with `platform-`; fixed names start with
`serverless-platform-`. A few create/list actions have no resource-level scoping in
AWS; they are grouped under `UnscopedByAws` so a reviewer sees them in one place.
"""

from __future__ import annotations

from typing import Any

# AWS defines these without resource-level permissions (or they create the resource).
UNSCOPED_ACTIONS = [
    "acm:RequestCertificate",
    "iam:ListRoles",
    "kms:CreateKey",
    "kms:ListAliases",
    "lambda:CreateEventSourceMapping",
    "lambda:ListEventSourceMappings",
    "logs:DescribeLogGroups",
    "route53:CreateHealthCheck",
    "sts:GetCallerIdentity",
]


def deploy_permissions(account: str) -> dict[str, Any]:
    """The policy document for `account`, in every region the platform may use."""

    def arn(service: str, resource: str, region: str = "*") -> str:
        return f"arn:aws:{service}:{region}:{account}:{resource}"

    def allow(
        sid: str, actions: list[str], resources: list[str], **condition: Any
    ) -> dict[str, Any]:
        statement: dict[str, Any] = {
            "Sid": sid,
            "Effect": "Allow",
            "Action": sorted(actions),
            "Resource": resources,
        }
        if condition:
            statement["Condition"] = condition
        return statement

    return {
        "Version": "2012-10-17",
        "Statement": [
            allow("UnscopedByAws", UNSCOPED_ACTIONS, ["*"]),
            allow(
                "PlatformBuckets",
                [
                    "s3:CreateBucket",
                    "s3:DeleteBucket",
                    "s3:DeleteBucketPolicy",
                    "s3:Get*",
                    "s3:List*",
                    "s3:PutBucket*",
                    "s3:PutEncryptionConfiguration",
                    "s3:PutLifecycleConfiguration",
                    "s3:PutReplicationConfiguration",
                ],
                ["arn:aws:s3:::platform-*"],
            ),
            allow(
                "PlatformKeys",
                [
                    "kms:CreateAlias",
                    "kms:DeleteAlias",
                    "kms:DescribeKey",
                    "kms:EnableKeyRotation",
                    "kms:GetKeyPolicy",
                    "kms:GetKeyRotationStatus",
                    "kms:ListResourceTags",
                    "kms:PutKeyPolicy",
                    "kms:ScheduleKeyDeletion",
                    "kms:TagResource",
                    "kms:UntagResource",
                    "kms:UpdateAlias",
                    "kms:UpdateKeyDescription",
                    "kms:CreateGrant",
                ],
                [arn("kms", "key/*"), arn("kms", "alias/serverless-platform-*")],
            ),
            allow(
                "PlatformRoles",
                [
                    "iam:CreateRole",
                    "iam:DeleteRole",
                    "iam:DeleteRolePolicy",
                    "iam:GetRole",
                    "iam:GetRolePolicy",
                    "iam:ListAttachedRolePolicies",
                    "iam:ListInstanceProfilesForRole",
                    "iam:ListRolePolicies",
                    "iam:PutRolePolicy",
                    "iam:TagRole",
                    "iam:UntagRole",
                    "iam:UpdateAssumeRolePolicy",
                    "iam:UpdateRole",
                    "iam:UpdateRoleDescription",
                ],
                [f"arn:aws:iam::{account}:role/platform-*"],
            ),
            allow(
                "PassPlatformRolesToTheirServices",
                ["iam:PassRole"],
                [f"arn:aws:iam::{account}:role/platform-*"],
                StringEquals={
                    "iam:PassedToService": [
                        "apigateway.amazonaws.com",
                        "lambda.amazonaws.com",
                        "s3.amazonaws.com",
                        "states.amazonaws.com",
                    ]
                },
            ),
            allow(
                "PlatformQueuesTopicsTables",
                [
                    "sqs:CreateQueue",
                    "sqs:DeleteQueue",
                    "sqs:GetQueueAttributes",
                    "sqs:ListQueueTags",
                    "sqs:SetQueueAttributes",
                    "sqs:TagQueue",
                    "sqs:UntagQueue",
                    "sns:CreateTopic",
                    "sns:DeleteTopic",
                    "sns:GetTopicAttributes",
                    "sns:ListTagsForResource",
                    "sns:SetTopicAttributes",
                    "sns:Subscribe",
                    "sns:Unsubscribe",
                    "sns:GetSubscriptionAttributes",
                    "sns:TagResource",
                    "dynamodb:CreateTable",
                    "dynamodb:DeleteTable",
                    "dynamodb:Describe*",
                    "dynamodb:List*",
                    "dynamodb:UpdateContinuousBackups",
                    "dynamodb:UpdateTable",
                    "dynamodb:UpdateTimeToLive",
                    "dynamodb:TagResource",
                    "dynamodb:UntagResource",
                    "dynamodb:CreateTableReplica",
                    "dynamodb:DeleteTableReplica",
                ],
                [
                    arn("sqs", "platform-*"),
                    arn("sns", "platform-*"),
                    arn("dynamodb", "table/serverless-platform-*"),
                ],
            ),
            allow(
                "PlatformFunctionsAndWorkflows",
                [
                    "lambda:AddPermission",
                    "lambda:CreateAlias",
                    "lambda:CreateFunction",
                    "lambda:DeleteAlias",
                    "lambda:DeleteFunction",
                    "lambda:DeleteFunctionConcurrency",
                    "lambda:DeleteProvisionedConcurrencyConfig",
                    "lambda:Get*",
                    "lambda:List*",
                    "lambda:PublishVersion",
                    "lambda:PutFunctionConcurrency",
                    "lambda:PutProvisionedConcurrencyConfig",
                    "lambda:RemovePermission",
                    "lambda:TagResource",
                    "lambda:UntagResource",
                    "lambda:UpdateAlias",
                    "lambda:UpdateFunctionCode",
                    "lambda:UpdateFunctionConfiguration",
                    "lambda:UpdateEventSourceMapping",
                    "lambda:DeleteEventSourceMapping",
                    "states:CreateStateMachine",
                    "states:DeleteStateMachine",
                    "states:DescribeStateMachine",
                    "states:ListTagsForResource",
                    "states:TagResource",
                    "states:UntagResource",
                    "states:UpdateStateMachine",
                ],
                [
                    arn("lambda", "function:platform-*"),
                    arn("lambda", "event-source-mapping:*"),
                    arn("states", "stateMachine:platform-*"),
                ],
            ),
            allow(
                "PlatformLogsAlarmsDashboards",
                [
                    "logs:CreateLogGroup",
                    "logs:DeleteLogGroup",
                    "logs:ListTagsForResource",
                    "logs:PutRetentionPolicy",
                    "logs:TagResource",
                    "logs:UntagResource",
                    "logs:AssociateKmsKey",
                    "cloudwatch:DeleteAlarms",
                    "cloudwatch:DescribeAlarms",
                    "cloudwatch:PutMetricAlarm",
                    "cloudwatch:ListTagsForResource",
                    "cloudwatch:TagResource",
                    "cloudwatch:DeleteDashboards",
                    "cloudwatch:GetDashboard",
                    "cloudwatch:PutDashboard",
                ],
                [
                    arn("logs", "log-group:platform-*"),
                    arn("logs", "log-group:/aws/vendedlogs/states/serverless-platform-*"),
                    arn("cloudwatch", "alarm:serverless-platform-*"),
                    f"arn:aws:cloudwatch::{account}:dashboard/serverless-platform-*",
                ],
            ),
            allow(
                "PlatformApi",
                [
                    "apigateway:DELETE",
                    "apigateway:GET",
                    "apigateway:PATCH",
                    "apigateway:POST",
                    "apigateway:PUT",
                ],
                [
                    "arn:aws:apigateway:*::/restapis",
                    "arn:aws:apigateway:*::/restapis/*",
                    "arn:aws:apigateway:*::/apikeys",
                    "arn:aws:apigateway:*::/apikeys/*",
                    "arn:aws:apigateway:*::/usageplans",
                    "arn:aws:apigateway:*::/usageplans/*",
                    "arn:aws:apigateway:*::/domainnames",
                    "arn:aws:apigateway:*::/domainnames/*",
                    "arn:aws:apigateway:*::/account",
                    "arn:aws:apigateway:*::/tags/*",
                ],
            ),
            allow(
                "PlatformDomainAndScaling",
                [
                    "acm:DeleteCertificate",
                    "acm:DescribeCertificate",
                    "acm:ListTagsForCertificate",
                    "acm:AddTagsToCertificate",
                    "route53:ChangeResourceRecordSets",
                    "route53:GetChange",
                    "route53:GetHostedZone",
                    "route53:ListResourceRecordSets",
                    "route53:DeleteHealthCheck",
                    "route53:GetHealthCheck",
                    "route53:UpdateHealthCheck",
                    "route53:ChangeTagsForResource",
                    "route53:ListTagsForResource",
                    "application-autoscaling:DeleteScalingPolicy",
                    "application-autoscaling:DeregisterScalableTarget",
                    "application-autoscaling:Describe*",
                    "application-autoscaling:PutScalingPolicy",
                    "application-autoscaling:RegisterScalableTarget",
                    "application-autoscaling:TagResource",
                ],
                [
                    arn("acm", "certificate/*"),
                    "arn:aws:route53:::hostedzone/*",
                    "arn:aws:route53:::healthcheck/*",
                    "arn:aws:route53:::change/*",
                    arn("application-autoscaling", "scalable-target/*"),
                ],
            ),
        ],
    }
