"""OpenSearch (and Elasticsearch) domains encrypt traffic between their nodes."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if not is_true(dig(args.props.get("nodeToNodeEncryption"), "enabled")):
        yield (
            f"{families.label(args.resource_type)} '{args.name}' does not encrypt traffic "
            "between its nodes; set node_to_node_encryption={'enabled': True}"
        )


POLICY = resource_policy(
    name="opensearch-domain-node-to-node-encrypted",
    description="OpenSearch and Elasticsearch domains encrypt the traffic between nodes.",
    resource_types=families.SEARCH_DOMAINS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Set node_to_node_encryption={'enabled': True} on the aws.opensearch.Domain (or "
        "aws.elasticsearch.Domain)."
    ),
    mappings=metadata.mappings(
        "fsbp:Opensearch.3", "fsbp:ES.3", "cdk-nag:AwsSolutions-OS2", "checkov:CKV_AWS_6"
    ),
)
