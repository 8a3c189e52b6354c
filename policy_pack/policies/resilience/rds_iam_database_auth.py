"""MySQL, MariaDB and PostgreSQL databases accept IAM database authentication."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import is_true

# The engines that support IAM database authentication.
IAM_AUTH_ENGINES = ("mysql", "mariadb", "postgres", "aurora", "aurora-mysql", "aurora-postgresql")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    enabled = args.props.get("iamDatabaseAuthenticationEnabled")
    engine = families.engine_of(args.props)
    # No engine: a read replica or a restore, of an engine that most likely supports it.
    if engine is not None and engine not in IAM_AUTH_ENGINES:
        args.not_applicable(f"engine {engine!r} does not support IAM database authentication")
    if not is_true(enabled):
        yield (
            f"{families.label(args.resource_type)} '{args.name}' does not accept IAM database "
            "authentication; set iam_database_authentication_enabled=True"
        )


POLICY = resource_policy(
    name="rds-iam-database-auth",
    description=(
        "RDS instances and clusters of MySQL, MariaDB and PostgreSQL engines enable IAM "
        "database authentication."
    ),
    resource_types=families.RDS_DATABASES,
    check=_check,
    # Authentication, not recovery: reported with the IAM findings.
    category=metadata.IAM,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Set iam_database_authentication_enabled=True on the aws.rds.Instance or "
        "aws.rds.Cluster, create the database users with the rds_iam role (PostgreSQL) or "
        "AWSAuthenticationPlugin (MySQL/MariaDB), and grant rds-db:connect on those users "
        "instead of sharing the master password."
    ),
    mappings=metadata.mappings(
        "fsbp:RDS.10",
        "fsbp:RDS.12",
        "cdk-nag:AwsSolutions-RDS6",
        "checkov:CKV_AWS_161",
        "checkov:CKV_AWS_162",
    ),
)
