"""`failed-results`: the FAILED result items, newest first, with the reason each failed.

It queries the table's `status-index` (status HASH, updated_at RANGE), so it reads only
failed items however large the table is.
"""

from __future__ import annotations

import argparse
import shlex
from datetime import datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer  # type: ignore[import-untyped]
from shared.names import STATUS_INDEX
from shared.results import ResultStatus

from runbooks.command import Command, bounded_int
from runbooks.targets import Targets

FAILED = ResultStatus.FAILED.value
MAX_LIMIT = 1000
_PAGE_SIZE = 100


def iso_time(text: str) -> str:
    """An argparse type: an ISO-8601 time, kept as typed (`updated_at` compares as text)."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO-8601 time like 2024-05-01T10:00:00Z, got {text!r}"
        ) from None
    return text


def query_failed_results(
    dynamodb: Any, table: str, limit: int, since: str | None = None
) -> list[dict[str, Any]]:
    """Up to `limit` FAILED items, newest `updated_at` first, paging through the index."""
    condition = "#status = :failed"
    values: dict[str, Any] = {":failed": {"S": FAILED}}
    if since:
        condition += " AND updated_at >= :since"
        values[":since"] = {"S": since}
    request: dict[str, Any] = {
        "TableName": table,
        "IndexName": STATUS_INDEX,
        "KeyConditionExpression": condition,
        # `status` is a DynamoDB reserved word.
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": values,
        "ScanIndexForward": False,
    }
    deserializer = TypeDeserializer()
    items: list[dict[str, Any]] = []
    while len(items) < limit:
        page = dynamodb.query(**request, Limit=min(_PAGE_SIZE, limit - len(items)))
        items += [
            {name: deserializer.deserialize(value) for name, value in item.items()}
            for item in page.get("Items", [])
        ]
        if "LastEvaluatedKey" not in page:
            break
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return items


def list_failed_results(args: argparse.Namespace, targets: Targets) -> int:
    table = targets.require("table")
    items = query_failed_results(targets.client("dynamodb"), table, args.limit, args.since)
    since = f" since {args.since}" if args.since else ""
    if not items:
        print(f"No FAILED results in {table}{since}.")
        return 0
    print(f"{len(items)} FAILED result(s) in {table}{since}, newest first (--limit {args.limit}):")
    for item in items:
        version = f" version {item['version_id']}" if item.get("version_id") else ""
        print(
            f"  {item.get('updated_at', '?')}  s3://{item.get('bucket', '?')}/"
            f"{item.get('object_key', '?')}{version}"
        )
        code = f" ({item['error_code']})" if item.get("error_code") else ""
        print(f"    error: {item.get('error', '(none recorded)')}{code}")
    keys = sorted({str(item["object_key"]) for item in items if item.get("object_key")})
    if keys:
        print("After fixing the cause, reprocess them with:")
        print(
            "  python -m runbooks reprocess --stack <name> --keys "
            + " ".join(shlex.quote(key) for key in keys)
        )
    return 0


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit",
        type=bounded_int(1, MAX_LIMIT),
        default=50,
        help=f"at most this many items (1..{MAX_LIMIT}, default 50)",
    )
    parser.add_argument(
        "--since",
        metavar="ISO_TIME",
        type=iso_time,
        help="only items updated at or after this ISO-8601 time (e.g. 2024-05-01T10:00:00Z)",
    )


COMMANDS = [
    Command(
        "failed-results",
        "FAILED result items from status-index, newest first, with their errors (read-only)",
        ("table",),
        list_failed_results,
        _configure,
    )
]
