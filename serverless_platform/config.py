"""The stack's typed configuration, read and validated once at the edge.

The config as written in `Pulumi.<stack>.yaml` is described by pydantic models (camelCase
aliases, unknown keys forbidden), the same mechanism the functions' environments and
`bootstrap/` use. Components take the resulting frozen models, never raw `pulumi.Config`
values. A bad value fails the program with a `ConfigError` that names the key, what was
expected and what was given; a misspelled key names the nearest valid one.

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
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, get_args

from pydantic import (
    AliasGenerator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

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
QUOTA_PERIODS = ("DAY", "WEEK", "MONTH")
API_LOGGING_LEVELS = ("ERROR", "INFO")
ALARM_PERIODS = (10, 30, 60, 300, 900, 3600)
# CodeDeploy's predefined Lambda deployment configurations: how traffic moves from the
# `live` alias's current version to the new one.
DEPLOYMENT_STRATEGIES = (
    "CodeDeployDefault.LambdaAllAtOnce",
    "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    "CodeDeployDefault.LambdaCanary10Percent10Minutes",
    "CodeDeployDefault.LambdaCanary10Percent15Minutes",
    "CodeDeployDefault.LambdaCanary10Percent30Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
)
_HOSTNAME_PATTERN = r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
_EMAIL_PATTERN = r"[^@\s]+@[^@\s]+\.[a-z]{2,}"
_REGION_PATTERN = r"[a-z]{2}(-gov)?-[a-z]+-\d"
_ARN_PARTITION = r"arn:aws(-cn|-us-gov)?"
_ACCOUNT_ID_PATTERN = r"\d{12}"


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


class _UnknownKey:
    def __repr__(self) -> str:
        return "an unknown key"


_UNKNOWN_KEY: Any = _UnknownKey()


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


# --- Field types: each says what it expects in the words a ConfigError uses ------------


class _UnmetExpectationError(ValueError):
    """A value a field refuses; `expected` completes "expected ...". `key`, when set, is
    relative to the model that raised it (a rule across fields names the field to fix)."""

    def __init__(self, expected: str, key: str = "", given: object = _MISSING) -> None:
        super().__init__(expected)
        self.expected = expected
        self.key = key
        self.given = given


def _integer(minimum: int, maximum: int) -> BeforeValidator:
    expected = f"an integer from {minimum} to {maximum}"

    def check(value: Any) -> int:
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _UnmetExpectationError(expected)
        if not minimum <= value <= maximum:
            raise _UnmetExpectationError(expected)
        return value

    return BeforeValidator(check)


def _number(minimum: float, maximum: float) -> BeforeValidator:
    def check(value: Any) -> float:
        try:
            number = float(str(value))
        except ValueError:
            number = float("nan")
        if isinstance(value, bool) or not minimum <= number <= maximum:
            raise _UnmetExpectationError(f"a number from {minimum} to {maximum}")
        return number

    return BeforeValidator(check)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _UnmetExpectationError("true or false")


def _choice(choices: tuple[Any, ...]) -> BeforeValidator:
    def check(value: Any) -> Any:
        candidates = [c for c in choices if str(c) == str(value)]
        if not candidates:
            raise _UnmetExpectationError(f"one of {', '.join(str(c) for c in choices)}")
        return candidates[0]

    return BeforeValidator(check)


def _text(pattern: str, expected: str) -> BeforeValidator:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not re.fullmatch(pattern, value):
            raise _UnmetExpectationError(expected)
        return value

    return BeforeValidator(check)


def _json(value: Any) -> Any:
    """Objects and lists arrive from Pulumi as JSON text."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _object(value: Any) -> Any:
    decoded = _json(value)
    if not isinstance(decoded, dict):
        raise _UnmetExpectationError("an object")
    return decoded


BOOLEAN = Annotated[bool, BeforeValidator(_boolean)]
# A section: an object, or its JSON text.
AN_OBJECT = BeforeValidator(_object)
REGION = Annotated[str, _text(_REGION_PATTERN, "an AWS region such as us-east-1")]


class _Config(BaseModel):
    """One object of the stack config: camelCase keys, nothing else allowed."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=AliasGenerator(validation_alias=to_camel),
        populate_by_name=True,
    )


# --- The config as written --------------------------------------------------------------


class FunctionSettings(_Config):
    """Sizing shared by the platform's functions (each section sets its own bounds)."""

    memory_mb: Annotated[int, _integer(128, 10_240)] = 512
    timeout_seconds: int
    architecture: Annotated[str, _choice(ARCHITECTURES)] = "arm64"
    # Zero would throttle every invocation; AWS accepts it, a working platform does not.
    reserved_concurrency: Annotated[int, _integer(2, 1000)] = 5

    @property
    def function(self) -> FunctionSettings:
        """Only the function's sizing, whatever section it came from."""
        return FunctionSettings(
            memory_mb=self.memory_mb,
            timeout_seconds=self.timeout_seconds,
            architecture=self.architecture,
            reserved_concurrency=self.reserved_concurrency,
        )


