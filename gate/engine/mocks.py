"""Mock answers for resources and invokes, the same on every run.

Every resource gets every output property its SDK declares, with a value of the right
type (see `gate.engine.sdk_types` and `gate.engine.values`): the provider echoes the
inputs, and what it computes is filled in. A few types get exact answers where the
shape of a value matters to the resources that consume it (an SQS queue's id is its URL,
an ACM certificate lists one validation record per name); those live in
`RESOURCE_ANSWERS`, a table keyed by type token. Invokes are answered the same way:
values the user supplied first, then `INVOKE_ANSWERS`, then the result type's shape.

Runs inside the program's interpreter: standard library and `pulumi` only.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi

from gate.engine.sdk_types import SchemaIndex
from gate.engine.values import (
    DEFAULT_REGION,
    PLACEHOLDER_ACCOUNT,
    Synthesizer,
    Target,
    coerce,
    digest,
    stable_uuid,
)
from gate.engine.wire import SECRET_SIG, SIG_KEY

__all__ = [
    "DEFAULT_REGION",
    "PLACEHOLDER_ACCOUNT",
    "RecordingMocks",
    "Target",
    "UnhandledInvokeError",
]

STACK_REFERENCE = "pulumi:pulumi:StackReference"
SECRET_MASK = "[secret]"

# The arguments of the invoke being answered on this thread, as the program sent them
# (secrets still marked): the monitor sets them, `RecordingMocks.call` records them
# with secrets masked. Invokes run on several threads, so this is thread-local.
INVOKE_WIRE_ARGUMENTS = threading.local()


def mask_secrets(value: Any, secret_values: frozenset[str] = frozenset()) -> Any:
    """Wire-form values with every secret replaced by SECRET_MASK: those marked secret,
    and those equal to a secret config value (an `*_output` invoke sends its arguments
    unmarked)."""
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return SECRET_MASK
        return {k: mask_secrets(v, secret_values) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v, secret_values) for v in value]
    if isinstance(value, str) and value in secret_values:
        return SECRET_MASK
    return value


# Makes a stand-in for a resource a remote component returns: (token, name, target) ->
# a resource reference the SDK can rehydrate.
ReferenceMaker = Callable[[str, str, Target], dict[str, Any]]


class UnhandledInvokeError(Exception):
    """The program called a provider function the offline engine cannot answer."""


def _account_of_role(role_arn: Any) -> str | None:
    if isinstance(role_arn, str) and role_arn.startswith("arn:") and role_arn.count(":") >= 5:
        account = role_arn.split(":")[4]
        if account.isdigit():
            return account
    return None


def _decoded(value: Any) -> Any:
    """Provider inputs are JSON-encoded on the wire when they are not strings."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def target_from_provider_inputs(inputs: dict[str, Any], fallback: Target) -> Target:
    """The region and account an explicit `aws.Provider` deploys into."""
    region = inputs.get("region") or fallback.region
    account = fallback.account
    allowed = _decoded(inputs.get("allowedAccountIds"))
    if isinstance(allowed, list) and allowed:
        account = str(allowed[0])
    assume_roles = _decoded(inputs.get("assumeRoles"))
    if isinstance(assume_roles, list) and assume_roles and isinstance(assume_roles[0], dict):
        account = _account_of_role(assume_roles[0].get("roleArn")) or account
    legacy = _decoded(inputs.get("assumeRole"))
    if isinstance(legacy, dict):
        account = _account_of_role(legacy.get("roleArn")) or account
    return Target(region=str(region), account=account)


@dataclass
class _Resource:
    """What an answer function sees and fills: the resource and its growing state."""

    typ: str
    name: str
    inputs: dict[str, Any]
    target: Target
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def p(self) -> str:
        return self.target.partition

    @property
    def r(self) -> str:
        return self.target.region

    @property
    def a(self) -> str:
        return self.target.account

    def physical(self, key: str = "name", limit: int = 63) -> str:
        """The physical name: given, from `<key>Prefix`, or auto-named as Pulumi does
        (`<logical>-<7 hex>`), but deterministic."""
        value = self.inputs.get(key)
        if isinstance(value, str) and value:
            return value
        prefix = self.inputs.get(f"{key}Prefix")
        if isinstance(prefix, str) and prefix:
            return prefix + digest(self.typ, self.name, length=26)
        suffix = digest(self.typ, self.name)
        self.state[key] = f"{self.name[: limit - len(suffix) - 1]}-{suffix}"
        return str(self.state[key])

    def lambda_invoke_arn(self, function_arn: str) -> str:
        return (
            f"arn:{self.p}:apigateway:{self.r}:lambda:path/2015-03-31/functions/"
            f"{function_arn}/invocations"
        )


