"""The workflow's infrastructure, the alerts topic and the alarms as planned."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
MACHINE = "aws:sfn/stateMachine:StateMachine"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ALARM_SLUGS = {
    "processor-errors",
    "processor-throttles",
    "processor-duration-near-timeout",
    "processor-concurrency-near-limit",
    "dlq-messages-visible",
    "ingest-queue-oldest-message-age",
    "api-5xx-rate",
    "api-4xx-rate",
    "api-p99-latency",
    "api-function-errors",
    "workflow-executions-failed",
    "dynamodb-throttled-requests",
}


def test_state_machine_is_standard_logged_traced_and_encrypted(dev, prod):
    for view, include_data in ((dev, True), (prod, False)):
        machine = view.one(MACHINE).inputs
        assert machine["type"] == "STANDARD"
        assert machine["tracingConfiguration"] == {"enabled": True}
        logging = machine["loggingConfiguration"]
        assert logging["level"] == "ALL"
        assert logging["includeExecutionData"] is include_data
        log_group = view.one("aws:cloudwatch/logGroup:LogGroup", "workflow-logs")
        assert logging["logDestination"] == f"{log_group.arn}:*"
        assert machine["encryptionConfiguration"]["type"] == "CUSTOMER_MANAGED_KMS_KEY"
        assert machine["encryptionConfiguration"]["kmsKeyId"] == view.arn_of(
            "aws:kms/key:Key", "platform-data-key"
        )


def test_state_machine_role_invokes_exactly_its_two_functions_and_publishes_to_the_topic(
    each_stack,
):
    policy = json.loads(
        each_stack.one("aws:iam/rolePolicy:RolePolicy", "platform-workflow-policy").inputs["policy"]
    )
    statements = {s["Sid"]: s for s in policy["Statement"]}
    list_fn = each_stack.arn_of("aws:lambda/function:Function", "workflow-list-function")
    process_fn = each_stack.arn_of("aws:lambda/function:Function", "workflow-process-function")
    assert statements["InvokeWorkflowSteps"]["Resource"] == [list_fn, process_fn]
    assert statements["NotifyAlertsTopic"]["Resource"] == [each_stack.arn_of("aws:sns/topic:Topic")]
    trust = json.loads(
        each_stack.one("aws:iam/role:Role", "platform-workflow-role").inputs["assumeRolePolicy"]
    )
    assert trust["Statement"][0]["Principal"] == {"Service": "states.amazonaws.com"}


def test_alerts_topic_is_encrypted_with_a_key_cloudwatch_may_use(each_stack):
    topic = each_stack.one("aws:sns/topic:Topic").inputs
    alerts_key = each_stack.arn_of("aws:kms/key:Key", "alerts-key-key")
    assert topic["kmsMasterKeyId"] == alerts_key
    statements = each_stack.document("aws:kms/key:Key", "alerts-key-key")["Statement"]
    cloudwatch = [
        s for s in statements if s["Principal"].get("Service") == "cloudwatch.amazonaws.com"
    ]
    assert len(cloudwatch) == 1
    assert sorted(cloudwatch[0]["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]


def test_email_subscriptions_come_from_config(dev, prod):
    for view, email in (
        (dev, "data-platform-dev@example.com"),
        (prod, "data-platform-oncall@example.com"),
    ):
        subscriptions = view.all("aws:sns/topicSubscription:TopicSubscription")
        assert [(s.inputs["protocol"], s.inputs["endpoint"]) for s in subscriptions] == [
            ("email", email)
        ]


def test_every_alarm_publishes_names_its_runbook_and_the_runbook_file_is_named_like_it(each_stack):
    alarms = each_stack.all(ALARM)
    topic = each_stack.arn_of("aws:sns/topic:Topic")
    assert {a.inputs["tags"]["runbook"] for a in alarms} == {
        f"runbooks/{slug}.md" for slug in ALARM_SLUGS
    }
    for alarm in alarms:
        runbook = alarm.inputs["tags"]["runbook"]
        slug = runbook.removeprefix("runbooks/").removesuffix(".md")
        assert alarm.inputs["name"].endswith(slug)
        assert runbook in alarm.inputs["alarmDescription"]
        assert alarm.inputs["alarmActions"] == [topic]
        assert alarm.inputs["okActions"] == [topic]
        assert alarm.inputs["treatMissingData"] == "notBreaching"


def test_dynamodb_alarm_watches_throttled_requests_not_user_errors(each_stack):
    alarm = each_stack.one(ALARM, "dynamodb-throttled-requests").inputs
    metrics = [q["metric"]["metricName"] for q in alarm["metricQueries"] if "metric" in q]
    assert set(metrics) == {"ThrottledRequests"}
    table = each_stack.one("aws:dynamodb/table:Table").id
    assert {
        q["metric"]["dimensions"]["TableName"] for q in alarm["metricQueries"] if "metric" in q
    } == {table}


def test_summed_alarms_fill_quiet_series_so_one_gap_cannot_hide_the_rest(each_stack):
    # Throttles of the three operations the platform performs: GetItem, UpdateItem, Query.
    for slug, count in (("workflow-executions-failed", 3), ("dynamodb-throttled-requests", 3)):
        queries = each_stack.one(ALARM, slug).inputs["metricQueries"]
        (expression,) = [q["expression"] for q in queries if "expression" in q]
        assert expression == "+".join(f"FILL(m{i},0)" for i in range(1, count + 1))


def test_dlq_alarm_fires_on_any_visible_message(each_stack):
    alarm = each_stack.one(ALARM, "dlq-messages-visible").inputs
    assert (alarm["comparisonOperator"], alarm["threshold"]) == ("GreaterThanThreshold", 0)
    dlq_name = each_stack.arn_of("aws:sqs/queue:Queue", "ingest-dlq").rsplit(":", 1)[-1]
    assert alarm["metricQueries"][0]["metric"]["dimensions"] == {"QueueName": dlq_name}


def test_dashboard_graphs_the_alarmed_metrics_by_their_real_names(each_stack):
    body = json.loads(each_stack.one("aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    processor = each_stack.one("aws:lambda/function:Function", "processor-function").id
    rendered = json.dumps(body)
    assert processor in rendered
    assert each_stack.one("aws:dynamodb/table:Table").id in rendered
    assert len(body["widgets"]) == len(each_stack.all(ALARM))


def test_a_surge_of_refused_requests_alarms(dev):
    """The seed's API 4XX alarm: a broken client release or a revoked key shows here."""
    alarm = dev.one(ALARM, "api-4xx-rate").inputs
    metric, expression = sorted(alarm["metricQueries"], key=lambda q: "expression" in q)
    assert metric["metric"]["metricName"] == "4XXError"
    assert metric["metric"]["stat"] == "Average"
    assert expression["expression"] == "m1*100"
    assert alarm["threshold"] == 10
