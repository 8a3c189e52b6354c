"""Workflow step: resolve the objects a reprocess run covers.

The state machine's ListObjects Task invokes `handler` with its state, which holds
either `prefix` (under incoming/) or `object_keys`, and gets back
`{"requested_by", "prefix", "keys", "count", "truncated"}`. A prefix is listed page by page with
ListObjectsV2, skipping "directory" placeholder keys (ending in "/"); named keys are
de-duplicated. Either way the keys stop at `MAX_OBJECTS` or when they would no longer
fit the state machine's payload budget, whichever comes first; `truncated` then says
that more objects remain.

Throttling and 5xx from S3 raise `TransientAwsError`, which the Task retries; a bad
request raises `InvalidInput`. Both class names are the Step Functions error names.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    BotoCoreError,
    ClientError,
)
from shared.clients import default_clients
from shared.environment import (
    PowertoolsSettings,
    Text,
    integer,
    variable,
)
from shared.errors import TransientAwsError, is_transient
from shared.names import INCOMING_PREFIX

MAX_PREFIX_LENGTH = 1024
# The state machine's inline Map holds every key twice in one execution payload, which
# Step Functions caps at 256 KiB: once in this listing and once in its outcome
# ({"key", "status", "error"}, the error cut to 100 characters). An overflow there is
# States.DataLimitExceeded, which no Catch handles, so the keys stop early instead and
# `truncated` says so. The rest of the 256 KiB is headroom for the summary.
PAYLOAD_BUDGET_BYTES = 200_000
OUTCOME_OVERHEAD_BYTES = 160
S3_PAGE_SIZE = 1000


class InvalidInput(ValueError):  # noqa: N818 - the error name the state machine reports
    """The listing request is malformed."""


class ListSettings(PowertoolsSettings):
    """What the list step needs from its environment.

    Example:
        >>> ListSettings.from_environ({"INGEST_BUCKET": "", "MAX_OBJECTS": "0"})
        Traceback (most recent call last):
        shared.environment.ConfigurationError: invalid environment: ...INGEST_BUCKET is not set: ...
    """

    bucket: Text = variable("INGEST_BUCKET", "the ingest bucket name")
    max_objects: Annotated[int, integer(1)] = variable("MAX_OBJECTS", "an integer >= 1")


@dataclass(frozen=True)
class Listing:
    keys: list[str]
    truncated: bool


# Validated at import, like the processor: a misconfigured function fails its cold start.
SETTINGS = ListSettings.from_environ(os.environ)

logger = Logger(service=SETTINGS.service_name, level=SETTINGS.log_level)
tracer = Tracer(service=SETTINGS.service_name)
metrics = Metrics(namespace=SETTINGS.metrics_namespace, service=SETTINGS.service_name)


@dataclass(frozen=True)
class ListingRequest:
    """Exactly one of: a prefix to list, or the keys a caller named."""

    prefix: str | None = None
    object_keys: tuple[str, ...] = ()


def parse_request(event: Any) -> ListingRequest:
    """What to resolve; raises `InvalidInput` naming the field, what it must be and what
    it is. Other fields of the execution state (requested_by, ...) are ignored."""
    if not isinstance(event, dict) or ("prefix" in event) == ("object_keys" in event):
        raise InvalidInput(
            f"expected an object with either 'prefix' or 'object_keys', got {_describe(event)}"
        )
    if "prefix" in event:
        prefix = event["prefix"]
        if not isinstance(prefix, str) or not prefix.startswith(INCOMING_PREFIX):
            raise InvalidInput(
                f"'prefix' must be a string starting with 'incoming/', got {_describe(prefix)}"
            )
        if len(prefix) > MAX_PREFIX_LENGTH:
            raise InvalidInput(f"'prefix' must be at most {MAX_PREFIX_LENGTH} characters")
        return ListingRequest(prefix=prefix)
    keys = event["object_keys"]
    if not isinstance(keys, list) or not keys:
        raise InvalidInput(f"'object_keys' must be a non-empty list, got {_describe(keys)}")
    for index, key in enumerate(keys):
        if not isinstance(key, str) or not key:
            raise InvalidInput(
                f"object_keys[{index}] must be a non-empty string, got {_describe(key)}"
            )
    return ListingRequest(object_keys=tuple(keys))


def _describe(value: Any) -> str:
    text = json.dumps(value, default=repr)
    return text if len(text) <= 200 else text[:200] + "..."


def payload_cost(key: str) -> int:
    """Bytes a key adds to the execution: once in the listing, once in its outcome."""
    return 2 * len(json.dumps(key).encode()) + OUTCOME_OVERHEAD_BYTES


def take_within_limits(keys: Iterable[str], *, max_objects: int) -> Listing:
    """The first keys that fit both the count cap and the payload budget."""
    taken: list[str] = []
    budget = PAYLOAD_BUDGET_BYTES
    for key in keys:
        cost = payload_cost(key)
        if len(taken) == max_objects or cost > budget:
            limit = "count" if cost <= budget else "payload"
            logger.warning("Listing truncated", extra={"listed": len(taken), "by": limit})
            return Listing(taken, truncated=True)
        taken.append(key)
        budget -= cost
    return Listing(taken, truncated=False)


def list_keys(s3: Any, *, bucket: str, prefix: str, max_objects: int) -> Listing:
    """Keys under `prefix`, page by page, within the limits."""

    def keys() -> Iterator[str]:
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix, PaginationConfig={"PageSize": S3_PAGE_SIZE}
        )
        for page in pages:
            for entry in page.get("Contents", []):
                # A key ending in "/" is a console "folder", not an object to process.
                if not entry["Key"].endswith("/"):
                    yield entry["Key"]

    try:
        return take_within_limits(keys(), max_objects=max_objects)
    except (ClientError, BotoCoreError) as error:
        if is_transient(error):
            raise TransientAwsError(f"listing s3://{bucket}/{prefix} failed: {error}") from error
        raise


def named_keys(object_keys: Iterable[str], *, max_objects: int) -> Listing:
    """The named keys, each once, in the order given, within the limits. They are not
    checked against S3 here: a missing or misplaced one becomes a FAILED outcome."""
    return take_within_limits(dict.fromkeys(object_keys), max_objects=max_objects)


Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def create_handler(settings: ListSettings, s3: Callable[[], Any]) -> Handler:
    """A Lambda handler bound to `settings` and to a provider of the S3 client.

    Example:
        >>> step = create_handler(SETTINGS, lambda: default_clients().s3)
        >>> step({"prefix": "incoming/2026/"}, context)["truncated"]
        False
    """

    @logger.inject_lambda_context(clear_state=True)
    @tracer.capture_lambda_handler(capture_response=False)
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        request = parse_request(event)
        logger.append_keys(bucket=settings.bucket, prefix=request.prefix)
        if request.prefix is not None:
            listing = list_keys(
                s3(),
                bucket=settings.bucket,
                prefix=request.prefix,
                max_objects=settings.max_objects,
            )
        else:
            listing = named_keys(request.object_keys, max_objects=settings.max_objects)
        metrics.add_metric(name="ObjectsListed", unit=MetricUnit.Count, value=len(listing.keys))
        if listing.truncated:
            metrics.add_metric(name="ListingsTruncated", unit=MetricUnit.Count, value=1)
        logger.info(
            "Resolved the run's objects",
            extra={"count": len(listing.keys), "truncated": listing.truncated},
        )
        return {
            # Echoed so that the state machine can drop the (possibly large) request.
            "requested_by": event.get("requested_by"),
            "prefix": request.prefix,
            "keys": listing.keys,
            "count": len(listing.keys),
            "truncated": listing.truncated,
        }

    return handler


handler = create_handler(SETTINGS, lambda: default_clients().s3)
