"""What the gate knows of the Terraform AWS schema behind pulumi-aws.

pulumi-aws is bridged from the Terraform AWS provider, so a Pulumi resource is a
Terraform resource with renamed fields. Type names come from pulumi-aws's own rename
table (`gate.checkov.type_table`). Fields are renamed by rule (snake_case to camelCase,
list blocks pluralized, one-element blocks flattened to objects) and by an explicit
table in pulumi-aws `provider/resources.go`; this module holds the reverse of both, for
the types the platform uses and their neighbours.

Example:
    >>> terraform_type("aws:apigateway/restApi:RestApi")
    'aws_api_gateway_rest_api'
    >>> terraform_key("aws_lambda_permission", "function")
    'function_name'
    >>> terraform_block_name("aws_s3_bucket_notification", "queues")
    'queue'
"""

from __future__ import annotations

import re

from gate.checkov.type_table import terraform_type_of

_REST_API_CHILDREN = (
    "aws_api_gateway_authorizer",
    "aws_api_gateway_deployment",
    "aws_api_gateway_integration",
    "aws_api_gateway_integration_response",
    "aws_api_gateway_method",
    "aws_api_gateway_method_response",
    "aws_api_gateway_method_settings",
    "aws_api_gateway_model",
    "aws_api_gateway_request_validator",
    "aws_api_gateway_resource",
    "aws_api_gateway_stage",
)

# Top-level fields pulumi-aws renames: {terraform type: {wire name: terraform name}}.
_FIELD_RENAMES: dict[str, dict[str, str]] = {
    **{tf_type: {"restApi": "rest_api_id"} for tf_type in _REST_API_CHILDREN},
    "aws_api_gateway_stage": {"restApi": "rest_api_id", "deployment": "deployment_id"},
    "aws_api_gateway_base_path_mapping": {"restApi": "api_id"},
    "aws_api_gateway_vpc_link": {"targetArn": "target_arns"},
    "aws_cloudwatch_log_subscription_filter": {"logGroup": "log_group_name"},
    "aws_cloudwatch_metric_alarm": {"name": "alarm_name"},
    "aws_dynamodb_table": {
        "globalSecondaryIndexes": "global_secondary_index",
        "localSecondaryIndexes": "local_secondary_index",
    },
    "aws_ecs_service": {"loadBalancers": "load_balancer"},
    "aws_elastic_beanstalk_environment": {"version": "version_label"},
    # The bridge turns `filename` into a Pulumi archive called `code`.
    "aws_lambda_function": {"name": "function_name", "code": "filename"},
    "aws_lambda_layer_version": {"code": "filename"},
    "aws_lambda_permission": {"function": "function_name"},
    "aws_route53_record": {
        "aliases": "alias",
        "failoverRoutingPolicies": "failover_routing_policy",
        "geolocationRoutingPolicies": "geolocation_routing_policy",
        "latencyRoutingPolicies": "latency_routing_policy",
        "weightedRoutingPolicies": "weighted_routing_policy",
    },
    "aws_sns_topic_subscription": {"topic": "topic_arn"},
}

# Terraform attributes that are maps (keys are data, kept verbatim), not blocks.
# Paths are dotted Terraform names below the resource; `tags` is a map at any depth.
_MAP_ATTRIBUTES: dict[str, frozenset[str]] = {
    "aws_api_gateway_deployment": frozenset({"triggers", "variables"}),
    "aws_api_gateway_gateway_response": frozenset({"response_parameters", "response_templates"}),
    "aws_api_gateway_integration": frozenset({"request_parameters", "request_templates"}),
    "aws_api_gateway_integration_response": frozenset(
        {"response_parameters", "response_templates"}
    ),
    "aws_api_gateway_method": frozenset({"request_models", "request_parameters"}),
    "aws_api_gateway_method_response": frozenset({"response_models", "response_parameters"}),
    "aws_api_gateway_rest_api": frozenset({"parameters"}),
    "aws_api_gateway_stage": frozenset({"variables"}),
    "aws_cloudwatch_event_target": frozenset({"input_transformer.input_paths"}),
    "aws_cloudwatch_metric_alarm": frozenset({"dimensions", "metric_query.metric.dimensions"}),
    "aws_ecs_service": frozenset(
        {"service_connect_configuration.log_configuration.options", "triggers"}
    ),
    "aws_ecs_task_definition": frozenset(
        {
            "proxy_configuration.properties",
            "volume.docker_volume_configuration.driver_opts",
            "volume.docker_volume_configuration.labels",
        }
    ),
    "aws_eks_fargate_profile": frozenset({"selector.labels"}),
    "aws_eks_identity_provider_config": frozenset({"oidc.required_claims"}),
    "aws_eks_node_group": frozenset({"labels"}),
    "aws_lambda_alias": frozenset({"routing_config.additional_version_weights"}),
    "aws_lambda_function": frozenset({"environment.variables"}),
}
_ALWAYS_MAPS = frozenset({"tags", "tags_all"})

