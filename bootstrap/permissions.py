"""The deploy role's permissions: the services the platform uses, on the names it uses.

Resource patterns follow the platform's naming: Pulumi auto-names resources after
their logical names, which all start with `platform-`; fixed names start with
`serverless-platform-`. Resources whose ids AWS generates (KMS keys, certificates, REST
APIs, API keys, scalable targets) cannot be named before they exist: they are reached
through the project's tag, which the platform puts on everything it creates
(`aws:ResourceTag/Project`), and created only with that tag (`aws:RequestTag/Project`).

The role cannot make itself more powerful:
- it creates and changes roles only with the permissions boundary (`boundary.py`), which
  grants no IAM at all, and cannot remove a boundary;
- it passes only the roles it creates (`platform-*`), only to the platform's services;
- it cannot rewrite trust policies, change itself, its policy or the boundary (an
  explicit Deny, so that no later Allow widens it);
- it reaches KMS keys only through the project's tag, and creates grants only for AWS
  services.

A few create/list actions have no resource-level scoping in AWS; they are grouped under
`UnscopedByAws` so a reviewer sees them in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# AWS defines these without resource-level permissions (or they create the resource).
UNSCOPED_ACTIONS = [
    "iam:ListRoles",
    "kms:ListAliases",
    "lambda:ListEventSourceMappings",
    "logs:DescribeLogGroups",
    "route53:CreateHealthCheck",
    "sts:GetCallerIdentity",
    # Vended log delivery, which Step Functions and WAF logging set up for the caller.
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
]
# Service-linked roles AWS creates on first use: DynamoDB global-table replication,
# Lambda provisioned-concurrency scaling, and WAF logging.
SERVICE_LINKED_ROLES = [
    "lambda.application-autoscaling.amazonaws.com",
    "replication.dynamodb.amazonaws.com",
    "wafv2.amazonaws.com",
]
# Resources the platform creates without a name it chooses, created only with its tag.
CREATED_WITH_PROJECT_TAG = [
    "acm:AddTagsToCertificate",
    "acm:RequestCertificate",
    "application-autoscaling:RegisterScalableTarget",
    "application-autoscaling:TagResource",
    "kms:CreateKey",
    "kms:TagResource",
]
# Route 53 offers no tag or name scoping for health checks, and their ids are generated:
# the deploy role reaches the account's health checks (listed in the pack's
# unscoped_actions), and nothing else in Route 53 beyond the platform's zone.
HEALTH_CHECK_ACTIONS = [
    "route53:ChangeTagsForResource",
    "route53:DeleteHealthCheck",
    "route53:GetHealthCheck",
    "route53:ListTagsForResource",
    "route53:UpdateHealthCheck",
]
# Route 53 change ids are generated too; reading one says whether a change is in sync.
CHANGE_STATUS_ACTIONS = ["route53:GetChange"]
# Lambda's event source mappings have generated ids; lambda:FunctionArn scopes the
# actions that support it, and reading a mapping (no such key) stays unscoped.
EVENT_SOURCE_MAPPING_READ = ["lambda:GetEventSourceMapping"]


@dataclass(frozen=True)
class DeployScope:
    """What the deploy role is for: the account, the project's tag, the names of the role,
    its policy and the boundary, and (optionally) the platform's hosted zone."""

    account: str
    project_tag: str
    role_name: str
    policy_name: str
    boundary_name: str
    hosted_zone_id: str | None = None

    def iam_arn(self, kind: str, name: str) -> str:
        return f"arn:aws:iam::{self.account}:{kind}/{name}"

    def arn(self, service: str, resource: str, region: str = "*") -> str:
        return f"arn:aws:{service}:{region}:{self.account}:{resource}"

    @property
    def boundary_arn(self) -> str:
        return self.iam_arn("policy", self.boundary_name)

    @property
    def tagged(self) -> dict[str, Any]:
        return {"StringEquals": {"aws:ResourceTag/Project": self.project_tag}}

    @property
    def created_tagged(self) -> dict[str, Any]:
        return {"StringEquals": {"aws:RequestTag/Project": self.project_tag}}


