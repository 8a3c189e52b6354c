"""`rotate-api-key` and `throttle-api`: who may call the API, and how fast.

Both change resources the Pulumi program owns, so both print the stack setting to
change afterwards: the next `pulumi up` would otherwise put the old state back.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from runbooks.changes import confirmed
from runbooks.command import Command, bounded_int
from runbooks.targets import Targets, UsageError

API_KEY_TYPE = "API_KEY"


def _usage_plan_key_ids(apigateway: Any, usage_plan_id: str) -> set[str]:
    pages = apigateway.get_paginator("get_usage_plan_keys").paginate(usagePlanId=usage_plan_id)
    return {key["id"] for page in pages for key in page.get("items", [])}


def rotate_api_key(args: argparse.Namespace, targets: Targets) -> int:
    apigateway = targets.client("apigateway")
    usage_plan_id = targets.require("usage_plan_id")
    old_id = targets.require("api_key_id")
    old = apigateway.get_api_key(apiKey=old_id, includeValue=False)
    print(
        f"Current key {old_id} ({old.get('name', '?')}): "
        f"{'enabled' if old.get('enabled') else 'disabled'}, created {old.get('createdDate', '?')}"
    )
    if old_id not in _usage_plan_key_ids(apigateway, usage_plan_id):
        raise UsageError(f"--api-key-id {old_id} is not a key of --usage-plan-id {usage_plan_id}")
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    new_name = f"{old.get('name', 'api-key')}-rotated-{stamp}"
    changes = [
        f"create API key {new_name} (enabled, with the old key's tags)",
        f"add it to usage plan {usage_plan_id}",
    ]
    if args.keep_old:
        changes.append(f"leave the old key {old_id} enabled (--keep-old)")
    else:
        changes.append(f"disable the old key {old_id}: clients still using it get 403")
    if not confirmed(changes, yes=args.yes):
        return 0
    new = apigateway.create_api_key(
        name=new_name,
        description=f"Rotated from {old_id} by `python -m runbooks rotate-api-key` at {stamp}",
        enabled=True,
        tags=old.get("tags", {}),
    )
    print(f"Created API key {new['id']}.")
    apigateway.create_usage_plan_key(
        usagePlanId=usage_plan_id, keyId=new["id"], keyType=API_KEY_TYPE
    )
    print(f"Added {new['id']} to usage plan {usage_plan_id}.")
    if not args.keep_old:
        apigateway.update_api_key(
            apiKey=old_id, patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}]
        )
        print(f"Disabled the old key {old_id}.")
    if args.show_secret:
        print(f"New key value: {new['value']}")
    else:
        print(
            "Hand the new value to clients through the secret store; read it with: "
            f"aws apigateway get-api-key --api-key {new['id']} --include-value --query value"
        )
    print(f"New key id: {new['id']}")
    return 0


def throttle_api(args: argparse.Namespace, targets: Targets) -> int:
    if args.rate is None and args.burst is None:
        raise UsageError("throttle-api: pass --rate, --burst or both")
    apigateway = targets.client("apigateway")
    usage_plan_id = targets.require("usage_plan_id")
    current = apigateway.get_usage_plan(usagePlanId=usage_plan_id).get("throttle", {})
    print(
        f"Usage plan {usage_plan_id} now: rateLimit {current.get('rateLimit', 'unset')} "
        f"requests/s, burstLimit {current.get('burstLimit', 'unset')} requests"
    )
    operations: list[dict[str, str]] = []
    changes: list[str] = []
    wanted = (("rateLimit", args.rate, "requests/s"), ("burstLimit", args.burst, "requests"))
    for limit, value, unit in wanted:
        if value is None or value == current.get(limit):
            continue
        operations.append({"op": "replace", "path": f"/throttle/{limit}", "value": f"{value:g}"})
        changes.append(
            f"usage plan {usage_plan_id}: {limit} {current.get(limit, 'unset')} -> {value:g} {unit}"
        )
    if not operations:
        print("The usage plan already has these limits: nothing to change.")
        return 0
    if not confirmed(changes, yes=args.yes):
        return 0
    updated = apigateway.update_usage_plan(usagePlanId=usage_plan_id, patchOperations=operations)
    throttle = updated.get("throttle", {})
    print(
        f"Usage plan {usage_plan_id} updated: rateLimit {throttle.get('rateLimit')} requests/s, "
        f"burstLimit {throttle.get('burstLimit')} requests"
    )
    print(
        "Set api.throttleRateLimit / api.throttleBurstLimit in Pulumi.<stack>.yaml to keep "
        "these limits: the next `pulumi up` restores the configured ones."
    )
    return 0


def _positive_rate(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < rate <= 10_000:
        raise argparse.ArgumentTypeError(f"expected a rate in (0, 10000] requests/s, got {text}")
    return rate


def _configure_rotate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keep-old",
        action="store_true",
        help="leave the old key enabled (a staged rotation; disable it once clients switched)",
    )
    parser.add_argument(
        "--show-secret", action="store_true", help="print the new key's value (default: never)"
    )


def _configure_throttle(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rate", type=_positive_rate, help="steady-state requests per second")
    parser.add_argument("--burst", type=bounded_int(0, 5000), help="burst size in requests")


COMMANDS = [
    Command(
        "rotate-api-key",
        "create a new API key in the usage plan and disable the old one; dry run without --yes",
        ("usage_plan_id", "api_key_id"),
        rotate_api_key,
        _configure_rotate,
        mutating=True,
    ),
    Command(
        "throttle-api",
        "change the usage plan's rate and burst limits; dry run without --yes",
        ("usage_plan_id",),
        throttle_api,
        _configure_throttle,
        mutating=True,
    ),
]
