"""What every route of the api function shares: its validated environment, its AWS
clients and its Powertools logger, tracer and metrics, each built once per execution
environment.

Routes call `runtime.settings()`, `runtime.dynamodb()` and so on through the module, so
that tests can swap a client for the whole function in one place.
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3  # type: ignore[import-untyped, unused-ignore]
from aws_lambda_powertools import Logger, Metrics, Tracer

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class ConfigurationError(Exception):
    """The function's environment is incomplete or malformed."""


@dataclass(frozen=True)
class Settings:
    """The environment the infrastructure sets, validated once per execution environment."""

    results_table: str
    results_index: str
    ingest_bucket: str
    incoming_prefix: str
    data_key_arn: str
    upload_url_expiry_seconds: int
    state_machine_arn: str
    max_reprocess_keys: int

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> "Settings":
        """Every problem at once, each naming the variable, what it expected and got.

        Example:
            >>> Settings.from_environment({"RESULTS_TABLE": ""})
            Traceback (most recent call last):
            ...
            api.runtime.ConfigurationError: invalid environment: RESULTS_TABLE must be set ...
        """
        problems: list[str] = []

        def text(name: str, pattern: str = r".+", expected: str = "must be set") -> str:
            value = environ.get(name, "")
            if not re.fullmatch(pattern, value):
                problems.append(f"{name} {expected}, got {value!r}")
            return value

        def integer(name: str, low: int, high: int) -> int:
            raw = environ.get(name, "")
            if raw.isdigit() and low <= int(raw) <= high:
                return int(raw)
            problems.append(f"{name} must be an integer from {low} to {high}, got {raw!r}")
            return low

        settings = cls(
            results_table=text("RESULTS_TABLE"),
            results_index=text("RESULTS_INDEX"),
            ingest_bucket=text("INGEST_BUCKET"),
            incoming_prefix=text(
                "INCOMING_PREFIX", r"[^/].*/", "must be a key prefix ending in '/'"
            ),
            data_key_arn=text(
                "DATA_KEY_ARN", r"arn:[\w-]+:kms:[\w-]+:\d{12}:key/[\w-]+", "must be a KMS key ARN"
            ),
            upload_url_expiry_seconds=integer("UPLOAD_URL_EXPIRY_SECONDS", 1, 604_800),
            state_machine_arn=text(
                "STATE_MACHINE_ARN",
                r"arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}",
                "must be a Step Functions state machine ARN",
            ),
            max_reprocess_keys=integer("MAX_REPROCESS_KEYS", 1, 100_000),
        )
        # Powertools reads these itself; a typo would silently fall back to defaults.
        text("POWERTOOLS_SERVICE_NAME")
        text("POWERTOOLS_METRICS_NAMESPACE")
        text(
            "LOG_LEVEL", "(?i)" + "|".join(_LOG_LEVELS), f"must be one of {', '.join(_LOG_LEVELS)}"
        )
        if problems:
            raise ConfigurationError("invalid environment: " + "; ".join(problems))
        return settings


@cache
def settings() -> Settings:
    return Settings.from_environment(os.environ)


# Clients are created on first use, once per execution environment.
@cache
def dynamodb() -> Any:
    return boto3.client("dynamodb")


@cache
def s3() -> Any:
    # SSE-KMS uploads need SigV4; virtual-hosted URLs avoid a redirect for new buckets.
    config = boto3.session.Config(signature_version="s3v4", s3={"addressing_style": "virtual"})
    return boto3.client("s3", config=config)


@cache
def stepfunctions() -> Any:
    return boto3.client("stepfunctions")
