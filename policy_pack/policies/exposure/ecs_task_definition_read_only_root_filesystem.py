"""ECS Linux containers have a read-only root filesystem."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import ADVISORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    containers = network.task_containers(args)
    if network.is_windows_task(args.props):
        args.not_applicable("Windows containers do not support readonlyRootFilesystem")
    for index, container in enumerate(containers):
        if not is_true(container.get("readonlyRootFilesystem")):
            yield (
                f"ECS task definition '{args.name}' lets container "
                f"'{network.container_name(container, index)}' write to its root filesystem; "
                'set "readonlyRootFilesystem": true and mount volumes for the paths it writes'
            )


POLICY = resource_policy(
    name="ecs-task-definition-read-only-root-filesystem",
    description="ECS task definitions give every Linux container a read-only root filesystem.",
    resource_types=(network.TASK_DEFINITION,),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.MEDIUM,
    enforcement=ADVISORY,
    remediation=(
        'Set "readonlyRootFilesystem": true in every container definition; give writable '
        "paths (/tmp, caches) their own volumes or bind mounts."
    ),
    mappings=metadata.mappings("fsbp:ECS.5", "checkov:CKV_AWS_336"),
)
