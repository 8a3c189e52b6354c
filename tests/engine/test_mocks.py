"""The mocks: every output of every pulumi-aws type filled from the SDK's own shapes,
values shaped like AWS's, invokes answered and recorded."""

import json

import pulumi
import pytest

from gate.engine.generate import PACKAGES, render, table_path
from gate.engine.mocks import SECRET_MASK, RecordingMocks, mask_secrets
from gate.engine.sdk_types import SchemaIndex, describe_package
from gate.engine.values import Synthesizer, Target

EU = Target(region="eu-west-1", account="111122223333")


@pytest.fixture(scope="module")
def schemas() -> SchemaIndex:
    return SchemaIndex()


@pytest.fixture
def mocks(schemas) -> RecordingMocks:
    return RecordingMocks(EU, schemas=schemas)


def _call(mocks: RecordingMocks, token: str, args: dict) -> dict:
    return mocks.call(pulumi.runtime.MockCallArgs(token=token, args=args, provider=""))


def _unset(value, path=""):
    """Paths of None values anywhere inside `value`."""
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _unset(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _unset(v, f"{path}[{i}]")]
    return []


def test_no_output_of_any_pulumi_aws_resource_type_is_ever_none(mocks, schemas):
    # GIVEN every resource type pulumi-aws declares
    table = json.loads(table_path("pulumi_aws").read_text(encoding="utf-8"))
    assert len(table["resources"]) > 1500
    missing = {}
    for token, shape in table["resources"].items():
        if token.startswith("pulumi:providers:"):
            continue  # a provider's outputs are its inputs: nothing is computed
        # WHEN it is created with no inputs at all
        _, state = mocks.resource_state(token, "r", {}, EU)
        # THEN each declared output has a value (assets stay unknown, as in a preview)
        absent = [p for p, d in shape.items() if p not in state and d != "x"]
        nested = _unset(state)
        if absent or nested:
            missing[token] = absent + nested
    assert missing == {}


def test_a_nested_output_type_is_derived_with_every_field(mocks):
    # GIVEN an RDS cluster that manages its master password (no special answer for RDS)
    _, state = mocks.resource_state(
        "aws:rds/cluster:Cluster", "orders", {"manageMasterUserPassword": True}, EU
    )
    # THEN its list-of-objects output carries one object with every field, typed
    (secret,) = state["masterUserSecrets"]
    assert set(secret) == {"kmsKeyId", "secretArn", "secretStatus"}
    assert secret["secretArn"].startswith("arn:aws:secretsmanager:eu-west-1:111122223333:secret:")
    assert state["port"] == 1
    assert isinstance(state["port"], int)
    assert state["storageEncrypted"] is False


@pytest.mark.parametrize(
    ("token", "prefix"),
    [
        ("aws:cloudwatch/eventRule:EventRule", "arn:aws:events:eu-west-1:111122223333:rule/"),
        ("aws:sfn/stateMachine:StateMachine", "arn:aws:states:eu-west-1:111122223333:"),
        ("aws:cognito/userPool:UserPool", "arn:aws:cognito-idp:eu-west-1:111122223333:"),
        ("aws:efs/fileSystem:FileSystem", "arn:aws:elasticfilesystem:eu-west-1:111122223333:"),
        ("aws:lb/targetGroup:TargetGroup", "arn:aws:elasticloadbalancing:eu-west-1:"),
        ("aws:iam/role:Role", "arn:aws:iam::111122223333:role/"),
    ],
)
def test_arns_use_the_service_namespace_region_and_account(mocks, token, prefix):
    _, state = mocks.resource_state(token, "thing", {}, EU)
    assert state["arn"].startswith(prefix)


@pytest.mark.parametrize(
    ("token", "prefix"),
    [
        ("aws:ec2/vpc:Vpc", "vpc-"),
        ("aws:ec2/subnet:Subnet", "subnet-"),
        ("aws:ec2/securityGroup:SecurityGroup", "sg-"),
        ("aws:ec2/instance:Instance", "i-"),
        ("aws:ec2/internetGateway:InternetGateway", "igw-"),
    ],
)
def test_ec2_ids_carry_their_prefixes(mocks, token, prefix):
    resource_id, _ = mocks.resource_state(token, "thing", {}, EU)
    assert resource_id.startswith(prefix)


