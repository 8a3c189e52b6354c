"""gate.yaml: what a user pins instead of the engine's inventions, validated at the edge."""

import pytest

from gate.engine.project import ProjectError
from gate.engine.supplied import load_supplied, parse_supplied


def test_a_stack_s_own_entries_win_over_the_common_ones():
    # GIVEN common entries and entries for stack prod
    document = {
        "invokes": [{"token": "t:a/b:c", "result": {"id": "common"}}],
        "resources": [{"type": "aws:s3/bucket:Bucket", "outputs": {"arn": "common"}}],
        "stackReferences": {"org/net/prod": {"vpcId": "vpc-common", "zone": "Z1"}},
        "stacks": {
            "prod": {
                "invokes": [{"token": "t:a/b:c", "result": {"id": "prod"}}],
                "resources": [{"type": "aws:s3/bucket:Bucket", "outputs": {"arn": "prod"}}],
                "stackReferences": {"org/net/prod": {"vpcId": "vpc-prod"}},
            }
        },
    }
    # WHEN read for prod
    supplied = parse_supplied(document, "prod", "gate.yaml")
    # THEN the first matching invoke and the last resource entry are prod's own
    assert [i["result"]["id"] for i in supplied["invokes"]] == ["prod", "common"]
    assert [r["outputs"]["arn"] for r in supplied["resources"]] == ["common", "prod"]
    assert supplied["stackReferences"] == {"org/net/prod": {"vpcId": "vpc-prod", "zone": "Z1"}}


def test_another_stack_gets_only_the_common_entries():
    document = {"stacks": {"prod": {"stackReferences": {"a/b/c": {"x": 1}}}}}
    assert parse_supplied(document, "dev", "gate.yaml") == {
        "invokes": [],
        "resources": [],
        "stackReferences": {},
    }


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"invoke": []}, r"unknown key\(s\) \['invoke'\] under the top"),
        ({"invokes": {"token": "x"}}, r"'invokes': expected a list"),
        (
            {"invokes": [{"result": {}}]},
            r"'invokes\[0\]': expected a mapping with a string 'token'",
        ),
        ({"invokes": [{"token": "t", "result": {}, "args": []}]}, r"'invokes\[0\]\.args'"),
        ({"resources": [{"type": "t"}]}, r"'resources\[0\]\.outputs': expected a mapping"),
        ({"stackReferences": {"a/b/c": "vpc"}}, r"'stackReferences': expected a mapping of"),
        ({"stacks": {"dev": {"stacks": {}}}}, r"unknown key\(s\) \['stacks'\] under stacks\.dev\."),
        (["invokes"], r"'the top': expected a mapping"),
    ],
)
def test_a_malformed_entry_is_named_with_what_was_expected(document, message):
    with pytest.raises(ProjectError, match=message):
        parse_supplied(document, "dev", "gate.yaml")


def test_a_named_mocks_file_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(ProjectError, match=r"--mocks .*nope.yaml does not exist"):
        load_supplied(tmp_path, "dev", tmp_path / "nope.yaml")


def test_no_gate_yaml_beside_the_program_supplies_nothing(tmp_path):
    assert load_supplied(tmp_path, "dev", None)["invokes"] == []


def test_invalid_yaml_is_named(tmp_path):
    (tmp_path / "gate.yaml").write_text("invokes: [\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"gate.yaml is not valid YAML"):
        load_supplied(tmp_path, "dev", None)
