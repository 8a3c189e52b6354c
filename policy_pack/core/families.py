"""The resource families a fork of the template adds: EC2/EBS, EFS, RDS, ECR, EKS, Secrets
Manager, ElastiCache, Redshift, OpenSearch, load balancers and CloudFront.

Their type tokens (pulumi-aws 7), the labels their findings use, and the few readings
their policies share: settings that default to on, the environments a protection is
required in, RDS engines and read replicas, retention periods.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs

from .policy import Config, string_list
from .props import environment_of
from .stack import StackView, known

EBS_VOLUMES = ("aws:ebs/volume:Volume",)
EC2_INSTANCES = ("aws:ec2/instance:Instance",)
EFS_FILE_SYSTEMS = ("aws:efs/fileSystem:FileSystem",)
RDS_INSTANCES = ("aws:rds/instance:Instance",)
RDS_CLUSTERS = ("aws:rds/cluster:Cluster",)
RDS_CLUSTER_INSTANCES = ("aws:rds/clusterInstance:ClusterInstance",)
RDS_DATABASES = RDS_INSTANCES + RDS_CLUSTERS
ECR_REPOSITORIES = ("aws:ecr/repository:Repository",)
ECR_REGISTRY_SCANNING = ("aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration",)
EKS_CLUSTERS = ("aws:eks/cluster:Cluster",)
SECRETS = ("aws:secretsmanager/secret:Secret",)
SECRET_ROTATIONS = ("aws:secretsmanager/secretRotation:SecretRotation",)
ELASTICACHE_REPLICATION_GROUPS = ("aws:elasticache/replicationGroup:ReplicationGroup",)
REDSHIFT_CLUSTERS = ("aws:redshift/cluster:Cluster",)
REDSHIFT_LOGGING = ("aws:redshift/logging:Logging",)
# The OpenSearch and legacy Elasticsearch domains take the same inputs.
SEARCH_DOMAINS = ("aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain")
# `aws.lb.LoadBalancer` and its alias `aws.alb.LoadBalancer` (ALB, NLB, GWLB).
LOAD_BALANCERS = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
CLASSIC_LOAD_BALANCERS = ("aws:elb/loadBalancer:LoadBalancer",)
CLOUDFRONT_DISTRIBUTIONS = ("aws:cloudfront/distribution:Distribution",)
LOG_DELIVERY_SOURCES = ("aws:cloudwatch/logDeliverySource:LogDeliverySource",)
LOG_DELIVERIES = ("aws:cloudwatch/logDelivery:LogDelivery",)

_LABELS = {
    **dict.fromkeys(EBS_VOLUMES, "EBS volume"),
    **dict.fromkeys(EC2_INSTANCES, "EC2 instance"),
    **dict.fromkeys(EFS_FILE_SYSTEMS, "EFS file system"),
    **dict.fromkeys(RDS_INSTANCES, "RDS instance"),
    **dict.fromkeys(RDS_CLUSTERS, "RDS cluster"),
    **dict.fromkeys(RDS_CLUSTER_INSTANCES, "RDS cluster instance"),
    **dict.fromkeys(ECR_REPOSITORIES, "ECR repository"),
    **dict.fromkeys(EKS_CLUSTERS, "EKS cluster"),
    **dict.fromkeys(SECRETS, "Secrets Manager secret"),
    **dict.fromkeys(ELASTICACHE_REPLICATION_GROUPS, "ElastiCache replication group"),
    **dict.fromkeys(REDSHIFT_CLUSTERS, "Redshift cluster"),
    SEARCH_DOMAINS[0]: "OpenSearch domain",
    SEARCH_DOMAINS[1]: "Elasticsearch domain",
    **dict.fromkeys(LOAD_BALANCERS, "load balancer"),
    **dict.fromkeys(CLASSIC_LOAD_BALANCERS, "Classic Load Balancer"),
    **dict.fromkeys(CLOUDFRONT_DISTRIBUTIONS, "CloudFront distribution"),
}

_LOAD_BALANCER_KINDS = {
    "application": "Application Load Balancer",
    "network": "Network Load Balancer",
    "gateway": "Gateway Load Balancer",
}


def label(resource_type: str) -> str:
    """'RDS cluster' for aws:rds/cluster:Cluster: how a finding names the resource's kind."""
    return _LABELS.get(resource_type, resource_type)


