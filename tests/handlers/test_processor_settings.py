"""The processor's environment: read once, and every problem named."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from shared.config import ConfigurationError, ProcessorSettings

VALID = {
    "RESULTS_TABLE": "results",
    "MAX_OBJECT_BYTES": "10485760",
    "RESULT_TTL_DAYS": "30",
    "POWERTOOLS_SERVICE_NAME": "processor",
    "POWERTOOLS_METRICS_NAMESPACE": "ServerlessPlatform",
    "LOG_LEVEL": "info",
}


def test_settings_are_read_from_every_variable():
    # GIVEN the environment the infrastructure sets
    # WHEN it is read
    settings = ProcessorSettings.from_environ(VALID)

    # THEN each variable lands in its typed setting
    assert settings == ProcessorSettings(
        results_table="results",
        max_object_bytes=10485760,
        result_ttl_days=30,
        service_name="processor",
        metrics_namespace="ServerlessPlatform",
        log_level="INFO",
    )


def test_log_level_defaults_to_info_when_unset():
    # GIVEN an environment without LOG_LEVEL
    environ = {name: value for name, value in VALID.items() if name != "LOG_LEVEL"}

    # WHEN it is read
    # THEN the level is INFO
    assert ProcessorSettings.from_environ(environ).log_level == "INFO"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RESULTS_TABLE", None, "RESULTS_TABLE is not set: expected the results table name"),
        ("RESULTS_TABLE", "  ", "RESULTS_TABLE is not set"),
        ("MAX_OBJECT_BYTES", None, "MAX_OBJECT_BYTES is not set: expected an integer >= 1"),
        ("MAX_OBJECT_BYTES", "ten", "MAX_OBJECT_BYTES must be an integer >= 1, got 'ten'"),
        ("MAX_OBJECT_BYTES", "0", "MAX_OBJECT_BYTES must be an integer >= 1, got '0'"),
        ("RESULT_TTL_DAYS", "-1", "RESULT_TTL_DAYS must be an integer >= 0, got '-1'"),
        ("RESULT_TTL_DAYS", "1.5", "RESULT_TTL_DAYS must be an integer >= 0, got '1.5'"),
        ("POWERTOOLS_SERVICE_NAME", None, "POWERTOOLS_SERVICE_NAME is not set"),
        ("POWERTOOLS_METRICS_NAMESPACE", "", "POWERTOOLS_METRICS_NAMESPACE is not set"),
        (
            "LOG_LEVEL",
            "LOUD",
            "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'LOUD'",
        ),
    ],
)
def test_invalid_variable_is_named_with_what_was_expected_and_given(name, value, message):
    # GIVEN an environment with one variable missing or malformed
    environ = {k: v for k, v in VALID.items() if k != name}
    if value is not None:
        environ[name] = value

    # WHEN it is read
    with pytest.raises(ConfigurationError) as raised:
        ProcessorSettings.from_environ(environ)

    # THEN the error names that variable
    assert message in str(raised.value)


def test_every_invalid_variable_is_reported_at_once():
    # GIVEN an environment with two problems
    environ = {**VALID, "MAX_OBJECT_BYTES": "x", "RESULT_TTL_DAYS": "-3"}

    # WHEN it is read
    with pytest.raises(ConfigurationError) as raised:
        ProcessorSettings.from_environ(environ)

    # THEN both are in the one error
    assert "MAX_OBJECT_BYTES" in str(raised.value)
    assert "RESULT_TTL_DAYS" in str(raised.value)


def test_cold_start_fails_naming_the_variable_when_the_environment_is_invalid():
    # GIVEN a fresh interpreter, as Lambda starts one, without MAX_OBJECT_BYTES
    root = Path(__file__).resolve().parents[2]
    environ = {k: v for k, v in os.environ.items() if k not in VALID}
    environ |= {k: v for k, v in VALID.items() if k != "MAX_OBJECT_BYTES"}
    environ["PYTHONPATH"] = str(root / "lambda_functions")

    # WHEN it imports the handler module
    finished = subprocess.run(
        [sys.executable, "-c", "import processor.app"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # THEN the import fails with the variable named
    assert finished.returncode != 0
    assert "ConfigurationError" in finished.stderr
    assert "MAX_OBJECT_BYTES is not set" in finished.stderr
