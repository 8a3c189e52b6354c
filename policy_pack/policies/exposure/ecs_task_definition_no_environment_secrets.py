"""ECS containers take secrets from `secrets`, not from plain environment variables."""

from collections.abc import Iterator
from fnmatch import fnmatchcase

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy, string_list

# FSBP ECS.8 flags these names whatever the config says.
ALWAYS_SECRET = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "ECS_ENGINE_AUTH_DATA",
)
SECRET_NAME_PATTERNS = (
    "*PASSWORD*",
    "*PASSWD*",
    "*SECRET*",
    "*TOKEN*",
    "*KEY*",
    "*CREDENTIAL*",
)
# A name ending like this holds a reference to a secret (an ARN, an id, a parameter
# name), not the secret itself: DB_PASSWORD_SECRET_ARN, KMS_KEY_ID.
REFERENCE_SUFFIXES = ("_ARN", "_ID", "_NAME", "_ALIAS", "_PATH", "_PARAMETER")


def is_secret_name(name: str, config: Config) -> bool:
    upper = name.upper()
    if upper in ALWAYS_SECRET:
        return True
    if upper.endswith(tuple(suffix.upper() for suffix in config["reference_suffixes"])):
        return False
    return any(fnmatchcase(upper, pattern.upper()) for pattern in config["secret_name_patterns"])


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    containers = network.task_containers(args)
    for index, container in enumerate(containers):
        names = [n for n in network.environment_names(container) if is_secret_name(n, config)]
        if names:
            yield (
                f"ECS task definition '{args.name}' passes {', '.join(names)} to container "
                f"'{network.container_name(container, index)}' as plain environment "
                "variables, readable by anyone who can describe the task definition; move "
                'them to "secrets" (valueFrom a Secrets Manager secret or SSM parameter)'
            )


POLICY = resource_policy(
    name="ecs-task-definition-no-environment-secrets",
    description=(
        "ECS container definitions pass no credentials (names like *PASSWORD*, *SECRET*, "
        "*TOKEN*, *KEY*) as plain environment variables."
    ),
    resource_types=(network.TASK_DEFINITION,),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Store the value in Secrets Manager or SSM Parameter Store and reference it from the "
        'container\'s "secrets" ({"name": ..., "valueFrom": <ARN>}); grant the task execution '
        "role read access to it."
    ),
    mappings=metadata.mappings("fsbp:ECS.8", "cdk-nag:AwsSolutions-ECS2"),
    options={
        "secret_name_patterns": string_list(
            SECRET_NAME_PATTERNS,
            "Case-insensitive globs of environment variable names that hold secrets "
            f"({', '.join(ALWAYS_SECRET)} always do).",
        ),
        "reference_suffixes": string_list(
            REFERENCE_SUFFIXES,
            "Name endings that mark a reference to a secret (an ARN, id or name), not a "
            "secret value.",
        ),
    },
)
