"""The program runs in its own environment, as `pulumi preview` would run it."""

import stat
import sys
from pathlib import Path

import pytest

from gate.engine.environment import resolve_environment
from gate.engine.planner import EngineError, EngineOptions, build_plan
from gate.engine.project import ProjectError, load_project

PROGRAMS = Path(__file__).resolve().parent.parent / "fixtures" / "programs"
ROOT = Path(__file__).resolve().parent.parent.parent
OLD_SDK_ENV = ROOT / ".venv-sdk-old"
OLD_SDK_PYTHON = OLD_SDK_ENV / "bin" / "python"


@pytest.fixture(scope="module")
def old_sdk_python() -> Path:
    assert OLD_SDK_PYTHON.exists(), "the old-SDK environment is missing: run `make venv`"
    return OLD_SDK_PYTHON


def _program(directory: Path, pulumi_yaml: str, requirements: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(pulumi_yaml, encoding="utf-8")
    (directory / "Pulumi.test.yaml").write_text("config: {}\n", encoding="utf-8")
    (directory / "__main__.py").write_text(
        "import sys\nimport pulumi\npulumi.export('prefix', sys.prefix)\n", encoding="utf-8"
    )
    if requirements is not None:
        (directory / "requirements.txt").write_text(requirements, encoding="utf-8")
    return directory


@pytest.mark.slow
@pytest.mark.usefixtures("old_sdk_python")
def test_a_program_runs_with_the_virtualenv_its_pulumi_yaml_names_and_its_old_sdk():
    # GIVEN a program whose Pulumi.yaml names a venv with pulumi 3.150 and pulumi-aws 6
    # WHEN the gate plans it
    plan = build_plan(PROGRAMS / "own_env", "test")
    # THEN it ran with that venv's interpreter and SDK, not the gate's
    assert plan.environment["python"] == str(OLD_SDK_ENV.resolve() / "bin" / "python")
    assert plan.outputs["python"] == str(OLD_SDK_ENV.resolve())
    assert plan.outputs["pulumi_version"] == "3.150.0"
    assert plan.outputs["aws_version"].startswith("6.")
    # AND the old SDK's mocks still answer outputs and invokes, in the stack's region
    assert plan.outputs["bucket_arn"].startswith("arn:aws:s3:::data-")
    assert plan.outputs["queue_url"].startswith("https://sqs.eu-central-1.amazonaws.com/")
    assert plan.outputs["account"] == "123456789012"
    assert plan.outputs["dry_run"] is True
    assert [r.type for r in plan.resources] == ["aws:s3/bucketV2:BucketV2", "aws:sqs/queue:Queue"]


@pytest.mark.slow
def test_python_flag_overrides_every_program_environment(old_sdk_python):
    # GIVEN the gate's own test program, which names the gate's venv
    # WHEN it is planned with --python pointing at the old-SDK interpreter
    plan = build_plan(PROGRAMS / "tiny", "test", options=EngineOptions(python=str(OLD_SDK_PYTHON)))
    # THEN that interpreter ran it
    assert plan.environment == {
        "python": str(OLD_SDK_PYTHON),
        "origin": f"--python {OLD_SDK_PYTHON}",
    }
    assert plan.by_type("aws:sqs/queue:Queue")[0].inputs["name"] == "orders"


def test_a_missing_named_virtualenv_is_an_error_that_says_how_to_create_it(tmp_path):
    program = _program(
        tmp_path / "app",
        "name: app\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
        "pulumi\n",
    )
    with pytest.raises(EngineError) as raised:
        build_plan(program, "test")
    message = str(raised.value)
    assert f"names the virtualenv 'venv', and {program / 'venv'} does not exist" in message
    assert "-m pip install -r" in message
    assert "--install" in message


def test_no_named_environment_uses_the_gate_interpreter_when_it_has_the_requirements(tmp_path):
    program = _program(tmp_path / "app", "name: app\nruntime: python\n", "pulumi>=3.100\n")
    environment = resolve_environment(load_project(program))
    assert environment.python == sys.executable
    assert "the gate interpreter" in environment.origin


def test_a_requirement_the_gate_lacks_is_named_without_install(tmp_path):
    program = _program(
        tmp_path / "app", "name: app\nruntime: python\n", "pulumi>=3.100\nno-such-package==1.0\n"
    )
    with pytest.raises(ProjectError, match=r"no-such-package==1.0 \(not installed\).*--install"):
        resolve_environment(load_project(program))


def test_a_requirement_at_another_version_is_named_with_the_installed_one(tmp_path):
    program = _program(tmp_path / "app", "name: app\nruntime: python\n", "pulumi<3.0\n")
    with pytest.raises(ProjectError, match=r"pulumi<3.0 \(installed: 3\.\d+\.\d+\)"):
        resolve_environment(load_project(program))


def test_an_unknown_toolchain_is_rejected_by_name(tmp_path):
    program = _program(
        tmp_path / "app", "name: app\nruntime:\n  name: python\n  options:\n    toolchain: pdm\n"
    )
    with pytest.raises(ProjectError, match=r"toolchain must be pip, poetry or uv, got 'pdm'"):
        load_project(program)


def test_python_flag_naming_no_interpreter_is_an_error(tmp_path):
    program = _program(tmp_path / "app", "name: app\nruntime: python\n")
    with pytest.raises(ProjectError, match=r"--python /no/such/python: no such interpreter"):
        resolve_environment(load_project(program), python="/no/such/python")


@pytest.mark.slow
def test_install_creates_the_named_virtualenv_from_requirements(tmp_path):
    # GIVEN a writable program naming a venv that does not exist yet
    program = _program(
        tmp_path / "app",
        "name: app\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
        "pulumi==3.272.0\n",
    )
    # WHEN the gate plans it with --install
    plan = build_plan(program, "test", options=EngineOptions(install=True, cache_dir=tmp_path))
    # THEN the venv was created where Pulumi.yaml says, and the program ran in it
    assert plan.outputs["prefix"] == str((program / "venv").resolve())
    assert (program / "venv" / "bin" / "python").exists()
    assert not (program / "venv" / ".gate-installing").exists()


@pytest.mark.slow
def test_install_for_a_read_only_program_uses_the_gate_cache_keyed_by_requirements(tmp_path):
    # GIVEN a program folder without write bits (a read-only checkout)
    program = _program(
        tmp_path / "app",
        "name: app\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
        "pulumi==3.272.0\n",
    )
    program.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    cache = tmp_path / "cache"
    try:
        # WHEN it is planned with --install, twice
        first = build_plan(program, "test", options=EngineOptions(install=True, cache_dir=cache))
        second = build_plan(program, "test", options=EngineOptions(install=True, cache_dir=cache))
    finally:
        program.chmod(0o755)
    # THEN the environment lives in the cache, not the program folder, and is reused
    assert not (program / "venv").exists()
    assert first.environment["python"].startswith(str(cache / "envs"))
    assert second.environment == first.environment
    assert "the program's folder is read-only" in first.environment["origin"]


@pytest.mark.slow
def test_install_creates_a_poetry_environment_from_pyproject_alone(tmp_path, monkeypatch):
    # GIVEN a poetry project with a pyproject.toml and no lock file
    program = tmp_path / "app"
    program.mkdir()
    (program / "Pulumi.yaml").write_text(
        "name: app\nruntime:\n  name: python\n  options:\n    toolchain: poetry\n",
        encoding="utf-8",
    )
    (program / "Pulumi.test.yaml").write_text("config: {}\n", encoding="utf-8")
    (program / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "app"\nversion = "0.1.0"\ndescription = ""\n'
        'authors = ["gate <gate@example.com>"]\npackage-mode = false\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\npulumi = "3.272.0"\n',
        encoding="utf-8",
    )
    (program / "__main__.py").write_text(
        "import sys\nimport pulumi\npulumi.export('prefix', sys.prefix)\n", encoding="utf-8"
    )
    monkeypatch.setenv("POETRY_VIRTUALENVS_PATH", str(tmp_path / "poetry-envs"))
    # WHEN it is planned with --install (poetry itself comes from the registry)
    options = EngineOptions(install=True, cache_dir=tmp_path / "cache")
    plan = build_plan(program, "test", options=options)
    # THEN poetry made the environment and locked the project, and the program ran in it
    assert plan.outputs["prefix"].startswith(str(tmp_path / "poetry-envs"))
    assert (program / "poetry.lock").is_file()
    assert plan.environment["origin"].startswith("the poetry environment ")


def test_a_missing_poetry_environment_without_install_says_how_to_create_it(tmp_path):
    program = _program(
        tmp_path / "app", "name: app\nruntime:\n  name: python\n  options:\n    toolchain: poetry\n"
    )
    with pytest.raises(ProjectError, match=r"poetry install|poetry', which is not on the PATH"):
        resolve_environment(load_project(program), cache_dir=tmp_path)
