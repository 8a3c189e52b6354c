"""Pulumi to Terraform naming: resource types, renamed fields, list blocks and maps."""

import pytest

from gate.checkov.schema import (
    is_map_attribute,
    snake_case,
    terraform_block_name,
    terraform_key,
    terraform_type,
)

from .conftest import PLATFORM_TYPES


@pytest.mark.parametrize(("pulumi_type", "tf_type"), sorted(PLATFORM_TYPES.items()))
def test_platform_type_maps_to_its_terraform_resource(pulumi_type, tf_type):
    assert terraform_type(pulumi_type) == tf_type


@pytest.mark.parametrize(
    ("pulumi_type", "tf_type"),
    [
        ("aws:ec2/securityGroup:SecurityGroup", "aws_security_group"),
        ("aws:rds/instance:Instance", "aws_db_instance"),
        ("aws:cloudtrail/trail:Trail", "aws_cloudtrail"),
        ("aws:s3/bucketObjectv2:BucketObjectv2", "aws_s3_object"),
        ("aws:cfg/rule:Rule", "aws_config_config_rule"),
        ("aws:wafv2/webAclAssociation:WebAclAssociation", "aws_wafv2_web_acl_association"),
    ],
)
def test_module_prefixes_and_exceptions_follow_the_provider(pulumi_type, tf_type):
    assert terraform_type(pulumi_type) == tf_type


@pytest.mark.parametrize(
    "pulumi_type",
    ["pulumi:providers:aws", "random:index/randomId:RandomId", "my:component:Thing"],
)
def test_types_outside_pulumi_aws_have_no_terraform_type(pulumi_type):
    assert terraform_type(pulumi_type) is None


@pytest.mark.parametrize(
    ("tf_type", "wire_key", "tf_key"),
    [
        ("aws_lambda_function", "name", "function_name"),
        ("aws_lambda_function", "code", "filename"),
        ("aws_lambda_permission", "function", "function_name"),
        ("aws_lambda_event_source_mapping", "functionName", "function_name"),
        ("aws_lambda_alias", "functionName", "function_name"),
        ("aws_lambda_provisioned_concurrency_config", "functionName", "function_name"),
        ("aws_api_gateway_resource", "restApi", "rest_api_id"),
        ("aws_api_gateway_method", "restApi", "rest_api_id"),
        ("aws_api_gateway_method", "resourceId", "resource_id"),
        ("aws_api_gateway_integration", "restApi", "rest_api_id"),
        ("aws_api_gateway_deployment", "restApi", "rest_api_id"),
        ("aws_api_gateway_stage", "restApi", "rest_api_id"),
        ("aws_api_gateway_stage", "deployment", "deployment_id"),
        ("aws_api_gateway_stage", "stageName", "stage_name"),
        ("aws_api_gateway_method_settings", "restApi", "rest_api_id"),
        ("aws_api_gateway_request_validator", "restApi", "rest_api_id"),
        ("aws_api_gateway_model", "restApi", "rest_api_id"),
        ("aws_api_gateway_base_path_mapping", "restApi", "api_id"),
        ("aws_api_gateway_usage_plan_key", "usagePlanId", "usage_plan_id"),
        ("aws_s3_bucket_versioning", "bucket", "bucket"),
        ("aws_s3_bucket_logging", "targetBucket", "target_bucket"),
        ("aws_sqs_queue_policy", "queueUrl", "queue_url"),
        ("aws_sns_topic_subscription", "topic", "topic_arn"),
        ("aws_sns_topic_policy", "arn", "arn"),
        ("aws_cloudwatch_metric_alarm", "name", "alarm_name"),
        ("aws_cloudwatch_log_group", "retentionInDays", "retention_in_days"),
        ("aws_dynamodb_table", "serverSideEncryption", "server_side_encryption"),
        ("aws_dynamodb_table", "globalSecondaryIndexes", "global_secondary_index"),
        ("aws_route53_record", "aliases", "alias"),
        ("aws_iam_role_policy_attachment", "policyArn", "policy_arn"),
        ("aws_kms_alias", "targetKeyId", "target_key_id"),
    ],
)
def test_top_level_field_gets_its_terraform_name(tf_type, wire_key, tf_key):
    assert terraform_key(tf_type, wire_key) == tf_key