def statement(
    sid: str,
    actions: list[str],
    resources: list[str],
    condition: dict[str, Any] | None = None,
    effect: str = "Allow",
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "Sid": sid,
        "Effect": effect,
        "Action": sorted(actions),
        "Resource": resources,
    }
    if condition:
        result["Condition"] = condition
    return result


def _iam(scope: DeployScope) -> list[dict[str, Any]]:
    platform_roles = [scope.iam_arn("role", "platform-*")]
    with_boundary = {"StringEquals": {"iam:PermissionsBoundary": scope.boundary_arn}}
    return [
        statement(
            "PlatformRolesOnlyWithTheBoundary",
            [
                "iam:CreateRole",
                "iam:DeleteRolePolicy",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
            ],
            platform_roles,
            with_boundary,
        ),
        statement(
            "PlatformRolesReadTagDelete",
            [
                "iam:DeleteRole",
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:ListRolePolicies",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
            ],
            platform_roles,
        ),
        statement(
            "ServiceLinkedRolesOfThePlatformsServices",
            ["iam:CreateServiceLinkedRole"],
            [scope.iam_arn("role", "aws-service-role/*")],
            {"StringEquals": {"iam:AWSServiceName": SERVICE_LINKED_ROLES}},
        ),
        statement(
            "PassPlatformRolesToTheirServices",
            ["iam:PassRole"],
            platform_roles,
            {
                "StringEquals": {
                    "iam:PassedToService": [
                        "apigateway.amazonaws.com",
                        "codedeploy.amazonaws.com",
                        "lambda.amazonaws.com",
                        "s3.amazonaws.com",
                        "states.amazonaws.com",
                    ]
                }
            },
        ),
        statement(
            "NeverChangeItselfOrTheBoundary",
            [
                "iam:Attach*",
                "iam:CreatePolicyVersion",
                "iam:Delete*",
                "iam:Detach*",
                "iam:Put*",
                "iam:SetDefaultPolicyVersion",
                "iam:Tag*",
                "iam:Untag*",
                "iam:Update*",
            ],
            [
                scope.iam_arn("role", scope.role_name),
                scope.iam_arn("policy", scope.policy_name),
                scope.boundary_arn,
            ],
            effect="Deny",
        ),
    ]


def _keys(scope: DeployScope) -> list[dict[str, Any]]:
    tagged_keys = [scope.arn("kms", "key/*")]
    return [
        statement(
            "PlatformKeysByTag",
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
            ],
            tagged_keys,
            scope.tagged,
        ),
        # An alias action is authorized on the alias and on the key it points to.
        statement(
            "PlatformKeyAliases",
            ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
            [scope.arn("kms", "alias/serverless-platform-*")],
        ),
        # DynamoDB and Lambda create grants on the platform's keys for themselves.
        statement(
            "GrantsOnPlatformKeysForAwsServices",
            ["kms:CreateGrant"],
            tagged_keys,
            {**scope.tagged, "Bool": {"kms:GrantIsForAWSResource": "true"}},
        ),
    ]


def _data_plane(scope: DeployScope) -> list[dict[str, Any]]:
    return [
        statement(
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
        statement(
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
                "sns:SetSubscriptionAttributes",
                "sns:TagResource",
                "sns:UntagResource",
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
                scope.arn("sqs", "platform-*"),
                scope.arn("sns", "platform-*"),
                scope.arn("dynamodb", "table/serverless-platform-*"),
            ],
        ),
        statement(
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
                "states:CreateStateMachine",
                "states:DeleteStateMachine",
                "states:DescribeStateMachine",
                "states:ListTagsForResource",
                "states:TagResource",
                "states:UntagResource",
                "states:UpdateStateMachine",
            ],
            [
                scope.arn("lambda", "function:platform-*"),
                scope.arn("states", "stateMachine:platform-*"),
            ],
        ),
        statement(
            "EventSourceMappingsOfPlatformFunctions",
            [
                "lambda:CreateEventSourceMapping",
                "lambda:DeleteEventSourceMapping",
                "lambda:UpdateEventSourceMapping",
            ],
            [scope.arn("lambda", "event-source-mapping:*")],
            {"ArnLike": {"lambda:FunctionArn": scope.arn("lambda", "function:platform-*")}},
        ),
        statement(
            "ReadEventSourceMappings",
            EVENT_SOURCE_MAPPING_READ,
            [scope.arn("lambda", "event-source-mapping:*")],
        ),
    ]


