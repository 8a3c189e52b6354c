"""EBS volumes, standalone or attached to an EC2 instance, are encrypted at rest."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import as_list, dig, is_true


def _instance_findings(args: ResourceValidationArgs) -> Iterator[str]:
    root = args.props.get("rootBlockDevice")
    unencrypted = []
    if root is None:
        unencrypted.append("the root volume (no root_block_device, so the AMI decides)")
    elif not is_true(dig(root, "encrypted")):
        unencrypted.append("the root volume")
    for device in as_list(args.props.get("ebsBlockDevices")):
        if not is_true(dig(device, "encrypted")):
            unencrypted.append(f"EBS volume {dig(device, 'deviceName') or '?'}")
    if unencrypted:
        yield (
            f"EC2 instance '{args.name}' does not encrypt {', '.join(unencrypted)}; set "
            "encrypted=True in root_block_device and in every ebs_block_devices entry"
        )


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if args.resource_type in families.EC2_INSTANCES:
        yield from _instance_findings(args)
    elif not is_true(args.props.get("encrypted")):
        yield f"EBS volume '{args.name}' is not encrypted at rest; set encrypted=True"


POLICY = resource_policy(
    name="ebs-volume-encrypted",
    description=(
        "EBS volumes, and the root and additional EBS volumes of EC2 instances, are "
        "encrypted at rest."
    ),
    resource_types=(*families.EBS_VOLUMES, *families.EC2_INSTANCES),
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set encrypted=True on the aws.ebs.Volume, and on the aws.ec2.Instance's "
        "root_block_device and each ebs_block_devices entry (with kms_key_id a "
        "customer-managed key where the data needs one). An existing volume cannot be "
        "encrypted in place: snapshot it, copy the snapshot encrypted, and restore."
    ),
    mappings=metadata.mappings(
        "fsbp:EC2.3",
        "cdk-nag:AwsSolutions-EC26",
        "checkov:CKV_AWS_3",
        "checkov:CKV_AWS_8",
        "awsguard:encrypted-volumes",
    ),
)
