"""Where a component deploys: the region, account and partition of its provider."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class AwsContext:
    """The region is known from config at plan time; account and partition come from
    the provider's credentials, so they are outputs."""

    region: str
    account_id: pulumi.Output[str]
    partition: pulumi.Output[str]
    # The account's permissions boundary for the roles the platform creates, if it has one.
    permissions_boundary: str | None = None

    @classmethod
    def lookup(
        cls, region: str, parent: pulumi.Resource, permissions_boundary: str | None = None
    ) -> AwsContext:
        """Ask the parent's provider who it is (the invokes inherit that provider)."""
        options = pulumi.InvokeOutputOptions(parent=parent)
        identity = aws.get_caller_identity_output(opts=options)
        partition = aws.get_partition_output(opts=options)
        return cls(
            region=region,
            account_id=identity.account_id,
            partition=partition.partition,
            permissions_boundary=permissions_boundary,
        )

    def arn(
        self, service: str, resource: pulumi.Input[str], regional: bool = True
    ) -> pulumi.Output[str]:
        region = self.region if regional else ""
        return pulumi.Output.concat(
            "arn:", self.partition, f":{service}:{region}:", self.account_id, ":", resource
        )

    @property
    def account_root_arn(self) -> pulumi.Output[str]:
        return pulumi.Output.concat("arn:", self.partition, ":iam::", self.account_id, ":root")
