"""`rotate-api-key` and `throttle-api` against moto's API Gateway usage plans and keys."""

from __future__ import annotations

from pathlib import Path

from tests.runbooks.conftest import CliRunner
from tests.runbooks.moto_platform import MotoPlatform


def _plan_key_ids(platform: MotoPlatform) -> set[str]:
    keys = platform.client("apigateway").get_usage_plan_keys(
        usagePlanId=platform.outputs["usage_plan_id"]
    )["items"]
    return {key["id"] for key in keys}


def _enabled(platform: MotoPlatform, key_id: str) -> bool:
    return bool(platform.client("apigateway").get_api_key(apiKey=key_id)["enabled"])


def test_rotate_api_key_without_yes_creates_and_disables_nothing(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("rotate-api-key", "--outputs", str(outputs_file))
    assert result.code == 0, result.err
    assert f"disable the old key {platform.outputs['api_key_id']}" in result.out
    assert "Dry run: nothing was changed" in result.out
    assert _plan_key_ids(platform) == {platform.outputs["api_key_id"]}
    assert _enabled(platform, platform.outputs["api_key_id"])


def test_rotate_api_key_with_yes_adds_a_new_key_and_disables_the_old_one(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    old_id = platform.outputs["api_key_id"]
    # WHEN the key is rotated
    result = run_cli("rotate-api-key", "--outputs", str(outputs_file), "--yes")
    # THEN the plan has a new, enabled key and the old one is disabled
    assert result.code == 0, result.err
    [new_id] = _plan_key_ids(platform) - {old_id}
    assert _enabled(platform, new_id)
    assert not _enabled(platform, old_id)
    assert f"New key id: {new_id}" in result.out
    # AND the new key carries the old key's tags, and its secret is not printed
    apigateway = platform.client("apigateway")
    new = apigateway.get_api_key(apiKey=new_id, includeValue=True)
    assert new["tags"] == {"Project": "serverless-platform"}
    assert new["value"] not in result.out


def test_rotate_api_key_prints_the_secret_only_with_show_secret(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("rotate-api-key", "--outputs", str(outputs_file), "--yes", "--show-secret")
    [new_id] = _plan_key_ids(platform) - {platform.outputs["api_key_id"]}
    value = platform.client("apigateway").get_api_key(apiKey=new_id, includeValue=True)["value"]
    assert f"New key value: {value}" in result.out


def test_rotate_api_key_keep_old_leaves_the_old_key_enabled(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("rotate-api-key", "--outputs", str(outputs_file), "--yes", "--keep-old")
    assert result.code == 0, result.err
    assert len(_plan_key_ids(platform)) == 2
    assert _enabled(platform, platform.outputs["api_key_id"])


def test_rotate_api_key_rejects_a_key_outside_the_usage_plan_naming_the_flag(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    stray = platform.client("apigateway").create_api_key(name="stray", enabled=True)["id"]
    result = run_cli("rotate-api-key", "--outputs", str(outputs_file), "--api-key-id", stray)
    assert result.code == 2
    assert f"--api-key-id {stray} is not a key of --usage-plan-id" in result.err


def _throttle(platform: MotoPlatform) -> dict[str, float]:
    plan = platform.client("apigateway").get_usage_plan(
        usagePlanId=platform.outputs["usage_plan_id"]
    )
    return dict(plan["throttle"])


def test_throttle_api_without_yes_changes_nothing(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("throttle-api", "--outputs", str(outputs_file), "--rate", "5", "--burst", "10")
    assert result.code == 0, result.err
    assert "rateLimit 20.0 -> 5 requests/s" in result.out
    assert "burstLimit 40 -> 10 requests" in result.out
    assert _throttle(platform) == {"rateLimit": 20.0, "burstLimit": 40}


def test_throttle_api_with_yes_sets_rate_and_burst(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli(
        "throttle-api", "--outputs", str(outputs_file), "--rate", "5", "--burst", "10", "--yes"
    )
    assert result.code == 0, result.err
    assert _throttle(platform) == {"rateLimit": 5, "burstLimit": 10}


def test_throttle_api_changes_only_the_limit_given(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    assert (
        run_cli("throttle-api", "--outputs", str(outputs_file), "--burst", "15", "--yes").code == 0
    )
    assert _throttle(platform) == {"rateLimit": 20.0, "burstLimit": 15}


def test_throttle_api_with_the_current_limits_changes_nothing(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("throttle-api", "--outputs", str(outputs_file), "--rate", "20", "--yes")
    assert "nothing to change" in result.out
    assert "Will change" not in result.out


def test_throttle_api_needs_a_rate_or_a_burst(outputs_file: Path, run_cli: CliRunner) -> None:
    result = run_cli("throttle-api", "--outputs", str(outputs_file), "--yes")
    assert result.code == 2
    assert "--rate, --burst or both" in result.err


def test_throttle_api_rejects_a_negative_rate_naming_the_flag(
    outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("throttle-api", "--outputs", str(outputs_file), "--rate", "-1")
    assert result.code == 2
    assert "--rate" in result.err


def test_throttle_api_with_yes_prints_the_revert_and_the_config_to_keep_it(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli(
        "throttle-api", "--outputs", str(outputs_file), "--rate", "5", "--burst", "10", "--yes"
    )
    assert result.code == 0, result.err
    plan = platform.outputs["usage_plan_id"]
    assert f"Drift: usage plan {plan} has rateLimit 5, burstLimit 10" in result.out
    assert (
        f"python -m runbooks throttle-api --outputs {outputs_file} --rate 20 --burst 40 --yes"
        in result.out
    )
    assert "pulumi config set --path api.throttleRateLimit 5 --stack <stack>" in result.out
    assert "pulumi config set --path api.throttleBurstLimit 10 --stack <stack>" in result.out


def test_throttle_api_dry_run_prints_no_drift(outputs_file: Path, run_cli: CliRunner) -> None:
    result = run_cli("throttle-api", "--outputs", str(outputs_file), "--rate", "5")
    assert result.code == 0, result.err
    assert "Drift:" not in result.out


def test_rotate_api_key_with_yes_names_the_drift_of_the_disabled_key(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    old_id = platform.outputs["api_key_id"]
    result = run_cli("rotate-api-key", "--outputs", str(outputs_file), "--yes")
    assert result.code == 0, result.err
    assert f"Drift: API key {old_id} is disabled" in result.out
    assert f"enables the old key {old_id} again" in result.out


def test_rotate_api_key_keep_old_leaves_no_drift_yet(
    platform: MotoPlatform, outputs_file: Path, run_cli: CliRunner
) -> None:
    result = run_cli("rotate-api-key", "--outputs", str(outputs_file), "--yes", "--keep-old")
    assert result.code == 0, result.err
    assert "Nothing the stack owns changed" in result.out
    assert "Drift:" not in result.out
