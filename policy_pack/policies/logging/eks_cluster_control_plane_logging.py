"""EKS clusters send their control-plane logs (API, audit, authenticator) to CloudWatch."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy, string_list
from ...core.props import as_list

LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    enabled = {str(kind) for kind in as_list(args.props.get("enabledClusterLogTypes"))}
    missing = [kind for kind in config["required_log_types"] if kind not in enabled]
    if missing:
        yield (
            f"EKS cluster '{args.name}' does not log {', '.join(missing)} from its control "
            "plane; add them to enabled_cluster_log_types"
        )


POLICY = resource_policy(
    name="eks-cluster-control-plane-logging",
    description=(
        "EKS clusters send the api, audit and authenticator control-plane logs to CloudWatch Logs."
    ),
    resource_types=families.EKS_CLUSTERS,
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set enabled_cluster_log_types=['api', 'audit', 'authenticator'] (or all five) on "
        "the aws.eks.Cluster, and create the /aws/eks/<cluster>/cluster log group with a "
        "retention first so that EKS does not create one that keeps logs forever."
    ),
    mappings=metadata.mappings("fsbp:EKS.8", "cdk-nag:AwsSolutions-EKS2", "checkov:CKV_AWS_37"),
    options={
        "required_log_types": {
            **string_list(
                ("api", "audit", "authenticator"), "Control-plane log types that must be on."
            ),
            "items": {"type": "string", "enum": list(LOG_TYPES)},
        }
    },
)
