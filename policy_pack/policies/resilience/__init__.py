"""Recovering from mistakes and failures: backups, retries, dead letters, limits."""

from . import (
    dynamodb_replica_pitr,
    dynamodb_table_deletion_protection,
    dynamodb_table_pitr,
    lambda_event_source_mapping_batch_failures,
    lambda_function_reserved_concurrency,
    lambda_function_supported_runtime,
    s3_bucket_lifecycle_configured,
    s3_bucket_versioning,
    sfn_task_states_retry_catch,
    sqs_dlq_retention_exceeds_source,
    sqs_queue_redrive_policy,
    sqs_visibility_timeout_covers_function,
)

MODULES = (
    dynamodb_replica_pitr,
    dynamodb_table_pitr,
    dynamodb_table_deletion_protection,
    s3_bucket_versioning,
    s3_bucket_lifecycle_configured,
    sqs_queue_redrive_policy,
    sqs_visibility_timeout_covers_function,
    sqs_dlq_retention_exceeds_source,
    lambda_event_source_mapping_batch_failures,
    lambda_function_reserved_concurrency,
    lambda_function_supported_runtime,
    sfn_task_states_retry_catch,
)
POLICIES = [module.POLICY for module in MODULES]
