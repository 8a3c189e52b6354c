"""The gate fails closed: every way a pack, a program or an input can go wrong is exit 2
with one clear message, never exit 0, never a secret in sight, never an orphan process.

Each case builds what it needs under tmp_path, runs `python -m gate` as a user would,
and asserts the exit code, the message, that no canary secret appears in anything the
gate printed or wrote, and that no process the case started is left running.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CANARY = "canary-s3cr3t-7f3a9c"
# Processes a case starts carry this in their command line, so a leftover is found.
ORPHAN_MARK = "gate-orphan-probe-91c2"

PACK_MAIN = """
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

def validate(args, report_violation):
    {body}

PolicyPack(
    name="hostile",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[ResourceValidationPolicy(name="hostile-policy", description="d", validate=validate)],
)
"""

PROGRAM = """
import pulumi
import pulumi_aws as aws

queue = aws.sqs.Queue("jobs", tags={{"team": "platform"}})
{extra}
"""


@dataclass
class Case:
    """One way things go wrong, and what the user must see."""

    name: str
    exit_code: int
    message: str
    program: str = ""
    # The pack's validate body; the default passes everything, so exit 0 means "ran".
    pack_body: str = "pass"
    stack_file: str | bytes = "config:\n  aws:region: eu-west-1\n"
    pulumi_yaml: str | bytes = "name: app\nruntime: python\n"
    args: list[str] = field(default_factory=list)
    prepare: Callable[[Path], list[str]] | None = None
    timeout: float = 120


CASES = [
    Case(
        "policy-sys-exit-0",
        2,
        "policy pack 'hostile', policy 'hostile-policy', stack 'test': raised SystemExit",
        pack_body='report_violation("bad")\n    import sys; sys.exit(0)',
    ),
    Case(
        "policy-os-exit-0",
        2,
        "policy 'hostile-policy', stack 'test': the policy process exited with code 0 "
        "without a result",
        pack_body='report_violation("bad")\n    import os; os._exit(0)',
    ),
    Case(
        "policy-kills-itself",
        2,
        "the policy process was killed by SIGKILL without a result",
        pack_body="import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
    ),
    Case(
        "policy-raises",
        2,
        "policy 'hostile-policy' from pack 'hostile' failed on resource",
        pack_body="raise RuntimeError('boom')",
    ),
    Case(
        "policy-loops",
        2,
        "policy 'hostile-policy', stack 'test': did not finish within 3s (--policy-timeout)",
        pack_body="while True: pass",
        args=["--policy-timeout", "3"],
    ),
    Case(
        "program-hangs",
        2,
        "did not finish within 4s (--timeout); it and every process it started were stopped",
        program="import time\ntime.sleep(600)",
        args=["--timeout", "4"],
    ),
    Case(
        "program-leaves-a-child",
        0,
        "",
        program=(
            "import subprocess\n"
            f"subprocess.Popen(['sleep', '600'], env={{'MARK': '{ORPHAN_MARK}'}})"
        ),
        args=["--timeout", "60"],
        timeout=40,
    ),
    Case(
        "program-raises-with-secret",
        2,
        "ValueError: cannot use [secret]",
        program=f"secret = pulumi.Output.secret('{CANARY}')\n"
        "aws.sqs.Queue('other', name=secret)\n"
        f"raise ValueError('cannot use {CANARY}')",
    ),
    Case(
        "stack-file-not-utf8",
        2,
        "Pulumi.test.yaml is not UTF-8 text",
        stack_file=b"config:\n  aws:region: \xff\xfe\n",
    ),
    Case(
        "pulumi-yaml-not-utf8",
        2,
        "Pulumi.yaml is not UTF-8 text",
        pulumi_yaml=b"name: \xff\nruntime: python\n",
    ),
    Case(
        "nested-secure-config",
        0,
        "",
        stack_file="config:\n  aws:region: eu-west-1\n  app:db:\n    user: admin\n"
        f"    password:\n      secure: {CANARY}\n",
        program="import json\ncfg = pulumi.Config().require_object('db')\npulumi.export('db', cfg)",
    ),
    Case(
        "policy-config-typo",
        2,
        "'hostile-polcy' (did you mean 'hostile-policy'?)",
        pack_body="pass",
        prepare=lambda tmp: [
            "--policy-pack-config",
            str(_write(tmp / "pc.json", '{"hostile-polcy": "advisory"}')),
        ],
    ),
    Case(
        "output-not-writable",
        2,
        "--output",
        prepare=lambda tmp: ["--output", str(_write(tmp / "file", "x") / "report.json")],
    ),
    Case(
        "baseline-not-utf8",
        2,
        "is not UTF-8 text",
        prepare=lambda tmp: ["--baseline", str(_write(tmp / "base.json", b"\xff\xfe"))],
    ),
]


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _orphans() -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if ORPHAN_MARK.encode() in environ:
            found.append(proc.name)
    return found


def _files_under(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_failure_is_exit_2_named_with_no_secret_and_no_orphan(case: Case, tmp_path):
    # GIVEN a program (and a pack) that goes wrong this way
    program = tmp_path / "program"
    program.mkdir()
    _write(program / "Pulumi.yaml", case.pulumi_yaml)
    _write(program / "Pulumi.test.yaml", case.stack_file)
    _write(program / "__main__.py", PROGRAM.format(extra=case.program))
    args = ["check", "--program", str(program), "--stack", "test", "--no-checkov", *case.args]
    # Every case runs with a pack of its own; the default one passes everything.
    pack = tmp_path / "pack"
    pack.mkdir()
    _write(pack / "PulumiPolicy.yaml", "runtime: python\n")
    _write(pack / "__main__.py", PACK_MAIN.format(body=case.pack_body))
    args += ["--policy-pack", str(pack)]
    if case.prepare is not None:
        args += case.prepare(tmp_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    report = tmp_path / "report.json"
    if "--output" not in args:
        args += ["--format", "json", "--output", str(report)]
    # WHEN the gate runs on it
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "gate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=case.timeout + 60,
        env={**os.environ, "TMPDIR": str(scratch)},
        check=False,
    )
    elapsed = time.monotonic() - started
    # THEN it exits as it must, with the message, in one line and no traceback
    assert completed.returncode == case.exit_code, completed.stderr
    if case.exit_code == 2:
        assert case.message in completed.stderr
        assert completed.stderr.startswith("gate: error: ")
        assert "Traceback (most recent call last)" not in completed.stderr
    # AND no secret is in anything it printed or wrote, temporary files included
    written = [completed.stdout, completed.stderr]
    written += [p.read_bytes().decode("utf-8", "replace") for p in _files_under(scratch)]
    if report.is_file():
        written.append(report.read_text(encoding="utf-8"))
    assert not [text for text in written if CANARY in text]
    # AND nothing it started is left running, and it did not wait for what the program left
    assert _orphans() == []
    assert elapsed < case.timeout


def test_plan_json_and_tfplan_never_show_a_marked_secret(tmp_path):
    # GIVEN a program that passes secrets as inputs in each way Pulumi marks them
    program = tmp_path / "program"
    program.mkdir()
    _write(program / "Pulumi.yaml", "name: app\nruntime: python\n")
    _write(program / "Pulumi.test.yaml", "config:\n  aws:region: eu-west-1\n")
    _write(
        program / "__main__.py",
        "import pulumi\nimport pulumi_aws as aws\n"
        f"aws.ssm.Parameter('p', type='SecureString', value=pulumi.Output.secret('{CANARY}'))\n"
        f"aws.iam.User('u', tags={{'token': '{CANARY}-2'}}, "
        "opts=pulumi.ResourceOptions(additional_secret_outputs=['tags']))\n"
        f"pulumi.export('out', pulumi.Output.secret('{CANARY}-3'))\n",
    )
    for fmt in ("json", "tfplan", "text"):
        # WHEN the plan is printed in each format
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "gate",
                "plan",
                "--program",
                str(program),
                "--stack",
                "test",
                "--format",
                fmt,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        # THEN it shows the marker, never the value
        assert completed.returncode == 0, completed.stderr
        assert CANARY not in completed.stdout
        assert "[secret]" in completed.stdout


def test_a_config_error_in_the_program_shows_only_the_program_frames(tmp_path):
    program = tmp_path / "program"
    program.mkdir()
    _write(program / "Pulumi.yaml", "name: app\nruntime: python\n")
    _write(program / "Pulumi.test.yaml", "config:\n  aws:region: eu-west-1\n")
    _write(program / "__main__.py", "import pulumi\npulumi.Config().require('missingKey')\n")
    completed = subprocess.run(
        [sys.executable, "-m", "gate", "plan", "--program", str(program), "--stack", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "missingKey" in completed.stderr
    assert "site-packages" not in completed.stderr
    assert f'File "{program / "__main__.py"}", line 2' in completed.stderr
    assert len(completed.stderr.splitlines()) < 12


def test_an_internal_error_is_exit_2_not_a_finding(tmp_path, monkeypatch):
    from gate import cli

    def broken(_: object) -> int:
        raise KeyError("oops")

    monkeypatch.setattr(cli, "_run_plan", broken)
    assert cli.main(["plan", "--stack", "dev"]) == 2


def test_program_output_is_bounded_and_says_what_it_dropped():
    from gate.engine.process import run_bounded

    completed = run_bounded(
        [sys.executable, "-c", "import sys; sys.stderr.write('x' * 3_000_000 + 'END')"],
        cwd=ROOT,
        timeout=60,
        limit=1024,
    )
    assert completed.stderr.endswith("END")
    assert "earlier bytes of output dropped" in completed.stderr.splitlines()[0]
    assert len(completed.stderr) < 1200