class IngestSettings(_Config):
    """How the processor consumes the ingest queue."""

    batch_size: Annotated[int, _integer(1, 10_000)] = 10
    batching_window_seconds: Annotated[int, _integer(0, 300)] = 5
    max_concurrency: Annotated[int, _integer(2, 1000)] = 2
    max_object_bytes: Annotated[int, _integer(1, 512 * 1024 * 1024)] = 10 * 1024 * 1024
    result_ttl_days: Annotated[int, _integer(0, 3650)] = 0

    def visibility_timeout_seconds(self, function_timeout_seconds: int) -> int:
        return VISIBILITY_TIMEOUT_FACTOR * function_timeout_seconds


class ProcessorSection(FunctionSettings, IngestSettings):
    """`processor`: the processor function and how it consumes the queue."""

    timeout_seconds: Annotated[int, _integer(3, 900)] = 60

    @model_validator(mode="after")
    def _consistent(self) -> ProcessorSection:
        if self.batching_window_seconds == 0 and self.batch_size > 10:
            # SQS event sources allow more than 10 only with a batching window.
            raise _UnmetExpectationError(
                "at most 10 when processor.batchingWindowSeconds is 0", "batchSize", self.batch_size
            )
        if self.max_concurrency > self.reserved_concurrency:
            # More pollers than reserved executions means throttled invocations and retries.
            raise _UnmetExpectationError(
                f"at most processor.reservedConcurrency ({self.reserved_concurrency})",
                "maxConcurrency",
                self.max_concurrency,
            )
        if VISIBILITY_TIMEOUT_FACTOR * self.timeout_seconds > MAX_VISIBILITY_TIMEOUT_SECONDS:
            raise _UnmetExpectationError(
                f"at most {MAX_VISIBILITY_TIMEOUT_SECONDS // VISIBILITY_TIMEOUT_FACTOR}",
                "timeoutSeconds",
                self.timeout_seconds,
            )
        return self

    def ingest(self) -> IngestSettings:
        return IngestSettings(
            batch_size=self.batch_size,
            batching_window_seconds=self.batching_window_seconds,
            max_concurrency=self.max_concurrency,
            max_object_bytes=self.max_object_bytes,
            result_ttl_days=self.result_ttl_days,
        )


class ProvisionedConcurrency(_Config):
    """Provisioned executions on the `live` alias, scaled by target tracking."""

    minimum: Annotated[int, _integer(1, 1000)]
    maximum: Annotated[int, _integer(1, 1000)]
    target_utilization: Annotated[float, _number(0.1, 0.9)] = 0.7

    @model_validator(mode="after")
    def _ordered(self) -> ProvisionedConcurrency:
        if self.maximum < self.minimum:
            raise _UnmetExpectationError(
                f"an integer from {self.minimum} to 1000", "maximum", self.maximum
            )
        return self


class ApiSettings(FunctionSettings):
    """`api`: the REST API, its usage plan, optional custom domain and the api function."""

    # API Gateway gives up on an integration after 29 seconds.
    timeout_seconds: Annotated[int, _integer(3, 29)] = 10
    throttle_rate_limit: Annotated[int, _integer(1, 10_000)] = 50
    throttle_burst_limit: Annotated[int, _integer(1, 5000)] = 100
    quota_limit: Annotated[int, _integer(1, 1_000_000_000)] = 100_000
    quota_period: Annotated[str, _choice(QUOTA_PERIODS)] = "MONTH"
    logging_level: Annotated[str, _choice(API_LOGGING_LEVELS)] = "ERROR"
    account_cloudwatch_role: BOOLEAN = Field(default=True, validation_alias="accountCloudWatchRole")
    domain_name: (
        Annotated[str, _text(_HOSTNAME_PATTERN, "a DNS name such as api.example.com")] | None
    ) = None
    hosted_zone_id: (
        Annotated[
            str,
            _text(r"Z[A-Z0-9]{4,31}", "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ"),
        ]
        | None
    ) = None
    presigned_url_expiry_seconds: Annotated[int, _integer(60, 3600)] = 900
    provisioned_concurrency: Annotated[ProvisionedConcurrency, AN_OBJECT] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ApiSettings:
        if (self.domain_name is None) != (self.hosted_zone_id is None):
            missing = "hostedZoneId" if self.hosted_zone_id is None else "domainName"
            raise _UnmetExpectationError("a value, because a custom domain needs both", missing)
        provisioned = self.provisioned_concurrency
        if provisioned is not None and provisioned.maximum > self.reserved_concurrency:
            # Provisioned executions come out of the function's reserved concurrency.
            raise _UnmetExpectationError(
                f"at most api.reservedConcurrency ({self.reserved_concurrency})",
                "provisionedConcurrency.maximum",
                provisioned.maximum,
            )
        return self


