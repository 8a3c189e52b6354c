"""The DynamoDB results table: one item per processed object version."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

STATUS_INDEX = "status-index"
TTL_ATTRIBUTE = "expires_at"


class ResultsTable(pulumi.ComponentResource):
    """On-demand, PITR, CMK-encrypted table keyed by `pk`/`sk`, with `status-index`."""

    table: aws.dynamodb.Table

    def __init__(
        self,
        name: str,
        *,
        kms_key_arn: pulumi.Input[str],
        deletion_protection: bool,
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:table:ResultsTable", name, None, opts)
        self.table = aws.dynamodb.Table(
            f"{name}-table",
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
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, protect=deletion_protection),
        )
        self.arn = self.table.arn
        self.index_arn = pulumi.Output.concat(self.table.arn, f"/index/{STATUS_INDEX}")
        self.register_outputs({"name": self.table.name, "arn": self.table.arn})
