"""Fixtures for the runbook tools: the platform in moto, and the CLI run in-process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from moto import mock_aws

from runbooks.cli import main
from tests.runbooks.moto_platform import MotoPlatform, create_platform, use_fake_credentials


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


CliRunner = Callable[..., CliResult]


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_credentials(monkeypatch)


@pytest.fixture
def platform() -> Iterator[MotoPlatform]:
    with mock_aws():
        yield create_platform()


@pytest.fixture
def platform_with_mapping() -> Iterator[MotoPlatform]:
    with mock_aws():
        yield create_platform(with_processor_mapping=True)


@pytest.fixture
def outputs_file(platform: MotoPlatform, tmp_path: Path) -> Path:
    return platform.write_outputs(tmp_path)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run `python -m runbooks <argv>` in-process (so moto sees its AWS calls)."""

    def run(*argv: str) -> CliResult:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
