"""Load balancers in protected environments cannot be deleted by accident."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    environment = families.require_in_environment(args, config, "deletion protection")
    if not is_true(args.props.get("enableDeletionProtection")):
        yield (
            f"{families.load_balancer_label(args.props)} '{args.name}' (Environment "
            f"{environment}) has no deletion protection; set enable_deletion_protection=True"
        )


POLICY = resource_policy(
    name="elb-deletion-protection",
    description=(
        "Application, Network and Gateway Load Balancers in the configured environments "
        "have deletion protection."
    ),
    resource_types=families.LOAD_BALANCERS,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Set enable_deletion_protection=True on the aws.lb.LoadBalancer (a recreated load "
        "balancer gets a new DNS name, breaking every client that resolved the old one). "
        "Which environments need it is this policy's `environments` config."
    ),
    mappings=metadata.mappings(
        "fsbp:ELB.6", "checkov:CKV_AWS_150", "awsguard:elb-deletion-protection-enabled"
    ),
    options={
        "environments": families.environments_option("load balancers need deletion protection")
    },
)
