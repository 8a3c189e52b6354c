"""The AWS clients, created once per container and only when first needed."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import boto3  # type: ignore[import-untyped, unused-ignore]
from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]

# Few, quick SDK retries: a throttled message is better retried by SQS (with backoff
# from the visibility timeout) than by a function that runs into its own timeout; the
# deployment hook's CodeDeploy calls use the same.
RETRYING_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=5,
    read_timeout=30,
)


@dataclass(frozen=True)
class AwsClients:
    """The clients the processing code calls (boto3 clients are untyped, hence Any).

    Example (it needs AWS, so it is not a doctest)::

        clients = AwsClients(s3=boto3.client("s3"), dynamodb=boto3.client("dynamodb"))
    """

    s3: Any
    dynamodb: Any


def create_clients() -> AwsClients:
    """New S3 and DynamoDB clients for the region the function runs in."""
    return AwsClients(
        s3=boto3.client("s3", config=RETRYING_CONFIG),
        dynamodb=boto3.client("dynamodb", config=RETRYING_CONFIG),
    )


@functools.cache
def default_clients() -> AwsClients:
    """The container's clients: created on first use (not at import, which keeps the
    import cheap and lets tests start moto first), then reused by every invocation."""
    return create_clients()
