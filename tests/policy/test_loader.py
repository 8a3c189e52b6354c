"""Loading a pack by running its own __main__.py with the PolicyPack constructor
intercepted: any Python pack, no gRPC server, nothing left behind."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from pulumi_policy import EnforcementLevel

import policy_pack
from gate.crossguard.evaluate import PolicyPackError, load_policy_pack
from tests.policy.conftest import PACK_DIR, ROOT

PACKS = ROOT / "tests" / "fixtures" / "policy" / "packs"


def test_pack_declares_at_least_45_policies_with_stable_ids(pack: object) -> None:
    loaded = load_policy_pack(PACK_DIR)
    names = [policy.name for policy in loaded.policies]
    assert loaded.name == policy_pack.PACK_NAME
    assert len(names) >= 45
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names)
    assert loaded.enforcement_level == EnforcementLevel.ADVISORY


def test_each_policy_lives_in_a_module_named_after_its_id() -> None:
    for module in policy_pack.MODULES:
        expected = module.POLICY.name.replace("-", "_")
        assert Path(module.__file__).stem == expected, module.__name__


def test_each_policy_carries_its_metadata() -> None:
    for policy in policy_pack.POLICIES:
        assert policy.description, policy.name
        assert policy.severity, policy.name
        assert policy.remediation_steps, policy.name
        assert policy.enforcement_level in (EnforcementLevel.MANDATORY, EnforcementLevel.ADVISORY)
        assert [t for t in policy.tags or [] if t.startswith("category:")], policy.name


def test_loading_starts_no_grpc_server(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_server(*args: object, **kwargs: object) -> None:
        raise AssertionError("a gRPC server was started")

    monkeypatch.setattr(grpc, "server", no_server)
    assert load_policy_pack(PACKS / "sample").name == "sample-pack"


def test_loader_captures_what_the_pack_declares() -> None:
    loaded = load_policy_pack(PACKS / "sample")
    assert loaded.enforcement_level == EnforcementLevel.MANDATORY
    assert loaded.initial_config["switched-off"] == EnforcementLevel.DISABLED
    assert [p.name for p in loaded.policies][:2] == ["queue-encrypted", "delay-limit"]


def test_loader_restores_cwd_path_and_modules() -> None:
    cwd, path = os.getcwd(), list(sys.path)
    load_policy_pack(PACKS / "sample")
    assert os.getcwd() == cwd
    assert sys.path == path
    # the pack's sibling module does not linger to shadow another pack's
    assert "rules" not in sys.modules


def test_pack_that_catches_exceptions_is_still_captured() -> None:
    assert load_policy_pack(PACKS / "swallower").name == "swallower"


@pytest.mark.parametrize(
    ("pack", "error"),
    [
        ("broken", r"failed to load: ValueError: this pack is broken on purpose"),
        ("no_pack", r"never constructed a PolicyPack"),
        ("bad_name", r"Invalid policy pack name"),
        ("missing", r"has no __main__.py"),
    ],
)
def test_broken_packs_raise_a_clear_error(pack: str, error: str) -> None:
    with pytest.raises(PolicyPackError, match=error):
        load_policy_pack(PACKS / pack)


def test_pack_loads_in_a_fresh_interpreter_from_another_directory(tmp_path: Path) -> None:
    # GIVEN an interpreter that has not imported policy_pack, started elsewhere
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from gate.crossguard.evaluate import load_policy_pack;"
        "print(len(load_policy_pack(sys.argv[2]).policies))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(PACK_DIR)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert int(completed.stdout) == len(policy_pack.POLICIES)


def test_a_second_copy_of_the_pack_loads_beside_the_imported_one(tmp_path: Path) -> None:
    # GIVEN a copy of the pack under the same directory name, while policy_pack is imported
    copy = tmp_path / "policy_pack"
    shutil.copytree(PACK_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "venv"))
    original = sys.modules["policy_pack"]
    # WHEN the copy is loaded
    loaded = load_policy_pack(copy)
    # THEN it is complete, and the imported package is untouched
    assert len(loaded.policies) == len(policy_pack.POLICIES)
    assert sys.modules["policy_pack"] is original
