"""The processing settings, read from the environment and validated once at cold start."""

from __future__ import annotations

from typing import Annotated

from shared.environment import (
    ConfigurationError,
    PowertoolsSettings,
    Text,
    integer,
    variable,
)

__all__ = ["ConfigurationError", "ProcessorSettings"]


class ProcessorSettings(PowertoolsSettings):
    """What the processing code needs from its environment.

    Example:
        >>> settings = ProcessorSettings.from_environ({
        ...     "RESULTS_TABLE": "results", "MAX_OBJECT_BYTES": "1048576",
        ...     "RESULT_TTL_DAYS": "30", "POWERTOOLS_SERVICE_NAME": "processor",
        ...     "POWERTOOLS_METRICS_NAMESPACE": "ServerlessPlatform", "LOG_LEVEL": "INFO"})
        >>> settings.max_object_bytes
        1048576
    """

    results_table: Text = variable("RESULTS_TABLE", "the results table name")
    max_object_bytes: Annotated[int, integer(1)] = variable("MAX_OBJECT_BYTES", "an integer >= 1")
    result_ttl_days: Annotated[int, integer(0)] = variable("RESULT_TTL_DAYS", "an integer >= 0")
