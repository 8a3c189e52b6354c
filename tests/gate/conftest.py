"""Factories for plans and findings, so gate tests state only what they are about."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gate.engine.plan import Plan, PlannedResource, SourcePosition
from gate.findings import Finding, SourceLocation

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# Every type the platform creates, with the name the Terraform AWS provider gives it.
PLATFORM_TYPES = {
    "aws:kms/key:Key": "aws_kms_key",
    "aws:kms/alias:Alias": "aws_kms_alias",
    "aws:s3/bucket:Bucket": "aws_s3_bucket",
    "aws:s3/bucketV2:BucketV2": "aws_s3_bucket",
    "aws:s3/bucketVersioning:BucketVersioning": "aws_s3_bucket_versioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        "aws_s3_bucket_server_side_encryption_configuration"
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "aws_s3_bucket_public_access_block",
    "aws:s3/bucketLogging:BucketLogging": "aws_s3_bucket_logging",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (
        "aws_s3_bucket_lifecycle_configuration"
    ),
    "aws:s3/bucketNotification:BucketNotification": "aws_s3_bucket_notification",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "aws_s3_bucket_ownership_controls",
    "aws:s3/bucketPolicy:BucketPolicy": "aws_s3_bucket_policy",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": (
        "aws_s3_bucket_replication_configuration"
    ),
    "aws:sqs/queue:Queue": "aws_sqs_queue",
    "aws:sqs/queuePolicy:QueuePolicy": "aws_sqs_queue_policy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "aws_sqs_queue_redrive_allow_policy",
    "aws:dynamodb/table:Table": "aws_dynamodb_table",
    "aws:lambda/function:Function": "aws_lambda_function",
    "aws:lambda/permission:Permission": "aws_lambda_permission",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "aws_lambda_event_source_mapping",
    "aws:lambda/alias:Alias": "aws_lambda_alias",
    "aws:codedeploy/application:Application": "aws_codedeploy_app",
    "aws:codedeploy/deploymentGroup:DeploymentGroup": "aws_codedeploy_deployment_group",
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": (
        "aws_lambda_provisioned_concurrency_config"
    ),
    "aws:iam/role:Role": "aws_iam_role",
    "aws:iam/rolePolicy:RolePolicy": "aws_iam_role_policy",
    "aws:iam/policy:Policy": "aws_iam_policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "aws_iam_role_policy_attachment",
    "aws:cloudwatch/logGroup:LogGroup": "aws_cloudwatch_log_group",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "aws_cloudwatch_metric_alarm",
    "aws:cloudwatch/dashboard:Dashboard": "aws_cloudwatch_dashboard",
    "aws:sns/topic:Topic": "aws_sns_topic",
    "aws:sns/topicPolicy:TopicPolicy": "aws_sns_topic_policy",
    "aws:sns/topicSubscription:TopicSubscription": "aws_sns_topic_subscription",
    "aws:sfn/stateMachine:StateMachine": "aws_sfn_state_machine",
    "aws:apigateway/restApi:RestApi": "aws_api_gateway_rest_api",
    "aws:apigateway/resource:Resource": "aws_api_gateway_resource",
    "aws:apigateway/method:Method": "aws_api_gateway_method",
    "aws:apigateway/integration:Integration": "aws_api_gateway_integration",
    "aws:apigateway/deployment:Deployment": "aws_api_gateway_deployment",
    "aws:apigateway/stage:Stage": "aws_api_gateway_stage",
    "aws:apigateway/methodSettings:MethodSettings": "aws_api_gateway_method_settings",
    "aws:apigateway/apiKey:ApiKey": "aws_api_gateway_api_key",
    "aws:apigateway/usagePlan:UsagePlan": "aws_api_gateway_usage_plan",
    "aws:apigateway/usagePlanKey:UsagePlanKey": "aws_api_gateway_usage_plan_key",
    "aws:apigateway/domainName:DomainName": "aws_api_gateway_domain_name",
    "aws:apigateway/basePathMapping:BasePathMapping": "aws_api_gateway_base_path_mapping",
    "aws:apigateway/requestValidator:RequestValidator": "aws_api_gateway_request_validator",
    "aws:apigateway/model:Model": "aws_api_gateway_model",
    "aws:apigateway/account:Account": "aws_api_gateway_account",
    "aws:apigateway/response:Response": "aws_api_gateway_gateway_response",
    "aws:acm/certificate:Certificate": "aws_acm_certificate",
    "aws:acm/certificateValidation:CertificateValidation": "aws_acm_certificate_validation",
    "aws:route53/record:Record": "aws_route53_record",
    "aws:route53/healthCheck:HealthCheck": "aws_route53_health_check",
    "aws:appautoscaling/target:Target": "aws_appautoscaling_target",
    "aws:appautoscaling/policy:Policy": "aws_appautoscaling_policy",
    "aws:wafv2/webAcl:WebAcl": "aws_wafv2_web_acl",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "aws_wafv2_web_acl_association",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (
        "aws_wafv2_web_acl_logging_configuration"
    ),
}
STACK = "test"
PROJECT = "app"


def urn_for(typ: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{typ}::{name}"


@pytest.fixture
def resource_factory() -> Callable[..., PlannedResource]:
    """A planned resource of `typ` named `name`, with a plausible id and ARN."""

    def make(typ: str, name: str, inputs: dict[str, Any] | None = None, **fields: Any):
        defaults: dict[str, Any] = {
            "urn": urn_for(typ, name),
            "type": typ,
            "name": name,
            "custom": True,
            "id": f"{name}-id",
            "parent": None,
            "provider": None,
            "inputs": inputs or {},
            "dependencies": [],
            "property_dependencies": {},
            "source_position": SourcePosition(f"file://{ROOT}/__main__.py", 7),
            "arn": f"arn:aws:test:us-east-1:123456789012:{name}",
        }
        defaults.update(fields)
        return PlannedResource(**defaults)

    return make


@pytest.fixture
def plan_factory() -> Callable[..., Plan]:
    def make(*resources: PlannedResource, stack: str = STACK) -> Plan:
        return Plan(
            project=PROJECT,
            stack=stack,
            resources=list(resources),
            config={"aws:region": "eu-west-1"},
        )

    return make


@pytest.fixture
def finding_factory() -> Callable[..., Finding]:
    def make(rule: str = "CKV_AWS_18", name: str = "logs", **fields: Any) -> Finding:
        defaults: dict[str, Any] = {
            "source": "checkov",
            "rule": rule,
            "category": "logging",
            "severity": "medium",
            "enforcement": "mandatory",
            "resource_type": "aws:s3/bucket:Bucket",
            "urn": urn_for("aws:s3/bucket:Bucket", name),
            "message": f"aws:s3/bucket:Bucket '{name}' fails {rule}: access logging is off",
            "source_location": SourceLocation(
                str(ROOT / "serverless_platform" / "data" / "storage.py"), 42
            ),
            "title": "Ensure the S3 bucket has access logging enabled",
            "description": f"checkov {rule}.",
            "help": "https://example.com/checks",
            "remediation": "Turn access logging on.",
            "tags": ("checkov", "logging"),
        }
        defaults.update(fields)
        return Finding(**defaults)

    return make
