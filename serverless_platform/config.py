"""The stack's typed configuration, read and validated once at the edge.

Every component takes these frozen dataclasses, never raw `pulumi.Config` values. A bad
value fails the program with a `ConfigError` that names the key, what was expected and
what was given.

Example:
    >>> settings = parse_config({"environment": "dev", "powertoolsLayerVersion": "27",
    ...     "target": '{"region": "us-east-1"}',
    ...     "tags": '{"Project": "p", "Owner": "o", "CostCenter": "c", '
    ...     '"DataClassification": "internal"}'})
    >>> settings.environment, settings.processor.timeout_seconds
    ('dev', 60)
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping
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
_HOSTNAME_PATTERN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
QUOTA_PERIODS = ("DAY", "WEEK", "MONTH")
_REGION_PATTERN = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
_ROLE_ARN_PATTERN = re.compile(r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_POLICY_ARN_PATTERN = re.compile(r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:policy/[\w+=,.@/-]{1,512}$")
API_LOGGING_LEVELS = ("ERROR", "INFO")

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
class ProvisionedConcurrency:
    """Provisioned executions on the `live` alias, scaled by target tracking."""

    minimum: int
    maximum: int
    target_utilization: float


@dataclass(frozen=True)
class ApiSettings:
    """The REST API, its usage plan, optional custom domain and the api function."""

    function: FunctionSettings
    throttle_rate_limit: int
    throttle_burst_limit: int
    quota_limit: int
    quota_period: str
    logging_level: str
    account_cloudwatch_role: bool
    domain_name: str | None
    hosted_zone_id: str | None
    presigned_url_expiry_seconds: int
    provisioned_concurrency: ProvisionedConcurrency | None


@dataclass(frozen=True)
class WorkflowSettings:
    """The reprocess state machine and its two step functions."""

    function: FunctionSettings
    max_objects: int
    max_concurrency: int
    failed_keys_cap: int
    include_execution_data: bool


@dataclass(frozen=True)
class AlarmSettings:
    """Where alarms go and when they fire."""

    emails: tuple[str, ...]
    evaluation_periods: int
    period_seconds: int
    processor_errors: int
    processor_throttles: int
    duration_percent_of_timeout: int
    queue_oldest_message_age_seconds: int
    api_5xx_rate_percent: float
    api_4xx_rate_percent: float
    api_p99_latency_ms: int
    api_function_errors: int
    workflow_failed_executions: int
    dynamodb_throttled_requests: int
    concurrency_percent_of_reserved: int
    runbook_base_url: str


@dataclass(frozen=True)
class DeploymentTarget:
    """Where the stack deploys: a region, and optionally a role in another account."""

    region: str
    assume_role_arn: str | None
    external_id: str | None
    session_name: str
    # The boundary every role the stack creates carries; required where the deploy role
    # only creates bounded roles (bootstrap/: its `role_boundary_arn` output).
    permissions_boundary_arn: str | None = None

    @property
    def account_id(self) -> str | None:
        """The target account, when it is named by the assumed role."""
        return self.assume_role_arn.split(":")[4] if self.assume_role_arn else None


@dataclass(frozen=True)
class PlatformConfig:
    """Everything a stack can set. Built only by `parse_config` / `load_config`."""

    environment: str
    target: DeploymentTarget
    # Regions that hold a full copy of the data plane (off in dev): see docs/high-availability.md.
    replica_regions: tuple[str, ...]
    tags: Mapping[str, str]
    processor: FunctionSettings
    ingest: IngestSettings
    api: ApiSettings
    workflow: WorkflowSettings
    alarms: AlarmSettings
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

    def object_or_list(self, key: str, default: object = _MISSING) -> object:
        value = self._text(key, default)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
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


def reject_unknown_keys(section: str, given: Iterable[str], known: Iterable[str]) -> None:
    """A misspelled key would otherwise be ignored and its default used in silence.

    >>> reject_unknown_keys("processor", ["memroyMb"], ["memoryMb", "timeoutSeconds"])
    Traceback (most recent call last):
    ...
    serverless_platform.config.ConfigError: config 'serverless-platform:processor.memroyMb': \