def load_balancer_kind(props: Mapping[str, Any]) -> str:
    """'application' (the default), 'network' or 'gateway'."""
    kind = props.get("loadBalancerType")
    return kind if isinstance(kind, str) and kind else "application"


def load_balancer_label(props: Mapping[str, Any]) -> str:
    kind = load_balancer_kind(props)
    return _LOAD_BALANCER_KINDS.get(kind, f"{kind} load balancer")


def is_false(value: Any) -> bool:
    """Explicitly switched off: for settings that AWS turns on when they are left unset."""
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


# -- environments -------------------------------------------------------------------------


def environments_option(what: str, default: Sequence[str] = ("*",)) -> dict[str, Any]:
    """The `environments` option: Environment tag globs in which `what` is required."""
    return string_list(default, f"Environment tag values (globs) whose {what}.")


def in_environments(config: Config, environment: str | None) -> bool:
    """Whether the `environments` config covers `environment` (an Environment tag value).
    An untagged resource (None) is covered: guessing "dev" would fail open."""
    patterns = config["environments"]
    return environment is None or any(fnmatch.fnmatchcase(environment, p) for p in patterns)


def require_in_environment(args: ResourceValidationArgs, config: Config, what: str) -> str:
    """The resource's environment ('untagged' if none), or not applicable when the
    `environments` config does not cover it (see `in_environments`)."""
    environment = environment_of(args.props)
    if not in_environments(config, environment):
        args.not_applicable(f"environment {environment!r} does not require {what}")
    return environment or "untagged"


# -- RDS ----------------------------------------------------------------------------------


def engine_of(props: Mapping[str, Any]) -> str | None:
    engine = props.get("engine")
    return engine if isinstance(engine, str) and engine else None


def is_read_replica(args: ResourceValidationArgs) -> bool:
    """An RDS instance created with replicate_source_db: storage encryption and backups
    come from (or are decided by) its source."""
    return args.resource_type in RDS_INSTANCES and bool(args.props.get("replicateSourceDb"))


# -- retention ----------------------------------------------------------------------------


def retention_findings(
    what: str, days: float | None, minimum: float, setting: str, *, unit: str = "backups"
) -> Iterator[str]:
    """'keeps no <unit>' / 'keeps <unit> N days' when `days` (None or 0: off) is below
    `minimum`; `setting` is the input to fix."""
    if not days:
        yield f"{what} keeps no automated {unit}; set {setting} to at least {minimum:g} days"
    elif days < minimum:
        yield (
            f"{what} keeps automated {unit} {days:g} day(s); set {setting} to at least "
            f"{minimum:g} days"
        )


# -- rotation schedules -------------------------------------------------------------------

_RATE = re.compile(r"^\s*rate\(\s*(\d+)\s+(day|days|hour|hours|minute|minutes)\s*\)\s*$")
_PER_DAY = {"day": 1.0, "hour": 24.0, "minute": 1440.0}


def schedule_days(expression: Any) -> float | None:
    """The interval of a `rate(N days|hours|minutes)` expression in days; None for a
    cron() expression (whose interval is not a single number) or anything else."""
    if not isinstance(expression, str):
        return None
    match = _RATE.match(expression)
    if not match:
        return None
    return int(match.group(1)) / _PER_DAY[match.group(2).rstrip("s")]


# -- links --------------------------------------------------------------------------------


def referencing(
    stack: StackView,
    target: PolicyResource,
    types: Sequence[str],
    prop: str,
    target_key: str | None = None,
) -> list[PolicyResource]:
    """The resources of `types` whose `prop` refers to `target`: by property dependency or
    a literal identifier (StackView.referencing), or by a literal equal to the target's own
    `target_key` input (a Redshift Logging's cluster_identifier names the cluster by its
    cluster_identifier, which is none of the generic identifiers)."""
    found = stack.referencing(target, types, prop)
    own = known(target, target_key) if target_key else None
    if isinstance(own, str) and own:
        found += [
            source
            for source in stack.of_type(types)
            if source not in found and known(source, prop) == own
        ]
    return found
