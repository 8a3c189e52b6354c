"""A queue's visibility timeout outlasts the functions that consume it (6x by default)."""

from collections.abc import Iterator

from pulumi_policy import PolicyResource, Severity

from ...core import metadata
from ...core.eventsources import (
    DEFAULT_FUNCTION_TIMEOUT,
    DEFAULT_VISIBILITY_TIMEOUT,
    QUEUES,
    functions_fed_by,
    number,
)
from ...core.policy import MANDATORY, Config, option, stack_policy
from ...core.stack import StackView


def _check(queue: PolicyResource, stack: StackView, config: Config) -> Iterator[str]:
    visibility = number(queue, "visibilityTimeoutSeconds", DEFAULT_VISIBILITY_TIMEOUT)
    factor = config["factor"]
    for function in functions_fed_by(stack, queue):
        timeout = number(function, "timeout", DEFAULT_FUNCTION_TIMEOUT)
        if visibility < factor * timeout:
            yield (
                f"SQS queue '{queue.name}' has a {visibility:g}s visibility timeout but feeds "
                f"function '{function.name}' (timeout {timeout:g}s); set "
                f"visibility_timeout_seconds to at least {factor * timeout:g}"
            )


POLICY = stack_policy(
    name="sqs-visibility-timeout-covers-function",
    description=(
        "SQS queues feeding Lambda have a visibility timeout of at least 6x the function timeout."
    ),
    resource_types=QUEUES,
    check=_check,
    category=metadata.RESILIENCE,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Set visibility_timeout_seconds >= factor x the function's timeout (plus the batching "
        "window), as AWS recommends for Lambda event sources."
    ),
    options={"factor": option("number", 6, "Multiple of the function timeout.", minimum=1)},
)
