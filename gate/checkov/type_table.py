"""The Terraform type of every pulumi-aws resource type, generated from pulumi-aws's own
rename table.

pulumi-aws is generated from the Terraform AWS provider, and its bridge metadata
(`provider/cmd/pulumi-resource-aws/bridge-metadata.json`, `renames.resources`) records,
per Pulumi token, the Terraform name. The newest copy within reach offline is from
pulumi-aws 5 (`data/bridge-resource-renames.json`, with its commit). The table for the
pinned pulumi-aws is generated from it and from the installed SDK:

- a token the bridge metadata names takes that name; a `*_legacy` name there marks v5's
  deprecated twin of a resource, which pulumi-aws 6 and 7 map to the current one;
- a token newer than that metadata takes the naming rule the metadata itself follows for
  88 % of its entries (`aws_` + the module's Terraform prefix + snake_case member), with
  the prefixes it confirms.

    python -m gate.checkov.type_table           # rewrite generated/terraform-types.json
    python -m gate.checkov.type_table --check   # exit 1 when it is stale

Example:
    >>> terraform_type_of("aws:lb/loadBalancer:LoadBalancer")
    'aws_lb'
    >>> terraform_type_of("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    'aws_iam_openid_connect_provider'
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
BRIDGE_RENAMES = _HERE / "data" / "bridge-resource-renames.json"
TABLE = _HERE / "generated" / "terraform-types.json"

# Pulumi module -> Terraform name prefix, where they differ (pulumi-aws `moduleMap`; the
# bridge metadata confirms each).
MODULE_PREFIXES = {
    "amp": "prometheus",
    "apigateway": "api_gateway",
    "cfg": "config",
    "cloudhsmv2": "cloudhsm_v2",
    "costexplorer": "ce",
    "directconnect": "dx",
    "directoryservice": "directory_service",
    "ec2": "",
    "ec2clientvpn": "ec2_client_vpn",
    "ec2transitgateway": "ec2_transit_gateway",
    "elasticbeanstalk": "elastic_beanstalk",
    "mediaconvert": "media_convert",
    "mediapackage": "media_package",
    "mediastore": "media_store",
    "resourceexplorer": "resourceexplorer2",
    "route53recoverycontrol": "route53recoverycontrolconfig",
    "servicediscovery": "service_discovery",
}
# Terraform services pulumi-aws folds into another module, with the service as the first
# word of the member: `aws_bedrockagent_agent` is `aws:bedrock/agentAgent`. Longest first.
FOLDED_SERVICES = {
    "bedrock": (("agentcore", "bedrockagentcore"), ("agent", "bedrockagent")),
}
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_LEGACY = "_legacy"


def _snake(name: str) -> str:
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def rule_type(token: str) -> str | None:
    """The naming rule: `aws_` + module prefix + snake_case member (S3's `V2` dropped)."""
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != "aws" or "/" not in parts[1]:
        return None
    module, member = parts[1].split("/", 1)
    if module == "s3" and member.endswith("V2"):
        # pulumi-aws kept V2 names for the split S3 resources; Terraform has one name.
        member = member[: -len("V2")]
    prefix = MODULE_PREFIXES.get(module, module)
    for word, service in FOLDED_SERVICES.get(module, ()):
        rest = member[len(word) :]
        if member.startswith(word) and rest[:1].isupper():
            prefix, member = service, rest[:1].lower() + rest[1:]
            break
    return "_".join(p for p in ("aws", prefix, _snake(member)) if p)


def installed_tokens() -> list[str]:
    """Every resource token of the installed pulumi-aws."""
    from gate.engine.sdk_types import registered_classes

    return sorted(
        token for token in registered_classes("pulumi_aws") if not token.startswith("pulumi:")
    )


def generate() -> dict[str, Any]:
    from gate.engine.sdk_types import package_version

    bridge = json.loads(BRIDGE_RENAMES.read_text(encoding="utf-8"))
    renames: dict[str, str] = bridge["resources"]
    types: dict[str, str] = {}
    by_rule: list[str] = []
    for token in installed_tokens():
        named = renames.get(token)
        if named is not None:
            types[token] = named.removesuffix(_LEGACY)
            continue
        derived = rule_type(token)
        if derived is not None:
            types[token] = derived
            by_rule.append(token)
    return {
        "pulumi_aws": package_version("pulumi_aws"),
        "bridge_metadata_commit": bridge["commit"],
        "from_bridge_metadata": len(types) - len(by_rule),
        "from_the_rule": by_rule,
        "types": types,
    }


@cache
def _table() -> dict[str, str]:
    types: dict[str, str] = json.loads(TABLE.read_text(encoding="utf-8"))["types"]
    return types


def terraform_type_of(token: str) -> str | None:
    """The Terraform type of a pulumi-aws token (the table, else the rule), or None for
    a token of another provider."""
    return _table().get(token) or rule_type(token)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report a stale table")
    args = parser.parse_args(argv)
    text = json.dumps(generate(), indent=1) + "\n"
    current = TABLE.read_text(encoding="utf-8") if TABLE.is_file() else ""
    if text == current:
        return 0
    if args.check:
        print(f"{TABLE} is stale: run `python -m gate.checkov.type_table`", file=sys.stderr)
        return 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
