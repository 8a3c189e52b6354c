"""The REST API as planned: keys on every method, stage settings, redeploys, domain, IAM."""

import json

import pytest

from serverless_platform.api.definition import (
    ROUTES,
    definition_hash,
    deployment_document,
    model_schema,
)
from serverless_platform.api.rest_api import GATEWAY_RESPONSES

METHOD = "aws:apigateway/method:Method"
STAGE = "aws:apigateway/stage:Stage"
DOMAIN_TYPES = {
    "aws:acm/certificate:Certificate",
    "aws:acm/certificateValidation:CertificateValidation",
    "aws:apigateway/domainName:DomainName",
    "aws:apigateway/basePathMapping:BasePathMapping",
    "aws:route53/record:Record",
}


def test_every_route_has_a_method_that_requires_an_api_key(each_stack):
    methods = each_stack.all(METHOD)
    assert len(methods) == len(ROUTES)
    assert {(m.inputs["httpMethod"], m.inputs["apiKeyRequired"]) for m in methods} == {
        ("GET", True),
        ("POST", True),
    }
    bodies = {
        m.name: m.inputs.get("requestModels") for m in methods if m.inputs["httpMethod"] == "POST"
    }
    assert sorted(b["application/json"] for b in bodies.values()) == [
        "ReprocessRequest",
        "UploadRequest",
    ]
    assert all(m.inputs["requestValidatorId"] for m in methods)


def test_integrations_are_lambda_proxy(each_stack):
    integrations = each_stack.all("aws:apigateway/integration:Integration")
    assert len(integrations) == len(ROUTES)
    assert {(i.inputs["type"], i.inputs["integrationHttpMethod"]) for i in integrations} == {
        ("AWS_PROXY", "POST")
    }


def test_stage_traces_logs_json_to_an_encrypted_group_and_method_settings_are_safe(each_stack):
    stage = each_stack.one(STAGE).inputs
    assert stage["xrayTracingEnabled"] is True
    access_logs = each_stack.one("aws:cloudwatch/logGroup:LogGroup", "api-access-logs")
    assert stage["accessLogSettings"]["destinationArn"] == access_logs.arn
    assert json.loads(stage["accessLogSettings"]["format"])["requestId"] == "$context.requestId"
    assert access_logs.inputs["kmsKeyId"] == each_stack.arn_of(
        "aws:kms/key:Key", "platform-logs-key"
    )
    settings = each_stack.one("aws:apigateway/methodSettings:MethodSettings").inputs
    assert settings["methodPath"] == "*/*"
    assert settings["settings"]["dataTraceEnabled"] is False
    assert settings["settings"]["metricsEnabled"] is True
    assert settings["settings"]["loggingLevel"] in {"ERROR", "INFO"}


def logging_level(view):
    return view.one("aws:apigateway/methodSettings:MethodSettings").inputs["settings"][
        "loggingLevel"
    ]


def test_dev_logs_info_and_prod_logs_errors(dev, prod):
    assert (logging_level(dev), logging_level(prod)) == ("INFO", "ERROR")


def _document(**changes):
    base = {
        "routes": ROUTES,
        "models": {m: model_schema(m, 500) for m in ("UploadRequest", "ReprocessRequest")},
        "gateway_responses": GATEWAY_RESPONSES,
        "integration_uri": "arn:aws:apigateway:us-east-1:lambda:path/functions/f/invocations",
    }
    return deployment_document(**(base | changes))


def test_deployment_trigger_hashes_what_the_deployment_snapshots(dev):
    deployment = dev.one("aws:apigateway/deployment:Deployment").inputs
    integration = dev.all("aws:apigateway/integration:Integration")[0].inputs
    assert deployment["triggers"] == {
        "definition": definition_hash(_document(integration_uri=integration["uri"]))
    }


@pytest.mark.parametrize(
    "change",
    [
        {"routes": ROUTES[:-1]},
        {"models": {"UploadRequest": {"type": "object"}}},
        {"gateway_responses": {**GATEWAY_RESPONSES, "DEFAULT_4XX": ("400", "{}")}},
        {"integration_uri": "arn:aws:apigateway:us-east-1:lambda:path/functions/f:live/x"},
    ],
    ids=["route", "model", "gateway-response", "integration-uri"],
)
def test_every_snapshotted_change_alters_the_trigger(change):
    assert definition_hash(_document(**change)) != definition_hash(_document())