def _bucket(res: _Resource) -> str:
    bucket = res.physical("bucket")
    res.state.update(
        arn=f"arn:{res.p}:s3:::{bucket}",
        bucketDomainName=f"{bucket}.s3.{res.target.dns_suffix}",
        bucketRegionalDomainName=f"{bucket}.s3.{res.r}.{res.target.dns_suffix}",
        region=res.r,
        hostedZoneId="Z3AQBSTGFYJSTF",
    )
    return bucket


def _queue(res: _Resource) -> str:
    queue = res.physical("name", 80)
    if res.inputs.get("fifoQueue") and not queue.endswith(".fifo"):
        queue += ".fifo"
        res.state["name"] = queue
    url = f"https://sqs.{res.r}.{res.target.dns_suffix}/{res.a}/{queue}"
    res.state.update(arn=f"arn:{res.p}:sqs:{res.r}:{res.a}:{queue}", url=url)
    return url


def _topic(res: _Resource) -> str:
    arn = f"arn:{res.p}:sns:{res.r}:{res.a}:{res.physical('name', 256)}"
    res.state.update(arn=arn)
    return arn


def _kms_key(res: _Resource) -> str:
    key_id = stable_uuid(res.typ, res.name)
    res.state.update(arn=f"arn:{res.p}:kms:{res.r}:{res.a}:key/{key_id}", keyId=key_id)
    return key_id


def _kms_replica_key(res: _Resource) -> str:
    key_id = f"mrk-{digest(res.typ, res.name, length=32)}"
    res.state.update(arn=f"arn:{res.p}:kms:{res.r}:{res.a}:key/{key_id}", keyId=key_id)
    return key_id


def _kms_alias(res: _Resource) -> str:
    alias = res.physical("name", 256)
    res.state.update(arn=f"arn:{res.p}:kms:{res.r}:{res.a}:{alias}")
    return alias


def _iam_principal(res: _Resource) -> str:
    principal = res.physical("name", 64)
    path = res.inputs.get("path") or "/"
    noun = res.typ.split("/")[1].split(":")[0]
    res.state.update(
        arn=f"arn:{res.p}:iam::{res.a}:{noun}{path}{principal}",
        uniqueId=f"AROA{digest(res.typ, res.name, length=17).upper()}",
    )
    return principal


def _iam_policy(res: _Resource) -> str:
    policy = res.physical("name", 128)
    arn = f"arn:{res.p}:iam::{res.a}:policy{res.inputs.get('path') or '/'}{policy}"
    res.state.update(arn=arn, policyId=f"ANPA{digest(res.typ, res.name, length=17).upper()}")
    return arn


def _oidc_provider(res: _Resource) -> str:
    host = str(res.inputs.get("url", "oidc.example.com")).removeprefix("https://")
    arn = f"arn:{res.p}:iam::{res.a}:oidc-provider/{host}"
    res.state.update(arn=arn)
    return arn


def _lambda_function(res: _Resource) -> str:
    function = res.physical("name", 64)
    arn = f"arn:{res.p}:lambda:{res.r}:{res.a}:function:{function}"
    res.state.update(
        arn=arn,
        invokeArn=res.lambda_invoke_arn(arn),
        qualifiedArn=f"{arn}:1",
        qualifiedInvokeArn=res.lambda_invoke_arn(f"{arn}:1"),
        version="1",
        sourceCodeHash=digest(res.typ, res.name, length=44),
    )
    return function


def _lambda_alias(res: _Resource) -> str:
    alias = res.physical("name", 128)
    function_name = str(res.inputs.get("functionName", "function"))
    function_arn = (
        function_name
        if function_name.startswith("arn:")
        else f"arn:{res.p}:lambda:{res.r}:{res.a}:function:{function_name}"
    )
    arn = f"{function_arn}:{alias}"
    res.state.update(arn=arn, invokeArn=res.lambda_invoke_arn(arn))
    return arn


def _lambda_layer(res: _Resource) -> str:
    layer = res.physical("layerName", 140)
    arn = f"arn:{res.p}:lambda:{res.r}:{res.a}:layer:{layer}:1"
    res.state.update(arn=arn, layerArn=arn.rsplit(":", 1)[0], version="1")
    return arn


