"""API Gateway response caches are encrypted."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import dig, is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    settings = args.props.get("settings")
    if not is_true(dig(settings, "cachingEnabled")):
        args.not_applicable("caching is not enabled for these methods")
    if not is_true(dig(settings, "cacheDataEncrypted")):
        yield (
            f"API Gateway method settings '{args.name}' enable caching without encryption; "
            "set settings.cache_data_encrypted=True"
        )


POLICY = resource_policy(
    name="apigateway-cache-encrypted",
    description="API Gateway method settings that enable caching also encrypt the cache.",
    resource_types=("aws:apigateway/methodSettings:MethodSettings",),
    check=_check,
    category=metadata.ENCRYPTION,
    severity=Severity.MEDIUM,
    enforcement=MANDATORY,
    remediation="Set settings.cache_data_encrypted=True wherever settings.caching_enabled=True.",
    mappings=(
        "fsbp:APIGateway.5",
        "checkov:CKV_AWS_308",
        "awsguard:apigateway-method-cached-and-encrypted",
    ),
)
