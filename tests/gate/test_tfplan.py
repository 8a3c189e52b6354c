"""Rendering a Pulumi plan as Terraform plan JSON: values, blocks, maps and references."""

import json
from dataclasses import replace

import pytest

from gate.checkov.runner import run_checkov, scan_plans, write_plan
from gate.checkov.tfplan import PROVIDER_NAME, render_tfplan
from gate.engine.planner import build_plan

from .conftest import FIXTURES, urn_for

SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}


def only(tfplan):
    (resource,) = tfplan.resources
    return resource


def test_resource_gets_terraform_type_address_and_snake_case_values(resource_factory, plan_factory):
    queue = resource_factory(
        "aws:sqs/queue:Queue", "ingest-queue", {"visibilityTimeoutSeconds": 360.0, "name": "q"}
    )

    rendered = only(render_tfplan(plan_factory(queue)))

    assert rendered.address == "aws_sqs_queue.ingest_queue"
    assert rendered.values == {"visibility_timeout_seconds": 360, "name": "q"}
    assert isinstance(rendered.values["visibility_timeout_seconds"], int)


def test_renamed_fields_use_the_terraform_name(resource_factory, plan_factory):
    function = resource_factory("aws:lambda/function:Function", "api", {"name": "api-fn"})
    permission = resource_factory(
        "aws:lambda/permission:Permission", "invoke", {"function": "api-fn"}
    )
    stage = resource_factory(
        "aws:apigateway/stage:Stage", "v1", {"restApi": "abc", "deployment": "dep"}
    )

    tfplan = render_tfplan(plan_factory(function, permission, stage))

    values = {r.type: r.values for r in tfplan.resources}
    assert values["aws_lambda_function"] == {"function_name": "api-fn"}
    assert values["aws_lambda_permission"] == {"function_name": "api-fn"}
    assert values["aws_api_gateway_stage"] == {"rest_api_id": "abc", "deployment_id": "dep"}


def test_one_element_objects_become_lists_of_blocks(resource_factory, plan_factory):
    table = resource_factory(
        "aws:dynamodb/table:Table",
        "results",
        {
            "pointInTimeRecovery": {"enabled": True},
            "serverSideEncryption": {"enabled": True, "kmsKeyArn": "arn:key"},
        },
    )

    rendered = only(render_tfplan(plan_factory(table)))

    assert rendered.values == {
        "point_in_time_recovery": [{"enabled": True}],
        "server_side_encryption": [{"enabled": True, "kms_key_arn": "arn:key"}],
    }


def test_pluralized_lists_of_blocks_get_singular_names_at_every_depth(
    resource_factory, plan_factory
):
    lifecycle = resource_factory(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "ingest",
        {
            "bucket": "b",
            "rules": [
                {
                    "id": "archive",
                    "status": "Enabled",
                    "transitions": [{"days": 30.0, "storageClass": "GLACIER"}],
                    "noncurrentVersionExpiration": {"noncurrentDays": 7.0},
                }
            ],
        },
    )

    rendered = only(render_tfplan(plan_factory(lifecycle)))

    assert rendered.values["rule"] == [
        {
            "id": "archive",
            "status": "Enabled",
            "transition": [{"days": 30, "storage_class": "GLACIER"}],
            "noncurrent_version_expiration": [{"noncurrent_days": 7}],
        }
    ]


def test_tags_stay_a_map_and_environment_is_a_block_holding_a_map(resource_factory, plan_factory):
    function = resource_factory(
        "aws:lambda/function:Function",
        "processor",
        {
            "tags": {"Owner": "data", "costCenter": "cc-1"},
            "environment": {"variables": {"LOG_LEVEL": "INFO", "tableName": "results"}},
        },
    )

    rendered = only(render_tfplan(plan_factory(function)))

    assert rendered.values["tags"] == {"Owner": "data", "costCenter": "cc-1"}
    assert rendered.values["environment"] == [
        {"variables": {"LOG_LEVEL": "INFO", "tableName": "results"}}
    ]


