"""ECS containers do not run privileged."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata, network
from ...core.policy import MANDATORY, Config, resource_policy
from ...core.props import is_true


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    containers = network.task_containers(args)
    for index, container in enumerate(containers):
        if is_true(container.get("privileged")):
            yield (
                f"ECS task definition '{args.name}' runs container "
                f"'{network.container_name(container, index)}' privileged, with root access "
                "to the host; remove privileged (or set it false) and grant only the Linux "
                "capabilities it needs"
            )


POLICY = resource_policy(
    name="ecs-task-definition-no-privileged-containers",
    description="ECS task definitions run no container with privileged=true.",
    resource_types=(network.TASK_DEFINITION,),
    check=_check,
    category=metadata.EXPOSURE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Drop 'privileged' from the container definitions; add specific capabilities under "
        "linuxParameters.capabilities.add if the container really needs them."
    ),
    mappings=metadata.mappings("fsbp:ECS.4", "checkov:CKV_AWS_334"),
)