class WorkflowSettings(FunctionSettings):
    """`workflow`: the reprocess state machine and its two step functions."""

    timeout_seconds: Annotated[int, _integer(3, 900)] = 300
    # The Map is inline: keys and outcomes share the execution's 256 KiB payload, which
    # holds about 800 results of typical key length.
    max_objects: Annotated[int, _integer(1, 800)] = 500
    max_concurrency: Annotated[int, _integer(1, 40)] = 5
    failed_keys_cap: Annotated[int, _integer(1, 1000)] = 50
    include_execution_data: BOOLEAN = False


def _emails(value: Any) -> tuple[str, ...]:
    value = _json(value)
    if not isinstance(value, list):
        raise _UnmetExpectationError("a list of email addresses")
    for index, email in enumerate(value):
        if not isinstance(email, str) or not re.fullmatch(_EMAIL_PATTERN, email):
            raise _UnmetExpectationError("an email address", f"[{index}]", email)
    return tuple(value)


def _account_ids(value: Any) -> tuple[str, ...]:
    """Account ids as quoted strings: YAML reads an unquoted 012345678901 as a number and
    drops its leading zero."""
    value = _json(value)
    if not isinstance(value, list) or not value:
        raise _UnmetExpectationError("a non-empty list of 12-digit AWS account ids")
    for index, account in enumerate(value):
        if not isinstance(account, str) or not re.fullmatch(_ACCOUNT_ID_PATTERN, account):
            raise _UnmetExpectationError(
                "a 12-digit AWS account id, quoted (such as '123456789012')",
                f"[{index}]",
                account,
            )
    return tuple(value)


class AlarmSettings(_Config):
    """`alarms`: where alarms go and when they fire."""

    emails: Annotated[tuple[str, ...], BeforeValidator(_emails)] = ()
    evaluation_periods: Annotated[int, _integer(1, 100)] = 1
    period_seconds: Annotated[int, _integer(10, 86_400), _choice(ALARM_PERIODS)] = 300
    processor_errors: Annotated[int, _integer(1, 1_000_000)] = 1
    processor_throttles: Annotated[int, _integer(1, 1_000_000)] = 1
    duration_percent_of_timeout: Annotated[int, _integer(10, 100)] = 80
    queue_oldest_message_age_seconds: Annotated[int, _integer(60, 1_209_600)] = 900
    api_5xx_rate_percent: Annotated[float, _number(0.01, 100)] = Field(
        default=1, validation_alias="api5xxRatePercent"
    )
    # Clients make mistakes: a few 4XX are normal, a surge is a broken client release, a
    # revoked or leaked key, throttling, or the firewall blocking someone.
    api_4xx_rate_percent: Annotated[float, _number(0.01, 100)] = Field(
        default=10, validation_alias="api4xxRatePercent"
    )
    api_p99_latency_ms: Annotated[int, _integer(10, 29_000)] = 2000
    api_function_errors: Annotated[int, _integer(1, 1_000_000)] = 1
    workflow_failed_executions: Annotated[int, _integer(1, 1_000_000)] = 1
    dynamodb_throttled_requests: Annotated[int, _integer(1, 1_000_000)] = 1
    concurrency_percent_of_reserved: Annotated[int, _integer(10, 100)] = 80
    runbook_base_url: Annotated[str, _text(r"https://[^\s]+/", "an https:// URL ending in '/'")] = (
        "https://github.com/your-org/serverless-platform/blob/main/"
    )


