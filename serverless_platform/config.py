"""The stack's typed configuration, read and validated once at the edge.

Every component takes these frozen dataclasses, never raw `pulumi.Config` values. A bad
value fails the program with a `ConfigError` that names the key, what was expected and
what was given.

Example:
    >>> settings = parse_config({"environment": "dev", "powertoolsLayerVersion": "27",
    ...     "tags": '{"Project": "p", "Owner": "o", "CostCenter": "c", '
    ...     '"DataClassification": "internal"}'})
    >>> settings.environment, settings.processor.timeout_seconds
    ('dev', 60)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

PROJECT = "serverless-platform"

REQUIRED_TAG_KEYS = ("Project", "Environment", "Owner", "CostCenter", "DataClassification")
DATA_CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
ARCHITECTURES = ("arm64", "x86_64")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# CloudWatch Logs accepts only these retention periods.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
# The queue hides a message for this multiple of the function timeout, so a batch that
# is still running (with retries inside the SDK) is never handed to a second consumer.
VISIBILITY_TIMEOUT_FACTOR = 6
MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200
_ENVIRONMENT_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,15}$")

T = TypeVar("T")


class ConfigError(ValueError):
    """A stack config value is missing, of the wrong type, or out of range."""

    def __init__(self, key: str, expected: str, given: object) -> None:
        self.key = key
        self.expected = expected
        self.given = given
        shown = "nothing (the key is not set)" if given is _MISSING else repr(given)
        super().__init__(f"config '{PROJECT}:{key}': expected {expected}, got {shown}")


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


@dataclass(frozen=True)
class FunctionSettings:
    """Sizing shared by the platform's functions."""

    memory_mb: int
    timeout_seconds: int
    architecture: str
    reserved_concurrency: int


@dataclass(frozen=True)
class IngestSettings:
    """How the processor consumes the ingest queue."""

    batch_size: int
    batching_window_seconds: int
    max_concurrency: int
    max_object_bytes: int
    result_ttl_days: int

    def visibility_timeout_seconds(self, function_timeout_seconds: int) -> int:
        return VISIBILITY_TIMEOUT_FACTOR * function_timeout_seconds


@dataclass(frozen=True)
class PlatformConfig:
    """Everything a stack can set. Built only by `parse_config` / `load_config`."""

    environment: str
    tags: Mapping[str, str]
    processor: FunctionSettings
    ingest: IngestSettings
    log_retention_days: int
    log_level: str
    powertools_layer_version: int
    deletion_protection: bool
    kms_deletion_window_days: int
    noncurrent_version_expiration_days: int
    access_log_retention_days: int


class _Reader:
    """Typed access to raw config text, raising ConfigError that names the key."""

    def __init__(self, raw: Mapping[str, str | None]) -> None:
        self._raw = raw

    def _text(self, key: str, default: object) -> object:
        value = self._raw.get(key)
        if value is None:
            if default is _MISSING:
                raise ConfigError(key, "a value", _MISSING)
            return default
        return value

    def object(self, key: str, default: object = _MISSING) -> dict[str, Any]:
        value = self._text(key, default)
        if isinstance(value, dict):
            return value
        try:
            parsed = json.loads(str(value))
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ConfigError(key, "an object", value)
        return parsed


def _integer(key: str, value: object, minimum: int, maximum: int) -> int:
    expected = f"an integer from {minimum} to {maximum}"
    if isinstance(value, bool):
        raise ConfigError(key, expected, value)
    if isinstance(value, str):
        if not re.fullmatch(r"-?\d+", value.strip()):
            raise ConfigError(key, expected, value)
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ConfigError(key, expected, value)
    if not minimum <= value <= maximum:
        raise ConfigError(key, expected, value)
    return value


