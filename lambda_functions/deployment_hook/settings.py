"""The hook's settings, read from the environment and validated once at cold start."""

from __future__ import annotations

from typing import Annotated

from shared.environment import PowertoolsSettings, Text, matching, variable

from deployment_hook.smoke import SMOKE_TESTS


class HookSettings(PowertoolsSettings):
    """What the hook needs from its environment.

    Example:
        >>> HookSettings.from_environ({"TARGET_FUNCTION": "f", "SMOKE_TEST": "queue",
        ...     "POWERTOOLS_SERVICE_NAME": "hook", "POWERTOOLS_METRICS_NAMESPACE": "n"})
        Traceback (most recent call last):
        ...
        shared.environment.ConfigurationError: invalid environment: SMOKE_TEST must be one of \
processor, api, got 'queue'
    """

    target_function: Text = variable("TARGET_FUNCTION", "the name of the function guarded")
    smoke_test: Annotated[str, matching("|".join(SMOKE_TESTS))] = variable(
        "SMOKE_TEST", f"one of {', '.join(SMOKE_TESTS)}"
    )
