"""ECR repositories do not let a pushed tag be moved to another image."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import families, metadata
from ...core.policy import ADVISORY, Config, resource_policy

# IMMUTABLE_WITH_EXCLUSION keeps every tag immutable except the configured filters.
IMMUTABLE = ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION")


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    mutability = args.props.get("imageTagMutability") or "MUTABLE"
    if mutability not in IMMUTABLE:
        yield (
            f"ECR repository '{args.name}' lets tags be overwritten ({mutability}); set "
            "image_tag_mutability='IMMUTABLE'"
        )


POLICY = resource_policy(
    name="ecr-repository-tag-immutability",
    description="ECR repositories make image tags immutable.",
    resource_types=families.ECR_REPOSITORIES,
    check=_check,
    # Image integrity (what a tag deploys cannot change): not recovery.
    category=metadata.OTHER,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        "Set image_tag_mutability='IMMUTABLE' on the aws.ecr.Repository and deploy by "
        "unique tags or digests; 'IMMUTABLE_WITH_EXCLUSION' keeps a few named tags (e.g. "
        "'latest') movable."
    ),
    mappings=metadata.mappings("fsbp:ECR.2", "checkov:CKV_AWS_51"),
)
