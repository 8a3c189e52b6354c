"""The DynamoDB results table: one item per processed object version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

STATUS_INDEX = "status-index"
TTL_ATTRIBUTE = "expires_at"


@dataclass(frozen=True)
class TableRef:
    """What consumers of the table need: its name and its ARN in their region."""

    name: pulumi.Output[str]
    arn: pulumi.Output[str]

    @property
    def index_arn(self) -> pulumi.Output[str]:
        return pulumi.Output.concat(self.arn, f"/index/{STATUS_INDEX}")

    def in_region(self, region: str) -> TableRef:
        """The same global table as seen from a replica region."""
        return TableRef(
            name=self.name,
            arn=self.arn.apply(lambda arn: _arn_in_region(arn, region)),
        )


def _arn_in_region(arn: str, region: str) -> str:
    parts = arn.split(":")
    parts[3] = region
    return ":".join(parts)


@dataclass(frozen=True)
class Replica:
    """A global-table replica: its region and that region's data key."""

    region: str
    kms_key_arn: pulumi.Input[str]


def results_table_name(environment: str) -> str:
    """One fixed name per environment: a global table has the same name in every region."""
    return f"serverless-platform-{environment}-results"


class ResultsTable(pulumi.ComponentResource):
    """On-demand, PITR, CMK-encrypted table keyed by `pk`/`sk`, with `status-index`."""

    table: aws.dynamodb.Table

    def __init__(
        self,
        name: str,
        *,
        table_name: str,
        kms_key_arn: pulumi.Input[str],
        deletion_protection: bool,
        tags: dict[str, str],
        replicas: Sequence[Replica] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:table:ResultsTable", name, None, opts)
        # A global table replicates through its stream; a single-region table needs none.
        global_table = bool(replicas)
        self.table = aws.dynamodb.Table(
            f"{name}-table",
            name=table_name,
            billing_mode="PAY_PER_REQUEST",
            hash_key="pk",
            range_key="sk",
            attributes=[
                {"name": "pk", "type": "S"},
                {"name": "sk", "type": "S"},
                {"name": "status", "type": "S"},
                {"name": "updated_at", "type": "S"},
            ],
            global_secondary_indexes=[
                {
                    "name": STATUS_INDEX,
                    # pulumi-aws 7.51 deprecates the index's hash_key/range_key.
                    "key_schemas": [
                        {"attribute_name": "status", "key_type": "HASH"},
                        {"attribute_name": "updated_at", "key_type": "RANGE"},
                    ],
                    "projection_type": "ALL",
                }
            ],
            point_in_time_recovery={"enabled": True},
            server_side_encryption={"enabled": True, "kms_key_arn": kms_key_arn},
            deletion_protection_enabled=deletion_protection,
            ttl={"attribute_name": TTL_ATTRIBUTE, "enabled": True},
            replicas=[
                aws.dynamodb.TableReplicaArgs(
                    region_name=replica.region,
                    kms_key_arn=replica.kms_key_arn,
                    point_in_time_recovery=True,
                    propagate_tags=True,
                )
                for replica in replicas
            ]
            or None,
            stream_enabled=global_table or None,
            stream_view_type="NEW_AND_OLD_IMAGES" if global_table else None,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, protect=deletion_protection),
        )
        self.ref = TableRef(name=self.table.name, arn=self.table.arn)
        self.register_outputs({"name": self.table.name, "arn": self.table.arn})