# Lists of blocks whose Terraform name is itself plural, so the bridge kept it as is.
_PLURAL_BLOCKS: dict[str, frozenset[str]] = {
    "aws_api_gateway_usage_plan": frozenset({"api_stages"}),
    "aws_appautoscaling_policy": frozenset(
        {
            "target_tracking_scaling_policy_configuration.customized_metric_specification"
            ".dimensions",
            "target_tracking_scaling_policy_configuration.customized_metric_specification.metrics",
        }
    ),
    "aws_cloudfront_field_level_encryption_config": frozenset(
        {
            "content_type_profile_config.content_type_profiles.items",
            "query_arg_profile_config.query_arg_profiles.items",
        }
    ),
    "aws_cloudfront_field_level_encryption_profile": frozenset({"encryption_entities.items"}),
    "aws_cloudfront_response_headers_policy": frozenset(
        {"custom_headers_config.items", "remove_headers_config.items"}
    ),
    "aws_ecs_service": frozenset(
        {
            "placement_constraints",
            "volume_configuration.managed_ebs_volume.tag_specifications",
            "vpc_lattice_configurations",
        }
    ),
    "aws_ecs_task_definition": frozenset({"placement_constraints"}),
    # Plural in Terraform itself (`license_specification` is singular and follows the rule).
    "aws_launch_template": frozenset(
        {"block_device_mappings", "network_interfaces", "tag_specifications"}
    ),
    "aws_s3_bucket": frozenset({"replication_configuration.rules"}),
}

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WIRE_KEY = re.compile(r"^[a-z][A-Za-z0-9]*$")


def snake_case(name: str) -> str:
    """The Terraform spelling of a camelCase wire name (`kmsMasterKeyId` -> `kms_master_key_id`)."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def _singular(name: str) -> str:
    # The bridge pluralizes list blocks with English rules; undo the ones that occur.
    for plural, singular in (("ies", "y"), ("aliases", "alias"), ("xes", "x"), ("sses", "ss")):
        if name.endswith(plural):
            return name[: -len(plural)] + singular
    if name.endswith("ss"):  # ingress, egress: singular already
        return name
    return name[:-1] if name.endswith("s") else name


def terraform_type(pulumi_type: str) -> str | None:
    """The Terraform resource type of a pulumi-aws type, or None for any other type
    (generated from pulumi-aws's bridge metadata: see gate.checkov.type_table)."""
    return terraform_type_of(pulumi_type)


def terraform_key(tf_type: str, wire_key: str) -> str:
    """The Terraform name of a top-level input: the pulumi-aws rename or the rule."""
    return _FIELD_RENAMES.get(tf_type, {}).get(wire_key) or snake_case(wire_key)


def terraform_block_name(tf_type: str, snake_path: str) -> str:
    """The Terraform name of a list of blocks, given its dotted path in Terraform names
    except for the last segment, which is the pluralized Pulumi name in snake_case."""
    if snake_path in _PLURAL_BLOCKS.get(tf_type, frozenset()):
        return snake_path.rsplit(".", 1)[-1]
    return _singular(snake_path.rsplit(".", 1)[-1])


def is_map_attribute(tf_type: str, tf_path: str, value: dict[str, object]) -> bool:
    """Whether an object-valued attribute is a Terraform map rather than a block.

    Known maps come from the schema table. Anything else whose keys are not wire names
    (lowerCamelCase identifiers) cannot be a block: header names, env var names and
    tag keys such as `Owner` only occur in maps.
    """
    if tf_path.rsplit(".", 1)[-1] in _ALWAYS_MAPS:
        return True
    if tf_path in _MAP_ATTRIBUTES.get(tf_type, frozenset()):
        return True
    return any(not _WIRE_KEY.match(key) for key in value)
