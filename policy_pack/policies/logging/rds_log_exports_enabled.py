"""RDS instances and clusters export their database logs to CloudWatch Logs."""

import fnmatch
from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, option, resource_policy
from ...core.props import as_list

# The log types FSBP names per engine (RDS.34, .36, .37, .40, .42); other engines need any.
DEFAULT_REQUIRED = {
    "aurora-mysql": ["audit"],
    "aurora-postgresql": ["postgresql"],
    "postgres": ["postgresql"],
    "mariadb": ["audit", "error"],
    "sqlserver-*": ["error"],
}


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    what = f"{families.label(args.resource_type)} '{args.name}'"
    exported = [str(kind) for kind in as_list(args.props.get("enabledCloudwatchLogsExports"))]
    engine = families.engine_of(args.props)
    required = next(
        (
            list(kinds)
            for pattern, kinds in config["required_log_types"].items()
            if engine and fnmatch.fnmatchcase(engine, pattern)
        ),
        [],
    )
    if not exported:
        hint = f" (for {engine}: {required})" if required else ""
        yield (
            f"{what} exports no logs to CloudWatch Logs; set enabled_cloudwatch_logs_exports{hint}"
        )
        return
    missing = [kind for kind in required if kind not in exported]
    if missing:
        yield (
            f"{what} ({engine}) does not export {', '.join(missing)} logs; add them to "
            "enabled_cloudwatch_logs_exports"
        )


POLICY = resource_policy(
    name="rds-log-exports-enabled",
    description=(
        "RDS DB instances and clusters export database logs (the engine's audit/error "
        "logs) to CloudWatch Logs."
    ),
    resource_types=families.RDS_DATABASES,
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set enabled_cloudwatch_logs_exports on the aws.rds.Instance or aws.rds.Cluster, "
        "e.g. ['postgresql'] for PostgreSQL or ['audit', 'error'] for MySQL/MariaDB (audit "
        "logs also need the audit plugin or parameter group). Which types each engine must "
        "export is this policy's `required_log_types` config (engine globs)."
    ),
    mappings=metadata.mappings(
        "fsbp:RDS.9",
        "fsbp:RDS.34",
        "fsbp:RDS.36",
        "fsbp:RDS.37",
        "fsbp:RDS.40",
        "fsbp:RDS.42",
        "checkov:CKV_AWS_129",
        "checkov:CKV_AWS_324",
    ),
    options={
        "required_log_types": option(
            "object",
            DEFAULT_REQUIRED,
            "Log types each engine (glob over the engine name) must export.",
            additionalProperties={"type": "array", "items": {"type": "string"}},
        )
    },
)
