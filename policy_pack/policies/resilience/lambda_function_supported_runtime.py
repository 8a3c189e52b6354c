"""Lambda functions run on a runtime that still receives security patches."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.policy import MANDATORY, Config, resource_policy, string_list

SUPPORTED_RUNTIMES = (
    "python3.12",
    "python3.13",
    "nodejs20.x",
    "nodejs22.x",
    "java21",
    "dotnet8",
    "provided.al2023",
)


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    if args.props.get("packageType") == "Image":
        args.not_applicable("container image functions bring their own runtime")
    runtime = args.props.get("runtime")
    if runtime not in config["runtimes"]:
        yield (
            f"Lambda function '{args.name}' uses runtime {runtime!r}; use one of "
            f"{', '.join(config['runtimes'])}"
        )


POLICY = resource_policy(
    name="lambda-function-supported-runtime",
    description="Lambda functions use a runtime from the supported allow-list.",
    resource_types=("aws:lambda/function:Function",),
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Move the function to a supported runtime (the allow-list is this policy's `runtimes` "
        "config)."
    ),
    mappings=("fsbp:Lambda.2", "cdk-nag:AwsSolutions-L1", "checkov:CKV_AWS_363"),
    options={"runtimes": string_list(SUPPORTED_RUNTIMES, "Allowed Lambda runtimes.")},
)