def test_every_integration_invokes_the_live_alias(every_stack):
    """What API Gateway serves is what CodeDeploy shifted to the alias, never $LATEST."""
    for region in every_stack.all("pulumi:providers:aws"):
        view = every_stack.in_region(region.inputs["region"])
        alias = view.one("aws:lambda/alias:Alias", "api-live")
        integrations = view.all("aws:apigateway/integration:Integration")
        assert integrations
        assert {i.inputs["uri"] for i in integrations} == {
            f"arn:aws:apigateway:{region.inputs['region']}:lambda:path/2015-03-31/functions/"
            f"{alias.arn}/invocations"
        }


def test_lambda_permission_admits_api_gateway_to_the_live_alias_only(every_stack):
    for region in every_stack.all("pulumi:providers:aws"):
        view = every_stack.in_region(region.inputs["region"])
        permission = view.one("aws:lambda/permission:Permission").inputs
        alias = view.one("aws:lambda/alias:Alias", "api-live").inputs
        assert (permission["function"], permission["qualifier"]) == (
            alias["functionName"],
            alias["name"],
        )


def test_the_deployment_depends_on_everything_it_snapshots(dev):
    deployment = dev.one("aws:apigateway/deployment:Deployment")
    snapshotted = [
        r.urn
        for typ in (
            "aws:apigateway/method:Method",
            "aws:apigateway/integration:Integration",
            "aws:apigateway/response:Response",
            "aws:apigateway/model:Model",
            "aws:apigateway/requestValidator:RequestValidator",
        )
        for r in dev.all(typ)
    ]
    assert snapshotted
    assert not set(snapshotted) - set(deployment.dependencies)


def test_the_reprocess_model_is_capped_by_config(dev, prod):
    for view, cap in ((dev, 500), (prod, 800)):
        model = view.one("aws:apigateway/model:Model", "model-ReprocessRequest")
        assert json.loads(model.inputs["schema"])["properties"]["object_keys"]["maxItems"] == cap


def test_usage_plan_has_throttle_and_quota_from_config(dev, prod):
    for view, (rate, burst, limit, period) in (
        (dev, (20, 40, 10000, "DAY")),
        (prod, (200, 400, 5000000, "MONTH")),
    ):
        plan = view.one("aws:apigateway/usagePlan:UsagePlan").inputs
        assert plan["throttleSettings"] == {"burstLimit": burst, "rateLimit": rate}
        assert plan["quotaSettings"] == {"limit": limit, "period": period}
        key = view.one("aws:apigateway/usagePlanKey:UsagePlanKey").inputs
        assert key["keyType"] == "API_KEY"


def test_api_key_value_is_exported_as_a_secret(each_stack):
    secret_sig = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
    assert secret_sig.items() <= each_stack.plan.outputs["api_key"].items()


def test_lambda_permission_is_scoped_to_this_apis_execution_arn(each_stack):
    permission = each_stack.one("aws:lambda/permission:Permission").inputs
    rest_api = each_stack.one("aws:apigateway/restApi:RestApi")
    assert permission["principal"] == "apigateway.amazonaws.com"
    assert (
        permission["sourceArn"] == f"arn:aws:execute-api:us-east-1:123456789012:{rest_api.id}/*/*/*"
    )


def test_custom_domain_exists_only_when_configured(dev, plan_stack):
    # prod-eu: one region with a custom domain (prod's record is latency-routed: HA tests).
    prod = plan_stack("prod-eu").primary()
    assert {r.type for r in dev.resources} & DOMAIN_TYPES == set()
    assert {r.type for r in prod.resources} >= DOMAIN_TYPES
    domain = prod.one("aws:apigateway/domainName:DomainName").inputs
    assert (domain["securityPolicy"], domain["endpointConfiguration"]) == (
        "TLS_1_2",
        {"types": "REGIONAL"},
    )
    assert prod.one("aws:apigateway/restApi:RestApi").inputs["disableExecuteApiEndpoint"] is True
    assert dev.one("aws:apigateway/restApi:RestApi").inputs["disableExecuteApiEndpoint"] is False
    alias = prod.one("aws:route53/record:Record", "alias-record").inputs
    assert alias["type"] == "A"
    assert alias["aliases"][0]["evaluateTargetHealth"] is True


