"""Deployment targets: regions, accounts through assumed roles, and the HA option."""

import json
import re

import pytest
import yaml

from .conftest import ROOT, STACKS

SHARED_ACCOUNT = "210987654321"


def test_prod_has_one_explicit_provider_per_region(prod_all_regions):
    providers = {p.name: p.inputs["region"] for p in prod_all_regions.all("pulumi:providers:aws")}
    assert providers == {"aws-us-east-1": "us-east-1", "aws-us-west-2": "us-west-2"}


def test_replica_region_resources_use_its_provider_and_get_its_arns(prod_all_regions):
    replica = prod_all_regions.in_region("us-west-2")
    function = replica.one("aws:lambda/function:Function", "us-west-2-processor-function")
    assert function.arn.startswith("arn:aws:lambda:us-west-2:123456789012:function:")
    assert replica.one("aws:sqs/queue:Queue", "us-west-2-ingest-queue").arn.startswith(
        "arn:aws:sqs:us-west-2:"
    )
    # The replica region has no table of its own: it writes to its global-table replica.
    assert replica.all("aws:dynamodb/table:Table") == []
    policy = json.loads(
        replica.one("aws:iam/rolePolicy:RolePolicy", "us-west-2-processor-policy").inputs["policy"]
    )
    writes = next(s for s in policy["Statement"] if s["Sid"] == "WriteResults")
    assert writes["Resource"] == [
        "arn:aws:dynamodb:us-west-2:123456789012:table/serverless-platform-prod-results"
    ]


def test_cross_account_stack_assumes_the_role_with_an_external_id(plan_stack):
    shared = plan_stack("prod-shared")
    provider = shared.one("pulumi:providers:aws")
    assert json.loads(provider.inputs["assumeRoles"]) == [
        {
            "externalId": "serverless-platform-prod-shared",
            "roleArn": f"arn:aws:iam::{SHARED_ACCOUNT}:role/serverless-platform-deploy",
            "sessionName": "serverless-platform-prod-shared",
        }
    ]
    assert json.loads(provider.inputs["allowedAccountIds"]) == [SHARED_ACCOUNT]
    table = shared.one("aws:dynamodb/table:Table")
    assert (
        table.arn
        == f"arn:aws:dynamodb:us-east-1:{SHARED_ACCOUNT}:table/serverless-platform-prod-results"
    )


def test_other_region_stack_deploys_everything_there(plan_stack):
    europe = plan_stack("prod-eu")
    assert {p.inputs["region"] for p in europe.all("pulumi:providers:aws")} == {"eu-west-1"}
    arns = [
        r.arn for r in europe.resources if r.arn and ":s3:" not in r.arn and ":iam:" not in r.arn
    ]
    regional = [a for a in arns if a.split(":")[3]]
    assert regional
    assert {a.split(":")[3] for a in regional} == {"eu-west-1"}