def test_endpoints_are_hostnames_in_the_region_and_zones_belong_to_it(mocks):
    _, balancer = mocks.resource_state("aws:lb/loadBalancer:LoadBalancer", "web", {}, EU)
    _, subnet = mocks.resource_state("aws:ec2/subnet:Subnet", "a", {}, EU)
    _, cluster = mocks.resource_state("aws:eks/cluster:Cluster", "k8s", {}, EU)
    assert balancer["dnsName"].endswith(".eu-west-1.elb.amazonaws.com")
    assert subnet["vpcId"].startswith("vpc-")
    assert subnet["availabilityZone"] == "eu-west-1a"
    assert subnet["availabilityZoneId"] == "euw1-az1"
    assert cluster["endpoint"].startswith("https://")
    assert cluster["certificateAuthority"]["data"]


def test_inputs_are_echoed_in_the_type_the_provider_returns(mocks):
    _, state = mocks.resource_state(
        "aws:sqs/queue:Queue", "jobs", {"delaySeconds": "5", "fifoQueue": "true"}, EU
    )
    assert state["delaySeconds"] == 5
    assert state["fifoQueue"] is True


def test_the_same_resource_gets_the_same_values_on_every_run(schemas):
    first = RecordingMocks(EU, schemas=schemas).resource_state("aws:ec2/vpc:Vpc", "main", {}, EU)
    second = RecordingMocks(EU, schemas=SchemaIndex()).resource_state(
        "aws:ec2/vpc:Vpc", "main", {}, EU
    )
    assert first == second


def test_an_invoke_with_no_special_answer_is_derived_from_its_result_type(mocks):
    # GIVEN an invoke the gate has no rule for
    result = _call(mocks, "aws:ec2/getInstanceType:getInstanceType", {"instanceType": "t3.micro"})
    # THEN every field of its result type is answered, the arguments echoed
    assert result["instanceType"] == "t3.micro"
    assert isinstance(result["defaultVcpus"], int)
    assert isinstance(result["gpuses"], list)
    assert set(result["gpuses"][0]) == {
        "count",
        "manufacturer",
        "memorySize",
        "name",
    }
    # AND the plan records that the answer was made up from the type alone
    assert mocks.invokes == [
        {
            "token": "aws:ec2/getInstanceType:getInstanceType",
            "args": {"instanceType": "t3.micro"},
            "answer": "derived",
        }
    ]


@pytest.mark.parametrize(
    ("token", "args", "field", "prefix"),
    [
        ("aws:ec2/getAmi:getAmi", {"owners": ["amazon"]}, "id", "ami-"),
        ("aws:ec2/getVpc:getVpc", {"default": True}, "id", "vpc-"),
        ("aws:ec2/getSecurityGroup:getSecurityGroup", {"name": "web"}, "id", "sg-"),
        ("aws:route53/getZone:getZone", {"name": "example.com"}, "zoneId", "Z"),
        ("aws:acm/getCertificate:getCertificate", {"domain": "x.io"}, "arn", "arn:aws:acm:"),
        ("aws:ecr/getAuthorizationToken:getAuthorizationToken", {}, "userName", "AWS"),
        ("aws:ecr/getCredentials:getCredentials", {"registryId": "1"}, "proxyEndpoint", "https://"),
        ("aws:ssm/getParameter:getParameter", {"name": "/app/db"}, "type", "String"),
    ],
)
def test_common_lookups_have_answers_shaped_like_aws(mocks, token, args, field, prefix):
    result = _call(mocks, token, args)
    assert str(result[field]).startswith(prefix)
    assert mocks.invokes[-1]["answer"] == "special"


