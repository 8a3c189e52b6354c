"""Lambda functions log to a log group the program creates (encrypted, with retention)."""

from pulumi_policy import Severity

from ...core import metadata
from ...core.checks import present, require
from ...core.policy import ADVISORY, resource_policy

POLICY = resource_policy(
    name="lambda-function-explicit-log-group",
    description="Lambda functions send logs to an explicit, program-managed log group.",
    resource_types=("aws:lambda/function:Function",),
    check=require(
        present,
        "loggingConfig",
        "logGroup",
        message=(
            "Lambda function '{name}' logs to an implicit /aws/lambda log group (no retention, "
            "no KMS); set logging_config log_group to a log group the program creates"
        ),
    ),
    category=metadata.LOGGING,
    severity=Severity.LOW,
    enforcement=ADVISORY,
    remediation=(
        "Create an aws.cloudwatch.LogGroup (kms_key_id, retention_in_days) and set "
        "logging_config={'log_format': 'JSON', 'log_group': log_group.name}."
    ),
)
