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
    """Route 53 latency-based alias records, each behind a calculated health check that
    is healthy only while both of its children are:

    - *reachable*: Route 53's checkers open a TCP connection to the region's API Gateway
      endpoint (port 443) every 30 seconds. A region that goes silent (its API
      unreachable, so it stops sending metrics too) fails this within about 90 seconds,
      and recovers on its own, because the checkers keep probing whatever DNS says;
    - *not failing*: the region's API 5XX-rate alarm is not in ALARM. Missing data keeps
      the last status: a region with no traffic is quiet, not down (the reachability
      check is what notices a dead one).

    An HTTPS probe cannot replace the TCP one: every route requires an API key, and the
    regional endpoint answers only for the custom domain's name, so a probe would only
    ever see 403.
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
            label = f"{domain_name} {endpoint.region}"
            not_failing = aws.route53.HealthCheck(
                f"{name}-health-{endpoint.region}",
                type="CLOUDWATCH_METRIC",
                cloudwatch_alarm_name=endpoint.health_alarm.name,
                cloudwatch_alarm_region=endpoint.region,
                # No data means no traffic, not a failure: keep the last known status.
                insufficient_data_health_status="LastKnownStatus",
                tags={**tags, "Name": f"{label} 5XX rate"},
                opts=child,
            )
            reachable = aws.route53.HealthCheck(
                f"{name}-reachable-{endpoint.region}",
                type="TCP",
                fqdn=endpoint.domain.regional_domain_name,
                port=443,
                request_interval=30,
                failure_threshold=3,
                tags={**tags, "Name": f"{label} reachable"},
                opts=child,
            )
            check = aws.route53.HealthCheck(
                f"{name}-healthy-{endpoint.region}",
                type="CALCULATED",
                child_healthchecks=[not_failing.id, reachable.id],
                child_health_threshold=2,
                tags={**tags, "Name": label},
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
