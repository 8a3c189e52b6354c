"""DNS failover between regions: one latency record per region on the custom domain,
each tied to a health check, so clients reach the nearest healthy region."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class RegionalEndpoint:
    region: str
    domain: aws.apigateway.DomainName
    # The region is unhealthy while this alarm (its API 5XX rate) is in ALARM.
    health_alarm: aws.cloudwatch.MetricAlarm


class LatencyFailover(pulumi.ComponentResource):
    """Route 53 latency-based alias records with CloudWatch-alarm health checks.

    The health checks watch each region's API 5XX-rate alarm rather than probing an
    endpoint: every route requires an API key, and a probe without one only ever
    sees 403.
    """

    def __init__(
        self,
        name: str,
        *,
        domain_name: str,
        hosted_zone_id: str,
        endpoints: Sequence[RegionalEndpoint],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:failover:LatencyFailover", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.health_checks: dict[str, aws.route53.HealthCheck] = {}
        for endpoint in endpoints:
            check = aws.route53.HealthCheck(
                f"{name}-health-{endpoint.region}",
                type="CLOUDWATCH_METRIC",
                cloudwatch_alarm_name=endpoint.health_alarm.name,
                cloudwatch_alarm_region=endpoint.region,
                # A region whose alarm has no data yet keeps its last known status.
                insufficient_data_health_status="LastKnownStatus",
                tags={**tags, "Name": f"{domain_name} {endpoint.region}"},
                opts=child,
            )
            self.health_checks[endpoint.region] = check
            aws.route53.Record(
                f"{name}-latency-{endpoint.region}",
                zone_id=hosted_zone_id,
                name=domain_name,
                type="A",
                set_identifier=endpoint.region,
                latency_routing_policies=[{"region": endpoint.region}],
                health_check_id=check.id,
                aliases=[
                    {
                        "name": endpoint.domain.regional_domain_name,
                        "zone_id": endpoint.domain.regional_zone_id,
                        "evaluate_target_health": True,
                    }
                ],
                opts=child,
            )
        self.register_outputs({"regions": [e.region for e in endpoints]})
