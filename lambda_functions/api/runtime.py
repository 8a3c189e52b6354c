"""What every route of the api function shares: its validated environment, its AWS
clients and its Powertools logger, tracer and metrics, each built once per execution
environment.

Routes call `runtime.settings()`, `runtime.dynamodb()` and so on through the module, so
that tests can swap a client for the whole function in one place.
"""

import os
from functools import cache
from typing import Annotated, Any

import boto3  # type: ignore[import-untyped, unused-ignore]
from aws_lambda_powertools import Logger, Metrics, Tracer
from shared.environment import (
    ConfigurationError,
    PowertoolsSettings,
    Text,
    integer,
    matching,
    variable,
)

__all__ = ["ConfigurationError", "Settings", "dynamodb", "s3", "settings", "stepfunctions"]


logger = Logger()
tracer = Tracer()
metrics = Metrics()


class Settings(PowertoolsSettings):
    """The environment the infrastructure sets, validated once per execution environment.

    Example:
        >>> Settings.from_environ({"RESULTS_TABLE": ""})
        Traceback (most recent call last):
        ...
        shared.environment.ConfigurationError: invalid environment: ...RESULTS_TABLE is not set: ...
    """

    results_table: Text = variable("RESULTS_TABLE", "the results table name")
    results_index: Text = variable("RESULTS_INDEX", "the results table's status index")
    ingest_bucket: Text = variable("INGEST_BUCKET", "the ingest bucket name")
    incoming_prefix: Annotated[str, matching(r"[^/].*/")] = variable(
        "INCOMING_PREFIX", "a key prefix ending in '/'"
    )
    data_key_arn: Annotated[str, matching(r"arn:[\w-]+:kms:[\w-]+:\d{12}:key/[\w-]+")] = variable(
        "DATA_KEY_ARN", "a KMS key ARN"
    )
    upload_url_expiry_seconds: Annotated[int, integer(1, 604_800)] = variable(
        "UPLOAD_URL_EXPIRY_SECONDS", "an integer from 1 to 604800"
    )
    state_machine_arn: Annotated[
        str, matching(r"arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}")
    ] = variable("STATE_MACHINE_ARN", "a Step Functions state machine ARN")
    max_reprocess_keys: Annotated[int, integer(1, 100_000)] = variable(
        "MAX_REPROCESS_KEYS", "an integer from 1 to 100000"
    )


@cache
def settings() -> Settings:
    return Settings.from_environ(os.environ)


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
