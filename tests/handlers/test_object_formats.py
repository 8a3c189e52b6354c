"""Format detection and parsing: whole-object errors are poison, entry errors are counted."""

import sys

import pytest
from shared.errors import FailureCode, PoisonObjectError
from shared.formats import ObjectFormat, detect_format
from shared.parsing import MAX_INVALID_EXAMPLES, parse_records


@pytest.mark.parametrize(
    ("key", "content_type", "expected"),
    [
        ("incoming/a.json", None, ObjectFormat.JSON),
        ("incoming/A.JSON", "text/plain", ObjectFormat.JSON),
        ("incoming/a.ndjson", None, ObjectFormat.NDJSON),
        ("incoming/a.jsonl", None, ObjectFormat.NDJSON),
        ("incoming/a.csv", "application/json", ObjectFormat.CSV),
        ("incoming/export", "application/json", ObjectFormat.JSON),
        ("incoming/export", "application/x-ndjson", ObjectFormat.NDJSON),
        ("incoming/export", "Text/CSV; charset=utf-8", ObjectFormat.CSV),
    ],
)
def test_format_comes_from_the_extension_before_the_content_type(key, content_type, expected):
    # GIVEN a key and the object's content type
    # WHEN the format is detected
    # THEN the extension decides when it is known, else the content type
    assert detect_format(key, content_type) == expected


def test_unknown_extension_and_content_type_is_an_unsupported_type():
    # GIVEN a key and content type the platform does not read
    # WHEN the format is detected
    with pytest.raises(PoisonObjectError) as raised:
        detect_format("incoming/photo.png", "image/png")

    # THEN it is poison, naming what is supported and what was given
    assert raised.value.code is FailureCode.UNSUPPORTED_FORMAT
    assert ".json, .ndjson, .jsonl, .csv" in raised.value.message
    assert "'image/png'" in raised.value.message


def test_json_list_counts_items_that_are_not_objects():
    # GIVEN a JSON list with two objects, a number and a string
    # WHEN it is parsed
    parsed = parse_records(b'[{"a": 1}, 2, {"b": 2}, "x"]', ObjectFormat.JSON)

    # THEN the objects are records and the others are invalid, with reasons
    assert parsed.records == [{"a": 1}, {"b": 2}]
    assert parsed.invalid_count == 2
    assert parsed.invalid_examples == [
        "item 1: expected a JSON object, got a number",
        "item 3: expected a JSON object, got a string",
    ]


def test_ndjson_skips_blank_lines_and_counts_bad_ones():
    # GIVEN NDJSON with CRLF endings, a blank line, a bad line and a list line
    body = b'{"a": 1}\r\n\r\n{bad\r\n[1]\r\n{"a": 2}'

    # WHEN it is parsed
    parsed = parse_records(body, ObjectFormat.NDJSON)

    # THEN the objects are records and the bad lines are counted by line number
    assert parsed.records == [{"a": 1}, {"a": 2}]
    assert parsed.invalid_count == 2
    assert parsed.invalid_examples[0].startswith("line 3: Expecting property name")
    assert parsed.invalid_examples[1] == "line 4: expected a JSON object, got a list"


def test_ndjson_line_separator_inside_a_string_does_not_split_the_line():
    # GIVEN an NDJSON line whose string holds U+2028 (valid unescaped in JSON)
    body = '{"text": "a\u2028b"}\n'.encode()

    # WHEN it is parsed
    parsed = parse_records(body, ObjectFormat.NDJSON)

    # THEN it is one record
    assert parsed.records == [{"text": "a\u2028b"}]


def test_csv_rows_become_records_and_ragged_rows_are_counted():
    # GIVEN a CSV with a byte order mark, a quoted comma and a row with too many fields
    body = '\ufeffid,name\n1,"Smith, J"\n2,b,extra\n\n3,c\n'.encode()

    # WHEN it is parsed
    parsed = parse_records(body, ObjectFormat.CSV)

    # THEN the header names the fields and the ragged row is invalid
    assert parsed.records == [{"id": "1", "name": "Smith, J"}, {"id": "3", "name": "c"}]
    assert parsed.invalid_count == 1
    assert parsed.invalid_examples == ["line 3: expected 2 fields, got 3"]


def test_only_the_first_few_invalid_entries_are_kept_but_all_are_counted():
    # GIVEN NDJSON with many bad lines
    body = b"x\n" * (MAX_INVALID_EXAMPLES + 10)

    # WHEN it is parsed
    parsed = parse_records(body, ObjectFormat.NDJSON)

    # THEN every one is counted and the first few are described
    assert parsed.invalid_count == MAX_INVALID_EXAMPLES + 10
    assert len(parsed.invalid_examples) == MAX_INVALID_EXAMPLES


@pytest.mark.parametrize(
    ("body", "object_format", "code", "message"),
    [
        (b'{"a": ', ObjectFormat.JSON, FailureCode.INVALID_JSON, "invalid JSON: Expecting value"),
        (b'"text"', ObjectFormat.JSON, FailureCode.INVALID_JSON, "got a string"),
        (b"\xff{}", ObjectFormat.JSON, FailureCode.INVALID_ENCODING, "not UTF-8 at byte 0"),
        (b",\n1,2", ObjectFormat.CSV, FailureCode.INVALID_CSV, "the first row must be a header"),
        (b"a,,c\n1,2,3", ObjectFormat.CSV, FailureCode.INVALID_CSV, "header column 2 has no name"),
        (b"a\n" + b"x" * 131_073, ObjectFormat.CSV, FailureCode.INVALID_CSV, "field larger"),
    ],
)
def test_malformed_whole_object_is_poison(body, object_format, code, message):
    # GIVEN an object that is malformed as a whole
    # WHEN it is parsed
    with pytest.raises(PoisonObjectError) as raised:
        parse_records(body, object_format)

    # THEN it is poison with a clear reason
    assert raised.value.code is code
    assert message in raised.value.message


# Python refuses these while parsing: a RecursionError, and a ValueError that is not a
# JSONDecodeError (int() converts at most sys.get_int_max_str_digits() digits).
TOO_DEEP = "[" * 20_000 + "]" * 20_000
HUGE_INTEGER = '{"amount": ' + "7" * 5_000 + "}"
DIGITS = sys.get_int_max_str_digits()


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        (TOO_DEEP, "JsonTooDeep", "invalid JSON: nested too deeply to parse"),
        (HUGE_INTEGER, "NumberTooLarge", f"invalid JSON: an integer has more than {DIGITS} digits"),
    ],
)
def test_json_beyond_the_parsers_limits_is_poison_with_its_own_code(text, code, message):
    # GIVEN a JSON object only Python's parsing limits reject
    # WHEN it is parsed
    with pytest.raises(PoisonObjectError) as raised:
        parse_records(text.encode(), ObjectFormat.JSON)

    # THEN it is poison with a code and a reason that say which limit
    assert raised.value.code == code
    assert raised.value.message == message


def test_ndjson_lines_beyond_the_parsers_limits_are_counted_invalid():
    # GIVEN NDJSON with a good line, a line nested too deeply and one with a huge integer
    body = "\n".join(['{"a": 1}', TOO_DEEP, HUGE_INTEGER]).encode()

    # WHEN it is parsed
    parsed = parse_records(body, ObjectFormat.NDJSON)

    # THEN like any bad line, they are counted and described, and the good one is kept
    assert parsed.records == [{"a": 1}]
    assert parsed.invalid_examples == [
        "line 2: nested too deeply to parse",
        f"line 3: an integer has more than {DIGITS} digits",
    ]