def _event_source_mapping(res: _Resource) -> str:
    uuid = stable_uuid(res.typ, res.name)
    res.state.update(
        uuid=uuid, arn=f"arn:{res.p}:lambda:{res.r}:{res.a}:event-source-mapping:{uuid}"
    )
    return uuid


def _log_group(res: _Resource) -> str:
    group = res.physical("name", 512)
    res.state.update(arn=f"arn:{res.p}:logs:{res.r}:{res.a}:log-group:{group}")
    return group


def _metric_alarm(res: _Resource) -> str:
    alarm = res.physical("name", 255)
    res.state.update(arn=f"arn:{res.p}:cloudwatch:{res.r}:{res.a}:alarm:{alarm}")
    return alarm


def _dashboard(res: _Resource) -> str:
    dashboard = res.physical("dashboardName", 255)
    res.state.update(dashboardArn=f"arn:{res.p}:cloudwatch::{res.a}:dashboard/{dashboard}")
    return dashboard


def _event_rule(res: _Resource) -> str:
    rule = res.physical("name", 64)
    bus = res.inputs.get("eventBusName")
    path = f"{bus}/{rule}" if isinstance(bus, str) and bus and bus != "default" else rule
    res.state.update(arn=f"arn:{res.p}:events:{res.r}:{res.a}:rule/{path}")
    return rule


def _dynamodb_table(res: _Resource) -> str:
    table = res.physical("name", 255)
    arn = f"arn:{res.p}:dynamodb:{res.r}:{res.a}:table/{table}"
    res.state.update(
        arn=arn,
        streamArn=f"{arn}/stream/2026-01-01T00:00:00.000",
        streamLabel="2026-01-01T00:00:00.000",
    )
    return table


def _state_machine(res: _Resource) -> str:
    arn = f"arn:{res.p}:states:{res.r}:{res.a}:stateMachine:{res.physical('name', 80)}"
    res.state.update(
        arn=arn, stateMachineVersionArn=f"{arn}:1", revisionId=digest(res.typ, res.name)
    )
    return arn


def _rest_api(res: _Resource) -> str:
    api_id = digest(res.typ, res.name, length=10)
    res.state.update(
        arn=f"arn:{res.p}:apigateway:{res.r}::/restapis/{api_id}",
        executionArn=f"arn:{res.p}:execute-api:{res.r}:{res.a}:{api_id}",
        rootResourceId=digest(res.name, "root", length=10),
        createdDate="2026-01-01T00:00:00Z",
    )
    return api_id


def _http_api(res: _Resource) -> str:
    api_id = digest(res.typ, res.name, length=10)
    protocol = "wss" if res.inputs.get("protocolType") == "WEBSOCKET" else "https"
    res.state.update(
        arn=f"arn:{res.p}:apigateway:{res.r}::/apis/{api_id}",
        executionArn=f"arn:{res.p}:execute-api:{res.r}:{res.a}:{api_id}",
        apiEndpoint=f"{protocol}://{api_id}.execute-api.{res.r}.{res.target.dns_suffix}",
    )
    return api_id


def _rest_stage(res: _Resource) -> str:
    rest_api = res.inputs.get("restApi", "restapi")
    stage = res.inputs.get("stageName", res.name)
    res.state.update(
        arn=f"arn:{res.p}:apigateway:{res.r}::/restapis/{rest_api}/stages/{stage}",
        executionArn=f"arn:{res.p}:execute-api:{res.r}:{res.a}:{rest_api}/{stage}",
        invokeUrl=f"https://{rest_api}.execute-api.{res.r}.{res.target.dns_suffix}/{stage}",
    )
    return f"ags-{rest_api}-{stage}"


def _http_stage(res: _Resource) -> str:
    api = res.inputs.get("apiId", "api")
    stage = res.inputs.get("name", res.name)
    res.state.update(
        arn=f"arn:{res.p}:apigateway:{res.r}::/apis/{api}/stages/{stage}",
        executionArn=f"arn:{res.p}:execute-api:{res.r}:{res.a}:{api}/{stage}",
        invokeUrl=f"https://{api}.execute-api.{res.r}.{res.target.dns_suffix}/{stage}",
    )
    return str(stage)


