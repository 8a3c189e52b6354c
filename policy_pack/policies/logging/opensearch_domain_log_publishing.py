"""OpenSearch (and Elasticsearch) domains publish audit and error logs to CloudWatch."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy, string_list
from ...core.props import as_list, dig

LOG_TYPES = ("AUDIT_LOGS", "ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    published = {
        dig(entry, "logType")
        for entry in as_list(args.props.get("logPublishingOptions"))
        if dig(entry, "cloudwatchLogGroupArn") and not families.is_false(dig(entry, "enabled"))
    }
    missing = [kind for kind in config["required_log_types"] if kind not in published]
    if missing:
        yield (
            f"{families.label(args.resource_type)} '{args.name}' does not publish "
            f"{', '.join(missing)} to CloudWatch Logs; add log_publishing_options entries "
            "with those log_type values and a cloudwatch_log_group_arn"
        )


POLICY = resource_policy(
    name="opensearch-domain-log-publishing",
    description=(
        "OpenSearch and Elasticsearch domains publish audit and error (application) logs "
        "to CloudWatch Logs."
    ),
    resource_types=families.SEARCH_DOMAINS,
    check=_check,
    category=metadata.LOGGING,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation=(
        "Add log_publishing_options entries for AUDIT_LOGS and ES_APPLICATION_LOGS with "
        "cloudwatch_log_group_arn set, and a CloudWatch Logs resource policy admitting "
        "es.amazonaws.com. AUDIT_LOGS needs fine-grained access control "
        "(advanced_security_options enabled)."
    ),
    mappings=metadata.mappings(
        "fsbp:Opensearch.4",
        "fsbp:Opensearch.5",
        "fsbp:ES.4",
        "fsbp:ES.5",
        "checkov:CKV_AWS_84",
        "checkov:CKV_AWS_317",
    ),
    options={
        "required_log_types": {
            **string_list(
                ("AUDIT_LOGS", "ES_APPLICATION_LOGS"), "Log types that must be published."
            ),
            "items": {"type": "string", "enum": list(LOG_TYPES)},
        }
    },
)
