"""`ApiFirewall`: a regional WAF web ACL in front of the API stage.

API keys and usage plans identify and meter clients; they do not stop malformed or
malicious requests, nor a flood from one address before the usage plan counts it.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

# AWS-managed rule groups: common exploits, and known-bad inputs (Log4j lookups among them).
MANAGED_RULE_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")


def _visibility(metric: str) -> Any:
    return {
        "cloudwatch_metrics_enabled": True,
        "metric_name": metric,
        "sampled_requests_enabled": True,
    }


class ApiFirewall(pulumi.ComponentResource):
    """Managed rule groups, a per-address rate limit, and logs in an encrypted group."""

    def __init__(
        self,
        name: str,
        *,
        stage_arn: pulumi.Input[str],
        rate_limit_per_5_minutes: int,
        log_name: str,
        retention_days: int,
        logs_key_arn: pulumi.Input[str],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:firewall:ApiFirewall", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        rules: list[Any] = [
            {
                "name": group,
                "priority": priority,
                "override_action": {"none": {}},
                "statement": {
                    "managed_rule_group_statement": {"vendor_name": "AWS", "name": group}
                },
                "visibility_config": _visibility(group),
            }
            for priority, group in enumerate(MANAGED_RULE_GROUPS)
        ]
        rules.append(
            {
                "name": "rate-limit-per-address",
                "priority": len(rules),
                "action": {"block": {}},
                "statement": {
                    "rate_based_statement": {
                        "limit": rate_limit_per_5_minutes,
                        "aggregate_key_type": "IP",
                    }
                },
                "visibility_config": _visibility("rate-limit-per-address"),
            }
        )
        self.web_acl = aws.wafv2.WebAcl(
            f"{name}-web-acl",
            description="Protects the platform's REST API",
            scope="REGIONAL",
            default_action={"allow": {}},
            rules=rules,
            visibility_config=_visibility(f"{name}-web-acl"),
            tags=tags,
            opts=child,
        )
        aws.wafv2.WebAclAssociation(
            f"{name}-association",
            resource_arn=stage_arn,
            web_acl_arn=self.web_acl.arn,
            opts=child,
        )
        # WAF only logs to log groups whose names start with "aws-waf-logs-".
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=f"aws-waf-logs-{log_name}",
            retention_in_days=retention_days,
            kms_key_id=logs_key_arn,
            tags=tags,
            opts=child,
        )
        aws.wafv2.WebAclLoggingConfiguration(
            f"{name}-logging",
            resource_arn=self.web_acl.arn,
            log_destination_configs=[self.log_group.arn],
            # API keys travel in this header: never write them to the logs.
            redacted_fields=[{"single_header": {"name": "x-api-key"}}],
            opts=child,
        )
        self.register_outputs({"web_acl_arn": self.web_acl.arn})
