"""Logs and alarms that exist, are kept, and lead somewhere."""

from . import (
    apigateway_data_trace_disabled,
    apigateway_stage_access_logging,
    apigateway_stage_execution_logging,
    cloudfront_distribution_logging,
    cloudwatch_alarm_has_actions,
    cloudwatch_alarm_names_runbook,
    cloudwatch_log_group_retention,
    eks_cluster_control_plane_logging,
    elb_access_logging,
    lambda_function_explicit_log_group,
    opensearch_domain_log_publishing,
    rds_log_exports_enabled,
    redshift_cluster_audit_logging,
    s3_bucket_access_logging,
    sfn_state_machine_logging_all,
)

MODULES = (
    apigateway_stage_access_logging,
    apigateway_stage_execution_logging,
    apigateway_data_trace_disabled,
    sfn_state_machine_logging_all,
    cloudwatch_log_group_retention,
    s3_bucket_access_logging,
    lambda_function_explicit_log_group,
    cloudwatch_alarm_has_actions,
    cloudwatch_alarm_names_runbook,
    rds_log_exports_enabled,
    redshift_cluster_audit_logging,
    opensearch_domain_log_publishing,
    eks_cluster_control_plane_logging,
    elb_access_logging,
    cloudfront_distribution_logging,
)
POLICIES = [module.POLICY for module in MODULES]
