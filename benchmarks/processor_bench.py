"""Processor benchmarks: the handler module's cold import time, and end-to-end
throughput for a 5 MB NDJSON object against moto.

Run with `.venv/bin/python benchmarks/processor_bench.py`. No network, no credentials.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CODE_ROOT = ROOT / "lambda_functions"
REGION = "eu-west-1"
BUCKET = "bench-ingest"
IMPORT_RUNS = 10
THROUGHPUT_RUNS = 5
OBJECT_BYTES = 5 * 1024 * 1024

# What the infrastructure sets, plus fake credentials so nothing can reach AWS.
ENVIRONMENT = {
    "RESULTS_TABLE": "bench-results",
    "MAX_OBJECT_BYTES": str(10 * 1024 * 1024),
    "RESULT_TTL_DAYS": "30",
    "POWERTOOLS_SERVICE_NAME": "processor",
    "POWERTOOLS_METRICS_NAMESPACE": "ServerlessPlatformBench",
    "LOG_LEVEL": "WARNING",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
}

# Times the import alone, inside the child: interpreter start-up is not the module's.
_IMPORT_PROBE = (
    "import time; started = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - started)"
)
HANDLER_MODULE = "processor.app"
# Powertools' Tracer imports the X-Ray SDK, whose recorder builds botocore clients for
# sampling at import: reported on its own so the handler's own share is visible.
XRAY_MODULE = "aws_xray_sdk.core"


@dataclass(frozen=True)
class LambdaContext:
    """The attributes of the Lambda context that Powertools reads."""

    function_name: str = "processor"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:123456789012:function:processor"
    aws_request_id: str = "bench"


def measure_cold_imports(
    module: str = HANDLER_MODULE, runs: int = IMPORT_RUNS
) -> tuple[list[float], list[float]]:
    """Import `module` in `runs` fresh interpreters: (import seconds, process seconds)."""
    environment = {**os.environ, **ENVIRONMENT, "PYTHONPATH": str(CODE_ROOT)}
    imports, processes = [], []
    for _ in range(runs):
        started = time.perf_counter()
        finished = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE.format(module=module)],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        processes.append(time.perf_counter() - started)
        imports.append(float(finished.stdout.strip().splitlines()[-1]))
    return imports, processes


def ndjson_object(size: int = OBJECT_BYTES) -> tuple[bytes, int]:
    """About `size` bytes of realistic NDJSON records, and how many records that is."""
    lines, total, number = [], 0, 0
    while total < size:
        line = json.dumps(
            {
                "id": number,
                "customer": f"customer-{number % 977:05d}",
                "amount": round(number * 1.37 % 1000, 2),
                "currency": "EUR",
                "created_at": "2026-03-01T12:00:00Z",
                "tags": ["bench", "ndjson"],
            }
        ).encode()
        lines.append(line)
        total += len(line) + 1
        number += 1
    return b"\n".join(lines) + b"\n", number


def measure_throughput(runs: int = THROUGHPUT_RUNS) -> tuple[int, int, list[float]]:
    """Process a 5 MB NDJSON object end to end (S3 read, parse, process, conditional
    write) `runs` times, each a new object version: (records, bytes, seconds per run)."""
    os.environ.update(ENVIRONMENT)
    sys.path.insert(0, str(CODE_ROOT))
    import boto3  # type: ignore[import-untyped, unused-ignore]
    from moto import mock_aws
    from processor import app
    from shared.clients import create_clients

    body, records = ndjson_object()
    settings = replace(app.SETTINGS, max_object_bytes=len(body) + 1)
    seconds = []
    with mock_aws():
        _create_resources(boto3, settings.results_table)
        handler = app.create_handler(settings, create_clients)
        s3 = boto3.client("s3", region_name=REGION)
        for run in range(runs + 1):
            version = s3.put_object(Bucket=BUCKET, Key="incoming/bench.ndjson", Body=body)
            event = _sqs_event("incoming/bench.ndjson", version["VersionId"], run)
            # Metrics are printed as EMF on stdout: not part of this report.
            with contextlib.redirect_stdout(io.StringIO()):
                started = time.perf_counter()
                response = handler(event, LambdaContext())  # type: ignore[arg-type]
                elapsed = time.perf_counter() - started
            if response["batchItemFailures"]:
                raise RuntimeError(f"the benchmark batch failed: {response}")
            if run:  # the first run warms the clients and moto up
                seconds.append(elapsed)
    return records, len(body), seconds


def _create_resources(boto3: Any, table: str) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    boto3.client("dynamodb", region_name=REGION).create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk")
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
    )


def _sqs_event(key: str, version_id: str, run: int) -> dict[str, Any]:
    record = {
        "eventSource": "aws:s3",
        "eventName": "ObjectCreated:Put",
        "s3": {
            "bucket": {"name": BUCKET},
            "object": {"key": key, "versionId": version_id, "sequencer": f"{run + 1:018X}"},
        },
    }
    return {
        "Records": [
            {
                "messageId": f"bench-{run}",
                "receiptHandle": "bench",
                "body": json.dumps({"Records": [record]}),
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:ingest",
                "awsRegion": REGION,
            }
        ]
    }


def main() -> None:
    """Print the two figures, each on a labelled line, and the machine they came from."""
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    imports, processes = measure_cold_imports()
    print(
        f"cold import of {HANDLER_MODULE} (median of {len(imports)} fresh interpreters): "
        f"{statistics.median(imports) * 1000:.0f} ms "
        f"(min {min(imports) * 1000:.0f} ms, max {max(imports) * 1000:.0f} ms; "
        f"whole interpreter incl. start-up: {statistics.median(processes) * 1000:.0f} ms)"
    )
    xray, _ = measure_cold_imports(XRAY_MODULE)
    print(
        f"  of which {XRAY_MODULE} alone (pulled in by Tracer; median of {len(xray)}): "
        f"{statistics.median(xray) * 1000:.0f} ms"
    )
    records, size, seconds = measure_throughput()
    median = statistics.median(seconds)
    print(
        f"throughput, {size / 1024 / 1024:.1f} MB NDJSON object ({records} records) against moto "
        f"(median of {len(seconds)} runs): {records / median:,.0f} records/s "
        f"({size / 1024 / 1024 / median:.1f} MB/s, {median * 1000:.0f} ms per object)"
    )


if __name__ == "__main__":
    main()