def test_get_subnets_answers_several_subnets(mocks):
    result = _call(mocks, "aws:ec2/getSubnets:getSubnets", {})
    assert len(result["ids"]) == 3
    assert all(subnet.startswith("subnet-") for subnet in result["ids"])


def test_supplied_answers_win_and_match_on_the_arguments_they_name():
    mocks = RecordingMocks(
        EU,
        supplied={
            "invokes": [
                {
                    "token": "aws:ec2/getAmi:getAmi",
                    "args": {"owners": ["099720109477"]},
                    "result": {"id": "ami-0pinned"},
                }
            ]
        },
    )
    assert _call(mocks, "aws:ec2/getAmi:getAmi", {"owners": ["099720109477"]})["id"] == (
        "ami-0pinned"
    )
    assert _call(mocks, "aws:ec2/getAmi:getAmi", {"owners": ["amazon"]})["id"] != "ami-0pinned"
    assert [i["answer"] for i in mocks.invokes] == ["supplied", "special"]


def test_supplied_resource_outputs_override_the_invented_ones():
    balancer = "aws:lb/loadBalancer:LoadBalancer"
    mocks = RecordingMocks(
        EU,
        supplied={"resources": [{"type": balancer, "name": "web", "outputs": {"dnsName": "x"}}]},
    )
    assert mocks.resource_state(balancer, "web", {}, EU)[1]["dnsName"] == "x"
    assert mocks.resource_state(balancer, "api", {}, EU)[1]["dnsName"] != "x"


def test_recorded_invoke_arguments_never_carry_secrets():
    marked = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "k"}
    assert mask_secrets({"name": marked, "tags": ["hunter2", "ok"]}, frozenset({"hunter2"})) == {
        "name": SECRET_MASK,
        "tags": [SECRET_MASK, "ok"],
    }


def test_an_sdk_of_another_version_is_described_live_rather_than_from_the_table(tmp_path):
    # GIVEN a generated table that claims another pulumi-aws version
    stale = tmp_path / "pulumi_aws.json"
    stale.write_text(json.dumps({"package": "pulumi_aws", "version": "0.0.1"}), encoding="utf-8")
    index = SchemaIndex(generated_dir=tmp_path)
    # WHEN a shape is asked for
    shape = index.resource("aws:sqs/queue:Queue")
    # THEN it comes from the installed SDK itself
    assert index.source_of("aws:sqs/queue:Queue") == "sdk"
    assert shape is not None
    assert shape["arn"] == "s"
    assert shape["tags"] == ["m", "s"]


def test_values_follow_the_region_partition_of_the_provider():
    china = Synthesizer(Target("cn-north-1", "111122223333"), {})
    assert china.value("s", "arn", ("aws:sns/topic:Topic", "t")).startswith("arn:aws-cn:sns:")


@pytest.mark.slow
@pytest.mark.parametrize("package", PACKAGES)
def test_generated_shape_tables_are_current_for_the_pinned_sdks(package):
    # A stale table costs speed, not correctness (the engine then reads the SDK live),
    # but it must be regenerated: python -m gate.engine.generate
    assert table_path(package).read_text(encoding="utf-8") == render(describe_package(package))


@pytest.mark.parametrize(
    ("token", "output", "check"),
    [
        ("random:index/randomPassword:RandomPassword", "result", str),
        ("random:index/randomInteger:RandomInteger", "result", int),
        ("tls:index/privateKey:PrivateKey", "privateKeyPem", str),
        ("command:local:Command", "stdout", str),
        ("docker:index/image:Image", "repoDigest", str),
        ("archive:index/file:File", "outputBase64sha256", str),
    ],
)
def test_the_common_providers_beside_aws_get_typed_outputs(mocks, token, output, check):
    _, state = mocks.resource_state(token, "thing", {}, EU)
    assert isinstance(state[output], check)
    assert state[output] not in ("", None)


def test_a_tls_private_key_looks_like_a_pem(mocks):
    _, state = mocks.resource_state("tls:index/privateKey:PrivateKey", "key", {}, EU)
    assert state["privateKeyPem"].startswith("-----BEGIN ")