def test_json_policies_stay_strings(resource_factory, plan_factory):
    document = json.dumps({"Version": "2012-10-17", "Statement": []})
    policy = resource_factory(
        "aws:sqs/queuePolicy:QueuePolicy", "ingest", {"queueUrl": "u", "policy": document}
    )

    rendered = only(render_tfplan(plan_factory(policy)))

    assert rendered.values["policy"] == document


def test_secrets_are_redacted_and_archives_become_file_names(resource_factory, plan_factory):
    function = resource_factory(
        "aws:lambda/function:Function",
        "api",
        {
            "environment": {"variables": {"TOKEN": {**SECRET, "value": "s3cr3t"}}},
            "code": {
                "4dabf18193072939515e22adb298388d": "0def7320c3a5731c473e5ecbe6d01bc7",
                "path": "build/api.zip",
            },
        },
    )

    rendered = only(render_tfplan(plan_factory(function)))

    # The plan checkov reads is written to disk: a secret is never in it.
    assert rendered.values["environment"] == [{"variables": {"TOKEN": "[secret]"}}]
    assert rendered.values["filename"] == "build/api.zip"


def test_unknown_values_are_left_out_and_flagged_after_unknown(resource_factory, plan_factory):
    bucket = resource_factory(
        "aws:s3/bucket:Bucket", "b", {"bucket": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}
    )

    rendered = only(render_tfplan(plan_factory(bucket)))

    assert "bucket" not in rendered.values
    assert rendered.after_unknown == {"bucket": True}


def test_property_dependencies_become_references_to_the_attribute_used(
    resource_factory, plan_factory
):
    bucket = resource_factory("aws:s3/bucket:Bucket", "ingest", {"bucket": "ingest-b"})
    key = resource_factory("aws:kms/key:Key", "data")
    logging = resource_factory(
        "aws:s3/bucketLogging:BucketLogging",
        "ingest",
        {"bucket": bucket.id, "targetBucket": "elsewhere"},
        property_dependencies={"bucket": [bucket.urn], "targetBucket": []},
        dependencies=[bucket.urn],
    )
    sse = resource_factory(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "ingest",
        {
            "bucket": bucket.id,
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": "aws:kms",
                        "kmsMasterKeyId": key.arn,
                    }
                }
            ],
        },
        property_dependencies={"bucket": [bucket.urn], "rules": [key.urn]},
    )

    tfplan = render_tfplan(plan_factory(bucket, key, logging, sse))

    by_type = {r.type: r for r in tfplan.resources}
    assert by_type["aws_s3_bucket_logging"].references == {
        "bucket": ["aws_s3_bucket.ingest.id", "aws_s3_bucket.ingest"]
    }
    assert by_type["aws_s3_bucket_server_side_encryption_configuration"].references == {
        "bucket": ["aws_s3_bucket.ingest.id", "aws_s3_bucket.ingest"],
        "rule": ["aws_kms_key.data.arn", "aws_kms_key.data"],
    }


def test_configuration_carries_references_and_explicit_depends_on(resource_factory, plan_factory):
    bucket = resource_factory("aws:s3/bucket:Bucket", "ingest")
    role = resource_factory("aws:iam/role:Role", "writer")
    block = resource_factory(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "ingest",
        {"bucket": bucket.id, "blockPublicAcls": True},
        property_dependencies={"bucket": [bucket.urn]},
        dependencies=[bucket.urn, role.urn],
    )

    document = render_tfplan(plan_factory(bucket, role, block)).to_dict()

    (configured,) = [
        r
        for r in document["configuration"]["root_module"]["resources"]
        if r["type"] == "aws_s3_bucket_public_access_block"
    ]
    assert configured["expressions"] == {
        "bucket": {"references": ["aws_s3_bucket.ingest.id", "aws_s3_bucket.ingest"]}
    }
    assert configured["depends_on"] == ["aws_iam_role.writer"]


