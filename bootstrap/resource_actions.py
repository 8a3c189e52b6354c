"""The IAM actions the deploy role needs for each resource type the platform declares.

For each type: what the provider calls to create it, read it back (refresh, and after
every create or update), update it in place, tag it and delete it, plus what AWS checks
on the side (a function's layer, a role passed to a service, a service-linked role
created on first use). The deploy role's policy (`permissions.py`) is written for
people to review, grouped by scope; `tests/infra/test_bootstrap.py` plans every stack
and fails when a type the plans declare is missing here, or an action here is not
granted by that policy. A new resource type in the platform is then a failing test, not
an AccessDenied on the first `pulumi up` in a new account.
"""

from __future__ import annotations

_TAGS_LOGS = ("logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource")
# Vended log delivery: Step Functions and WAF deliver logs through it (no resource scoping).
_LOG_DELIVERY = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
)
_APIGATEWAY_CRUD = (
    "apigateway:GET",
    "apigateway:POST",
    "apigateway:PUT",
    "apigateway:PATCH",
    "apigateway:DELETE",
)
_S3_BUCKET_CONFIG = ("s3:GetBucketLocation", "s3:ListBucket")

RESOURCE_ACTIONS: dict[str, tuple[str, ...]] = {
    # --- keys ------------------------------------------------------------------------
    "aws:kms/key:Key": (
        "kms:CreateKey",
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:PutKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:EnableKeyRotation",
        "kms:UpdateKeyDescription",
        "kms:ListResourceTags",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:ScheduleKeyDeletion",
    ),
    "aws:kms/alias:Alias": (
        "kms:CreateAlias",
        "kms:UpdateAlias",
        "kms:DeleteAlias",
        "kms:ListAliases",
    ),
    # --- storage ---------------------------------------------------------------------
    "aws:s3/bucket:Bucket": (
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:GetBucketTagging",
        "s3:PutBucketTagging",
        "s3:GetBucketPolicy",
        "s3:GetBucketAcl",
        "s3:GetBucketCORS",
        "s3:GetBucketWebsite",
        "s3:GetAccelerateConfiguration",
        "s3:GetBucketRequestPayment",
        "s3:GetBucketObjectLockConfiguration",
        *_S3_BUCKET_CONFIG,
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (
        "s3:PutLifecycleConfiguration",
        "s3:GetLifecycleConfiguration",
        *_S3_BUCKET_CONFIG,
    ),
    "aws:s3/bucketLogging:BucketLogging": ("s3:PutBucketLogging", "s3:GetBucketLogging"),
    "aws:s3/bucketNotification:BucketNotification": (
        "s3:PutBucketNotification",
        "s3:GetBucketNotification",
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (
        "s3:PutBucketOwnershipControls",
        "s3:GetBucketOwnershipControls",
    ),
    "aws:s3/bucketPolicy:BucketPolicy": (
        "s3:PutBucketPolicy",
        "s3:GetBucketPolicy",
        "s3:DeleteBucketPolicy",
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (
        "s3:PutBucketPublicAccessBlock",
        "s3:GetBucketPublicAccessBlock",
    ),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": (
        "s3:PutReplicationConfiguration",
        "s3:GetReplicationConfiguration",
        "iam:PassRole",
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        "s3:PutEncryptionConfiguration",
        "s3:GetEncryptionConfiguration",
    ),
    "aws:s3/bucketVersioning:BucketVersioning": (
        "s3:PutBucketVersioning",
        "s3:GetBucketVersioning",
    ),
    # --- queues, topics, table --------------------------------------------------------
    "aws:sqs/queue:Queue": (
        "sqs:CreateQueue",
        "sqs:GetQueueAttributes",
        "sqs:SetQueueAttributes",
        "sqs:ListQueueTags",
        "sqs:TagQueue",
        "sqs:UntagQueue",
        "sqs:DeleteQueue",
    ),
    "aws:sqs/queuePolicy:QueuePolicy": ("sqs:SetQueueAttributes", "sqs:GetQueueAttributes"),
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": (
        "sqs:SetQueueAttributes",
        "sqs:GetQueueAttributes",
    ),
    "aws:sns/topic:Topic": (
        "sns:CreateTopic",
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:ListTagsForResource",
        "sns:TagResource",
        "sns:UntagResource",
        "sns:DeleteTopic",
    ),
    "aws:sns/topicPolicy:TopicPolicy": ("sns:SetTopicAttributes", "sns:GetTopicAttributes"),
    "aws:sns/topicSubscription:TopicSubscription": (
        "sns:Subscribe",
        "sns:GetSubscriptionAttributes",
        "sns:SetSubscriptionAttributes",
        "sns:Unsubscribe",
    ),
    "aws:dynamodb/table:Table": (
        "dynamodb:CreateTable",
        "dynamodb:DescribeTable",
        "dynamodb:UpdateTable",
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:UpdateContinuousBackups",
        "dynamodb:DescribeTimeToLive",
        "dynamodb:UpdateTimeToLive",
        "dynamodb:ListTagsOfResource",
        "dynamodb:TagResource",
        "dynamodb:UntagResource",
        "dynamodb:DeleteTable",
        # Global tables: replicas in other regions, and DynamoDB's replication role.
        "dynamodb:CreateTableReplica",
        "dynamodb:DeleteTableReplica",
        "iam:CreateServiceLinkedRole",
    ),
    # --- functions and workflow -------------------------------------------------------
    "aws:iam/role:Role": (
        "iam:CreateRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePermissionsBoundary",
        "iam:DeleteRole",
    ),
    "aws:iam/rolePolicy:RolePolicy": (
        "iam:PutRolePolicy",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
    ),
    "aws:lambda/function:Function": (
        "lambda:CreateFunction",
        "lambda:GetFunction",
        "lambda:GetFunctionConfiguration",
        "lambda:GetFunctionCodeSigningConfig",
        "lambda:GetFunctionConcurrency",
        "lambda:ListVersionsByFunction",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:PublishVersion",
        "lambda:PutFunctionConcurrency",
        "lambda:DeleteFunctionConcurrency",
        "lambda:ListTags",
        "lambda:TagResource",
        "lambda:UntagResource",
        "lambda:DeleteFunction",
        "lambda:GetLayerVersion",
        "iam:PassRole",
        "kms:CreateGrant",
    ),
    # The `live` alias points at a version the function published (`publish=True`, the
    # function's lambda:PublishVersion); CodeDeploy moves it afterwards.
    "aws:lambda/alias:Alias": (
        "lambda:CreateAlias",
        "lambda:GetAlias",
        "lambda:UpdateAlias",
        "lambda:DeleteAlias",
    ),
    "aws:lambda/permission:Permission": (
        "lambda:AddPermission",
        "lambda:GetPolicy",
        "lambda:RemovePermission",
    ),
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": (
        "lambda:PutProvisionedConcurrencyConfig",
        "lambda:GetProvisionedConcurrencyConfig",
        "lambda:DeleteProvisionedConcurrencyConfig",
    ),
    "aws:lambda/eventSourceMapping:EventSourceMapping": (
        "lambda:CreateEventSourceMapping",
        "lambda:GetEventSourceMapping",
        "lambda:UpdateEventSourceMapping",
        "lambda:DeleteEventSourceMapping",
        "lambda:ListEventSourceMappings",
    ),
    "aws:sfn/stateMachine:StateMachine": (
        "states:CreateStateMachine",
        "states:DescribeStateMachine",
        "states:UpdateStateMachine",
        "states:ListTagsForResource",
        "states:TagResource",
        "states:UntagResource",
        "states:DeleteStateMachine",
        "iam:PassRole",
        *_LOG_DELIVERY,
    ),
    # --- gradual deploys -------------------------------------------------------------
    "aws:codedeploy/application:Application": (
        "codedeploy:CreateApplication",
        "codedeploy:GetApplication",
        "codedeploy:UpdateApplication",
        "codedeploy:ListTagsForResource",
        "codedeploy:TagResource",
        "codedeploy:UntagResource",
        "codedeploy:DeleteApplication",
    ),
    "aws:codedeploy/deploymentGroup:DeploymentGroup": (
        "codedeploy:CreateDeploymentGroup",
        "codedeploy:GetDeploymentGroup",
        "codedeploy:UpdateDeploymentGroup",
        "codedeploy:ListTagsForResource",
        "codedeploy:TagResource",
        "codedeploy:UntagResource",
        "codedeploy:DeleteDeploymentGroup",
        # The group's service role, passed to CodeDeploy.
        "iam:PassRole",
    ),
    # --- API ---------------------------------------------------------------------------
    **{
        f"aws:apigateway/{module}": _APIGATEWAY_CRUD
        for module in (
            "apiKey:ApiKey",
            "basePathMapping:BasePathMapping",
            "deployment:Deployment",
            "domainName:DomainName",
            "integration:Integration",
            "method:Method",
            "methodSettings:MethodSettings",
            "model:Model",
            "requestValidator:RequestValidator",
            "resource:Resource",
            "response:Response",
            "restApi:RestApi",
            "stage:Stage",
            "usagePlan:UsagePlan",
            "usagePlanKey:UsagePlanKey",
        )
    },
    "aws:apigateway/account:Account": ("apigateway:GET", "apigateway:PATCH", "iam:PassRole"),
    "aws:acm/certificate:Certificate": (
        "acm:RequestCertificate",
        "acm:DescribeCertificate",
        "acm:ListTagsForCertificate",
        "acm:AddTagsToCertificate",
        "acm:RemoveTagsFromCertificate",
        "acm:DeleteCertificate",
    ),
    "aws:acm/certificateValidation:CertificateValidation": ("acm:DescribeCertificate",),
    "aws:wafv2/webAcl:WebAcl": (
        "wafv2:CreateWebACL",
        "wafv2:GetWebACL",
        "wafv2:UpdateWebACL",
        "wafv2:ListTagsForResource",
        "wafv2:TagResource",
        "wafv2:UntagResource",
        "wafv2:DeleteWebACL",
    ),
    "aws:wafv2/webAclAssociation:WebAclAssociation": (
        "wafv2:AssociateWebACL",
        "wafv2:GetWebACLForResource",
        "wafv2:DisassociateWebACL",
        "apigateway:SetWebACL",
    ),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (
        "wafv2:PutLoggingConfiguration",
        "wafv2:GetLoggingConfiguration",
        "wafv2:DeleteLoggingConfiguration",
        "iam:CreateServiceLinkedRole",
        *_LOG_DELIVERY,
    ),
    # --- domain, failover, scaling ------------------------------------------------------
    "aws:route53/record:Record": (
        "route53:ChangeResourceRecordSets",
        "route53:ListResourceRecordSets",
        "route53:GetHostedZone",
        "route53:GetChange",
    ),
    "aws:route53/healthCheck:HealthCheck": (
        "route53:CreateHealthCheck",
        "route53:GetHealthCheck",
        "route53:UpdateHealthCheck",
        "route53:ChangeTagsForResource",
        "route53:ListTagsForResource",
        "route53:DeleteHealthCheck",
    ),
    "aws:appautoscaling/target:Target": (
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:TagResource",
        "application-autoscaling:ListTagsForResource",
        "iam:CreateServiceLinkedRole",
    ),
    "aws:appautoscaling/policy:Policy": (
        "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:DescribeScalingPolicies",
        "application-autoscaling:DeleteScalingPolicy",
    ),
    # --- logs, alarms, dashboard --------------------------------------------------------
    "aws:cloudwatch/logGroup:LogGroup": (
        "logs:CreateLogGroup",
        "logs:DescribeLogGroups",
        "logs:PutRetentionPolicy",
        "logs:AssociateKmsKey",
        "logs:DisassociateKmsKey",
        "logs:DeleteLogGroup",
        *_TAGS_LOGS,
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:ListTagsForResource",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
        "cloudwatch:DeleteAlarms",
    ),
    "aws:cloudwatch/dashboard:Dashboard": (
        "cloudwatch:PutDashboard",
        "cloudwatch:GetDashboard",
        "cloudwatch:DeleteDashboards",
    ),
}
