"""The ingest path as planned: S3 → SQS → processor → DynamoDB, for dev and prod."""

import json

from serverless_platform.config import VISIBILITY_TIMEOUT_FACTOR

DATA_KEY = ("aws:kms/key:Key", "platform-data-key")
LOGS_KEY = ("aws:kms/key:Key", "platform-logs-key")
QUEUE = ("aws:sqs/queue:Queue", "ingest-queue")
DLQ = ("aws:sqs/queue:Queue", "ingest-dlq")
FUNCTION = ("aws:lambda/function:Function", "processor-function")
TABLE = ("aws:dynamodb/table:Table", "results-table")
INGEST_BUCKET = ("aws:s3/bucket:Bucket", "storage-ingest-bucket")
LOG_BUCKET = ("aws:s3/bucket:Bucket", "storage-access-logs-bucket")
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def sse_default(view, bucket_prefix):
    rules = view.one(SSE, f"{bucket_prefix}-encryption").inputs["rules"]
    assert len(rules) == 1
    return rules[0]


# --- encryption -------------------------------------------------------------------


def test_ingest_bucket_uses_sse_kms_with_the_data_key_and_a_bucket_key(each_stack):
    rule = sse_default(each_stack, "storage-ingest")
    assert rule["applyServerSideEncryptionByDefault"] == {
        "kmsMasterKeyId": each_stack.arn_of(*DATA_KEY),
        "sseAlgorithm": "aws:kms",
    }
    assert rule["bucketKeyEnabled"] is True


def test_access_log_bucket_is_the_documented_sse_s3_exception(each_stack):
    rule = sse_default(each_stack, "storage-access-logs")
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}


def test_queues_table_and_function_environment_use_the_data_key(each_stack):
    data_key = each_stack.arn_of(*DATA_KEY)
    assert each_stack.one(*QUEUE).inputs["kmsMasterKeyId"] == data_key
    assert each_stack.one(*DLQ).inputs["kmsMasterKeyId"] == data_key
    assert each_stack.one(*TABLE).inputs["serverSideEncryption"] == {
        "enabled": True,
        "kmsKeyArn": data_key,
    }
    assert each_stack.one(*FUNCTION).inputs["kmsKeyArn"] == data_key


def test_log_groups_use_the_logs_key(each_stack):
    logs_key = each_stack.arn_of(*LOGS_KEY)
    groups = each_stack.all("aws:cloudwatch/logGroup:LogGroup")
    assert groups
    assert {g.inputs.get("kmsKeyId") for g in groups} == {logs_key}


def test_every_key_rotates(each_stack):
    keys = each_stack.all("aws:kms/key:Key")
    assert len(keys) == 3
    assert all(k.inputs["enableKeyRotation"] is True for k in keys)


def test_logs_key_admits_the_regional_logs_service_only_for_this_accounts_log_groups(each_stack):
    statements = each_stack.document(*LOGS_KEY)["Statement"]
    logs = [s for s in statements if s.get("Principal", {}).get("Service", "").startswith("logs.")]
    assert len(logs) == 1
    assert logs[0]["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs[0]["Condition"] == {
        "ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:*"
        }
    }