expected a key processor has (did you mean 'memoryMb'?), got an unknown key
    """
    known = list(known)
    for name in sorted(set(given) - set(known)):
        nearest = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean '{nearest[0]}'?" if nearest else f"one of {', '.join(known)}"
        where = f"{section}.{name}" if section else name
        owner = section or "the stack config"
        raise ConfigError(where, f"a key {owner} has ({hint})", _UNKNOWN_KEY)


class _UnknownKey:
    def __repr__(self) -> str:
        return "an unknown key"


_UNKNOWN_KEY: Any = _UnknownKey()


class _Section:
    """Fields of one object-valued key, each validated under `<section>.<field>`.
    `done()` rejects the fields nothing read."""

    def __init__(self, reader: _Reader, key: str) -> None:
        self.key = key
        self.values = reader.object(key, {})
        self.read_names: list[str] = []

    def read(self, name: str, default: object, parse: Callable[[str, object], T]) -> T:
        self.read_names.append(name)
        key, value = _field(self.values, self.key, name, default)
        return parse(key, value)

    def optional(self, name: str, parse: Callable[[str, object], T]) -> T | None:
        self.read_names.append(name)
        value = self.values.get(name)
        return None if value is None else parse(f"{self.key}.{name}", value)

    def done(self) -> None:
        reject_unknown_keys(self.key, self.values, self.read_names)

    def integer(self, name: str, default: object, minimum: int, maximum: int) -> int:
        return self.read(name, default, lambda k, v: _integer(k, v, minimum, maximum))

    def function(
        self, *, memory: int, timeout: int, max_timeout: int, reserved: int
    ) -> FunctionSettings:
        return FunctionSettings(
            memory_mb=self.integer("memoryMb", memory, 128, 10_240),
            timeout_seconds=self.integer("timeoutSeconds", timeout, 3, max_timeout),
            architecture=self.read(
                "architecture", "arm64", lambda k, v: _choice(k, v, ARCHITECTURES)
            ),
            # Zero would throttle every invocation; AWS accepts it, a working platform does not.
            reserved_concurrency=self.integer("reservedConcurrency", reserved, 2, 1000),
        )


def _parse_processor(reader: _Reader) -> tuple[FunctionSettings, IngestSettings]:
    section = _Section(reader, "processor")
    function = section.function(memory=512, timeout=60, max_timeout=900, reserved=5)
    timeout = function.timeout_seconds
    batching_window = section.integer("batchingWindowSeconds", 5, 0, 300)
    batch_size = section.integer("batchSize", 10, 1, 10_000)
    if batch_size > 10 and batching_window == 0:
        # SQS rejects batches over 10 messages unless a batching window is set.
        raise ConfigError(
            "processor.batchSize",
            "at most 10 when processor.batchingWindowSeconds is 0",
            batch_size,
        )
    max_concurrency = section.integer("maxConcurrency", 2, 2, 1000)
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
        max_object_bytes=section.integer("maxObjectBytes", 10 * 1024 * 1024, 1, 512 * 1024 * 1024),
        result_ttl_days=section.integer("resultTtlDays", 0, 0, 3650),
    )
    if VISIBILITY_TIMEOUT_FACTOR * timeout > MAX_VISIBILITY_TIMEOUT_SECONDS:
        raise ConfigError(
            "processor.timeoutSeconds",
            f"at most {MAX_VISIBILITY_TIMEOUT_SECONDS // VISIBILITY_TIMEOUT_FACTOR}",
            timeout,
        )
    result = function, ingest
    section.done()
    return result


def _hostname(key: str, value: object) -> str:
    if not isinstance(value, str) or not _HOSTNAME_PATTERN.fullmatch(value):
        raise ConfigError(key, "a DNS name such as api.example.com", value)
    return value


def _zone_id(key: str, value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"Z[A-Z0-9]{4,31}", value):
        raise ConfigError(key, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ", value)
    return value


def _fraction(key: str, value: object, minimum: float, maximum: float) -> float:
    try:
        number = float(str(value))
    except ValueError:
        number = float("nan")
    if isinstance(value, bool) or not minimum <= number <= maximum:
        raise ConfigError(key, f"a number from {minimum} to {maximum}", value)
    return number


def _parse_provisioned(key: str, value: object, reserved: int) -> ProvisionedConcurrency:
    if not isinstance(value, dict):
        raise ConfigError(key, "an object with minimum, maximum and targetUtilization", value)
    reject_unknown_keys(key, value, ("minimum", "maximum", "targetUtilization"))
    minimum = _integer(f"{key}.minimum", value.get("minimum", _MISSING), 1, 1000)
    maximum = _integer(f"{key}.maximum", value.get("maximum", _MISSING), minimum, 1000)
    if maximum > reserved:
        # Provisioned executions come out of the function's reserved concurrency.
        raise ConfigError(
            f"{key}.maximum", f"at most api.reservedConcurrency ({reserved})", maximum
        )
    return ProvisionedConcurrency(
        minimum=minimum,
        maximum=maximum,
        target_utilization=_fraction(
            f"{key}.targetUtilization", value.get("targetUtilization", 0.7), 0.1, 0.9
        ),
    )


def _parse_api(reader: _Reader) -> ApiSettings:
    section = _Section(reader, "api")
    # API Gateway gives up on an integration after 29 seconds.
    function = section.function(memory=512, timeout=10, max_timeout=29, reserved=5)
    domain = section.optional("domainName", _hostname)
    zone = section.optional("hostedZoneId", _zone_id)
    if (domain is None) != (zone is None):
        missing = "api.hostedZoneId" if zone is None else "api.domainName"
        raise ConfigError(missing, "a value, because a custom domain needs both", _MISSING)
    burst = section.integer("throttleBurstLimit", 100, 1, 5000)
    result = ApiSettings(
        function=function,
        throttle_rate_limit=section.integer("throttleRateLimit", 50, 1, 10_000),
        throttle_burst_limit=burst,
        quota_limit=section.integer("quotaLimit", 100_000, 1, 1_000_000_000),
        quota_period=section.read(
            "quotaPeriod", "MONTH", lambda k, v: _choice(k, v, QUOTA_PERIODS)
        ),
        logging_level=section.read(
            "loggingLevel", "ERROR", lambda k, v: _choice(k, v, API_LOGGING_LEVELS)
        ),
        account_cloudwatch_role=section.read("accountCloudWatchRole", True, _boolean),
        domain_name=domain,
        hosted_zone_id=zone,
        presigned_url_expiry_seconds=section.integer("presignedUrlExpirySeconds", 900, 60, 3600),
        provisioned_concurrency=section.optional(
            "provisionedConcurrency",
            lambda k, v: _parse_provisioned(k, v, function.reserved_concurrency),
        ),
    )
    section.done()
    return result


def _parse_workflow(reader: _Reader) -> WorkflowSettings:
    section = _Section(reader, "workflow")
    result = WorkflowSettings(
        function=section.function(memory=512, timeout=300, max_timeout=900, reserved=5),
        # The Map is inline: keys and outcomes share the execution's 256 KiB payload,
        # which holds about 800 results of typical key length.
        max_objects=section.integer("maxObjects", 500, 1, 800),
        max_concurrency=section.integer("maxConcurrency", 5, 1, 40),
        failed_keys_cap=section.integer("failedKeysCap", 50, 1, 1000),
        include_execution_data=section.read("includeExecutionData", False, _boolean),
    )
    section.done()
    return result


def _emails(key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(key, "a list of email addresses", value)
    for index, email in enumerate(value):
        if not isinstance(email, str) or not _EMAIL_PATTERN.fullmatch(email):
            raise ConfigError(f"{key}[{index}]", "an email address", email)
    return tuple(value)


def _url(key: str, value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"https://[^\s]+/", value):
        raise ConfigError(key, "an https:// URL ending in '/'", value)
    return value


def _parse_alarms(reader: _Reader) -> AlarmSettings:
    section = _Section(reader, "alarms")
    result = AlarmSettings(
        emails=section.read("emails", [], _emails),
        evaluation_periods=section.integer("evaluationPeriods", 1, 1, 100),
        period_seconds=section.read(
            "periodSeconds",
            300,
            lambda k, v: _choice(k, _integer(k, v, 10, 86_400), (10, 30, 60, 300, 900, 3600)),
        ),
        processor_errors=section.integer("processorErrors", 1, 1, 1_000_000),
        processor_throttles=section.integer("processorThrottles", 1, 1, 1_000_000),
        duration_percent_of_timeout=section.integer("durationPercentOfTimeout", 80, 10, 100),
        queue_oldest_message_age_seconds=section.integer(
            "queueOldestMessageAgeSeconds", 900, 60, 1_209_600
        ),
        api_5xx_rate_percent=section.read(
            "api5xxRatePercent", 1, lambda k, v: _fraction(k, v, 0.01, 100)
        ),
        # Clients make mistakes: a few 4XX are normal, a surge is a broken client release,
        # a revoked or leaked key, throttling, or the firewall blocking someone.
        api_4xx_rate_percent=section.read(
            "api4xxRatePercent", 10, lambda k, v: _fraction(k, v, 0.01, 100)
        ),
        api_p99_latency_ms=section.integer("apiP99LatencyMs", 2000, 10, 29_000),
        api_function_errors=section.integer("apiFunctionErrors", 1, 1, 1_000_000),
        workflow_failed_executions=section.integer("workflowFailedExecutions", 1, 1, 1_000_000),
        dynamodb_throttled_requests=section.integer("dynamodbThrottledRequests", 1, 1, 1_000_000),
        concurrency_percent_of_reserved=section.integer(
            "concurrencyPercentOfReserved", 80, 10, 100
        ),
        runbook_base_url=section.read(
            "runbookBaseUrl",
            "https://github.com/your-org/serverless-platform/blob/main/",
            _url,
        ),
    )
    section.done()
    return result


def _region(key: str, value: object) -> str:
    if not isinstance(value, str) or not _REGION_PATTERN.fullmatch(value):
        raise ConfigError(key, "an AWS region such as us-east-1", value)
    return value


def _role_arn(key: str, value: object) -> str:
    if not isinstance(value, str) or not _ROLE_ARN_PATTERN.fullmatch(value):
        raise ConfigError(
            key, "an IAM role ARN such as arn:aws:iam::123456789012:role/deploy", value
        )
    return value


def _policy_arn(key: str, value: object) -> str:
    if not isinstance(value, str) or not _POLICY_ARN_PATTERN.fullmatch(value):
        raise ConfigError(
            key,
            "an IAM policy ARN such as arn:aws:iam::123456789012:policy/role-boundary",
            value,
        )
    return value


def _text(key: str, value: object, pattern: str, expected: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        raise ConfigError(key, expected, value)
    return value


def _parse_target(reader: _Reader) -> DeploymentTarget:
    section = _Section(reader, "target")
    role = section.optional("assumeRoleArn", _role_arn)
    external_id = section.optional(
        "externalId",
        lambda k, v: _text(
            k, v, r"[\w+=,.@:/-]{2,1224}", "2-1224 characters of [A-Za-z0-9+=,.@:/_-]"
        ),
    )
    if external_id is not None and role is None:
        raise ConfigError(
            "target.assumeRoleArn", "a value, because target.externalId is set", _MISSING
        )
    result = DeploymentTarget(
        region=section.read("region", _MISSING, _region),
        assume_role_arn=role,
        external_id=external_id,
        session_name=section.read(
            "sessionName",
            PROJECT,
            lambda k, v: _text(k, v, r"[\w+=,.@-]{2,64}", "2-64 characters of [A-Za-z0-9+=,.@_-]"),
        ),
        permissions_boundary_arn=section.optional("permissionsBoundaryArn", _policy_arn),
    )
    section.done()
    return result


def _parse_replica_regions(reader: _Reader, primary: str) -> tuple[str, ...]:
    value = reader.object_or_list("replicaRegions", [])
    if not isinstance(value, list):
        raise ConfigError("replicaRegions", "a list of AWS regions", value)
    regions = tuple(_region(f"replicaRegions[{i}]", r) for i, r in enumerate(value))
    if primary in regions or len(set(regions)) != len(regions):
        raise ConfigError("replicaRegions", f"distinct regions other than {primary}", value)
    return regions


def parse_config(raw: Mapping[str, str | None]) -> PlatformConfig:
    """Validate raw config text (keys without the project namespace) into PlatformConfig."""
    reject_unknown_keys("", [key for key, value in raw.items() if value is not None], CONFIG_KEYS)
    reader = _Reader(raw)
    environment = str(reader._text("environment", _MISSING))
    if not _ENVIRONMENT_PATTERN.fullmatch(environment):
        raise ConfigError(
            "environment", "2-16 characters: lower-case letters, digits and '-'", environment
        )
    processor, ingest = _parse_processor(reader)

    def scalar(key: str, default: object) -> object:
        return reader._text(key, default)

    target = _parse_target(reader)
    return PlatformConfig(
        environment=environment,
        target=target,
        replica_regions=_parse_replica_regions(reader, target.region),
        tags=_parse_tags(reader, environment),
        processor=processor,
        ingest=ingest,
        api=_parse_api(reader),
        workflow=_parse_workflow(reader),
        alarms=_parse_alarms(reader),
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
    "target",
    "replicaRegions",
    "tags",
    "processor",
    "api",
    "workflow",
    "alarms",
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
    from pulumi.runtime import config as runtime_config

    config = pulumi.Config(PROJECT)
    # Every key set under the namespace, so that a misspelled one is an error, not ignored.
    # The runtime keeps the stack's config in CONFIG (or PULUMI_CONFIG, under the CLI).
    given = {*runtime_config.CONFIG.get(), *runtime_config.get_config_env()}
    names = {key.split(":", 1)[1] for key in given if key.startswith(f"{PROJECT}:")}
    return parse_config({key: config.get(key) for key in {*CONFIG_KEYS, *names}})