def test_document_has_the_sections_checkov_reads(resource_factory, plan_factory):
    queue = resource_factory("aws:sqs/queue:Queue", "q", {"name": "q"})

    document = render_tfplan(plan_factory(queue)).to_dict()

    assert document["format_version"]
    assert document["terraform_version"]
    (planned,) = document["planned_values"]["root_module"]["resources"]
    assert planned == {
        "address": "aws_sqs_queue.q",
        "mode": "managed",
        "type": "aws_sqs_queue",
        "name": "q",
        "provider_name": PROVIDER_NAME,
        "schema_version": 0,
        "values": {"name": "q"},
        "sensitive_values": {},
    }
    (change,) = document["resource_changes"]
    assert change["change"]["actions"] == ["create"]
    assert change["change"]["after"] == {"name": "q"}
    region = document["configuration"]["provider_config"]["aws"]["expressions"]["region"]
    assert region == {"constant_value": "eu-west-1"}


def test_clashing_names_get_stable_distinct_addresses(resource_factory, plan_factory):
    first = resource_factory(
        "aws:iam/role:Role", "role", urn=urn_for("my:Processor$aws:iam/role:Role", "role")
    )
    second = resource_factory(
        "aws:iam/role:Role", "role", urn=urn_for("my:Api$aws:iam/role:Role", "role")
    )

    addresses = render_tfplan(plan_factory(first, second)).addresses
    again = render_tfplan(plan_factory(second, first)).addresses

    assert len(addresses) == 2
    assert all(a.startswith("aws_iam_role.role_") for a in addresses)
    assert addresses == again


def test_addresses_map_back_to_urns(resource_factory, plan_factory):
    queue = resource_factory("aws:sqs/queue:Queue", "ingest")

    tfplan = render_tfplan(plan_factory(queue))

    assert tfplan.urn_of("aws_sqs_queue.ingest") == queue.urn
    assert tfplan.urn_of("aws_sqs_queue.ingest[0]") == queue.urn
    assert tfplan.urn_of("aws_sqs_queue.other") is None


def test_components_providers_and_other_packages_are_not_rendered(resource_factory, plan_factory):
    component = resource_factory("my:platform:Storage", "storage", custom=False)
    provider = resource_factory("pulumi:providers:aws", "aws-us-east-1")
    other = resource_factory("random:index/randomId:RandomId", "suffix")
    queue = resource_factory("aws:sqs/queue:Queue", "ingest")

    tfplan = render_tfplan(plan_factory(component, provider, other, queue))

    assert [r.address for r in tfplan.resources] == ["aws_sqs_queue.ingest"]
    assert tfplan.not_rendered == [other.urn]


def test_a_real_program_renders_with_its_references():
    tfplan = render_tfplan(build_plan(FIXTURES / "programs" / "tiny", "test"))

    policy = next(r for r in tfplan.resources if r.type == "aws_sqs_queue_policy")
    assert policy.references["queue_url"] == ["aws_sqs_queue.queue.id", "aws_sqs_queue.queue"]
    assert json.loads(tfplan.to_json())["planned_values"]


@pytest.fixture
def two_region_plan(resource_factory, plan_factory):
    """A queue through the default provider (stack region us-east-2) and one through an
    explicit provider in eu-west-1, as the engine records them."""
    provider = resource_factory(
        "pulumi:providers:aws", "aws-eu-west-1", {"region": "eu-west-1"}, id="p-1"
    )
    default = resource_factory("aws:sqs/queue:Queue", "home", {"name": "home"})
    europe = resource_factory(
        "aws:sqs/queue:Queue", "europe", {"name": "europe"}, provider=f"{provider.urn}::p-1"
    )
    return replace(plan_factory(provider, default, europe), config={"aws:region": "us-east-2"})


