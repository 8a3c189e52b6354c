"""The bridge against checkov's own Terraform support.

Each family under tests/fixtures/checkov/ holds the same resources twice: `main.tf`
in HCL, and `pulumi/__main__.py` written with pulumi-aws. checkov's `terraform`
framework on the HCL and its `terraform_plan` framework on the bridge's rendering of
the Pulumi plan must fail the same checks on the same resources. One checkov run per
framework covers every family.
"""

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gate.checkov.runner import PLAN_FILE, CheckResult, run_checkov
from gate.checkov.tfplan import render_tfplan
from gate.engine.planner import build_plan

from .conftest import FIXTURES

CHECKOV_FIXTURES = FIXTURES / "checkov"
FAMILIES = sorted(p.name for p in CHECKOV_FIXTURES.iterdir() if (p / "main.tf").is_file())

pytestmark = pytest.mark.slow

Verdicts = dict[str, dict[str, set[str]]]


def _by_family(results: list[CheckResult]) -> Verdicts:
    """family -> address -> failed check ids, for every address checkov evaluated."""
    verdicts: Verdicts = defaultdict(lambda: defaultdict(set))
    for result in results:
        if result.address.startswith("aws."):
            continue  # the plan's provider block, which the HCL fixtures do not have
        family = result.file_path.strip("/").split("/", 1)[0]
        failed = verdicts[family][result.address]
        if result.outcome == "failed":
            failed.add(result.check_id)
    return verdicts


def _render_family(family: str, directory: Path) -> None:
    tfplan = render_tfplan(build_plan(CHECKOV_FIXTURES / family / "pulumi", "test"))
    (directory / family).mkdir()
    (directory / family / PLAN_FILE).write_text(tfplan.to_json(), encoding="utf-8")


@pytest.fixture(scope="session")
def verdicts(tmp_path_factory) -> tuple[Verdicts, Verdicts]:
    """(checkov on the HCL, checkov on the bridged Pulumi plans)."""
    plans = tmp_path_factory.mktemp("bridged-plans")
    with ThreadPoolExecutor(max_workers=4) as pool:
        hcl = pool.submit(run_checkov, CHECKOV_FIXTURES, "terraform")
        list(pool.map(lambda family: _render_family(family, plans), FAMILIES))
        bridged = run_checkov(plans, "terraform_plan")
        return _by_family(hcl.result()), _by_family(bridged)


def test_every_platform_family_and_every_family_a_fork_adds_has_a_fixture_pair():
    assert set(FAMILIES) >= {
        "apigateway",
        "dynamodb",
        "kms",
        "lambda",
        "logs",
        "s3",
        "sfn",
        "sns",
        "sqs",
        # The families a fork adds.
        "cloudfront",
        "ebs",
        "ec2",
        "ecr",
        "ecs",
        "eks",
        "elb",
        "rds",
        "secretsmanager",
        "securitygroup",
    }
    for family in FAMILIES:
        assert (CHECKOV_FIXTURES / family / "pulumi" / "__main__.py").is_file(), family


@pytest.mark.parametrize("family", FAMILIES)
def test_bridge_fails_the_same_checks_on_the_same_resources_as_terraform(verdicts, family):
    hcl, bridged = verdicts

    # Resources that fail nothing drop out: checkov evaluates lifecycle checks on HCL
    # only, so a resource may be evaluated on one side alone and still agree.
    assert {a: sorted(c) for a, c in bridged[family].items() if c} == {
        a: sorted(c) for a, c in hcl[family].items() if c
    }


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_has_a_failing_fail_resource_and_a_passing_pass_resource(verdicts, family):
    _, bridged = verdicts
    resources = bridged[family]

    fail = {a: c for a, c in resources.items() if a.endswith(".fail")}
    passing = {a: c for a, c in resources.items() if a.endswith(".pass")}
    assert any(fail.values()), f"no check fails a `fail` resource in {family}"
    assert passing, f"no `pass` resource was evaluated in {family}"


def test_graph_checks_see_the_split_s3_resources_through_references(verdicts):
    _, bridged = verdicts
    s3 = bridged["s3"]

    split_resource_checks = {"CKV2_AWS_6", "CKV_AWS_21", "CKV_AWS_145", "CKV_AWS_18"}
    assert split_resource_checks <= s3["aws_s3_bucket.fail"]
    assert not split_resource_checks & s3["aws_s3_bucket.pass"]


def test_graph_checks_read_deeply_nested_blocks_of_a_referenced_web_acl(verdicts):
    _, bridged = verdicts
    api = bridged["apigateway"]

    # CKV2_AWS_77 follows stage <- association -> web ACL and reads
    # rule.*.statement.managed_rule_group_statement.name on the ACL.
    assert "CKV2_AWS_77" not in api["aws_api_gateway_stage.pass"]
    assert {"CKV2_AWS_29", "CKV2_AWS_51"} <= api["aws_api_gateway_stage.fail"]
