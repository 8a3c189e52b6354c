"""Application and Classic Load Balancers write access logs to S3."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    logs = args.props.get("accessLogs")
    if args.resource_type in families.CLASSIC_LOAD_BALANCERS:
        # A Classic Load Balancer's access_logs are on once given a bucket.
        if not dig(logs, "bucket") or families.is_false(dig(logs, "enabled")):
            yield (
                f"Classic Load Balancer '{args.name}' writes no access logs; set "
                "access_logs={'bucket': <log bucket>}"
            )
        return
    kind = families.load_balancer_kind(args.props)
    if kind != "application":
        args.not_applicable(f"a {kind} load balancer (ELB.5 covers Application and Classic)")
    if dig(logs, "bucket") and is_true(dig(logs, "enabled")):
        return
    # Off unless enabled=True, even with a bucket.
    why = " (a bucket alone does not enable them)" if dig(logs, "bucket") else ""
    yield (
        f"Application Load Balancer '{args.name}' writes no access logs{why}; set "
        "access_logs={'bucket': <log bucket>, 'enabled': True}"
    )


POLICY = resource_policy(
    name="elb-access-logging",
    description="Application and Classic Load Balancers write access logs to S3.",
    resource_types=(*families.LOAD_BALANCERS, *families.CLASSIC_LOAD_BALANCERS),
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set access_logs={'bucket': bucket.id, 'enabled': True} on the aws.lb.LoadBalancer "
        "(access_logs={'bucket': ...} on an aws.elb.LoadBalancer). The bucket must be "
        "SSE-S3 encrypted (load balancers cannot write to SSE-KMS buckets: exempt it from "
        "s3-bucket-encrypted-cmk with a reason) and its policy must admit the region's ELB "
        "log delivery."
    ),
    mappings=metadata.mappings(
        "fsbp:ELB.5",
        "cdk-nag:AwsSolutions-ELB2",
        "checkov:CKV_AWS_91",
        "checkov:CKV_AWS_92",
        "awsguard:elb-logging-enabled",
    ),
)