def _gradual_deploys(scope: DeployScope) -> list[dict[str, Any]]:
    """The CodeDeploy application and groups the platform declares, and the deployments
    the pipeline starts in them after `pulumi up` (they move the functions' aliases)."""
    applications_and_groups = [
        scope.arn("codedeploy", "application:serverless-platform-*"),
        scope.arn("codedeploy", "deploymentgroup:serverless-platform-*/*"),
    ]
    return [
        statement(
            "PlatformDeploymentGroups",
            [
                "codedeploy:CreateApplication",
                "codedeploy:CreateDeploymentGroup",
                "codedeploy:DeleteApplication",
                "codedeploy:DeleteDeploymentGroup",
                "codedeploy:GetApplication",
                "codedeploy:GetDeploymentGroup",
                "codedeploy:ListTagsForResource",
                "codedeploy:TagResource",
                "codedeploy:UntagResource",
                "codedeploy:UpdateApplication",
                "codedeploy:UpdateDeploymentGroup",
            ],
            applications_and_groups,
        ),
        statement(
            "GradualDeploysOfPlatformFunctions",
            [
                "codedeploy:BatchGetDeployments",
                "codedeploy:CreateDeployment",
                "codedeploy:GetApplicationRevision",
                "codedeploy:GetDeployment",
                "codedeploy:ListDeployments",
                "codedeploy:RegisterApplicationRevision",
                "codedeploy:StopDeployment",
            ],
            applications_and_groups,
        ),
        # A deployment names one of AWS's predefined Lambda configurations.
        statement(
            "PredefinedLambdaDeploymentConfigs",
            ["codedeploy:GetDeploymentConfig"],
            [scope.arn("codedeploy", "deploymentconfig:CodeDeployDefault.Lambda*")],
        ),
    ]