def test_replicas_and_replication_exist_only_when_configured(dev, prod_all_regions):
    assert dev.all("aws:s3/bucketReplicationConfig:BucketReplicationConfig") == []
    assert "replicas" not in dev.one("aws:dynamodb/table:Table").inputs
    table = prod_all_regions.one("aws:dynamodb/table:Table").inputs
    west_key = prod_all_regions.arn_of("aws:kms/key:Key", "platform-us-west-2-data-key")
    assert table["replicas"] == [
        {
            "kmsKeyArn": west_key,
            "pointInTimeRecovery": True,
            "propagateTags": True,
            "regionName": "us-west-2",
        }
    ]
    assert (table["streamEnabled"], table["streamViewType"]) == (True, "NEW_AND_OLD_IMAGES")
    configs = prod_all_regions.all("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    assert len(configs) == 2


def test_replication_rule_sends_incoming_to_the_other_regions_replica_bucket_with_its_key(
    prod_all_regions,
):
    east = prod_all_regions.in_region("us-east-1")
    config = east.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs
    (rule,) = config["rules"]
    west_bucket = prod_all_regions.arn_of(
        "aws:s3/bucket:Bucket", "us-west-2-replica-of-us-east-1-ingest-bucket"
    )
    west_key = prod_all_regions.arn_of("aws:kms/key:Key", "platform-us-west-2-data-key")
    assert rule["filter"] == {"prefix": "incoming/"}
    assert rule["destination"]["bucket"] == west_bucket
    assert rule["destination"]["encryptionConfiguration"] == {"replicaKmsKeyId": west_key}
    assert rule["sourceSelectionCriteria"] == {"sseKmsEncryptedObjects": {"status": "Enabled"}}
    assert config["bucket"] == east.one("aws:s3/bucket:Bucket", "platform-storage-ingest-bucket").id


def test_replication_role_is_exact(prod_all_regions):
    east = prod_all_regions.in_region("us-east-1")
    policy = json.loads(
        east.one("aws:iam/rolePolicy:RolePolicy", "us-east-1-replication-policy").inputs["policy"]
    )
    statements = {s["Sid"]: s for s in policy["Statement"]}
    source = east.arn_of("aws:s3/bucket:Bucket", "platform-storage-ingest-bucket")
    target = prod_all_regions.arn_of(
        "aws:s3/bucket:Bucket", "us-west-2-replica-of-us-east-1-ingest-bucket"
    )
    assert statements["ReadReplicationConfiguration"]["Resource"] == [source]
    assert statements["ReadSourceVersions"]["Resource"] == [f"{source}/incoming/*"]
    assert statements["WriteReplicas"]["Action"] == [
        "s3:ReplicateDelete",
        "s3:ReplicateObject",
        "s3:ReplicateTags",
    ]
    assert statements["WriteReplicas"]["Resource"] == [f"{target}/incoming/*"]
    decrypt = statements["DecryptSourceObjects"]
    assert decrypt["Resource"] == [east.arn_of("aws:kms/key:Key", "platform-data-key")]
    assert decrypt["Condition"]["StringEquals"] == {"kms:ViaService": "s3.us-east-1.amazonaws.com"}
    encrypt = statements["EncryptReplicasIn0"]
    assert encrypt["Condition"]["StringEquals"] == {"kms:ViaService": "s3.us-west-2.amazonaws.com"}
    trust = json.loads(
        east.one("aws:iam/role:Role", "us-east-1-replication-role").inputs["assumeRolePolicy"]
    )
    assert trust["Statement"][0]["Principal"] == {"Service": "s3.amazonaws.com"}


def test_each_region_has_a_latency_record_behind_a_calculated_health_check(prod_all_regions):
    checks = prod_all_regions.all("aws:route53/healthCheck:HealthCheck")
    by_id = {c.id: c for c in checks}
    records = [
        r
        for r in prod_all_regions.all("aws:route53/record:Record")
        if r.inputs.get("setIdentifier")
    ]
    assert {
        (r.inputs["setIdentifier"], r.inputs["latencyRoutingPolicies"][0]["region"])
        for r in records
    } == {
        ("us-east-1", "us-east-1"),
        ("us-west-2", "us-west-2"),
    }
    assert {r.inputs["name"] for r in records} == {"api.data.example.com"}
    for record in records:
        region = record.inputs["setIdentifier"]
        calculated = by_id[record.inputs["healthCheckId"]].inputs
        # Healthy only while both children are: the alarm is quiet and the API answers.
        assert calculated["type"] == "CALCULATED"
        assert calculated["childHealthThreshold"] == 2
        children = [by_id[i].inputs for i in calculated["childHealthchecks"]]
        alarm = next(c for c in children if c["type"] == "CLOUDWATCH_METRIC")
        assert alarm["cloudwatchAlarmName"] == "serverless-platform-prod-api-5xx-rate"
        assert alarm["cloudwatchAlarmRegion"] == region
        reachable = next(c for c in children if c["type"] == "TCP")
        # The probe goes to the same regional endpoint the record aliases.
        assert reachable["fqdn"] == record.inputs["aliases"][0]["name"]
        assert (reachable["port"], reachable["requestInterval"]) == (443, 30)


def test_a_region_that_goes_silent_fails_its_health_check(prod_all_regions):
    """Silence (no metrics) keeps the alarm child's last status, so the reachability
    child must be what withdraws a dead region: a calculated check that the TCP child
    alone can fail."""
    checks = prod_all_regions.all("aws:route53/healthCheck:HealthCheck")
    calculated = [c.inputs for c in checks if c.inputs["type"] == "CALCULATED"]
    tcp_ids = {c.id for c in checks if c.inputs["type"] == "TCP"}
    assert len(calculated) == 2
    for check in calculated:
        # Every child must be healthy: one unhealthy (silent) child fails the region.
        assert check["childHealthThreshold"] == len(check["childHealthchecks"])
        assert set(check["childHealthchecks"]) & tcp_ids


def test_only_the_primary_region_writes_the_certificate_validation_record(prod_all_regions):
    validation_records = [
        r
        for r in prod_all_regions.all("aws:route53/record:Record")
        if r.name.endswith("validation-record")
    ]
    assert [r.name for r in validation_records] == ["platform-api-certificate-validation-record"]
    west = prod_all_regions.in_region("us-west-2")
    validation = west.one("aws:acm/certificateValidation:CertificateValidation").inputs
    assert validation["validationRecordFqdns"][0].endswith("api.data.example.com.")


def _target_of(stack: str) -> dict:
    config = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    return config["serverless-platform:target"]


@pytest.mark.parametrize("stack", [s for s in STACKS if s != "dev"])
def test_every_non_dev_stack_pins_the_accounts_each_of_its_providers_accepts(plan_stack, stack):
    """Credentials for another account (a dev profile left active) fail before anything
    is created, in every region: the explicit providers must carry the pin themselves."""
    pinned = _target_of(stack)["allowedAccountIds"]
    assert pinned
    assert all(re.fullmatch(r"\d{12}", account) for account in pinned)
    providers = plan_stack(stack).all("pulumi:providers:aws")
    assert providers
    assert {p.name: json.loads(p.inputs["allowedAccountIds"]) for p in providers} == {
        p.name: pinned for p in providers
    }


def test_dev_deploys_into_the_account_of_its_credentials(plan_stack):
    assert "allowedAccountIds" not in _target_of("dev")
    assert "allowedAccountIds" not in plan_stack("dev").provider_for("us-east-1").inputs