def _api_domain(res: _Resource) -> str:
    domain = str(res.inputs.get("domainName", "api.example.com"))
    regional_host = f"d-{digest(res.typ, res.name, length=10)}.execute-api.{res.r}"
    res.state.update(
        arn=f"arn:{res.p}:apigateway:{res.r}::/domainnames/{domain}",
        regionalDomainName=f"{regional_host}.{res.target.dns_suffix}",
        regionalZoneId="Z1UJRXOUMOOFQ8",
        cloudfrontDomainName=f"{digest(res.typ, res.name, length=14)}.cloudfront.net",
        cloudfrontZoneId="Z2FDTNDATAQYW2",
    )
    return domain


def _api_key(res: _Resource) -> str:
    key_id = digest(res.typ, res.name, length=10)
    res.state.setdefault("value", digest(res.typ, res.name, "value", length=40))
    res.state.update(arn=f"arn:{res.p}:apigateway:{res.r}::/apikeys/{key_id}")
    return key_id


def _usage_plan(res: _Resource) -> str:
    plan_id = digest(res.typ, res.name, length=6)
    res.state.update(arn=f"arn:{res.p}:apigateway:{res.r}::/usageplans/{plan_id}")
    return plan_id


def _certificate(res: _Resource) -> str:
    arn = f"arn:{res.p}:acm:{res.r}:{res.a}:certificate/{stable_uuid(res.typ, res.name)}"
    domain = str(res.inputs.get("domainName", "example.com"))
    names = [domain, *(res.inputs.get("subjectAlternativeNames") or [])]
    res.state.update(
        arn=arn,
        domainValidationOptions=[
            {
                "domainName": n,
                "resourceRecordName": f"_{digest(n, length=32)}.{n}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{digest(n, 'v', length=32)}.acm-validations.aws.",
            }
            for n in names
        ],
        status="PENDING_VALIDATION",
    )
    return arn


def _health_check(res: _Resource) -> str:
    check = stable_uuid(res.typ, res.name)
    res.state.update(arn=f"arn:{res.p}:route53:::healthcheck/{check}")
    return check


def _hosted_zone(res: _Resource) -> str:
    zone = "Z" + digest(res.typ, res.name, length=13).upper()
    name = str(res.inputs.get("name", "example.com"))
    res.state.update(
        arn=f"arn:{res.p}:route53:::hostedzone/{zone}",
        zoneId=zone,
        nameServers=[f"ns-{i}.awsdns-{i:02d}.{tld}" for i, tld in enumerate(("com", "net"))],
        name=name,
    )
    return zone


def _dns_record(res: _Resource) -> str:
    record = (
        f"{res.inputs.get('zoneId', 'Z')}_{res.inputs.get('name', res.name)}_"
        f"{res.inputs.get('type', 'A')}"
    )
    res.state.update(fqdn=str(res.inputs.get("name", res.name)))
    return record


def _load_balancer(res: _Resource) -> str:
    kind = "net" if res.inputs.get("loadBalancerType") == "network" else "app"
    balancer = res.physical("name", 32)
    suffix = f"{kind}/{balancer}/{digest(res.typ, res.name, length=16)}"
    res.state.update(
        arn=f"arn:{res.p}:elasticloadbalancing:{res.r}:{res.a}:loadbalancer/{suffix}",
        arnSuffix=suffix,
        dnsName=f"{balancer}-{int(digest(res.typ, res.name, length=8), 16)}.{res.r}.elb."
        f"{res.target.dns_suffix}",
        zoneId="Z35SXDOTRQ7X7K",
    )
    return str(res.state["arn"])


def _ecr_repository(res: _Resource) -> str:
    repository = res.physical("name", 256)
    host = f"{res.a}.dkr.ecr.{res.r}.{res.target.dns_suffix}"
    res.state.update(
        arn=f"arn:{res.p}:ecr:{res.r}:{res.a}:repository/{repository}",
        registryId=res.a,
        repositoryUrl=f"{host}/{repository}",
    )
    return repository


def _eks_cluster(res: _Resource) -> str:
    cluster = res.physical("name", 100)
    synth = Synthesizer(res.target, {})
    res.state.update(
        arn=f"arn:{res.p}:eks:{res.r}:{res.a}:cluster/{cluster}",
        endpoint=f"https://{digest(res.typ, res.name, length=32).upper()}.gr7.{res.r}.eks."
        f"{res.target.dns_suffix}",
        certificateAuthority={
            "data": synth.string("data", res.typ, f"{res.name}.certificateAuthority")
        },
    )
    return cluster


