"""The pack under the real policy runtime: started the way the Pulumi CLI starts a
Python pack (`python -u -m pulumi.policy <engine> <pack>`, cwd = the pack directory),
then spoken to over gRPC like the engine does."""

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from pulumi.runtime.proto import analyzer_pb2_grpc

from gate.crossguard.evaluate import (
    LoadedPack,
    load_policy_config,
    parse_policy_config,
    resolve_policy_config,
)
from tests.policy.analyzer import EMPTY, analyze, configure_request
from tests.policy.conftest import PACK_DIR
from tests.policy.support import LOG_TARGET, QUEUE, bucket, plan_of, r

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analyzer() -> Iterator[Any]:
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:0", str(PACK_DIR)],
        cwd=PACK_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = process.stdout.readline().strip() if process.stdout else ""
        assert port.isdigit(), process.stderr.read() if process.stderr else "no output"
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()


def _run(
    analyzer: Any, pack: LoadedPack, config: dict[str, Any], specs: list
) -> list[tuple[str, str | None]]:
    analyzer.Configure(configure_request(resolve_policy_config(pack, config)))
    outcomes = analyze(analyzer.Analyze, analyzer.AnalyzeStack, plan_of(specs))
    return [
        (o[1], (o[2] or "").rsplit("::", 1)[-1] or None) for o in outcomes if o[0] == "diagnostic"
    ]


def test_runtime_lists_every_policy(analyzer: Any, pack: LoadedPack) -> None:
    info = analyzer.GetAnalyzerInfo(EMPTY)
    assert info.name == pack.name
    assert [p.name for p in info.policies] == [p.name for p in pack.policies]


def test_runtime_reports_and_honours_the_template_exemption(
    analyzer: Any, pack: LoadedPack
) -> None:
    # GIVEN the template's config, an SSE-S3 access-log bucket and an unencrypted queue
    config = load_policy_config(PACK_DIR / "config.json")
    specs = [
        *LOG_TARGET,
        *bucket("platform-access-logs-bucket", sse={"sseAlgorithm": "AES256"}),
        r(QUEUE, "q"),
    ]
    # WHEN the real analyzer checks them
    diagnostics = _run(analyzer, pack, config, specs)
    # THEN the queue is reported, and the exempted bucket is not (no violation at all)
    assert ("sqs-queue-encrypted-cmk", "q") in diagnostics
    assert not [d for d in diagnostics if d[0] == "s3-bucket-encrypted-cmk"]


def test_runtime_reports_an_expired_exemption(analyzer: Any, pack: LoadedPack) -> None:
    config = {
        "s3-bucket-encrypted-cmk": {
            "exemptions": [
                {
                    "resource": "*access-logs*",
                    "reason": "SSE-S3 is required here",
                    "expires": "2001-01-01",
                }
            ]
        }
    }
    specs = [*LOG_TARGET, *bucket("platform-access-logs-bucket", sse={"sseAlgorithm": "AES256"})]
    diagnostics = _run(analyzer, pack, parse_policy_config(config), specs)
    assert ("s3-bucket-encrypted-cmk", "platform-access-logs-bucket") in diagnostics
    assert ("policy-exemptions-valid", None) in diagnostics
