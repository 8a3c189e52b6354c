"""GET /v1/results/{result_id} and GET /v1/results, reading what the processor's result
store writes."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from shared.events import ObjectRef
from shared.result_store import ResultStore
from shared.results import ResultItem, ResultStatus, result_id

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store_result(aws, api_environment):
    """Write a result the way the processor does; returns its result id."""
    store = ResultStore(aws.dynamodb, api_environment["RESULTS_TABLE"])

    def write(
        key: str,
        status: ResultStatus = ResultStatus.SUCCEEDED,
        *,
        minutes: int = 0,
        version_id: str | None = "v1",
        **attributes,
    ) -> str:
        ref = ObjectRef(api_environment["INGEST_BUCKET"], key, version_id, "0055AED6DCD90281E5")
        item = ResultItem(
            ref, status, now=START + timedelta(minutes=minutes), ttl_days=30, **attributes
        )
        assert store.save(item)
        return item.result_id

    return write


def _all_pages(call_api, status, limit):
    pages, token = [], None
    while True:
        query = {"status": status, "limit": str(limit)} | ({"next_token": token} if token else {})
        response = call_api("GET", "/v1/results", query=query)
        assert response.status == 200, response.body
        pages.append([item["result_id"] for item in response.body["items"]])
        token = response.body["next_token"]
        if token is None:
            return pages


def test_a_result_is_served_with_its_public_fields_only(call_api, store_result):
    # GIVEN
    rid = store_result(
        "incoming/u1/orders.json",
        object_format="json",
        content_type="application/json",
        byte_size=2048,
        sha256="ab" * 32,
        summary={"records": 12, "fields": ["id", "amount"], "ratio": 0.5},
    )

    # WHEN
    response = call_api("GET", f"/v1/results/{rid}")

    # THEN
    assert response.status == 200
    assert response.body == {
        "result_id": rid,
        "bucket": "ingest-bucket",
        "object_key": "incoming/u1/orders.json",
        "version_id": "v1",
        "status": "SUCCEEDED",
        "format": "json",
        "content_type": "application/json",
        "byte_size": 2048,
        "sha256": "ab" * 32,
        "summary": {"records": 12, "fields": ["id", "amount"], "ratio": 0.5},
        "created_at": "2026-03-01T12:00:00.000Z",
        "updated_at": "2026-03-01T12:00:00.000Z",
    }


def test_a_failed_result_of_an_unversioned_object_carries_its_error(call_api, store_result):
    # GIVEN
    rid = store_result(
        "incoming/u2/März data.csv",
        ResultStatus.FAILED,
        version_id=None,
        error="invalid CSV: no header",
        error_code="InvalidCsv",
    )

    # WHEN
    response = call_api("GET", f"/v1/results/{rid}")

    # THEN
    assert response.status == 200
    body = response.body
    assert (body["object_key"], body["version_id"]) == ("incoming/u2/März data.csv", None)
    assert (body["status"], body["error"], body["error_code"]) == (
        "FAILED",
        "invalid CSV: no header",
        "InvalidCsv",
    )


def test_a_missing_result_is_404(call_api, aws):
    # GIVEN a well-formed id of an object version that was never processed
    rid = result_id("ingest-bucket", "incoming/never.json", "v9")

    # WHEN
    response = call_api("GET", f"/v1/results/{rid}")

    # THEN
    assert response.status == 404
    assert response.body == {
        "message": f"No result with id {rid}",
        "request_id": "gateway-request-id",
    }


@pytest.mark.parametrize(
    "bad_id",
    [
        "not+base64",  # outside the URL-safe alphabet
        "AAAA",  # decodes, but names no bucket, key and version
        "Yi9rLmpzb24KdjF",  # "b/k.json\nv1" with stray low bits: not canonical
        "x" * 2049,
    ],
)
def test_a_malformed_result_id_is_400(call_api, aws, bad_id):
    # WHEN
    response = call_api("GET", f"/v1/results/{bad_id}")

    # THEN
    assert response.status == 400
    [error] = response.body["errors"]
    assert error["field"] == "path.result_id"


@pytest.mark.parametrize(("count", "limit"), [(7, 3), (6, 3), (1, 50), (0, 10)])
def test_pagination_returns_every_result_once_newest_first(call_api, store_result, count, limit):
    # GIVEN results of both statuses, written a minute apart
    failed = [
        store_result(f"incoming/f{n}.json", ResultStatus.FAILED, minutes=n, error="bad")
        for n in range(count)
    ]
    store_result("incoming/ok.json", ResultStatus.SUCCEEDED, minutes=99)

    # WHEN
    pages = _all_pages(call_api, "FAILED", limit)

    # THEN
    listed = [rid for page in pages for rid in page]
    assert listed == list(reversed(failed))
    assert all(len(page) == limit for page in pages[:-1])
    assert len(pages) == max(1, -(-count // limit))


def test_a_tampered_next_token_is_400(call_api, store_result):
    # GIVEN
    for n in range(3):
        store_result(f"incoming/f{n}.json", ResultStatus.FAILED, minutes=n, error="bad")
    first = call_api("GET", "/v1/results", query={"status": "FAILED", "limit": "1"})
    token = first.body["next_token"]
    tampered = [
        token[:-2] + ("AB" if token[-2:] != "AB" else "CD"),
        token[::-1],
        "eyJwayI6MX0",  # {"pk":1}
        "A",
    ]

    for bad in tampered:
        # WHEN
        response = call_api(
            "GET", "/v1/results", query={"status": "FAILED", "limit": "1", "next_token": bad}
        )

        # THEN
        assert response.status == 400, bad
        [error] = response.body["errors"]
        assert error["field"] == "query.next_token"


def test_a_next_token_of_json_nested_too_deeply_is_400(call_api, aws):
    # GIVEN a token of the longest allowed length that decodes to 1536 nested lists
    token = base64.urlsafe_b64encode(b"[" * 1536).rstrip(b"=").decode()
    assert len(token) == 2048

    # WHEN
    response = call_api("GET", "/v1/results", query={"status": "FAILED", "next_token": token})

    # THEN
    assert response.status == 400
    [error] = response.body["errors"]
    assert error == {
        "field": "query.next_token",
        "reason": "is not a token this API issued for this status",
    }


def test_a_next_token_only_continues_the_status_it_came_from(call_api, store_result):
    # GIVEN
    for n in range(2):
        store_result(f"incoming/f{n}.json", ResultStatus.FAILED, minutes=n, error="bad")
    token = call_api("GET", "/v1/results", query={"status": "FAILED", "limit": "1"}).body[
        "next_token"
    ]

    # WHEN
    response = call_api("GET", "/v1/results", query={"status": "SUCCEEDED", "next_token": token})

    # THEN
    assert response.status == 400
    assert response.body["errors"][0]["reason"] == (
        "is not a token this API issued for this status"
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "FAILED", "limit": "0"}, "query.limit"),
        ({"status": "FAILED", "limit": "101"}, "query.limit"),
        ({"status": "FAILED", "limit": "ten"}, "query.limit"),
        ({"status": "RUNNING"}, "query.status"),
        ({}, "query.status"),
        ({"status": "FAILED", "next_token": "has spaces"}, "query.next_token"),
    ],
)
def test_bad_list_parameters_are_400(call_api, aws, query, field):
    # WHEN
    response = call_api("GET", "/v1/results", query=query or None)

    # THEN
    assert response.status == 400
    assert [error["field"] for error in response.body["errors"]] == [field]
