"""Mock answers for resources and invokes: plausible ids and ARNs for the resource's
type, its provider's region and a placeholder account, the same on every run."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pulumi

PLACEHOLDER_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"


class UnhandledInvokeError(Exception):
    """The program called a provider function the offline engine cannot answer."""


@dataclass(frozen=True)
class Target:
    """Where a provider deploys: region and account."""

    region: str
    account: str

    @property
    def partition(self) -> str:
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"

    @property
    def dns_suffix(self) -> str:
        return "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"


def _digest(*parts: str, length: int = 7) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:length]


def _uuid(*parts: str) -> str:
    """A UUID-shaped id derived from `parts`, stable across runs."""
    digest = _digest(*parts, length=32)
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-8{digest[17:20]}-{digest[20:]}"


def _account_of_role(role_arn: Any) -> str | None:
    if isinstance(role_arn, str) and role_arn.startswith("arn:") and role_arn.count(":") >= 5:
        account = role_arn.split(":")[4]
        if account.isdigit():
            return account
    return None


def target_from_provider_inputs(inputs: dict[str, Any], fallback: Target) -> Target:
    """The region and account an explicit `aws.Provider` deploys into."""
    region = inputs.get("region") or fallback.region
    account = fallback.account
    allowed = inputs.get("allowedAccountIds")
    if isinstance(allowed, str):
        # Provider inputs are JSON-encoded on the wire when they are not strings.
        try:
            allowed = json.loads(allowed)
        except ValueError:
            allowed = None
    if isinstance(allowed, list) and allowed:
        account = str(allowed[0])
    assume_roles = inputs.get("assumeRoles")
    if isinstance(assume_roles, str):
        try:
            assume_roles = json.loads(assume_roles)
        except ValueError:
            assume_roles = None
    if isinstance(assume_roles, list) and assume_roles and isinstance(assume_roles[0], dict):
        account = _account_of_role(assume_roles[0].get("roleArn")) or account
    return Target(region=str(region), account=account)


class _Namer:
    """Physical names the way Pulumi auto-names: `<logical>-<7 hex>`, but deterministic."""

    def __init__(self, typ: str, name: str) -> None:
        self.typ = typ
        self.name = name

    def auto(self, limit: int = 63, separator: str = "-") -> str:
        suffix = _digest(self.typ, self.name)
        base = self.name[: limit - len(suffix) - 1]
        return f"{base}{separator}{suffix}"


def _resource_state(
    typ: str, name: str, inputs: dict[str, Any], target: Target
) -> tuple[str, dict[str, Any]]:
    """Return (id, outputs) for one resource. Outputs start from the inputs, as a
    provider echoes them, plus the computed attributes other resources consume."""
    p, r, a = target.partition, target.region, target.account
    namer = _Namer(typ, name)
    state = dict(inputs)

    def physical(key: str = "name", limit: int = 63) -> str:
        value = inputs.get(key)
        if isinstance(value, str) and value:
            return value
        prefix = inputs.get(f"{key}Prefix")
        if isinstance(prefix, str) and prefix:
            return prefix + _digest(typ, name, length=26)
        state[key] = namer.auto(limit)
        return str(state[key])

    module = typ.split(":")[1].split("/")[0] if typ.count(":") >= 2 else "resource"
    kind = typ.split(":")[-1]

    if typ == "aws:s3/bucket:Bucket" or typ == "aws:s3/bucketV2:BucketV2":
        bucket = physical("bucket")
        state.update(
            arn=f"arn:{p}:s3:::{bucket}",
            bucketDomainName=f"{bucket}.s3.{target.dns_suffix}",
            bucketRegionalDomainName=f"{bucket}.s3.{r}.{target.dns_suffix}",
            region=r,
            hostedZoneId="Z3AQBSTGFYJSTF",
        )
        return bucket, state
    if typ == "aws:sqs/queue:Queue":
        queue = physical("name", 80)
        if inputs.get("fifoQueue") and not queue.endswith(".fifo"):
            queue += ".fifo"
            state["name"] = queue
        url = f"https://sqs.{r}.{target.dns_suffix}/{a}/{queue}"
        state.update(arn=f"arn:{p}:sqs:{r}:{a}:{queue}", url=url)
        return url, state
    if typ == "aws:sns/topic:Topic":
        topic = physical("name", 256)
        arn = f"arn:{p}:sns:{r}:{a}:{topic}"
        state.update(arn=arn)
        return arn, state
    if typ == "aws:kms/key:Key":
        key_id = _uuid(typ, name)
        state.update(arn=f"arn:{p}:kms:{r}:{a}:key/{key_id}", keyId=key_id)
        return key_id, state
    if typ == "aws:kms/replicaKey:ReplicaKey":
        key_id = f"mrk-{_digest(typ, name, length=32)}"
        state.update(arn=f"arn:{p}:kms:{r}:{a}:key/{key_id}", keyId=key_id)
        return key_id, state
    if typ == "aws:kms/alias:Alias":
        alias = physical("name", 256)
        state.update(arn=f"arn:{p}:kms:{r}:{a}:{alias}")
        return alias, state
    if typ in ("aws:iam/role:Role", "aws:iam/user:User", "aws:iam/group:Group"):
        principal = physical("name", 64)
        path = inputs.get("path") or "/"
        noun = typ.split("/")[1].split(":")[0]
        state.update(
            arn=f"arn:{p}:iam::{a}:{noun}{path}{principal}",
            uniqueId=f"AROA{_digest(typ, name, length=17).upper()}",
        )
        return principal, state
    if typ == "aws:iam/policy:Policy":
        policy = physical("name", 128)
        arn = f"arn:{p}:iam::{a}:policy{inputs.get('path') or '/'}{policy}"
        state.update(arn=arn, policyId=f"ANPA{_digest(typ, name, length=17).upper()}")
        return arn, state
    if typ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
        host = str(inputs.get("url", "oidc.example.com")).removeprefix("https://")
        arn = f"arn:{p}:iam::{a}:oidc-provider/{host}"
        state.update(arn=arn)
        return arn, state
    if typ == "aws:lambda/function:Function":
        function = physical("name", 64)
        arn = f"arn:{p}:lambda:{r}:{a}:function:{function}"
        state.update(
            arn=arn,
            invokeArn=f"arn:{p}:apigateway:{r}:lambda:path/2015-03-31/functions/{arn}/invocations",
            qualifiedArn=f"{arn}:1",
            qualifiedInvokeArn=f"arn:{p}:apigateway:{r}:lambda:path/2015-03-31/functions/{arn}:1/invocations",
            version="1",
            sourceCodeHash=_digest(typ, name, length=44),
        )
        return function, state
    if typ == "aws:lambda/alias:Alias":
        alias = physical("name", 128)
        function_name = str(inputs.get("functionName", "function"))
        function_arn = (
            function_name
            if function_name.startswith("arn:")
            else f"arn:{p}:lambda:{r}:{a}:function:{function_name}"
        )
        arn = f"{function_arn}:{alias}"
        state.update(
            arn=arn,
            invokeArn=f"arn:{p}:apigateway:{r}:lambda:path/2015-03-31/functions/{arn}/invocations",
        )
        return arn, state
    if typ == "aws:lambda/layerVersion:LayerVersion":
        layer = physical("layerName", 140)
        arn = f"arn:{p}:lambda:{r}:{a}:layer:{layer}:1"
        state.update(arn=arn, layerArn=arn.rsplit(":", 1)[0], version="1")
        return arn, state
    if typ == "aws:lambda/eventSourceMapping:EventSourceMapping":
        uuid = _uuid(typ, name)
        state.update(uuid=uuid, arn=f"arn:{p}:lambda:{r}:{a}:event-source-mapping:{uuid}")
        return uuid, state
    if typ == "aws:cloudwatch/logGroup:LogGroup":
        group = physical("name", 512)
        state.update(arn=f"arn:{p}:logs:{r}:{a}:log-group:{group}")
        return group, state
    if typ == "aws:cloudwatch/metricAlarm:MetricAlarm":
        alarm = physical("name", 255)
        state.update(arn=f"arn:{p}:cloudwatch:{r}:{a}:alarm:{alarm}")
        return alarm, state
    if typ == "aws:cloudwatch/dashboard:Dashboard":
        dashboard = physical("dashboardName", 255)
        state.update(dashboardArn=f"arn:{p}:cloudwatch::{a}:dashboard/{dashboard}")
        return dashboard, state
    if typ == "aws:dynamodb/table:Table":
        table = physical("name", 255)
        arn = f"arn:{p}:dynamodb:{r}:{a}:table/{table}"
        state.update(
            arn=arn,
            streamArn=f"{arn}/stream/2026-01-01T00:00:00.000",
            streamLabel="2026-01-01T00:00:00.000",
        )
        return table, state
    if typ == "aws:sfn/stateMachine:StateMachine":
        machine = physical("name", 80)
        arn = f"arn:{p}:states:{r}:{a}:stateMachine:{machine}"
        state.update(arn=arn, stateMachineVersionArn=f"{arn}:1", revisionId=_digest(typ, name))
        return arn, state
    if typ == "aws:apigateway/restApi:RestApi":
        api_id = _digest(typ, name, length=10)
        state.update(
            arn=f"arn:{p}:apigateway:{r}::/restapis/{api_id}",
            executionArn=f"arn:{p}:execute-api:{r}:{a}:{api_id}",
            rootResourceId=_digest(name, "root", length=10),
            createdDate="2026-01-01T00:00:00Z",
        )
        return api_id, state
    if typ == "aws:apigateway/stage:Stage":
        rest_api = inputs.get("restApi", "restapi")
        stage = inputs.get("stageName", name)
        state.update(
            arn=f"arn:{p}:apigateway:{r}::/restapis/{rest_api}/stages/{stage}",
            executionArn=f"arn:{p}:execute-api:{r}:{a}:{rest_api}/{stage}",
            invokeUrl=f"https://{rest_api}.execute-api.{r}.{target.dns_suffix}/{stage}",
        )
        return f"ags-{rest_api}-{stage}", state
    if typ == "aws:apigateway/domainName:DomainName":
        domain = str(inputs.get("domainName", "api.example.com"))
        regional_host = f"d-{_digest(typ, name, length=10)}.execute-api.{r}"
        state.update(
            arn=f"arn:{p}:apigateway:{r}::/domainnames/{domain}",
            regionalDomainName=f"{regional_host}.{target.dns_suffix}",
            regionalZoneId="Z1UJRXOUMOOFQ8",
            cloudfrontDomainName=f"{_digest(typ, name, length=14)}.cloudfront.net",
            cloudfrontZoneId="Z2FDTNDATAQYW2",
        )
        return domain, state
    if typ == "aws:apigateway/apiKey:ApiKey":
        key_id = _digest(typ, name, length=10)
        state.setdefault("value", _digest(typ, name, "value", length=40))
        state.update(arn=f"arn:{p}:apigateway:{r}::/apikeys/{key_id}")
        return key_id, state
    if typ == "aws:apigateway/usagePlan:UsagePlan":
        plan_id = _digest(typ, name, length=6)
        state.update(arn=f"arn:{p}:apigateway:{r}::/usageplans/{plan_id}")
        return plan_id, state
    if typ == "aws:acm/certificate:Certificate":
        cert = _uuid(typ, name)
        arn = f"arn:{p}:acm:{r}:{a}:certificate/{cert}"
        domain = str(inputs.get("domainName", "example.com"))
        names = [domain, *(inputs.get("subjectAlternativeNames") or [])]
        state.update(
            arn=arn,
            domainValidationOptions=[
                {
                    "domainName": n,
                    "resourceRecordName": f"_{_digest(n, length=32)}.{n}.",
                    "resourceRecordType": "CNAME",
                    "resourceRecordValue": f"_{_digest(n, 'v', length=32)}.acm-validations.aws.",
                }
                for n in names
            ],
            status="PENDING_VALIDATION",
        )
        return arn, state
    if typ == "aws:route53/healthCheck:HealthCheck":
        check = _uuid(typ, name)
        state.update(arn=f"arn:{p}:route53:::healthcheck/{check}")
        return check, state
    if typ == "aws:route53/record:Record":
        record = f"{inputs.get('zoneId', 'Z')}_{inputs.get('name', name)}_{inputs.get('type', 'A')}"
        state.update(fqdn=str(inputs.get("name", name)))
        return record, state
    if typ.startswith("pulumi:providers:"):
        return f"{_digest(typ, name, length=8)}-provider", state

    # Any other type: a `<logical>-<hex>` id and an ARN in the type's service namespace.
    resource_id = namer.auto()
    state.setdefault("arn", f"arn:{p}:{module}:{r}:{a}:{kind[0].lower() + kind[1:]}/{resource_id}")
    return resource_id, state


def _policy_document_json(args: dict[str, Any]) -> str:
    """Answer `aws.iam.get_policy_document` the way the provider does: render its statements."""
    statements = []
    for raw in args.get("statements") or []:
        statement: dict[str, Any] = {}
        if raw.get("sid"):
            statement["Sid"] = raw["sid"]
        statement["Effect"] = raw.get("effect") or "Allow"
        for key, wire in (
            ("actions", "Action"),
            ("notActions", "NotAction"),
            ("resources", "Resource"),
            ("notResources", "NotResource"),
        ):
            values = raw.get(key)
            if values:
                statement[wire] = values[0] if len(values) == 1 else sorted(values)
        for key, wire in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
            principals = raw.get(key)
            if principals:
                block: dict[str, Any] = {}
                for principal in principals:
                    ids = principal.get("identifiers") or []
                    block[principal["type"]] = ids[0] if len(ids) == 1 else ids
                statement[wire] = "*" if block == {"*": "*"} else block
        conditions = raw.get("conditions") or []
        if conditions:
            condition: dict[str, dict[str, Any]] = {}
            for c in conditions:
                values = c.get("values") or []
                condition.setdefault(c["test"], {})[c["variable"]] = (
                    values[0] if len(values) == 1 else values
                )
            statement["Condition"] = condition
        statements.append(statement)
    return json.dumps({"Version": args.get("version") or "2012-10-17", "Statement": statements})


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers the engine's questions; the monitor around it records the plan."""

    def __init__(self, default_target: Target) -> None:
        self.default_target = default_target
        self.provider_targets: dict[str, Target] = {}

    def target_for(self, provider_ref: str | None) -> Target:
        # A provider reference is "<provider urn>::<provider id>".
        if provider_ref:
            return self.provider_targets.get(provider_ref.rsplit("::", 1)[0], self.default_target)
        return self.default_target

    def remember_provider(self, urn: str, inputs: dict[str, Any]) -> None:
        """Resources created through this provider get ARNs in its region and account."""
        self.provider_targets[urn] = target_from_provider_inputs(inputs, self.default_target)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        if not args.custom:
            # Components have no cloud identity: no id and no ARN to invent.
            return "", dict(args.inputs)
        target = self.target_for(args.provider)
        return _resource_state(args.typ, args.name, args.inputs, target)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        target = self.target_for(args.provider)
        token = args.token
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            arn = f"arn:{target.partition}:sts::{target.account}:assumed-role/gate/offline"
            return {
                "accountId": target.account,
                "arn": arn,
                "id": target.account,
                "userId": "AROAGATEOFFLINE:offline",
            }
        if token == "aws:index/getRegion:getRegion":
            return {
                "id": target.region,
                "name": target.region,
                "region": target.region,
                "description": target.region,
                "endpoint": f"ec2.{target.region}.{target.dns_suffix}",
            }
        if token == "aws:index/getPartition:getPartition":
            return {
                "id": target.partition,
                "partition": target.partition,
                "dnsSuffix": target.dns_suffix,
                "reverseDnsPrefix": ".".join(reversed(target.dns_suffix.split("."))),
            }
        if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            names = [f"{target.region}{zone}" for zone in "abc"]
            return {
                "id": target.region,
                "names": names,
                "zoneIds": [f"use1-az{i}" for i in range(1, 4)],
            }
        if token == "aws:iam/getPolicyDocument:getPolicyDocument":
            document = _policy_document_json(args.args)
            return {"id": _digest(document), "json": document, "minifiedJson": document}
        raise UnhandledInvokeError(
            f"the offline engine has no answer for the invoke {token!r}; "
            "pass the value in through config, or add an answer to gate/mocks.py"
        )
