"""Cross-region replication of each region's uploads into a bucket in every other region.

The replica bucket is a full `IngestStorage` (its own region's data key, versioning,
private, TLS-only, access-logged) that nothing processes: it is the copy that survives
a region loss. Replication needs versioning on both sides and, for SSE-KMS objects,
a role that may decrypt with the source key and encrypt with the destination key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from serverless_platform.context import AwsContext
from serverless_platform.data.storage import INCOMING_PREFIX
from serverless_platform.iam import allow, service_role, to_json


@dataclass(frozen=True)
class ReplicationEndpoint:
    """One side of a replication: a versioned SSE-KMS bucket and its key, in a region."""

    region: str
    bucket: aws.s3.Bucket
    versioning: aws.s3.BucketVersioning
    key_arn: pulumi.Input[str]


def _kms_via_s3(actions: list[str], endpoint: ReplicationEndpoint, sid: str) -> dict[str, object]:
    # With S3 Bucket Keys the encryption context is the bucket ARN; without, the object ARN.
    return allow(
        actions,
        [endpoint.key_arn],
        sid=sid,
        condition={
            "StringEquals": {"kms:ViaService": f"s3.{endpoint.region}.amazonaws.com"},
            "StringLike": {
                "kms:EncryptionContext:aws:s3:arn": [
                    endpoint.bucket.arn,
                    pulumi.Output.concat(endpoint.bucket.arn, f"/{INCOMING_PREFIX}*"),
                ]
            },
        },
    )


class BucketReplication(pulumi.ComponentResource):
    """Replicates `incoming/` of one bucket to each destination, with a role of exact
    permissions. Create it with the source region's provider."""

    def __init__(
        self,
        name: str,
        *,
        context: AwsContext,
        source: ReplicationEndpoint,
        destinations: Sequence[ReplicationEndpoint],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:replication:BucketReplication", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        source_objects = pulumi.Output.concat(source.bucket.arn, f"/{INCOMING_PREFIX}*")
        statements = [
            allow(
                ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                [source.bucket.arn],
                sid="ReadReplicationConfiguration",
            ),
            allow(
                [
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionTagging",
                ],
                [source_objects],
                sid="ReadSourceVersions",
            ),
            allow(
                ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"],
                [pulumi.Output.concat(d.bucket.arn, f"/{INCOMING_PREFIX}*") for d in destinations],
                sid="WriteReplicas",
            ),
            _kms_via_s3(["kms:Decrypt"], source, "DecryptSourceObjects"),
            *(
                _kms_via_s3(["kms:Encrypt", "kms:GenerateDataKey"], d, f"EncryptReplicasIn{i}")
                for i, d in enumerate(destinations)
            ),
        ]
        self.role = service_role(
            f"{name}-role",
            service="s3.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": context.account_id}},
            description="S3 replication of incoming/ to the replica regions",
            permissions_boundary=context.permissions_boundary,
            tags=tags,
            opts=child,
        )
        policy = aws.iam.RolePolicy(
            f"{name}-policy", role=self.role.id, policy=to_json(statements), opts=child
        )
        self.configuration = aws.s3.BucketReplicationConfig(
            f"{name}-configuration",
            bucket=source.bucket.id,
            role=self.role.arn,
            rules=[
                aws.s3.BucketReplicationConfigRuleArgs(
                    id=f"incoming-to-{destination.region}",
                    priority=index,
                    status="Enabled",
                    filter=aws.s3.BucketReplicationConfigRuleFilterArgs(prefix=INCOMING_PREFIX),
                    delete_marker_replication=aws.s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs(
                        status="Enabled"
                    ),
                    source_selection_criteria=aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaArgs(
                        sse_kms_encrypted_objects=aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs(
                            status="Enabled"
                        )
                    ),
                    destination=aws.s3.BucketReplicationConfigRuleDestinationArgs(
                        bucket=destination.bucket.arn,
                        storage_class="STANDARD",
                        encryption_configuration=aws.s3.BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs(
                            replica_kms_key_id=destination.key_arn
                        ),
                    ),
                )
                for index, destination in enumerate(destinations)
            ],
            # Replication requires versioning on both sides, and the role's permissions.
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[policy, source.versioning, *(d.versioning for d in destinations)],
            ),
        )
        self.register_outputs({"role_arn": self.role.arn})