@pytest.mark.parametrize(
    ("wire", "snake"),
    [("kmsMasterKeyId", "kms_master_key_id"), ("s3BucketArn", "s3_bucket_arn"), ("ttl", "ttl")],
)
def test_snake_case_inverts_the_bridge_camel_case(wire, snake):
    assert snake_case(wire) == snake


@pytest.mark.parametrize(
    ("tf_type", "path", "block"),
    [
        ("aws_s3_bucket_lifecycle_configuration", "rules", "rule"),
        ("aws_s3_bucket_lifecycle_configuration", "rule.transitions", "transition"),
        ("aws_s3_bucket_notification", "queues", "queue"),
        ("aws_s3_bucket_notification", "lambda_functions", "lambda_function"),
        ("aws_dynamodb_table", "attributes", "attribute"),
        ("aws_dynamodb_table", "global_secondary_index.key_schemas", "key_schema"),
        ("aws_iam_role", "inline_policies", "inline_policy"),
        ("aws_cloudwatch_metric_alarm", "metric_queries", "metric_query"),
        ("aws_lambda_event_source_mapping", "filter_criteria.filters", "filter"),
        ("aws_security_group", "ingress", "ingress"),
        ("aws_api_gateway_usage_plan", "api_stages", "api_stages"),
        ("aws_api_gateway_usage_plan", "api_stages.throttles", "throttle"),
    ],
)
def test_list_block_gets_its_singular_terraform_name(tf_type, path, block):
    assert terraform_block_name(tf_type, path) == block


@pytest.mark.parametrize(
    ("tf_type", "path", "value"),
    [
        ("aws_sqs_queue", "tags", {"owner": "x"}),
        ("aws_lambda_function", "environment.variables", {"table": "results"}),
        ("aws_api_gateway_stage", "variables", {"tableName": "results"}),
        ("aws_cloudwatch_metric_alarm", "dimensions", {"queueName": "ingest"}),
        ("aws_api_gateway_method", "request_parameters", {"method.request.path.id": True}),
        ("aws_sqs_queue", "unknown_map", {"LOG_LEVEL": "INFO"}),
    ],
)
def test_maps_are_recognised_by_schema_or_by_their_keys(tf_type, path, value):
    assert is_map_attribute(tf_type, path, value)


@pytest.mark.parametrize(
    ("tf_type", "path", "value"),
    [
        ("aws_lambda_function", "environment", {"variables": {"A": "b"}}),
        ("aws_lambda_function", "tracing_config", {"mode": "Active"}),
        ("aws_dynamodb_table", "server_side_encryption", {"enabled": True, "kmsKeyArn": "k"}),
    ],
)
def test_objects_with_wire_keys_are_blocks(tf_type, path, value):
    assert not is_map_attribute(tf_type, path, value)


@pytest.mark.parametrize(
    ("tf_type", "path"),
    [
        ("aws_eks_node_group", "labels"),
        ("aws_ecs_service", "triggers"),
        ("aws_ecs_task_definition", "volume.docker_volume_configuration.labels"),
    ],
)
def test_maps_with_camel_case_keys_stay_maps(tf_type, path):
    # Keys such as `nodeClass` look like wire names, but these attributes are maps.
    assert is_map_attribute(tf_type, path, {"nodeClass": "general"})


@pytest.mark.parametrize(
    ("tf_type", "path", "name"),
    [
        ("aws_cloudfront_response_headers_policy", "custom_headers_config.items", "items"),
        ("aws_ecs_service", "placement_constraints", "placement_constraints"),
        ("aws_launch_template", "network_interfaces", "network_interfaces"),
        ("aws_launch_template", "license_specifications", "license_specification"),
    ],
)
def test_block_lists_plural_in_terraform_keep_their_name(tf_type, path, name):
    assert terraform_block_name(tf_type, path) == name
