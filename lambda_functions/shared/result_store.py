"""Conditional writes of result items: idempotent, and never older over newer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import (  # type: ignore[import-untyped, unused-ignore]
    TypeDeserializer,
    TypeSerializer,
)
from botocore.exceptions import ClientError  # type: ignore[import-untyped, unused-ignore]

from shared.events import ObjectRef
from shared.results import REPLACEABLE_ATTRIBUTES, ResultItem, result_key

CONDITION_FAILED = "ConditionalCheckFailedException"
# An S3 event result replaces a missing item, a result written without an event (a
# reprocessing run), or a result from an older event. Equal sequencers are the same
# event delivered again: the condition fails and nothing changes.
_EVENT_CONDITION = (
    "attribute_not_exists(pk) OR attribute_not_exists(#sequencer_order)"
    " OR #sequencer_order < {order}"
)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@dataclass(frozen=True)
class StoredState:
    """Whether a result exists and which event wrote it: what a write without a
    sequencer expects to find still unchanged when it writes."""

    exists: bool
    sequencer_order: str | None = None


class ResultStore:
    """The results table, written only through the ordering and idempotency rules.

    Example (it needs AWS, so it is not a doctest)::

        store = ResultStore(boto3.client("dynamodb"), "results")
        store.save(item)  # True: written (False: a duplicate or an older event)
        True
        store.get(item.ref)["status"]
        'SUCCEEDED'
    """

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table_name = table_name

    def save(self, item: ResultItem, *, expected: StoredState | None = None) -> bool:
        """Write `item` if the rules allow it; False when they kept the stored result.

        A result without a sequencer (reprocessing) replaces the stored one only if it
        is still in the `expected` state (read before the object was; read now if not
        given): optimistic concurrency on the stored sequencer, which it keeps.
        """
        attributes = item.attributes()
        update = _UpdateBuilder()
        placeholders = {
            name: update.set_once(name, value) if name == "created_at" else update.set(name, value)
            for name, value in attributes.items()
        }
        for name in REPLACEABLE_ATTRIBUTES:
            if name not in attributes:
                update.remove(name)
        if "sequencer_order" in placeholders:
            condition = _EVENT_CONDITION.format(order=placeholders["sequencer_order"])
        else:
            condition = _unchanged(expected or self.state(item.ref), update)
        try:
            self._client.update_item(
                TableName=self._table_name,
                Key=_serialize(item.key),
                ConditionExpression=condition,
                **update.arguments(),
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == CONDITION_FAILED:
                return False
            raise
        return True

    def get(self, ref: ObjectRef) -> dict[str, Any] | None:
        """The stored result of an object version, as plain Python values, or None."""
        response = self._client.get_item(
            TableName=self._table_name,
            Key=_serialize(result_key(ref.bucket, ref.key, ref.version_id)),
            ConsistentRead=True,
        )
        stored = response.get("Item")
        if stored is None:
            return None
        return {name: _deserializer.deserialize(value) for name, value in stored.items()}

    def state(self, ref: ObjectRef) -> StoredState:
        """The stored result's existence and sequencer, for a later `save(expected=...)`."""
        stored = self.get(ref)
        if stored is None:
            return StoredState(exists=False)
        return StoredState(exists=True, sequencer_order=stored.get("sequencer_order"))


def _unchanged(expected: StoredState, update: _UpdateBuilder) -> str:
    if not expected.exists:
        return "attribute_not_exists(pk)"
    name = update.name("sequencer_order")
    if expected.sequencer_order is None:
        return f"attribute_exists(pk) AND attribute_not_exists({name})"
    return f"{name} = {update.value(expected.sequencer_order)}"


class _UpdateBuilder:
    """An UpdateItem expression with every name and value as a placeholder, because
    `status`, `error`, `bucket` and `format` are DynamoDB reserved words."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._values: dict[str, Any] = {}
        self._sets: list[str] = []
        self._removes: list[str] = []

    def name(self, attribute: str) -> str:
        placeholder = f"#{attribute}"
        self._names[placeholder] = attribute
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self._values)}"
        self._values[placeholder] = _serialize_value(value)
        return placeholder

    def set(self, attribute: str, value: Any) -> str:
        placeholder = self.value(value)
        self._sets.append(f"{self.name(attribute)} = {placeholder}")
        return placeholder

    def set_once(self, attribute: str, value: Any) -> str:
        name, placeholder = self.name(attribute), self.value(value)
        self._sets.append(f"{name} = if_not_exists({name}, {placeholder})")
        return placeholder

    def remove(self, attribute: str) -> None:
        self._removes.append(self.name(attribute))

    def arguments(self) -> dict[str, Any]:
        expression = "SET " + ", ".join(self._sets)
        if self._removes:
            expression += " REMOVE " + ", ".join(self._removes)
        return {
            "UpdateExpression": expression,
            "ExpressionAttributeNames": self._names,
            "ExpressionAttributeValues": self._values,
        }


def _serialize(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _serialize_value(value) for name, value in values.items()}


def _serialize_value(value: Any) -> Any:
    if isinstance(value, Mapping | list | float):
        # DynamoDB takes no floats and no NaN: a JSON round trip turns floats into
        # Decimals and rejects anything a summary must not contain.
        value = json.loads(json.dumps(value, allow_nan=False), parse_float=Decimal)
    return _serializer.serialize(value)