def _graphql_api(res: _Resource) -> str:
    api_id = digest(res.typ, res.name, length=26)
    label = digest(res.typ, res.name, "host", length=26)
    host = f"{label}.appsync-api.{res.r}.{res.target.dns_suffix}"
    realtime = host.replace("appsync-api", "appsync-realtime-api")
    res.state.update(
        arn=f"arn:{res.p}:appsync:{res.r}:{res.a}:apis/{api_id}",
        uris={"GRAPHQL": f"https://{host}/graphql", "REALTIME": f"wss://{realtime}/graphql"},
    )
    return api_id


def _provider(res: _Resource) -> str:
    return f"{digest(res.typ, res.name, length=8)}-provider"


RESOURCE_ANSWERS: dict[str, Callable[[_Resource], str]] = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    "aws:sqs/queue:Queue": _queue,
    "aws:sns/topic:Topic": _topic,
    "aws:kms/key:Key": _kms_key,
    "aws:kms/replicaKey:ReplicaKey": _kms_replica_key,
    "aws:kms/alias:Alias": _kms_alias,
    "aws:iam/role:Role": _iam_principal,
    "aws:iam/user:User": _iam_principal,
    "aws:iam/group:Group": _iam_principal,
    "aws:iam/policy:Policy": _iam_policy,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": _oidc_provider,
    "aws:lambda/function:Function": _lambda_function,
    "aws:lambda/alias:Alias": _lambda_alias,
    "aws:lambda/layerVersion:LayerVersion": _lambda_layer,
    "aws:lambda/eventSourceMapping:EventSourceMapping": _event_source_mapping,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _metric_alarm,
    "aws:cloudwatch/dashboard:Dashboard": _dashboard,
    "aws:cloudwatch/eventRule:EventRule": _event_rule,
    "aws:dynamodb/table:Table": _dynamodb_table,
    "aws:sfn/stateMachine:StateMachine": _state_machine,
    "aws:apigateway/restApi:RestApi": _rest_api,
    "aws:apigateway/stage:Stage": _rest_stage,
    "aws:apigateway/domainName:DomainName": _api_domain,
    "aws:apigateway/apiKey:ApiKey": _api_key,
    "aws:apigateway/usagePlan:UsagePlan": _usage_plan,
    "aws:apigatewayv2/api:Api": _http_api,
    "aws:apigatewayv2/stage:Stage": _http_stage,
    "aws:acm/certificate:Certificate": _certificate,
    "aws:route53/healthCheck:HealthCheck": _health_check,
    "aws:route53/zone:Zone": _hosted_zone,
    "aws:route53/record:Record": _dns_record,
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:alb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:ecr/repository:Repository": _ecr_repository,
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:appsync/graphQLApi:GraphQLApi": _graphql_api,
}


def policy_document_json(args: dict[str, Any]) -> str:
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


@dataclass(frozen=True)
class _Call:
    token: str
    args: dict[str, Any]
    target: Target

    @property
    def seed(self) -> str:
        return digest(self.token, json.dumps(self.args, sort_keys=True, default=str), length=12)

    def filter_values(self, name: str) -> list[str]:
        for item in self.args.get("filters") or []:
            if isinstance(item, dict) and item.get("name") == name:
                return [str(v) for v in item.get("values") or []]
        return []


def _caller_identity(call: _Call) -> dict[str, Any]:
    t = call.target
    return {
        "accountId": t.account,
        "arn": f"arn:{t.partition}:sts::{t.account}:assumed-role/gate/offline",
        "id": t.account,
        "userId": "AROAGATEOFFLINE:offline",
    }


def _region(call: _Call) -> dict[str, Any]:
    t = call.target
    region = str(call.args.get("name") or call.args.get("region") or t.region)
    return {
        "id": region,
        "name": region,
        "region": region,
        "description": region,
        "endpoint": f"ec2.{region}.{t.dns_suffix}",
    }


def _partition(call: _Call) -> dict[str, Any]:
    t = call.target
    return {
        "id": t.partition,
        "partition": t.partition,
        "dnsSuffix": t.dns_suffix,
        "reverseDnsPrefix": ".".join(reversed(t.dns_suffix.split("."))),
    }