def test_each_resource_is_configured_through_its_providers_region(two_region_plan):
    # GIVEN a queue through the default provider and one through a provider in eu-west-1
    # WHEN the plan is rendered
    tfplan = render_tfplan(two_region_plan)
    # THEN each provider has its configuration with its region, and each queue points at
    # its own provider's
    document = tfplan.to_dict()
    assert document["configuration"]["provider_config"] == {
        "aws": {
            "name": "aws",
            "full_name": PROVIDER_NAME,
            "expressions": {"region": {"constant_value": "us-east-2"}},
        },
        "aws.aws_eu_west_1": {
            "name": "aws",
            "full_name": PROVIDER_NAME,
            "alias": "aws_eu_west_1",
            "expressions": {"region": {"constant_value": "eu-west-1"}},
        },
    }
    configured = {
        r["address"]: r["provider_config_key"]
        for r in document["configuration"]["root_module"]["resources"]
    }
    assert configured == {
        "aws_sqs_queue.home": "aws",
        "aws_sqs_queue.europe": "aws.aws_eu_west_1",
    }
    assert {r.address: r.region for r in tfplan.resources} == {
        "aws_sqs_queue.home": "us-east-2",
        "aws_sqs_queue.europe": "eu-west-1",
    }


def test_a_resources_own_region_wins_over_its_providers(resource_factory, plan_factory):
    # GIVEN a queue through a provider in eu-west-1 that sets its own region (pulumi-aws 7)
    provider = resource_factory("pulumi:providers:aws", "eu", {"region": "eu-west-1"}, id="p")
    queue = resource_factory(
        "aws:sqs/queue:Queue", "q", {"region": "ap-southeast-2"}, provider=f"{provider.urn}::p"
    )
    # WHEN the plan is rendered
    rendered = only(render_tfplan(plan_factory(provider, queue)))
    # THEN the queue is in its own region, held as Terraform holds the argument
    assert (rendered.region, rendered.provider_config_key) == ("ap-southeast-2", "aws.eu")
    assert rendered.values == {"region": "ap-southeast-2"}


def test_a_provider_without_a_region_is_in_the_stack_region_and_an_unknown_one_in_none(
    resource_factory, plan_factory
):
    # GIVEN providers with no region and with a region known only after apply
    bare = resource_factory("pulumi:providers:aws", "bare", {}, id="b")
    later = resource_factory(
        "pulumi:providers:aws", "later", {"region": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}, id="l"
    )
    first = resource_factory("aws:sqs/queue:Queue", "first", provider=f"{bare.urn}::b")
    second = resource_factory("aws:sqs/queue:Queue", "second", provider=f"{later.urn}::l")
    # WHEN the plan is rendered
    tfplan = render_tfplan(plan_factory(bare, later, first, second))
    # THEN the bare one deploys where the stack does, and the other one states no region
    assert {p.key: p.region for p in tfplan.providers} == {
        "aws.bare": "eu-west-1",
        "aws.later": None,
    }
    provider_config = tfplan.to_dict()["configuration"]["provider_config"]
    assert provider_config["aws.later"]["expressions"] == {}
    assert {r.name: r.region for r in tfplan.resources} == {"first": "eu-west-1", "second": None}


@pytest.mark.slow
def test_checkov_reads_every_provider_configuration_and_resource(two_region_plan, tmp_path):
    # GIVEN the two-region plan, written as the gate writes it for checkov
    write_plan(render_tfplan(two_region_plan), tmp_path / "0000-two-regions")
    # WHEN checkov runs on it
    results = run_checkov(tmp_path, "terraform_plan")
    # THEN it evaluates both provider configurations and both queues
    assert {r.address for r in results} == {
        "aws.default",
        "aws.aws_eu_west_1",
        "aws_sqs_queue.home",
        "aws_sqs_queue.europe",
    }
    # AND the gate maps every result back to the plan (provider checks all pass)
    outcome = scan_plans([two_region_plan])[two_region_plan.stack]
    checked = {f.urn for f in outcome.findings} | {p.urn for p in outcome.passes}
    assert checked == {r.urn for r in two_region_plan.resources if r.type == "aws:sqs/queue:Queue"}
