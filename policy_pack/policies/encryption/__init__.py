"""Encryption at rest (customer-managed KMS keys) and in transit (TLS)."""

from . import (
    apigateway_cache_encrypted,
    apigateway_domain_tls12,
    cloudwatch_log_group_encrypted,
    dynamodb_replica_encrypted_cmk,
    dynamodb_table_encrypted_cmk,
    kms_key_deletion_window,
    kms_key_rotation_enabled,
    lambda_environment_encrypted_cmk,
    s3_bucket_encrypted_cmk,
    s3_bucket_key_enabled,
    s3_bucket_policy_deny_insecure_transport,
    s3_replication_encrypted_cmk,
    sfn_state_machine_encrypted_cmk,
    sns_topic_deny_insecure_transport,
    sns_topic_encrypted_cmk,
    sqs_queue_deny_insecure_transport,
    sqs_queue_encrypted_cmk,
)

MODULES = (
    s3_replication_encrypted_cmk,
    dynamodb_replica_encrypted_cmk,
    s3_bucket_encrypted_cmk,
    s3_bucket_key_enabled,
    s3_bucket_policy_deny_insecure_transport,
    dynamodb_table_encrypted_cmk,
    sqs_queue_encrypted_cmk,
    sqs_queue_deny_insecure_transport,
    sns_topic_encrypted_cmk,
    sns_topic_deny_insecure_transport,
    cloudwatch_log_group_encrypted,
    kms_key_rotation_enabled,
    kms_key_deletion_window,
    lambda_environment_encrypted_cmk,
    sfn_state_machine_encrypted_cmk,
    apigateway_domain_tls12,
    apigateway_cache_encrypted,
)
POLICIES = [module.POLICY for module in MODULES]