class DeploymentSettings(_Config):
    """`deployment`: how a new version of the processor and api functions goes live.

    CodeDeploy shifts each function's `live` alias to the new version by `strategy`, and
    rolls it back when one of the function's alarms fires or the pre-traffic hook fails.

    Example:
        >>> DeploymentSettings.model_validate({"strategy": "CodeDeployDefault.LambdaAllAtOnce",
        ...     "preTrafficHook": "false"}).pre_traffic_hook
        False
    """

    strategy: Annotated[str, _choice(DEPLOYMENT_STRATEGIES)] = (
        "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    )
    # A function that invokes the new version with a known event before any traffic moves.
    pre_traffic_hook: BOOLEAN = True


class DeploymentTarget(_Config):
    """`target`: where the stack deploys: a region, and optionally a role in another
    account."""

    region: REGION
    assume_role_arn: (
        Annotated[
            str,
            _text(
                rf"{_ARN_PARTITION}:iam::\d{{12}}:role/[\w+=,.@/-]{{1,512}}",
                "an IAM role ARN such as arn:aws:iam::123456789012:role/deploy",
            ),
        ]
        | None
    ) = None
    external_id: (
        Annotated[str, _text(r"[\w+=,.@:/-]{2,1224}", "2-1224 characters of [A-Za-z0-9+=,.@:/_-]")]
        | None
    ) = None
    session_name: Annotated[
        str, _text(r"[\w+=,.@-]{2,64}", "2-64 characters of [A-Za-z0-9+=,.@_-]")
    ] = PROJECT
    # The boundary every role the stack creates carries; required where the deploy role
    # only creates bounded roles (bootstrap/: its `role_boundary_arn` output).
    permissions_boundary_arn: (
        Annotated[
            str,
            _text(
                rf"{_ARN_PARTITION}:iam::\d{{12}}:policy/[\w+=,.@/-]{{1,512}}",
                "an IAM policy ARN such as arn:aws:iam::123456789012:policy/role-boundary",
            ),
        ]
        | None
    ) = None

    # The accounts the stack may deploy into: credentials for any other account fail
    # before anything is created. The explicit providers take it (`aws:allowedAccountIds`
    # in config would reach only the default provider, which the stacks disable).
    allowed_account_ids: Annotated[tuple[str, ...], BeforeValidator(_account_ids)] = ()

    @model_validator(mode="after")
    def _consistent_role(self) -> DeploymentTarget:
        if self.external_id is not None and self.assume_role_arn is None:
            raise _UnmetExpectationError(
                "a value, because target.externalId is set", "assumeRoleArn"
            )
        role_account = self.account_id
        if (
            role_account
            and self.allowed_account_ids
            and role_account not in self.allowed_account_ids
        ):
            # The assumed role's credentials would be refused on every deploy.
            raise _UnmetExpectationError(
                f"a list that includes {role_account}, the account of target.assumeRoleArn",
                "allowedAccountIds",
                list(self.allowed_account_ids),
            )
        return self

    @property
    def account_id(self) -> str | None:
        """The target account, when it is named by the assumed role."""
        return self.assume_role_arn.split(":")[4] if self.assume_role_arn else None

    @property
    def pinned_account_ids(self) -> tuple[str, ...]:
        """The accounts the providers accept: as configured, else the assumed role's."""
        if self.allowed_account_ids:
            return self.allowed_account_ids
        return (self.account_id,) if self.account_id else ()


def _tags(value: Any) -> dict[str, str]:
    tags = _object(value)
    for tag_key, tag_value in tags.items():
        if not isinstance(tag_value, str) or not tag_value.strip() or len(tag_value) > 256:
            raise _UnmetExpectationError(
                "a non-empty string of at most 256 characters", str(tag_key), tag_value
            )
    return {str(key): value for key, value in tags.items()}


def _regions(value: Any) -> tuple[str, ...]:
    value = _json(value)
    if not isinstance(value, list):
        raise _UnmetExpectationError("a list of AWS regions")
    for index, region in enumerate(value):
        if not isinstance(region, str) or not re.fullmatch(_REGION_PATTERN, region):
            raise _UnmetExpectationError("an AWS region such as us-east-1", f"[{index}]", region)
    return tuple(value)


class PlatformConfig(_Config):
    """Everything a stack can set. Built only by `parse_config` / `load_config`."""

    environment: Annotated[
        str, _text(r"[a-z][a-z0-9-]{1,15}", "2-16 characters: lower-case letters, digits and '-'")
    ]
    target: Annotated[DeploymentTarget, AN_OBJECT]
    # Regions that hold a full copy of the data plane (off in dev): see
    # docs/high-availability.md.
    replica_regions: Annotated[tuple[str, ...], BeforeValidator(_regions)] = ()
    tags: Annotated[dict[str, str], BeforeValidator(_tags)]
    processor: Annotated[ProcessorSection, AN_OBJECT] = Field(
        default_factory=lambda: ProcessorSection()
    )
    api: Annotated[ApiSettings, AN_OBJECT] = Field(default_factory=lambda: ApiSettings())
    workflow: Annotated[WorkflowSettings, AN_OBJECT] = Field(
        default_factory=lambda: WorkflowSettings()
    )
    alarms: Annotated[AlarmSettings, AN_OBJECT] = Field(default_factory=lambda: AlarmSettings())
    deployment: Annotated[DeploymentSettings, AN_OBJECT] = Field(
        default_factory=lambda: DeploymentSettings()
    )
    log_retention_days: Annotated[int, _choice(LOG_RETENTION_DAYS)] = 30
    log_level: Annotated[str, _choice(LOG_LEVELS)] = "INFO"
    powertools_layer_version: Annotated[int, _integer(1, 1000)]
    deletion_protection: BOOLEAN = True
    kms_deletion_window_days: Annotated[int, _integer(7, 30)] = 30
    noncurrent_version_expiration_days: Annotated[int, _integer(1, 3650)] = 30
    access_log_retention_days: Annotated[int, _integer(1, 3650)] = 90

    @model_validator(mode="after")
    def _consistent(self) -> PlatformConfig:
        primary = self.target.region
        if primary in self.replica_regions or len(set(self.replica_regions)) != len(
            self.replica_regions
        ):
            raise _UnmetExpectationError(
                f"distinct regions other than {primary}",
                "replicaRegions",
                list(self.replica_regions),
            )
        # The Environment tag always equals the environment, so it is derived, not repeated.
        given = self.tags.get("Environment")
        if given is not None and given != self.environment:
            raise _UnmetExpectationError(
                f"'{self.environment}' (the environment) or no value", "tags.Environment", given
            )
        self.tags["Environment"] = self.environment
        for required in REQUIRED_TAG_KEYS:
            if required not in self.tags:
                raise _UnmetExpectationError("a value (required tag)", f"tags.{required}")
        classification = self.tags["DataClassification"]
        if classification not in DATA_CLASSIFICATIONS:
            raise _UnmetExpectationError(
                f"one of {', '.join(DATA_CLASSIFICATIONS)}",
                "tags.DataClassification",
                classification,
            )
        return self

    @property
    def ingest(self) -> IngestSettings:
        return self.processor.ingest()


# --- From pydantic's errors to ConfigError ------------------------------------------------


def _key(location: Iterable[str | int]) -> str:
    key = ""
    for part in location:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key


def _join(prefix: str, relative: str) -> str:
    if not relative:
        return prefix
    if relative.startswith("["):
        return prefix + relative
    return f"{prefix}.{relative}" if prefix else relative


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation names, through Optional and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


def _model_at(location: tuple[str | int, ...]) -> type[BaseModel]:
    model: type[BaseModel] = PlatformConfig
    for part in location:
        for name, field in model.model_fields.items():
            if part in (name, field.validation_alias, to_camel(name)):
                model = next(iter(_models_in(field.annotation)), model)
                break
    return model


def _keys_of(model: type[BaseModel]) -> list[str]:
    """The keys a model reads, as the stack file spells them."""
    return [
        field.validation_alias if isinstance(field.validation_alias, str) else to_camel(name)
        for name, field in model.model_fields.items()
    ]


# The top-level keys Pulumi is asked for.
CONFIG_KEYS = tuple(_keys_of(PlatformConfig))


def _config_error(error: ValidationError) -> ConfigError:
    """The first problem pydantic found, as the ConfigError that names its key."""
    problem = error.errors()[0]
    location = tuple(problem["loc"])
    key = _key(location)
    if problem["type"] == "missing":
        return ConfigError(key, "a value", _MISSING)
    if problem["type"] == "extra_forbidden":
        known = _keys_of(_model_at(location[:-1]))
        try:
            reject_unknown_keys(_key(location[:-1]), [str(location[-1])], known)
        except ConfigError as unknown:
            return unknown
    cause = problem.get("ctx", {}).get("error")
    if isinstance(cause, _UnmetExpectationError):
        given = (
            problem.get("input", _MISSING)
            if cause.given is _MISSING and not cause.key
            else cause.given
        )
        return ConfigError(_join(key, cause.key), cause.expected, given)
    return ConfigError(key, problem["msg"], problem.get("input", _MISSING))


def parse_config(raw: Mapping[str, str | None]) -> PlatformConfig:
    """Validate raw config text (keys without the project namespace) into PlatformConfig."""
    given = {key: value for key, value in raw.items() if value is not None}
    reject_unknown_keys("", given, CONFIG_KEYS)
    try:
        return PlatformConfig.model_validate(given)
    except ValidationError as error:
        raise _config_error(error) from None


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
