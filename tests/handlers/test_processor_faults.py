"""Transient failures from S3 and DynamoDB: exactly the affected messages are retried,
and the rest of the batch is unaffected."""

import dataclasses

import pytest
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError


def test_dynamodb_throughput_exceeded_reports_exactly_that_message(
    aws,
    faulty,
    transient_error,
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
):
    # GIVEN a batch of three objects, and DynamoDB throttling the write for the second
    objects = [upload(f"incoming/{name}.json", "{}") for name in ("a", "b", "c")]
    dynamodb = faulty(
        aws.dynamodb,
        "update_item",
        transient_error("ProvisionedThroughputExceededException", 400, "UpdateItem"),
        when=lambda params: params["Key"]["pk"]["S"].endswith("/incoming/b.json"),
    )
    handler = make_handler(dataclasses.replace(aws, dynamodb=dynamodb))
    event = sqs_event_factory(*([s3_record_factory(obj)] for obj in objects))

    # WHEN the batch is processed
    response = handler(event, lambda_context)

    # THEN only the second message is retried, and the others have their results
    assert response == {"batchItemFailures": [{"itemIdentifier": "message-1"}]}
    assert sorted(item["object_key"] for item in results()) == [
        "incoming/a.json",
        "incoming/c.json",
    ]


@pytest.mark.parametrize(
    ("service", "operation", "error"),
    [
        ("s3", "get_object", ("SlowDown", 503, "GetObject")),
        ("s3", "get_object", ("InternalError", 500, "GetObject")),
        ("s3", "get_object", ReadTimeoutError(endpoint_url="https://s3.eu-west-1.amazonaws.com")),
        ("dynamodb", "update_item", ("ThrottlingException", 400, "UpdateItem")),
        ("dynamodb", "update_item", ("InternalServerError", 500, "UpdateItem")),
        ("dynamodb", "update_item", ConnectTimeoutError(endpoint_url="https://dynamodb")),
    ],
    ids=["s3-slowdown", "s3-500", "s3-timeout", "ddb-throttle", "ddb-500", "ddb-timeout"],
)
def test_transient_error_leaves_the_message_for_retry_without_a_result(
    aws,
    faulty,
    transient_error,
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
    service,
    operation,
    error,
):
    # GIVEN a client that fails transiently on every call of one operation
    exception = transient_error(*error) if isinstance(error, tuple) else error
    broken = dataclasses.replace(
        aws, **{service: faulty(getattr(aws, service), operation, exception)}
    )
    event = sqs_event_factory([s3_record_factory(upload("incoming/a.json", "{}"))])

    # WHEN the message is processed
    response = make_handler(broken)(event, lambda_context)

    # THEN it is reported for retry, and no result claims an outcome
    assert response == {"batchItemFailures": [{"itemIdentifier": "message-0"}]}
    assert results() == []


def test_mixed_batch_retries_only_the_transient_message(
    aws,
    faulty,
    transient_error,
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
):
    # GIVEN a good object, a poison object and an object S3 cannot serve right now
    good = upload("incoming/good.json", '{"id": 1}')
    poison = upload("incoming/poison.json", "{not json")
    flaky = upload("incoming/flaky.json", '{"id": 2}')
    s3 = faulty(
        aws.s3,
        "get_object",
        transient_error("SlowDown", 503, "GetObject"),
        when=lambda params: params["Key"] == flaky.key,
    )
    event = sqs_event_factory(
        [s3_record_factory(good)], [s3_record_factory(poison)], [s3_record_factory(flaky)]
    )

    # WHEN the batch is processed
    response = make_handler(dataclasses.replace(aws, s3=s3))(event, lambda_context)

    # THEN exactly the transient message is retried; good and poison are both recorded
    assert response == {"batchItemFailures": [{"itemIdentifier": "message-2"}]}
    statuses = {item["object_key"]: item["status"] for item in results()}
    assert statuses == {good.key: "SUCCEEDED", poison.key: "FAILED"}


def test_retry_of_a_partly_failed_message_leaves_one_item_per_object(
    aws,
    faulty,
    transient_error,
    make_handler,
    upload,
    s3_record_factory,
    sqs_event_factory,
    lambda_context,
    results,
):
    # GIVEN one message with two objects, the second failing transiently once
    first, second = upload("incoming/1.json", "{}"), upload("incoming/2.json", "{}")
    dynamodb = faulty(
        aws.dynamodb,
        "update_item",
        transient_error("ProvisionedThroughputExceededException", 400, "UpdateItem"),
        when=lambda params: params["Key"]["pk"]["S"].endswith(second.key) and not dynamodb.calls,
    )
    handler = make_handler(dataclasses.replace(aws, dynamodb=dynamodb))
    event = sqs_event_factory([s3_record_factory(first), s3_record_factory(second)])
    assert handler(event, lambda_context) == {
        "batchItemFailures": [{"itemIdentifier": "message-0"}]
    }

    # WHEN SQS delivers the whole message again
    response = handler(event, lambda_context)

    # THEN it succeeds, and the object done the first time is not doubled
    assert response == {"batchItemFailures": []}
    assert sorted(item["object_key"] for item in results()) == [first.key, second.key]