def _boolean(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ConfigError(key, "true or false", value)


def _choice(key: str, value: object, choices: tuple[T, ...]) -> T:
    candidates = [c for c in choices if str(c) == str(value)]
    if not candidates:
        shown = ", ".join(str(c) for c in choices)
        raise ConfigError(key, f"one of {shown}", value)
    return candidates[0]


def _field(
    section: Mapping[str, Any], section_key: str, name: str, default: object
) -> tuple[str, object]:
    key = f"{section_key}.{name}"
    value = section.get(name, default)
    if value is _MISSING:
        raise ConfigError(key, "a value", _MISSING)
    return key, value


def _parse_tags(reader: _Reader, environment: str) -> dict[str, str]:
    raw_tags = reader.object("tags")
    tags: dict[str, str] = {}
    for tag_key, tag_value in raw_tags.items():
        if not isinstance(tag_value, str) or not tag_value.strip() or len(tag_value) > 256:
            raise ConfigError(
                f"tags.{tag_key}", "a non-empty string of at most 256 characters", tag_value
            )
        tags[str(tag_key)] = tag_value
    # The Environment tag always equals the environment, so it is derived, not repeated.
    if "Environment" in tags and tags["Environment"] != environment:
        raise ConfigError(
            "tags.Environment",
            f"'{environment}' (the environment) or no value",
            tags["Environment"],
        )
    tags["Environment"] = environment
    for required in REQUIRED_TAG_KEYS:
        if required not in tags:
            raise ConfigError(f"tags.{required}", "a value (required tag)", _MISSING)
    _choice("tags.DataClassification", tags["DataClassification"], DATA_CLASSIFICATIONS)
    return tags


def _parse_processor(reader: _Reader) -> tuple[FunctionSettings, IngestSettings]:
    section = reader.object("processor", {})

    def read(name: str, default: object, parse: Callable[[str, object], T]) -> T:
        key, value = _field(section, "processor", name, default)
        return parse(key, value)

    timeout = read("timeoutSeconds", 60, lambda k, v: _integer(k, v, 3, 900))
    function = FunctionSettings(
        memory_mb=read("memoryMb", 512, lambda k, v: _integer(k, v, 128, 10_240)),
        timeout_seconds=timeout,
        architecture=read("architecture", "arm64", lambda k, v: _choice(k, v, ARCHITECTURES)),
        # Zero would throttle every invocation; AWS accepts it, a working platform does not.
        reserved_concurrency=read("reservedConcurrency", 5, lambda k, v: _integer(k, v, 2, 1000)),
    )
    batching_window = read("batchingWindowSeconds", 5, lambda k, v: _integer(k, v, 0, 300))
    batch_size = read("batchSize", 10, lambda k, v: _integer(k, v, 1, 10_000))
    if batch_size > 10 and batching_window == 0:
        # SQS rejects batches over 10 messages unless a batching window is set.
        raise ConfigError(
            "processor.batchSize",
            "at most 10 when processor.batchingWindowSeconds is 0",
            batch_size,
        )
    max_concurrency = read("maxConcurrency", 2, lambda k, v: _integer(k, v, 2, 1000))
    if max_concurrency > function.reserved_concurrency:
        # More pollers than reserved executions means throttled invocations and retries.
        raise ConfigError(
            "processor.maxConcurrency",
            f"at most processor.reservedConcurrency ({function.reserved_concurrency})",
            max_concurrency,
        )
    ingest = IngestSettings(
        batch_size=batch_size,
        batching_window_seconds=batching_window,
        max_concurrency=max_concurrency,
        max_object_bytes=read(
            "maxObjectBytes", 10 * 1024 * 1024, lambda k, v: _integer(k, v, 1, 512 * 1024 * 1024)
        ),
        result_ttl_days=read("resultTtlDays", 0, lambda k, v: _integer(k, v, 0, 3650)),
    )
    if VISIBILITY_TIMEOUT_FACTOR * timeout > MAX_VISIBILITY_TIMEOUT_SECONDS:
        raise ConfigError(
            "processor.timeoutSeconds",
            f"at most {MAX_VISIBILITY_TIMEOUT_SECONDS // VISIBILITY_TIMEOUT_FACTOR}",
            timeout,
        )
    return function, ingest


def parse_config(raw: Mapping[str, str | None]) -> PlatformConfig:
    """Validate raw config text (keys without the project namespace) into PlatformConfig."""
    reader = _Reader(raw)
    environment = str(reader._text("environment", _MISSING))
    if not _ENVIRONMENT_PATTERN.fullmatch(environment):
        raise ConfigError(
            "environment", "2-16 characters: lower-case letters, digits and '-'", environment
        )
    processor, ingest = _parse_processor(reader)

    def scalar(key: str, default: object) -> object:
        return reader._text(key, default)

    return PlatformConfig(
        environment=environment,
        tags=_parse_tags(reader, environment),
        processor=processor,
        ingest=ingest,
        log_retention_days=_choice(
            "logRetentionDays", scalar("logRetentionDays", 30), LOG_RETENTION_DAYS
        ),
        log_level=_choice("logLevel", scalar("logLevel", "INFO"), LOG_LEVELS),
        powertools_layer_version=_integer(
            "powertoolsLayerVersion", scalar("powertoolsLayerVersion", _MISSING), 1, 1000
        ),
        deletion_protection=_boolean("deletionProtection", scalar("deletionProtection", True)),
        kms_deletion_window_days=_integer(
            "kmsDeletionWindowDays", scalar("kmsDeletionWindowDays", 30), 7, 30
        ),
        noncurrent_version_expiration_days=_integer(
            "noncurrentVersionExpirationDays",
            scalar("noncurrentVersionExpirationDays", 30),
            1,
            3650,
        ),
        access_log_retention_days=_integer(
            "accessLogRetentionDays", scalar("accessLogRetentionDays", 90), 1, 3650
        ),
    )


CONFIG_KEYS = (
    "environment",
    "tags",
    "processor",
    "logRetentionDays",
    "logLevel",
    "powertoolsLayerVersion",
    "deletionProtection",
    "kmsDeletionWindowDays",
    "noncurrentVersionExpirationDays",
    "accessLogRetentionDays",
)


def load_config() -> PlatformConfig:
    """Read this stack's config through the Pulumi runtime, once."""
    import pulumi

    config = pulumi.Config(PROJECT)
    return parse_config({key: config.get(key) for key in CONFIG_KEYS})