def test_data_key_admits_s3_notifications_and_step_functions_log_delivery_only(each_stack):
    statements = each_stack.document(*DATA_KEY)["Statement"]
    services = {s["Principal"].get("Service") for s in statements if "Service" in s["Principal"]}
    assert services == {"s3.amazonaws.com", "delivery.logs.amazonaws.com"}
    s3 = next(s for s in statements if s["Principal"].get("Service") == "s3.amazonaws.com")
    assert sorted(s3["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert s3["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


# --- queue ------------------------------------------------------------------------


def test_visibility_timeout_is_six_times_the_function_timeout(each_stack):
    timeout = each_stack.one(*FUNCTION).inputs["timeout"]
    visibility = each_stack.one(*QUEUE).inputs["visibilityTimeoutSeconds"]
    assert visibility == VISIBILITY_TIMEOUT_FACTOR * timeout


def test_visibility_timeout_follows_a_changed_function_timeout(plan_stack):
    view = plan_stack("dev", **{"processor": {"timeoutSeconds": 120, "reservedConcurrency": 5}})
    assert view.one(*FUNCTION).inputs["timeout"] == 120
    assert view.one(*QUEUE).inputs["visibilityTimeoutSeconds"] == 720


def test_redrive_sends_to_the_dlq_after_five_receives(each_stack):
    redrive = json.loads(each_stack.one(*QUEUE).inputs["redrivePolicy"])
    assert redrive == {"deadLetterTargetArn": each_stack.arn_of(*DLQ), "maxReceiveCount": 5}


def test_dlq_keeps_messages_fourteen_days_and_only_accepts_the_ingest_queue(each_stack):
    assert each_stack.one(*DLQ).inputs["messageRetentionSeconds"] == 14 * 24 * 3600
    allow = each_stack.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy")
    assert json.loads(allow.inputs["redriveAllowPolicy"]) == {
        "redrivePermission": "byQueue",
        "sourceQueueArns": [each_stack.arn_of(*QUEUE)],
    }


def test_queue_policy_admits_only_the_ingest_bucket_and_denies_plain_http(each_stack):
    document = each_stack.document("aws:sqs/queuePolicy:QueuePolicy", "ingest-queue-policy")
    allow, deny = document["Statement"]
    assert allow["Principal"] == {"Service": "s3.amazonaws.com"}
    assert allow["Action"] == "sqs:SendMessage"
    assert allow["Resource"] == each_stack.arn_of(*QUEUE)
    assert allow["Condition"] == {
        "ArnEquals": {"aws:SourceArn": each_stack.arn_of(*INGEST_BUCKET)},
        "StringEquals": {"aws:SourceAccount": "123456789012"},
    }
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_notification_sends_object_created_under_incoming_to_the_queue(each_stack):
    notification = each_stack.one("aws:s3/bucketNotification:BucketNotification")
    assert notification.inputs["bucket"] == each_stack.one(*INGEST_BUCKET).id
    assert notification.inputs["queues"] == [
        {
            "events": ["s3:ObjectCreated:*"],
            "filterPrefix": "incoming/",
            "id": "incoming-objects",
            "queueArn": each_stack.arn_of(*QUEUE),
        }
    ]
    policy_urn = each_stack.one("aws:sqs/queuePolicy:QueuePolicy", "ingest-queue-policy").urn
    assert policy_urn in notification.dependencies


# --- bucket -----------------------------------------------------------------------


def test_buckets_are_versioned_private_owner_enforced_and_tls_only(each_stack):
    for bucket in ("storage-ingest", "storage-access-logs"):
        bucket_id = each_stack.one("aws:s3/bucket:Bucket", f"{bucket}-bucket").id
        versioning = each_stack.one(
            "aws:s3/bucketVersioning:BucketVersioning", f"{bucket}-versioning"
        )
        assert versioning.inputs == {
            "bucket": bucket_id,
            "versioningConfiguration": {"status": "Enabled"},
        }
        block = each_stack.one(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            f"{bucket}-public-access-block",
        )
        assert block.inputs == {
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "bucket": bucket_id,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        }
        ownership = each_stack.one(
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls", f"{bucket}-ownership"
        )
        assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
        deny = each_stack.document("aws:s3/bucketPolicy:BucketPolicy", f"{bucket}-policy")[
            "Statement"
        ][0]
        bucket_arn = each_stack.arn_of("aws:s3/bucket:Bucket", f"{bucket}-bucket")
        assert deny["Resource"] == [bucket_arn, f"{bucket_arn}/*"]
        assert (deny["Effect"], deny["Condition"]) == (
            "Deny",
            {"Bool": {"aws:SecureTransport": "false"}},
        )


def test_ingest_lifecycle_expires_noncurrent_versions_and_aborts_uploads(dev, prod):
    for view, days in ((dev, 7), (prod, 90)):
        rule = view.one(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "storage-ingest-lifecycle",
        ).inputs["rules"][0]
        assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": days}
        assert rule["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}
        assert rule["status"] == "Enabled"


def test_ingest_access_logs_go_to_the_log_bucket_which_admits_only_that_source(each_stack):
    logging = each_stack.one(
        "aws:s3/bucketLogging:BucketLogging", "platform-storage-ingest-access-logging"
    )
    assert logging.inputs["bucket"] == each_stack.one(*INGEST_BUCKET).id
    assert logging.inputs["targetBucket"] == each_stack.one(*LOG_BUCKET).id
    delivery = each_stack.document(
        "aws:s3/bucketPolicy:BucketPolicy", "storage-access-logs-policy"
    )["Statement"][1]
    assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert delivery["Resource"] == f"{each_stack.arn_of(*LOG_BUCKET)}/ingest/*"
    assert delivery["Condition"]["ArnLike"] == {"aws:SourceArn": each_stack.arn_of(*INGEST_BUCKET)}


# --- table ------------------------------------------------------------------------


def test_results_table_keys_index_ttl_and_pitr(each_stack):
    table = each_stack.one(*TABLE).inputs
    assert (table["billingMode"], table["hashKey"], table["rangeKey"]) == (
        "PAY_PER_REQUEST",
        "pk",
        "sk",
    )
    assert {a["name"]: a["type"] for a in table["attributes"]} == {
        "pk": "S",
        "sk": "S",
        "status": "S",
        "updated_at": "S",
    }
    assert table["globalSecondaryIndexes"] == [
        {
            "keySchemas": [
                {"attributeName": "status", "keyType": "HASH"},
                {"attributeName": "updated_at", "keyType": "RANGE"},
            ],
            "name": "status-index",
            "projectionType": "ALL",
        }
    ]
    assert table["ttl"] == {"attributeName": "expires_at", "enabled": True}
    assert table["pointInTimeRecovery"] == {"enabled": True}


# --- processor --------------------------------------------------------------------


def test_processor_function_runtime_tracing_logging_and_layer(each_stack):
    function = each_stack.one(*FUNCTION).inputs
    assert (function["runtime"], function["architectures"], function["handler"]) == (
        "python3.12",
        ["arm64"],
        "processor.app.handler",
    )
    assert function["tracingConfig"] == {"mode": "Active"}
    assert function["loggingConfig"]["logFormat"] == "JSON"
    assert (
        function["loggingConfig"]["logGroup"]
        == each_stack.one("aws:cloudwatch/logGroup:LogGroup", "processor-logs").id
    )
    assert function["layers"] == [
        "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:27"
    ]


def test_processor_environment_names_every_setting_it_reads(each_stack):
    variables = each_stack.one(*FUNCTION).inputs["environment"]["variables"]
    assert set(variables) == {
        "RESULTS_TABLE",
        "MAX_OBJECT_BYTES",
        "RESULT_TTL_DAYS",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
        "LOG_LEVEL",
    }
    assert variables["RESULTS_TABLE"] == each_stack.one(*TABLE).id


def test_processor_package_holds_its_app_and_the_shared_module(each_stack):
    function = each_stack.one(*FUNCTION).inputs
    assets = function["code"]["assets"]
    # The function is a package of its name, so its handler names the package.
    assert {"processor/__init__.py", "processor/app.py"} <= set(assets)
    assert function["handler"] == "processor.app.handler"
    assert any(name.startswith("shared/") for name in assets)
    assert not any("__pycache__" in name for name in assets)


def test_event_source_mapping_reports_batch_item_failures_with_configured_batching(dev, prod):
    for view, (size, window, concurrency) in ((dev, (10, 5, 2)), (prod, (10, 2, 40))):
        mapping = view.one("aws:lambda/eventSourceMapping:EventSourceMapping").inputs
        assert mapping["functionResponseTypes"] == ["ReportBatchItemFailures"]
        assert (mapping["batchSize"], mapping["maximumBatchingWindowInSeconds"]) == (size, window)
        assert mapping["scalingConfig"] == {"maximumConcurrency": concurrency}
        assert mapping["eventSourceArn"] == view.arn_of(*QUEUE)


# --- dev and prod differ where a team would differ them ------------------------------


def test_prod_is_protected_and_retains_longer_than_dev(dev, prod):
    assert dev.one(*TABLE).inputs["deletionProtectionEnabled"] is False
    assert prod.one(*TABLE).inputs["deletionProtectionEnabled"] is True
    assert prod.one(*TABLE).options["protect"] is True
    assert {k.inputs["deletionWindowInDays"] for k in prod.all("aws:kms/key:Key")} == {30}
    assert {k.inputs["deletionWindowInDays"] for k in dev.all("aws:kms/key:Key")} == {7}
    assert {g.inputs["retentionInDays"] for g in dev.all("aws:cloudwatch/logGroup:LogGroup")} == {
        14
    }
    assert {g.inputs["retentionInDays"] for g in prod.all("aws:cloudwatch/logGroup:LogGroup")} == {
        365
    }
    assert dev.one(*FUNCTION).inputs["reservedConcurrentExecutions"] == 5
    assert prod.one(*FUNCTION).inputs["reservedConcurrentExecutions"] == 50


def test_a_config_error_fails_the_program_naming_the_key(plan_stack):
    import pytest

    from gate.engine.planner import EngineError

    with pytest.raises(
        EngineError,
        match=r"processor.memoryMb': expected an integer from 128 to 10240, got 64",
    ):
        plan_stack("dev", processor={"memoryMb": 64})


def test_a_misspelled_key_fails_the_program_suggesting_the_nearest(plan_stack):
    """`processor.memroyMb: 4096` used to plan with the default memory, in silence."""
    import pytest

    from gate.engine.planner import EngineError

    with pytest.raises(EngineError, match=r"processor.memroyMb': expected .*'memoryMb'"):
        plan_stack("dev", processor={"memroyMb": 4096})
    with pytest.raises(EngineError, match=r"'serverless-platform:proccessor'.*'processor'"):
        plan_stack("dev", proccessor={"memoryMb": 4096})