def _operations(scope: DeployScope) -> list[dict[str, Any]]:
    return [
        statement(
            "PlatformLogsAlarmsDashboards",
            [
                "logs:CreateLogGroup",
                "logs:DeleteLogGroup",
                "logs:ListTagsForResource",
                "logs:PutRetentionPolicy",
                "logs:TagResource",
                "logs:UntagResource",
                "logs:AssociateKmsKey",
                "logs:DisassociateKmsKey",
                "cloudwatch:DeleteAlarms",
                "cloudwatch:DescribeAlarms",
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:ListTagsForResource",
                "cloudwatch:TagResource",
                "cloudwatch:UntagResource",
                "cloudwatch:DeleteDashboards",
                "cloudwatch:GetDashboard",
                "cloudwatch:PutDashboard",
            ],
            [
                scope.arn("logs", "log-group:platform-*"),
                scope.arn("logs", "log-group:/aws/vendedlogs/states/serverless-platform-*"),
                # WAF logs only to groups named aws-waf-logs-*.
                scope.arn("logs", "log-group:aws-waf-logs-serverless-platform-*"),
                scope.arn("cloudwatch", "alarm:serverless-platform-*"),
                f"arn:aws:cloudwatch::{scope.account}:dashboard/serverless-platform-*",
            ],
        ),
        statement(
            "PlatformApisByTag",
            [
                "apigateway:DELETE",
                "apigateway:GET",
                "apigateway:PATCH",
                "apigateway:POST",
                "apigateway:PUT",
                # Associating the web ACL with a stage (/restapis/<id>/stages/<name>).
                "apigateway:SetWebACL",
            ],
            [
                "arn:aws:apigateway:*::/restapis/*",
                "arn:aws:apigateway:*::/apikeys/*",
                "arn:aws:apigateway:*::/usageplans/*",
                "arn:aws:apigateway:*::/domainnames/*",
                "arn:aws:apigateway:*::/tags/*",
            ],
            scope.tagged,
        ),
        statement(
            "CreatePlatformApisWithTag",
            ["apigateway:POST"],
            [
                "arn:aws:apigateway:*::/restapis",
                "arn:aws:apigateway:*::/apikeys",
                "arn:aws:apigateway:*::/usageplans",
                "arn:aws:apigateway:*::/domainnames",
            ],
            scope.created_tagged,
        ),
        statement(
            "PlatformFirewall",
            [
                "wafv2:AssociateWebACL",
                "wafv2:CreateWebACL",
                "wafv2:DeleteLoggingConfiguration",
                "wafv2:DeleteWebACL",
                "wafv2:DisassociateWebACL",
                "wafv2:GetLoggingConfiguration",
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
                "wafv2:ListTagsForResource",
                "wafv2:PutLoggingConfiguration",
                "wafv2:TagResource",
                "wafv2:UntagResource",
                "wafv2:UpdateWebACL",
            ],
            [
                scope.arn("wafv2", "regional/webacl/platform-*"),
                # The AWS-managed rule groups the web ACL references.
                scope.arn("wafv2", "regional/managedruleset/AWS/*"),
            ],
        ),
        # The account's CloudWatch role for API Gateway logging: one setting per region.
        statement(
            "ApiGatewayAccountSettings",
            ["apigateway:GET", "apigateway:PATCH"],
            ["arn:aws:apigateway:*::/account"],
        ),
        statement(
            "PlatformCertificatesAndScalingByTag",
            [
                "acm:AddTagsToCertificate",
                "acm:DeleteCertificate",
                "acm:DescribeCertificate",
                "acm:ListTagsForCertificate",
                "acm:RemoveTagsFromCertificate",
                "application-autoscaling:DeleteScalingPolicy",
                "application-autoscaling:DeregisterScalableTarget",
                "application-autoscaling:DescribeScalableTargets",
                "application-autoscaling:DescribeScalingPolicies",
                "application-autoscaling:ListTagsForResource",
                "application-autoscaling:PutScalingPolicy",
                "application-autoscaling:RegisterScalableTarget",
                "application-autoscaling:TagResource",
            ],
            [
                scope.arn("acm", "certificate/*"),
                scope.arn("application-autoscaling", "scalable-target/*"),
            ],
            scope.tagged,
        ),
        statement(
            "CreateWithProjectTag",
            CREATED_WITH_PROJECT_TAG,
            ["*"],
            scope.created_tagged,
        ),
        statement(
            "HealthChecksOfTheAccount", HEALTH_CHECK_ACTIONS, ["arn:aws:route53:::healthcheck/*"]
        ),
        statement("ChangeStatus", CHANGE_STATUS_ACTIONS, ["arn:aws:route53:::change/*"]),
        *(
            [
                statement(
                    "PlatformHostedZoneRecords",
                    [
                        "route53:ChangeResourceRecordSets",
                        "route53:GetHostedZone",
                        "route53:ListResourceRecordSets",
                    ],
                    [f"arn:aws:route53:::hostedzone/{scope.hosted_zone_id}"],
                )
            ]
            if scope.hosted_zone_id
            else []
        ),
    ]


def deploy_permissions(scope: DeployScope) -> dict[str, Any]:
    """The deploy role's policy document, for every region the platform may use."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            statement("UnscopedByAws", UNSCOPED_ACTIONS, ["*"]),
            *_iam(scope),
            *_keys(scope),
            *_data_plane(scope),
            *_gradual_deploys(scope),
            *_operations(scope),
        ],
    }
