"""`PlatformDeployment`: the platform in its primary region and every replica region.

With no replica regions this is exactly one `ServerlessPlatform`. With replicas, each
region gets its own platform (bucket, queue, processor, API, workflow, alarms), the
primary's results table becomes a global table with a replica in each region, each
ingest bucket replicates to a replica bucket in every other region, and the custom
domain fails over between regions. docs/high-availability.md explains the trade-offs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pulumi
import pulumi_aws as aws

from serverless_platform.config import PlatformConfig
from serverless_platform.data.storage import IngestStorage
from serverless_platform.operations import alarm_catalog
from serverless_platform.platform import ServerlessPlatform
from serverless_platform.regions.failover import LatencyFailover, RegionalEndpoint
from serverless_platform.regions.replication import BucketReplication, ReplicationEndpoint
from serverless_platform.tagging import tags_for


class PlatformDeployment(pulumi.ComponentResource):
    """Every region of one stack, each through its own explicit provider."""

    def __init__(
        self,
        name: str,
        *,
        config: PlatformConfig,
        providers: Mapping[str, aws.Provider],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:index:PlatformDeployment", name, None, opts)
        primary_region = config.target.region

        def in_region(region: str) -> pulumi.ResourceOptions:
            return pulumi.ResourceOptions(parent=self, providers=[providers[region]])

        # Replica regions first: the primary's global table needs their data keys.
        self.replicas = [
            ServerlessPlatform(
                f"{name}-{region}",
                config=config,
                region=region,
                primary_region=primary_region,
                opts=in_region(region),
            )
            for region in config.replica_regions
        ]
        self.primary = ServerlessPlatform(
            name,
            config=config,
            region=primary_region,
            replicas=self.replicas,
            opts=in_region(primary_region),
        )
        self.platforms = [self.primary, *self.replicas]
        if self.replicas:
            self._replicate_uploads(name, config, in_region)
            self._fail_over(name, config, in_region(primary_region))
        self.register_outputs({"regions": [p.region for p in self.platforms]})

    def _replicate_uploads(
        self,
        name: str,
        config: PlatformConfig,
        in_region: Callable[[str], pulumi.ResourceOptions],
    ) -> None:
        tags = tags_for(config.tags, "replication")
        for source in self.platforms:
            destinations = []
            for target in self.platforms:
                if target is source:
                    continue
                storage = IngestStorage(
                    f"{name}-{target.region}-replica-of-{source.region}",
                    context=target.context,
                    data_key_arn=target.data_key.arn,
                    noncurrent_version_expiration_days=config.noncurrent_version_expiration_days,
                    access_log_retention_days=config.access_log_retention_days,
                    tags=tags,
                    opts=in_region(target.region),
                )
                destinations.append(
                    ReplicationEndpoint(
                        target.region,
                        storage.bucket,
                        storage.ingest.versioning,
                        target.data_key.arn,
                    )
                )
            BucketReplication(
                f"{name}-{source.region}-replication",
                context=source.context,
                source=ReplicationEndpoint(
                    source.region,
                    source.storage.bucket,
                    source.storage.ingest.versioning,
                    source.data_key.arn,
                ),
                destinations=destinations,
                tags=tags,
                opts=in_region(source.region),
            )

    def _fail_over(
        self, name: str, config: PlatformConfig, global_options: pulumi.ResourceOptions
    ) -> None:
        api = config.api
        if not (api.domain_name and api.hosted_zone_id):
            return
        endpoints = [
            RegionalEndpoint(
                p.region, p.api.domain, p.observability.alarms[alarm_catalog.API_5XX_RATE]
            )
            for p in self.platforms
            if p.api.domain is not None
        ]
        LatencyFailover(
            f"{name}-failover",
            domain_name=api.domain_name,
            hosted_zone_id=api.hosted_zone_id,
            endpoints=endpoints,
            tags=tags_for(config.tags, "failover"),
            # Route 53 is global; the primary region's provider manages it.
            opts=global_options,
        )