def test_provisioned_concurrency_and_its_scaling_exist_only_in_prod(dev, prod):
    scaling_types = {
        "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
        "aws:appautoscaling/target:Target",
        "aws:appautoscaling/policy:Policy",
    }
    assert {r.type for r in dev.resources} & scaling_types == set()
    alias = prod.one("aws:lambda/alias:Alias", "api-live").inputs
    provisioned = prod.one(
        "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig"
    ).inputs
    # On the live alias, never $LATEST: provisioned concurrency needs a version.
    assert (provisioned["functionName"], provisioned["qualifier"]) == (
        alias["functionName"],
        "live",
    )
    target = prod.one("aws:appautoscaling/target:Target").inputs
    assert target["resourceId"] == f"function:{alias['functionName']}:live"
    assert (target["minCapacity"], target["maxCapacity"]) == (2, 20)
    assert target["scalableDimension"] == "lambda:function:ProvisionedConcurrency"
    policy = prod.one("aws:appautoscaling/policy:Policy").inputs[
        "targetTrackingScalingPolicyConfiguration"
    ]
    assert policy["predefinedMetricSpecification"] == {
        "predefinedMetricType": "LambdaProvisionedConcurrencyUtilization"
    }
    assert policy["targetValue"] == 0.7


def test_api_role_is_exact(each_stack):
    statements = {
        s["Sid"]: (s["Action"], s["Resource"])
        for s in json.loads(
            each_stack.one("aws:iam/rolePolicy:RolePolicy", "platform-api-policy").inputs["policy"]
        )["Statement"]
    }
    table = each_stack.arn_of("aws:dynamodb/table:Table", "results-table")
    bucket = each_stack.arn_of("aws:s3/bucket:Bucket", "storage-ingest-bucket")
    machine = each_stack.arn_of("aws:sfn/stateMachine:StateMachine")
    machine_name = machine.rsplit(":", 1)[-1]
    data_key = each_stack.arn_of("aws:kms/key:Key", "platform-data-key")
    assert statements["ReadResults"] == (
        ["dynamodb:GetItem", "dynamodb:Query"],
        [table, f"{table}/index/status-index"],
    )
    assert statements["PresignIncomingUploads"] == (["s3:PutObject"], [f"{bucket}/incoming/*"])
    assert statements["EncryptPresignedUploads"] == (["kms:GenerateDataKey"], [data_key])
    assert statements["StartReprocessing"] == (["states:StartExecution"], [machine])
    assert statements["ReadReprocessingStatus"] == (
        ["states:DescribeExecution"],
        [f"arn:aws:states:us-east-1:123456789012:execution:{machine_name}:*"],
    )


def test_unknown_routes_answer_404_json_at_the_gateway(each_stack):
    responses = {
        r.inputs["responseType"]: r.inputs
        for r in each_stack.all("aws:apigateway/response:Response")
    }
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["statusCode"] == "404"
    assert set(responses) >= {"BAD_REQUEST_BODY", "DEFAULT_4XX", "DEFAULT_5XX"}


def test_stage_sits_behind_a_waf_with_managed_rules_rate_limit_and_redacted_logs(each_stack):
    acl = each_stack.one("aws:wafv2/webAcl:WebAcl")
    assert acl.inputs["scope"] == "REGIONAL"
    rules = {r["name"]: r for r in acl.inputs["rules"]}
    assert set(rules) == {
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "rate-limit-per-address",
    }
    assert rules["rate-limit-per-address"]["action"] == {"block": {}}
    association = each_stack.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    assert association["resourceArn"] == each_stack.one(STAGE).arn
    logging = each_stack.one(
        "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
    ).inputs
    assert logging["redactedFields"] == [{"singleHeader": {"name": "x-api-key"}}]
    group = each_stack.one("aws:cloudwatch/logGroup:LogGroup", "firewall-logs")
    assert group.inputs["name"].startswith("aws-waf-logs-")
    assert logging["logDestinationConfigs"] == [group.arn]


def test_the_stack_tells_the_runbook_cli_its_reprocess_limit(plan_stack):
    # The CLI checks --keys against it; dev and prod set different limits.
    assert plan_stack("dev").plan.outputs["workflow_max_objects"] == "500"
    assert plan_stack("prod").plan.outputs["workflow_max_objects"] == "800"


def test_the_api_function_ships_its_routers_as_one_package(dev):
    function = dev.one("aws:lambda/function:Function", "api-function").inputs
    assets = set(function["code"]["assets"])
    assert {f"api/{m}.py" for m in ("app", "uploads", "results", "workflows")} <= assets
    assert function["handler"] == "api.app.handler"
