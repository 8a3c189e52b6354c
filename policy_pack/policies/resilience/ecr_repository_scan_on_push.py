"""ECR repositories scan images for vulnerabilities when they are pushed."""

import fnmatch
from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import families, metadata
from ...core.policy import MANDATORY, Config, stack_policy
from ...core.props import as_list, dig, is_true
from ...core.stack import StackView

SCANNING_FREQUENCIES = ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")


def _registry_scans(configurations: list[PolicyResource], repository: str) -> bool:
    """Whether a registry scanning rule that scans new images matches the repository."""
    return any(
        dig(rule, "scanFrequency") in SCANNING_FREQUENCIES
        and any(
            fnmatch.fnmatchcase(repository, str(dig(repository_filter, "filter") or ""))
            for repository_filter in as_list(dig(rule, "repositoryFilters"))
        )
        for configuration in configurations
        for rule in as_list(configuration.props.get("rules"))
    )


def _check(repository: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    scan_on_push = is_true(dig(repository.props.get("imageScanningConfiguration"), "scanOnPush"))
    configurations = stack.of_type(families.ECR_REGISTRY_SCANNING)
    # Enhanced (Inspector) scanning replaces the repositories' own scan_on_push.
    enhanced = any(c.props.get("scanType") == "ENHANCED" for c in configurations)
    if scan_on_push and not enhanced:
        return
    # Without an explicit name, the auto-name starts with the resource name.
    name = str(repository.props.get("name") or repository.name)
    if _registry_scans(configurations, name):
        return
    if enhanced:
        yield (
            f"ECR repository '{repository.name}' is not scanned: the registry uses enhanced "
            "scanning, which ignores scan_on_push, and none of its rules matches the "
            "repository; add a rule with scan_frequency SCAN_ON_PUSH or CONTINUOUS_SCAN"
        )
    else:
        yield (
            f"ECR repository '{repository.name}' does not scan images on push; set "
            "image_scanning_configuration={'scan_on_push': True} (or a registry scanning rule)"
        )


POLICY = stack_policy(
    name="ecr-repository-scan-on-push",
    description=(
        "ECR repositories scan pushed images for vulnerabilities (scan_on_push, or a "
        "registry scanning rule that covers them)."
    ),
    resource_types=families.ECR_REPOSITORIES,
    check=_check,
    # Vulnerability detection: neither encryption nor recovery.
    category=metadata.OTHER,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set image_scanning_configuration={'scan_on_push': True} on the aws.ecr.Repository, "
        "or add an aws.ecr.RegistryScanningConfiguration whose rules (scan_frequency "
        "SCAN_ON_PUSH or CONTINUOUS_SCAN) have a repository filter matching it."
    ),
    mappings=metadata.mappings("fsbp:ECR.1", "checkov:CKV_AWS_163"),
)
