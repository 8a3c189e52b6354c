"""OpenSearch (and Elasticsearch) domains are encrypted at rest."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if not is_true(dig(args.props.get("encryptAtRest"), "enabled")):
        yield (
            f"{families.label(args.resource_type)} '{args.name}' is not encrypted at rest; "
            "set encrypt_at_rest={'enabled': True, 'kms_key_id': <customer-managed key>}"
        )


POLICY = resource_policy(
    name="opensearch-domain-encrypted-at-rest",
    description="OpenSearch and Elasticsearch domains are encrypted at rest.",
    resource_types=families.SEARCH_DOMAINS,
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set encrypt_at_rest={'enabled': True, 'kms_key_id': key.arn} on the "
        "aws.opensearch.Domain (or aws.elasticsearch.Domain)."
    ),
    mappings=metadata.mappings(
        "fsbp:Opensearch.1",
        "fsbp:ES.1",
        "cdk-nag:AwsSolutions-OS8",
        "checkov:CKV_AWS_5",
        "awsguard:elasticsearch-encrypted-at-rest",
    ),
)
