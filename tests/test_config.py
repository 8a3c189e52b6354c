"""Typed config: bad values fail with the key, what was expected and what was given."""

import json

import pytest

from serverless_platform.config import ConfigError, parse_config

VALID = {
    "environment": "dev",
    "target": json.dumps({"region": "us-east-1"}),
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


def test_missing_target_region_names_the_key():
    with pytest.raises(ConfigError) as error:
        parse_config(with_changes(target={}))
    assert error.value.key == "target.region"


def test_external_id_without_a_role_is_refused():
    with pytest.raises(ConfigError, match=r"target.assumeRoleArn': expected a value, because"):
        parse_config(with_changes(target={"region": "us-east-1", "externalId": "abc123"}))


def test_cross_account_target_knows_its_account():
    role = "arn:aws:iam::210987654321:role/deploy"
    config = parse_config(with_changes(target={"region": "eu-west-1", "assumeRoleArn": role}))
    assert config.target.account_id == "210987654321"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"replicaRegions": ["us-east-1"]}, "replicaRegions"),
        ({"replicaRegions": ["mars-1"]}, "replicaRegions[0]"),
        ({"api": {"domainName": "api.example.com"}}, "api.hostedZoneId"),
        ({"api": {"timeoutSeconds": 30}}, "api.timeoutSeconds"),
        (
            {
                "api": {
                    "reservedConcurrency": 5,
                    "provisionedConcurrency": {"minimum": 1, "maximum": 6},
                }
            },
            "api.provisionedConcurrency.maximum",
        ),
        ({"workflow": {"maxConcurrency": 41}}, "workflow.maxConcurrency"),
        ({"alarms": {"emails": ["not-an-email"]}}, "alarms.emails[0]"),
        ({"alarms": {"periodSeconds": 120}}, "alarms.periodSeconds"),
    ],
)
def test_api_workflow_alarm_and_region_errors_name_their_key(changes, key):
    with pytest.raises(ConfigError) as error:
        parse_config(with_changes(**changes))
    assert error.value.key == key


@pytest.mark.parametrize(
    ("changes", "key", "suggestion"),
    [
        ({"processor": {"memroyMb": 4096}}, "processor.memroyMb", "memoryMb"),
        ({"api": {"throttleRateLimt": 10}}, "api.throttleRateLimt", "throttleRateLimit"),
        ({"workflow": {"maxObject": 10}}, "workflow.maxObject", "maxObjects"),
        ({"alarms": {"evaluationPeriod": 2}}, "alarms.evaluationPeriod", "evaluationPeriods"),
        ({"target": {"region": "us-east-1", "regoin": "x"}}, "target.regoin", "region"),
        (
            {"api": {"provisionedConcurrency": {"minimum": 1, "maximum": 2, "maximun": 3}}},
            "api.provisionedConcurrency.maximun",
            "maximum",
        ),
        ({"logRetentionDay": "30"}, "logRetentionDay", "logRetentionDays"),
    ],
)
def test_a_misspelled_key_is_an_error_that_suggests_the_nearest_key(changes, key, suggestion):
    with pytest.raises(ConfigError) as error:
        parse_config(with_changes(**changes))
    assert error.value.key == key
    assert f"did you mean '{suggestion}'?" in str(error.value)
    assert str(error.value).endswith("got an unknown key")


# --- target.allowedAccountIds ------------------------------------------------------------


def test_an_account_id_that_is_not_12_digits_is_refused_naming_the_entry():
    with pytest.raises(ConfigError) as error:
        parse_config(with_changes(target={"region": "us-east-1", "allowedAccountIds": ["12345"]}))
    assert str(error.value) == (
        "config 'serverless-platform:target.allowedAccountIds[0]': expected a 12-digit AWS "
        "account id, quoted (such as '123456789012'), got '12345'"
    )


def test_an_unquoted_account_id_is_refused_because_yaml_drops_leading_zeros():
    with pytest.raises(ConfigError) as error:
        parse_config(
            with_changes(target={"region": "us-east-1", "allowedAccountIds": [123456789012]})
        )
    assert error.value.key == "target.allowedAccountIds[0]"


def test_the_assumed_roles_account_must_be_one_of_the_allowed_accounts():
    target = {
        "region": "us-east-1",
        "assumeRoleArn": "arn:aws:iam::210987654321:role/deploy",
        "allowedAccountIds": ["123456789012"],
    }
    with pytest.raises(ConfigError) as error:
        parse_config(with_changes(target=target))
    assert error.value.key == "target.allowedAccountIds"
    assert "a list that includes 210987654321, the account of target.assumeRoleArn" in str(
        error.value
    )


@pytest.mark.parametrize(
    ("target", "pinned"),
    [
        ({"region": "us-east-1"}, ()),
        ({"region": "us-east-1", "allowedAccountIds": ["123456789012"]}, ("123456789012",)),
        (
            {"region": "us-east-1", "assumeRoleArn": "arn:aws:iam::210987654321:role/deploy"},
            ("210987654321",),
        ),
    ],
    ids=["credentials-account", "configured", "assumed-roles-account"],
)
def test_the_pinned_accounts_are_the_configured_ones_else_the_assumed_roles(target, pinned):
    assert parse_config(with_changes(target=target)).target.pinned_account_ids == pinned


# --- deployment --------------------------------------------------------------------------


def test_deployments_default_to_a_canary_tested_by_the_hook():
    deployment = parse_config(VALID).deployment
    assert deployment.strategy == "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    assert deployment.pre_traffic_hook is True


def test_an_unknown_strategy_is_refused_listing_the_valid_ones():
    with pytest.raises(ConfigError) as error:
        parse_config(with_changes(deployment={"strategy": "Canary10Percent5Minutes"}))
    assert error.value.key == "deployment.strategy"
    assert str(error.value).startswith(
        "config 'serverless-platform:deployment.strategy': expected one of "
        "CodeDeployDefault.LambdaAllAtOnce, CodeDeployDefault.LambdaCanary10Percent5Minutes, "
    )
    assert str(error.value).endswith("got 'Canary10Percent5Minutes'")


def test_a_misspelled_deployment_key_suggests_the_nearest():
    with pytest.raises(ConfigError, match=r"did you mean 'preTrafficHook'\?"):
        parse_config(with_changes(deployment={"preTraficHook": False}))
