"""Reading an object within the size cap: oversize bodies are refused, not downloaded."""

import io

import pytest
from shared.errors import FailureCode, PoisonObjectError
from shared.events import ObjectRef
from shared.reader import ObjectStream, open_object

REF = ObjectRef("ingest-bucket", "incoming/a.json", "v1")


class CountingBody(io.BytesIO):
    """A response body that records how many bytes were read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_body_over_the_cap_by_its_header_is_never_read():
    # GIVEN an object whose Content-Length is over the cap
    body = CountingBody(b"x" * 2048)
    stream = ObjectStream(REF, content_length=2048, content_type=None, _body=body)

    # WHEN it is read with a 1 KiB cap
    with pytest.raises(PoisonObjectError) as raised:
        stream.read(max_bytes=1024)

    # THEN it is refused as too large without reading a byte
    assert raised.value.code is FailureCode.OBJECT_TOO_LARGE
    assert body.bytes_read == 0


def test_body_longer_than_its_header_stops_just_past_the_cap():
    # GIVEN a body longer than its Content-Length claims
    body = CountingBody(b"x" * 10_000)
    stream = ObjectStream(REF, content_length=10, content_type=None, _body=body)

    # WHEN it is read with a 1 KiB cap
    with pytest.raises(PoisonObjectError):
        stream.read(max_bytes=1024)

    # THEN reading stopped one byte past the cap
    assert body.bytes_read == 1025


def test_body_within_the_cap_is_read_whole():
    # GIVEN a body exactly at the cap
    stream = ObjectStream(REF, content_length=4, content_type=None, _body=CountingBody(b"abcd"))

    # WHEN it is read
    # THEN all of it comes back
    assert stream.read(max_bytes=4) == b"abcd"


def test_opening_a_deleted_version_is_object_no_longer_exists(aws, bucket, upload):
    # GIVEN an object version that was deleted
    uploaded = upload("incoming/gone.json", "{}")
    aws.s3.delete_object(Bucket=bucket, Key=uploaded.key, VersionId=uploaded.version_id)

    # WHEN it is opened
    ref = ObjectRef(bucket, uploaded.key, uploaded.version_id)
    with pytest.raises(PoisonObjectError) as raised, open_object(aws.s3, ref):
        pass

    # THEN it is poison: retrying cannot bring it back
    assert raised.value.code is FailureCode.OBJECT_MISSING
    assert raised.value.message.startswith("object no longer exists")


def test_opening_without_a_version_takes_the_one_s3_serves(aws, bucket, upload):
    # GIVEN an object in a versioned bucket, referenced without its version
    uploaded = upload("incoming/a.json", "{}", content_type="application/json")

    # WHEN it is opened
    with open_object(aws.s3, ObjectRef(bucket, uploaded.key)) as stream:
        # THEN the stream knows the version, the size and the content type
        assert stream.ref.version_id == uploaded.version_id
        assert (stream.content_length, stream.content_type) == (2, "application/json")
