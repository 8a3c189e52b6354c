"""The permissions boundary every platform role carries.

The deploy role may create roles only with this boundary attached (`permissions.py`),
so whatever inline policy a deploy writes, the role can do no more than this: the data
plane's own actions on resources named the way the platform names them, and no IAM at
all. A test keeps it a superset of every policy the platform's roles hold, so a new
grant in the platform that the boundary would cut fails before it reaches an account.
"""

from __future__ import annotations

from typing import Any

from permissions import DeployScope, statement

# Actions AWS defines without resource-level permissions.
UNSCOPED_ACTIONS = [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
]


def role_boundary(scope: DeployScope) -> dict[str, Any]:
    """The boundary's document for the platform's roles in `scope.account`."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            statement("UnscopedByAws", UNSCOPED_ACTIONS, ["*"]),
            statement(
                "PlatformObjects",
                [
                    "s3:GetObject",
                    "s3:GetObjectVersion",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionTagging",
                    "s3:GetReplicationConfiguration",
                    "s3:ListBucket",
                    "s3:PutObject",
                    "s3:ReplicateDelete",
                    "s3:ReplicateObject",
                    "s3:ReplicateTags",
                ],
                ["arn:aws:s3:::platform-*"],
            ),
            statement(
                "PlatformQueuesTopicsTables",
                [
                    "dynamodb:GetItem",
                    "dynamodb:Query",
                    "dynamodb:UpdateItem",
                    "sns:Publish",
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:ReceiveMessage",
                    "sqs:SendMessage",
                ],
                [
                    scope.arn("dynamodb", "table/serverless-platform-*"),
                    scope.arn("sns", "platform-*"),
                    scope.arn("sqs", "platform-*"),
                ],
            ),
            statement(
                "PlatformFunctionsAndWorkflows",
                [
                    "lambda:InvokeFunction",
                    # CodeDeploy's roles shift the functions' live aliases.
                    "lambda:GetAlias",
                    "lambda:GetProvisionedConcurrencyConfig",
                    "lambda:UpdateAlias",
                    "states:DescribeExecution",
                    "states:StartExecution",
                ],
                [
                    scope.arn("lambda", "function:platform-*"),
                    scope.arn("states", "stateMachine:platform-*"),
                    scope.arn("states", "execution:platform-*"),
                ],
            ),
            # CodeDeploy's roles watch the alarms that roll a shift back; the pre-traffic
            # hooks read their deployment and report on it.
            statement(
                "PlatformGradualDeploys",
                [
                    "cloudwatch:DescribeAlarms",
                    "codedeploy:GetDeployment",
                    "codedeploy:PutLifecycleEventHookExecutionStatus",
                ],
                [
                    scope.arn("cloudwatch", "alarm:serverless-platform-*"),
                    scope.arn("codedeploy", "deploymentgroup:serverless-platform-*/*"),
                ],
            ),
            statement(
                "PlatformLogs",
                [
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:DescribeLogStreams",
                    "logs:GetLogEvents",
                    "logs:PutLogEvents",
                    "logs:PutRetentionPolicy",
                ],
                [
                    scope.arn("logs", "log-group:platform-*"),
                    scope.arn("logs", "log-group:API-Gateway-Execution-Logs_*"),
                    scope.arn("logs", "log-group:/aws/vendedlogs/states/serverless-platform-*"),
                ],
            ),
            statement(
                "PlatformKeysByTag",
                ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                [scope.arn("kms", "key/*")],
                scope.tagged,
            ),
        ],
    }
