"""The processing settings, read from the environment and validated once at cold start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigurationError(ValueError):
    """An environment variable is missing or malformed; the message names each one."""


@dataclass(frozen=True)
class ProcessorSettings:
    """What the processing code needs from its environment.

    Example:
        >>> settings = ProcessorSettings.from_environ({
        ...     "RESULTS_TABLE": "results", "MAX_OBJECT_BYTES": "1048576",
        ...     "RESULT_TTL_DAYS": "30", "POWERTOOLS_SERVICE_NAME": "processor",
        ...     "POWERTOOLS_METRICS_NAMESPACE": "ServerlessPlatform", "LOG_LEVEL": "INFO"})
        >>> settings.max_object_bytes
        1048576
    """

    results_table: str
    max_object_bytes: int
    result_ttl_days: int
    service_name: str
    metrics_namespace: str
    log_level: str = "INFO"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ProcessorSettings:
        """Read and validate every variable, reporting all problems in one error."""
        reader = _EnvironmentReader(environ)
        settings = cls(
            results_table=reader.text("RESULTS_TABLE", "the results table name"),
            max_object_bytes=reader.integer("MAX_OBJECT_BYTES", minimum=1),
            result_ttl_days=reader.integer("RESULT_TTL_DAYS", minimum=0),
            service_name=reader.text("POWERTOOLS_SERVICE_NAME", "the service name"),
            metrics_namespace=reader.text(
                "POWERTOOLS_METRICS_NAMESPACE", "the CloudWatch metrics namespace"
            ),
            log_level=reader.choice("LOG_LEVEL", LOG_LEVELS, default="INFO"),
        )
        reader.raise_if_invalid()
        return settings


class _EnvironmentReader:
    """Collects every problem so that one failed cold start reports all of them."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        self._problems: list[str] = []

    def text(self, name: str, meaning: str) -> str:
        value = self._environ.get(name, "").strip()
        if not value:
            self._problems.append(f"{name} is not set: expected {meaning}")
        return value

    def integer(self, name: str, *, minimum: int) -> int:
        raw = self._environ.get(name)
        expected = f"an integer >= {minimum}"
        if raw is None or not raw.strip():
            self._problems.append(f"{name} is not set: expected {expected}")
            return minimum
        try:
            value = int(raw.strip())
        except ValueError:
            self._problems.append(f"{name} must be {expected}, got {raw!r}")
            return minimum
        if value < minimum:
            self._problems.append(f"{name} must be {expected}, got {raw!r}")
            return minimum
        return value

    def choice(self, name: str, choices: tuple[str, ...], *, default: str) -> str:
        raw = self._environ.get(name, "").strip()
        if not raw:
            return default
        if raw.upper() not in choices:
            self._problems.append(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
            return default
        return raw.upper()

    def raise_if_invalid(self) -> None:
        if self._problems:
            raise ConfigurationError("invalid environment: " + "; ".join(self._problems))