def _availability_zones(call: _Call) -> dict[str, Any]:
    t = call.target
    return {
        "id": t.region,
        "names": [f"{t.region}{zone}" for zone in "abc"],
        "zoneIds": [f"{t.zone_id_prefix}-az{i}" for i in range(1, 4)],
        "groupNames": [t.region],
    }


def _policy_document(call: _Call) -> dict[str, Any]:
    document = policy_document_json(call.args)
    return {"id": digest(document), "json": document, "minifiedJson": document}


def _ami(call: _Call) -> dict[str, Any]:
    image = "ami-" + digest(call.seed, length=17)
    names = call.filter_values("name")
    name = names[0].replace("*", "20260101") if names else f"image-{call.seed[:8]}"
    return {
        "id": image,
        "imageId": image,
        "arn": f"arn:{call.target.partition}:ec2:{call.target.region}::image/{image}",
        "name": name,
        "architecture": "arm64" if "arm64" in name else "x86_64",
        "ownerId": str((call.args.get("owners") or [call.target.account])[0]),
        "rootDeviceName": "/dev/sda1",
        "rootDeviceType": "ebs",
        "virtualizationType": "hvm",
        "state": "available",
    }


def _vpc(call: _Call) -> dict[str, Any]:
    vpc = str(call.args.get("id") or "vpc-" + digest(call.seed, length=17))
    t = call.target
    return {
        "id": vpc,
        "arn": f"arn:{t.partition}:ec2:{t.region}:{t.account}:vpc/{vpc}",
        "cidrBlock": str(call.args.get("cidrBlock") or "172.31.0.0/16"),
        "default": bool(call.args.get("default", False)),
        "ownerId": t.account,
        "state": "available",
    }


def _subnets(call: _Call) -> dict[str, Any]:
    return {
        "id": call.target.region,
        "ids": [f"subnet-{digest(call.seed, str(i), length=17)}" for i in range(3)],
    }


def _subnet(call: _Call) -> dict[str, Any]:
    subnet = str(call.args.get("id") or "subnet-" + digest(call.seed, length=17))
    return {
        "id": subnet,
        "availabilityZone": f"{call.target.region}a",
        "cidrBlock": "172.31.0.0/20",
    }


def _security_group(call: _Call) -> dict[str, Any]:
    group = str(call.args.get("id") or "sg-" + digest(call.seed, length=17))
    return {"id": group, "name": str(call.args.get("name") or "default")}


def _hosted_zone_lookup(call: _Call) -> dict[str, Any]:
    zone = str(call.args.get("zoneId") or "Z" + digest(call.seed, length=13).upper())
    name = str(call.args.get("name") or "example.com").rstrip(".") + "."
    return {
        "id": zone,
        "zoneId": zone,
        "name": name,
        "arn": f"arn:{call.target.partition}:route53:::hostedzone/{zone}",
        "nameServers": ["ns-1.awsdns-01.com", "ns-2.awsdns-02.net"],
        "privateZone": bool(call.args.get("privateZone", False)),
    }


def _certificate_lookup(call: _Call) -> dict[str, Any]:
    t = call.target
    arn = f"arn:{t.partition}:acm:{t.region}:{t.account}:certificate/{stable_uuid(call.seed)}"
    return {
        "id": arn,
        "arn": arn,
        "domain": call.args.get("domain", "example.com"),
        "status": "ISSUED",
    }


def _ecr_token(call: _Call) -> dict[str, Any]:
    import base64

    t = call.target
    registry = str(call.args.get("registryId") or t.account)
    password = "gate-offline-ecr-password-" + digest(call.seed, length=16)
    return {
        "id": t.region,
        "authorizationToken": base64.b64encode(f"AWS:{password}".encode()).decode(),
        "userName": "AWS",
        "password": password,
        "proxyEndpoint": f"https://{registry}.dkr.ecr.{t.region}.{t.dns_suffix}",
        "expiresAt": "2026-01-01T12:00:00Z",
    }


def _parameter(call: _Call) -> dict[str, Any]:
    t = call.target
    name = str(call.args.get("name") or "parameter")
    return {
        "id": name,
        "name": name,
        "arn": f"arn:{t.partition}:ssm:{t.region}:{t.account}:parameter/{name.lstrip('/')}",
        "type": "String",
        "value": f"gate-offline-value-of-{name.strip('/').replace('/', '-')}",
        "insecureValue": f"gate-offline-value-of-{name.strip('/').replace('/', '-')}",
        "version": 1,
    }


