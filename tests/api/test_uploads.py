"""POST /v1/uploads: a presigned PUT under incoming/, signed with the SSE-KMS headers."""

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from api.uploads import MAX_FILENAME_CHARACTERS, sanitise_filename
from hypothesis import given
from hypothesis import strategies as st

UPLOAD_KEY = re.compile(r"^incoming/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/(?P<name>[^/]+)$")


def _upload(call_api, filename="report.json", content_type="application/json", **extra):
    return call_api(
        "POST", "/v1/uploads", body={"filename": filename, "content_type": content_type, **extra}
    )


def test_upload_returns_a_presigned_put_under_incoming_with_its_required_headers(
    call_api, api_environment
):
    # GIVEN
    bucket, key_arn = api_environment["INGEST_BUCKET"], api_environment["DATA_KEY_ARN"]

    # WHEN
    response = _upload(call_api, "report.json", "application/json")

    # THEN
    assert response.status == 201
    body = response.body
    assert UPLOAD_KEY.match(body["object_key"])["name"] == "report.json"
    assert body["expires_in"] == 900
    assert body["method"] == "PUT"
    assert body["headers"] == {
        "Content-Type": "application/json",
        "x-amz-server-side-encryption": "aws:kms",
        "x-amz-server-side-encryption-aws-kms-key-id": key_arn,
    }
    url = urlsplit(body["upload_url"])
    query = parse_qs(url.query)
    assert url.hostname == f"{bucket}.s3.eu-west-1.amazonaws.com"
    assert url.path == "/" + body["object_key"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["900"]
    assert query["X-Amz-SignedHeaders"][0].split(";") == [
        "content-type",
        "host",
        "x-amz-server-side-encryption",
        "x-amz-server-side-encryption-aws-kms-key-id",
    ]


def test_upload_url_stores_the_object_encrypted_with_the_data_key(call_api, aws, api_environment):
    # GIVEN
    bucket, key_arn = api_environment["INGEST_BUCKET"], api_environment["DATA_KEY_ARN"]
    upload = _upload(call_api, "rows.csv", "text/csv").body

    # WHEN
    put = requests.put(upload["upload_url"], data=b"id\n1\n", headers=upload["headers"], timeout=5)

    # THEN
    assert put.status_code == 200
    stored = aws.s3.head_object(Bucket=bucket, Key=upload["object_key"])
    assert stored["ServerSideEncryption"] == "aws:kms"
    assert stored["SSEKMSKeyId"] == key_arn
    assert stored["ContentType"] == "text/csv"


@pytest.mark.parametrize(
    "filename",
    [
        "../../x.json",
        "..\\..\\x.json",
        "/etc/../x.json",
        "incoming/other-upload/x.json",
        "./x.json",
    ],
)
def test_upload_with_path_traversal_keeps_only_the_base_name(call_api, filename):
    # WHEN
    response = _upload(call_api, filename)

    # THEN
    assert response.status == 201
    key = response.body["object_key"]
    assert UPLOAD_KEY.match(key)["name"] == "x.json"
    assert ".." not in key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("März report 2026.JSON", "März_report_2026.json"),
        ("tab\there\x00nul\u202e.ndjson", "tabherenul.ndjson"),
        (".hidden.jsonl", "hidden.jsonl"),
        ('a<>:"|?*b.csv', "a_b.csv"),
        ("x.json.", "x.json"),
        ("../..", ""),
        (".json", "json"),
        ("\uff46\uff55\uff4c\uff4cwidth.json", "fullwidth.json"),  # NFKC folds full width
    ],
)
def test_sanitise_filename(raw, expected):
    assert sanitise_filename(raw) == expected


def test_sanitise_filename_truncates_the_stem_and_keeps_the_extension():
    # WHEN
    name = sanitise_filename("a" * 300 + ".ndjson")

    # THEN
    assert len(name) == MAX_FILENAME_CHARACTERS
    assert name.endswith("a.ndjson")


@given(st.text(max_size=300))
def test_sanitised_filenames_are_always_one_safe_segment(raw):
    # WHEN
    name = sanitise_filename(raw)

    # THEN
    assert len(name) <= MAX_FILENAME_CHARACTERS
    assert "/" not in name
    assert "\\" not in name
    assert not name.startswith(".")
    assert all(not unicodedata.category(ch).startswith("C") for ch in name)
    assert re.fullmatch(r"[\w.-]*", name)


@pytest.mark.parametrize(
    ("filename", "reason"),
    [
        ("setup.exe", "got '.exe'"),
        ("README", "got 'no extension'"),
        ("data.json.exe", "got '.exe'"),
        ("../..", "got 'no extension'"),
    ],
)
def test_upload_with_an_unsupported_extension_is_rejected(call_api, filename, reason):
    # WHEN
    response = _upload(call_api, filename)

    # THEN
    assert response.status == 400
    [error] = response.body["errors"]
    assert error["field"] == "body.filename"
    assert error["reason"].startswith("must end in one of .csv, .json, .jsonl, .ndjson")
    assert reason in error["reason"]


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"filename": 7, "content_type": "text/csv"}, "body.filename", "must be string"),
        ({"filename": "a.csv"}, "body.content_type", "is required"),
        ({"filename": "", "content_type": "text/csv"}, "body.filename", "must be longer than"),
        (
            {"filename": "a.csv", "content_type": "text/csv", "bucket": "other"},
            "body.bucket",
            "is not an allowed field",
        ),
        ({"filename": "a.csv", "content_type": "text csv"}, "body.content_type", "media type"),
        (
            {"filename": "a.csv", "content_type": "text/csv\r\nx-amz-acl: public-read"},
            "body.content_type",
            "media type",
        ),
    ],
)
def test_upload_with_a_bad_body_names_the_field(call_api, body, field, reason):
    # WHEN
    response = call_api("POST", "/v1/uploads", body=body)

    # THEN
    assert response.status == 400
    [error] = response.body["errors"]
    assert error["field"] == field
    assert reason in error["reason"]
    assert response.body["request_id"] == "gateway-request-id"


@pytest.mark.parametrize(
    ("raw_body", "reason"),
    [
        ('{"filename": "a.csv",', "must be valid JSON"),
        ('["a.csv", "text/csv"]', "must be a JSON object"),
        (None, "is required"),
    ],
)
def test_upload_without_a_json_object_body_is_rejected(call_api, raw_body, reason):
    # WHEN
    response = call_api("POST", "/v1/uploads", body=raw_body)

    # THEN
    assert response.status == 400
    assert response.body["errors"] == [{"field": "body", "reason": reason}]
