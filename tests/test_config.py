"""Typed config: bad values fail with the key, what was expected and what was given."""

import json

import pytest

from serverless_platform.config import ConfigError, parse_config

VALID = {
    "environment": "dev",
    "powertoolsLayerVersion": "27",
    "tags": json.dumps(
        {"Project": "p", "Owner": "team", "CostCenter": "cc-1", "DataClassification": "internal"}
    ),
}


def with_changes(**changes: object) -> dict[str, str | None]:
    raw: dict[str, str | None] = dict(VALID)
    for key, value in changes.items():
        raw[key] = value if value is None or isinstance(value, str) else json.dumps(value)
    return raw


def test_valid_config_derives_environment_tag_and_defaults():
    config = parse_config(VALID)
    assert config.tags["Environment"] == "dev"
    assert config.processor.architecture == "arm64"
    assert config.ingest.visibility_timeout_seconds(config.processor.timeout_seconds) == 360


def test_missing_required_value_names_the_key():
    with pytest.raises(ConfigError) as error:
        parse_config(with_changes(powertoolsLayerVersion=None))
    assert error.value.key == "powertoolsLayerVersion"
    assert "got nothing (the key is not set)" in str(error.value)


def test_missing_required_tag_names_the_tag():
    tags = {"Project": "p", "Owner": "o", "DataClassification": "internal"}
    with pytest.raises(ConfigError, match=r"'serverless-platform:tags.CostCenter'"):
        parse_config(with_changes(tags=tags))


def test_wrong_type_says_expected_and_given():
    with pytest.raises(ConfigError) as error:
        parse_config(with_changes(processor={"timeoutSeconds": "sixty"}))
    assert error.value.key == "processor.timeoutSeconds"
    assert str(error.value) == (
        "config 'serverless-platform:processor.timeoutSeconds': "
        "expected an integer from 3 to 900, got 'sixty'"
    )


def test_boolean_refuses_yes():
    with pytest.raises(ConfigError, match="deletionProtection': expected true or false, got 'yes'"):
        parse_config(with_changes(deletionProtection="yes"))


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"processor": {"memoryMb": 64}}, "processor.memoryMb"),
        ({"processor": {"reservedConcurrency": 0}}, "processor.reservedConcurrency"),
        ({"processor": {"batchSize": 11, "batchingWindowSeconds": 0}}, "processor.batchSize"),
        (
            {"processor": {"maxConcurrency": 9, "reservedConcurrency": 5}},
            "processor.maxConcurrency",
        ),
        ({"processor": {"architecture": "sparc"}}, "processor.architecture"),
        ({"logRetentionDays": "10"}, "logRetentionDays"),
        ({"kmsDeletionWindowDays": "31"}, "kmsDeletionWindowDays"),
        ({"environment": "Prod!"}, "environment"),
        (
            {
                "tags": {
                    "Project": "p",
                    "Owner": "o",
                    "CostCenter": "c",
                    "DataClassification": "secret",
                }
            },
            "tags.DataClassification",
        ),
        (
            {
                "tags": {
                    "Project": "p",
                    "Owner": "o",
                    "CostCenter": "c",
                    "DataClassification": "public",
                    "Environment": "prod",
                }
            },
            "tags.Environment",
        ),
    ],
)
def test_out_of_range_values_name_their_key(changes, key):
    with pytest.raises(ConfigError) as error:
        parse_config(with_changes(**changes))
    assert error.value.key == key


def test_processor_section_must_be_an_object():
    with pytest.raises(ConfigError, match="'serverless-platform:processor': expected an object"):
        parse_config(with_changes(processor="[1, 2]"))