INVOKE_ANSWERS: dict[str, Callable[[_Call], dict[str, Any]]] = {
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getPartition:getPartition": _partition,
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
    "aws:ec2/getAmi:getAmi": _ami,
    "aws:ec2/getVpc:getVpc": _vpc,
    "aws:ec2/getSubnets:getSubnets": _subnets,
    "aws:ec2/getSubnetIds:getSubnetIds": _subnets,
    "aws:ec2/getSubnet:getSubnet": _subnet,
    "aws:ec2/getSecurityGroup:getSecurityGroup": _security_group,
    "aws:route53/getZone:getZone": _hosted_zone_lookup,
    "aws:acm/getCertificate:getCertificate": _certificate_lookup,
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": _ecr_token,
    "aws:ecr/getCredentials:getCredentials": _ecr_token,
    "aws:ssm/getParameter:getParameter": _parameter,
}


def _matches(expected: Any, actual: Any) -> bool:
    """`expected` is a subset of `actual`: the keys a user pins, not every argument."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            _matches(value, actual.get(key)) for key, value in expected.items()
        )
    return bool(expected == actual)


_SHARED_SCHEMAS: SchemaIndex | None = None


def shared_schema_index() -> SchemaIndex:
    """The process's one SchemaIndex. A plan runs alone in its process, so this is the
    plan's own; the warm engine loads it before forking, so every child inherits the
    tables already read (gate.engine.zygote)."""
    global _SHARED_SCHEMAS
    if _SHARED_SCHEMAS is None:
        _SHARED_SCHEMAS = SchemaIndex()
    return _SHARED_SCHEMAS


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers the engine's questions, and records the invokes it answered.

    `supplied` is the program's `gate.yaml` for this stack: `invokes` (token, optional
    args, result), `resources` (type, name, outputs) and `stackReferences` (stack name ->
    outputs).
    """

    def __init__(
        self,
        default_target: Target,
        supplied: dict[str, Any] | None = None,
        schemas: SchemaIndex | None = None,
        secret_values: frozenset[str] = frozenset(),
    ) -> None:
        self.default_target = default_target
        self.secret_values = secret_values
        self.provider_targets: dict[str, Target] = {}
        self.supplied = supplied or {}
        self.schemas = schemas or shared_schema_index()
        self.invokes: list[dict[str, Any]] = []
        # Accounts this engine answered getCallerIdentity with (not supplied ones).
        self.caller_accounts: set[str] = set()
        # Remote components being registered, by (type, name): how to make stand-ins for
        # the resources they return. Registrations run on several threads at once, so
        # this is keyed, never a single "current component" attribute.
        self.reference_makers: dict[tuple[str, str], ReferenceMaker] = {}

    def target_for(self, provider_ref: str | None) -> Target:
        # A provider reference is "<provider urn>::<provider id>".
        if provider_ref:
            return self.provider_targets.get(provider_ref.rsplit("::", 1)[0], self.default_target)
        return self.default_target

    def remember_provider(self, urn: str, inputs: dict[str, Any]) -> None:
        """Resources created through this provider get ARNs in its region and account."""
        if urn.split("::")[-2].startswith("pulumi:providers:aws"):
            self.provider_targets[urn] = target_from_provider_inputs(inputs, self.default_target)

    # --- resources -------------------------------------------------------------------

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        target = self.target_for(args.provider)
        if args.typ == STACK_REFERENCE:
            return self._stack_reference(args.name, args.inputs)
        if not args.custom:
            make_reference = self.reference_makers.get((args.typ, args.name))
            if make_reference is None:
                # A component the program defines: its children register themselves.
                return "", dict(args.inputs)
            return "", self._component_outputs(args, target, make_reference)
        resource_id, state = self.resource_state(args.typ, args.name, args.inputs, target)
        return resource_id, state

    def resource_state(
        self, typ: str, name: str, inputs: dict[str, Any], target: Target
    ) -> tuple[str, dict[str, Any]]:
        """(id, outputs) of a custom resource: inputs echoed, every output filled."""
        res = _Resource(typ, name, inputs, target, state=dict(inputs))
        answer = RESOURCE_ANSWERS.get(typ)
        if answer is not None:
            resource_id = answer(res)
        elif typ.startswith("pulumi:providers:"):
            resource_id = _provider(res)
        else:
            resource_id = Synthesizer(target, {}).resource_id(typ, name)
        shape = None if typ.startswith("pulumi:providers:") else self.schemas.resource(typ)
        synth = Synthesizer(target, self.schemas.types)
        if shape is None and not typ.startswith("pulumi:providers:"):
            res.state.setdefault("arn", synth.arn(typ, resource_id))
        for prop, descriptor in (shape or {}).items():
            if prop in res.state:
                res.state[prop] = coerce(descriptor, res.state[prop])
            if res.state.get(prop) is None:
                value = synth.value(descriptor, prop, (typ, name))
                if prop == "id":
                    value = resource_id
                if value is not None:
                    res.state[prop] = value
        res.state.update(self._supplied_outputs(typ, name))
        return resource_id, res.state

    def _supplied_outputs(self, typ: str, name: str) -> dict[str, Any]:
        outputs: dict[str, Any] = {}
        for entry in self.supplied.get("resources") or []:
            if entry.get("type") == typ and entry.get("name") in (None, name):
                outputs.update(entry.get("outputs") or {})
        return outputs

    def _component_outputs(
        self, args: pulumi.runtime.MockResourceArgs, target: Target, make_reference: ReferenceMaker
    ) -> dict[str, Any]:
        """A remote component's outputs: what its SDK declares, resource references
        answered by stand-ins the engine registers (their children are not planned)."""
        typ, name = args.typ, args.name
        state = dict(args.inputs)
        shape = self.schemas.resource(typ) or {}
        synth = Synthesizer(target, self.schemas.types)
        for prop, descriptor in shape.items():
            if state.get(prop) is not None:
                continue
            value = self._component_value(descriptor, prop, (typ, name), make_reference, synth)
            if value is not None:
                state[prop] = value
        state.update(self._supplied_outputs(typ, name))
        return state

    @staticmethod
    def _component_value(
        descriptor: Any,
        prop: str,
        owner: tuple[str, str],
        make_reference: ReferenceMaker,
        synth: Synthesizer,
    ) -> Any:
        name = owner[1]
        if isinstance(descriptor, str) and descriptor.startswith("@"):
            return make_reference(descriptor[1:], f"{name}-{prop}", synth.target)
        if isinstance(descriptor, list) and descriptor[0] == "l":
            inner = descriptor[1]
            if isinstance(inner, str) and inner.startswith("@"):
                return [
                    make_reference(inner[1:], f"{name}-{prop}-{index}", synth.target)
                    for index in range(2)
                ]
        return synth.value(descriptor, prop, owner)

    def _stack_reference(self, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        stack_name = str(inputs.get("name") or name)
        outputs = dict((self.supplied.get("stackReferences") or {}).get(stack_name) or {})
        return stack_name, {"name": stack_name, "outputs": outputs, "secretOutputNames": []}

    # --- invokes ---------------------------------------------------------------------

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        target = self.target_for(args.provider)
        call = _Call(args.token, dict(args.args or {}), target)
        result, answer = self._answer(call)
        wire = getattr(INVOKE_WIRE_ARGUMENTS, "value", None)
        recorded = mask_secrets(wire if isinstance(wire, dict) else call.args, self.secret_values)
        record = {"token": call.token, "args": _sorted(recorded), "answer": answer}
        if record not in self.invokes:
            self.invokes.append(record)
        return result

    def _answer(self, call: _Call) -> tuple[dict[str, Any], str]:
        for entry in self.supplied.get("invokes") or []:
            if entry.get("token") == call.token and _matches(entry.get("args") or {}, call.args):
                return dict(entry.get("result") or {}), "supplied"
        special = INVOKE_ANSWERS.get(call.token)
        shape = self.schemas.function(call.token)
        if special is None and shape is None:
            raise UnhandledInvokeError(
                f"the offline engine has no answer for the invoke {call.token!r}: its SDK "
                "describes no result type; supply one in gate.yaml under 'invokes'"
            )
        result: dict[str, Any] = {}
        synth = Synthesizer(call.target, self.schemas.types)
        owner = (call.token, call.token.rsplit(":", 1)[-1] + "-" + call.seed[:6])
        for prop, descriptor in (shape or {}).items():
            if prop in call.args:
                result[prop] = coerce(descriptor, call.args[prop])
                continue
            value = synth.value(descriptor, prop, owner)
            if value is not None:
                result[prop] = value
        if special is not None:
            result.update(special(call))
            if special is _caller_identity:
                self.caller_accounts.add(call.target.account)
            return result, "special"
        return result, "derived"


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value
