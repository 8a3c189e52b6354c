"""The processor's role: its own, with exact actions on exact ARNs."""

import json

from serverless_platform.workflow.reprocess import LOG_DELIVERY_ACTIONS


def role_policy(view, prefix):
    return json.loads(
        view.one("aws:iam/rolePolicy:RolePolicy", f"{prefix}-policy").inputs["policy"]
    )


def test_processor_role_grants_exact_actions_on_exact_arns(each_stack):
    statements = {s["Sid"]: s for s in role_policy(each_stack, "processor")["Statement"]}
    queue = each_stack.arn_of("aws:sqs/queue:Queue", "ingest-queue")
    bucket = each_stack.arn_of("aws:s3/bucket:Bucket", "storage-ingest-bucket")
    table = each_stack.arn_of("aws:dynamodb/table:Table", "results-table")
    data_key = each_stack.arn_of("aws:kms/key:Key", "platform-data-key")
    log_group = each_stack.arn_of("aws:cloudwatch/logGroup:LogGroup", "processor-logs")
    expected = {
        "WriteOwnLogGroup": (
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [f"{log_group}:log-stream:*"],
        ),
        "DecryptOwnEnvironment": (["kms:Decrypt"], [data_key]),
        "XRayWriteUnscopedByAws": (["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "*"),
        "ConsumeIngestQueue": (
            [
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            [queue],
        ),
        "ReadIncomingObjects": (["s3:GetObject", "s3:GetObjectVersion"], [f"{bucket}/incoming/*"]),
        # The handlers write results with UpdateItem only (conditional, idempotent).
        "WriteResults": (["dynamodb:GetItem", "dynamodb:UpdateItem"], [table]),
        "UseDataKey": (["kms:Decrypt", "kms:GenerateDataKey"], [data_key]),
    }
    assert {sid: (s["Action"], s["Resource"]) for sid, s in statements.items()} == expected
    assert {s["Effect"] for s in statements.values()} == {"Allow"}


# Actions AWS defines without resource-level permissions: the only "*" resources.
UNSCOPED_ACTIONS = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    *LOG_DELIVERY_ACTIONS,
}


def test_the_only_wildcard_resources_are_for_actions_aws_cannot_scope(each_stack):
    wildcard_actions = set()
    for policy in each_stack.all("aws:iam/rolePolicy:RolePolicy"):
        for statement in json.loads(policy.inputs["policy"])["Statement"]:
            if statement["Resource"] == "*" or "*" in statement["Resource"]:
                wildcard_actions |= set(statement["Action"])
    assert wildcard_actions
    assert wildcard_actions <= UNSCOPED_ACTIONS


def test_each_function_has_its_own_role_trusted_only_by_lambda(each_stack):
    functions = each_stack.all("aws:lambda/function:Function")
    roles = {f.inputs["role"] for f in functions}
    # processor, api, the workflow's two steps; prod adds the pre-traffic hooks of the first two
    assert len(functions) == {"dev": 4, "prod": 6}[each_stack.plan.stack]
    assert len(roles) == len(functions)
    for role in each_stack.all("aws:iam/role:Role"):
        if role.arn not in roles:
            continue
        trust = json.loads(role.inputs["assumeRolePolicy"])
        assert trust["Statement"] == [
            {
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
            }
        ]


def test_no_aws_managed_policies_are_attached(each_stack):
    assert each_stack.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment") == []
    assert all("managedPolicyArns" not in r.inputs for r in each_stack.all("aws:iam/role:Role"))


def test_no_role_may_put_whole_items_into_the_results_table(each_stack):
    """Results are written with conditional UpdateItem (never PutItem, which would
    overwrite a newer result): a role granted PutItem holds a right no code uses."""
    granted = [
        (policy.name, statement.get("Sid"))
        for policy in each_stack.all("aws:iam/rolePolicy:RolePolicy")
        for statement in json.loads(policy.inputs["policy"])["Statement"]
        if any(a in ("dynamodb:PutItem", "dynamodb:*") for a in statement["Action"])
    ]
    assert granted == []
