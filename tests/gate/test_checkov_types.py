"""The bridge's Terraform types come from pulumi-aws's own rename table, cover every
type checkov checks, and stay current for the pinned pulumi-aws."""

import json

import pytest

from gate.checkov.catalog import supported_resource_types
from gate.checkov.type_table import TABLE, generate, rule_type, terraform_type_of

# Terraform types some checkov check targets that pulumi-aws 7 has no resource for.
NO_PULUMI_TYPE = {
    "aws_db_security_group": "EC2-Classic, removed from the Terraform AWS provider in v5",
    "aws_elasticache_security_group": "EC2-Classic, removed in Terraform AWS provider v5",
    "aws_redshift_security_group": "EC2-Classic, removed in Terraform AWS provider v5",
}


def test_the_table_is_current_for_the_pinned_pulumi_aws():
    # Regenerate with: python -m gate.checkov.type_table
    assert json.loads(TABLE.read_text(encoding="utf-8")) == generate()


def test_every_type_checkov_checks_is_produced_or_its_absence_explained():
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    produced = set(table["types"].values())
    unexplained = supported_resource_types() - produced - set(NO_PULUMI_TYPE)
    assert unexplained == set()
    # And an explanation is never kept for a type that is in fact produced.
    assert set(NO_PULUMI_TYPE) & produced == set()


@pytest.mark.parametrize(
    ("token", "terraform"),
    [
        # From the bridge metadata, where the naming rule is wrong.
        ("aws:lb/loadBalancer:LoadBalancer", "aws_lb"),
        ("aws:alb/loadBalancer:LoadBalancer", "aws_alb"),
        ("aws:elb/loadBalancer:LoadBalancer", "aws_elb"),
        ("aws:rds/optionGroup:OptionGroup", "aws_db_option_group"),
        ("aws:rds/proxy:Proxy", "aws_db_proxy"),
        ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "aws_iam_openid_connect_provider"),
        ("aws:appsync/graphQLApi:GraphQLApi", "aws_appsync_graphql_api"),
        ("aws:ec2transitgateway/transitGateway:TransitGateway", "aws_ec2_transit_gateway"),
        ("aws:ec2/tag:Tag", "aws_ec2_tag"),
        # v5's legacy twin: pulumi-aws 7 maps Bucket to the current resource.
        ("aws:s3/bucket:Bucket", "aws_s3_bucket"),
        # Newer than the metadata: the rule, with the services pulumi-aws folds.
        ("aws:s3/bucketV2:BucketV2", "aws_s3_bucket"),
        ("aws:bedrock/agentAgent:AgentAgent", "aws_bedrockagent_agent"),
    ],
)
def test_terraform_types_of_well_known_tokens(token, terraform):
    assert terraform_type_of(token) == terraform


def test_another_provider_s_type_has_no_terraform_type():
    assert terraform_type_of("random:index/randomPet:RandomPet") is None
    assert rule_type("pulumi:providers:aws") is None


def test_the_table_says_which_types_came_from_the_rule():
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    assert table["pulumi_aws"] == "7.51.1"
    assert table["from_bridge_metadata"] > 1100
    assert "aws:lb/loadBalancer:LoadBalancer" not in table["from_the_rule"]
