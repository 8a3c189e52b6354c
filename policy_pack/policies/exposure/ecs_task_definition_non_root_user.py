"""ECS Linux containers run as a non-root user."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import ADVISORY, Config, resource_policy


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    containers = network.task_containers(args)
    if network.is_windows_task(args.props):
        args.not_applicable("Windows containers have no root user")
    for index, container in enumerate(containers):
        user = container.get("user")
        if network.is_root_user(user):
            shown = f"as user {user!r}" if user else "without a user, i.e. as the image's default"
            yield (
                f"ECS task definition '{args.name}' runs container "
                f"'{network.container_name(container, index)}' {shown} (root); set \"user\" to "
                'a non-root uid, e.g. "1000:1000"'
            )


POLICY = resource_policy(
    name="ecs-task-definition-non-root-user",
    description="ECS task definitions run every Linux container as a non-root user.",
    resource_types=(network.TASK_DEFINITION,),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        'Set "user" in every container definition to a non-root uid (or "uid:gid"), and '
        "build the image so the application runs as that user."
    ),
    mappings=("fsbp:ECS.1",),
)
