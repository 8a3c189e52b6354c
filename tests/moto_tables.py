"""The results table as the infrastructure declares it, for tests that run against moto.

Shared by the handler, API, workflow and runbook tests, so the table they test against
cannot drift from `serverless_platform/data/table.py`.
"""

from typing import Any

from serverless_platform.data.table import STATUS_INDEX, TTL_ATTRIBUTE


def create_results_table(dynamodb: Any, name: str) -> str:
    """Create the table (pk/sk, `status-index` on status/updated_at, TTL) and return its name."""
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": attribute, "AttributeType": "S"}
            for attribute in ("pk", "sk", "status", "updated_at")
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": STATUS_INDEX,
                "KeySchema": [
                    {"AttributeName": "status", "KeyType": "HASH"},
                    {"AttributeName": "updated_at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    dynamodb.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    return name
