"""Runs one Pulumi Python program under a recording mock engine.

This module is the body of the engine's child process (see `gate.engine`): the Pulumi
runtime keeps global state, so every plan gets a fresh interpreter. It reads a request
file, runs the program exactly as the Python language host would (`runpy` on the entry
point inside `run_in_stack`), and writes the recorded plan, or the error, as JSON.
"""

from __future__ import annotations

import json
import logging
import os
import runpy
import sys
import traceback
from pathlib import Path
from typing import Any

from google.protobuf import json_format

# The SDK marks special values inside maps with this key; see pulumi/sdk properties.go.
_SIG_KEY = "4dabf18193072939515e22adb298388d"
_RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e"


def _downgrade_resource_refs(value: Any) -> Any:
    """Replace resource references by the id (custom) or URN (component), as the engine
    does when it marshals properties for an analyzer (KeepResources: false)."""
    if isinstance(value, list):
        return [_downgrade_resource_refs(v) for v in value]
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _RESOURCE_REF_SIG:
            resource_id = value.get("id")
            return resource_id if isinstance(resource_id, str) and resource_id else value["urn"]
        return {k: _downgrade_resource_refs(v) for k, v in value.items()}
    return value


def _sorted_keys(value: Any) -> Any:
    """Protobuf maps have no stable order; sort keys so plans are byte-identical."""
    if isinstance(value, dict):
        return {k: _sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(v) for v in value]
    return value


def _struct_to_dict(struct: Any) -> dict[str, Any]:
    return _sorted_keys(_downgrade_resource_refs(json_format.MessageToDict(struct)))


def _run(request: dict[str, Any]) -> dict[str, Any]:
    import pulumi
    from pulumi.runtime import mocks as pulumi_mocks
    from pulumi.runtime.settings import configure
    from pulumi.runtime.stack import run_in_stack
    from pulumi.runtime.sync_await import _sync_await

    from gate.mocks import PLACEHOLDER_ACCOUNT, RecordingMocks, Target

    records: list[dict[str, Any]] = []
    stack_outputs: dict[str, Any] = {}
    diagnostics: list[dict[str, str]] = []

    mocks = RecordingMocks(Target(region=request["region"], account=PLACEHOLDER_ACCOUNT))

    class RecordingMonitor(pulumi_mocks.MockMonitor):
        def make_urn(self, parent: str, type_: str, name: str) -> str:
            # URNs as the real engine writes them: the full chain of parent types, and
            # no `pulumi:pulumi:Stack$` prefix for resources parented to the stack.
            qualified = type_
            if parent:
                parent_type = parent.split("::")[2]
                if parent_type != "pulumi:pulumi:Stack":
                    qualified = f"{parent_type}${type_}"
            return "urn:pulumi:" + "::".join(
                [request["stack"], request["project"], qualified, name]
            )

        def RegisterResource(self, req: Any) -> Any:  # noqa: N802 - gRPC method name
            response = super().RegisterResource(req)
            if req.type == "pulumi:pulumi:Stack":
                return response
            inputs = _struct_to_dict(req.object)
            if req.type.startswith("pulumi:providers:aws"):
                mocks.remember_provider(response.urn, inputs)
            position = None
            if req.HasField("sourcePosition") and req.sourcePosition.uri:
                position = {"uri": req.sourcePosition.uri, "line": req.sourcePosition.line}
            records.append(
                {
                    "urn": response.urn,
                    "type": req.type,
                    "name": req.name,
                    "custom": bool(req.custom),
                    "id": response.id or None,
                    "arn": _struct_to_dict(response.object).get("arn") if response.object else None,
                    "parent": req.parent or None,
                    "provider": req.provider or None,
                    "inputs": inputs,
                    # Dependencies are sets; sorted so plans are byte-identical run after run.
                    "dependencies": sorted(set(req.dependencies)),
                    "property_dependencies": {
                        key: sorted(set(req.propertyDependencies[key].urns))
                        for key in sorted(req.propertyDependencies)
                    },
                    "options": {
                        "protect": bool(req.protect),
                        "ignore_changes": list(req.ignoreChanges),
                        "delete_before_replace": bool(req.deleteBeforeReplace),
                        "retain_on_delete": bool(req.retainOnDelete),
                        "additional_secret_outputs": list(req.additionalSecretOutputs),
                    },
                    "source_position": position,
                }
            )
            return response

        def RegisterResourceOutputs(self, req: Any) -> Any:  # noqa: N802 - gRPC method name
            if req.urn.split("::")[-2].endswith("pulumi:pulumi:Stack"):
                stack_outputs.update(_struct_to_dict(req.outputs))
            return super().RegisterResourceOutputs(req)

    class RecordingEngine(pulumi_mocks.MockEngine):
        def Log(self, req: Any) -> None:  # noqa: N802 - gRPC method name
            severity = {0: "debug", 1: "info", 2: "warning", 3: "error"}.get(req.severity, "info")
            # Deprecated inputs reach the engine as warnings, as the CLI would print them.
            if severity in ("warning", "error"):
                diagnostics.append({"severity": severity, "message": req.message, "urn": req.urn})

    monitor = RecordingMonitor(mocks)
    settings = pulumi_mocks.MockSettings(
        monitor=monitor,
        monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
        engine=RecordingEngine(logging.getLogger("gate.program")),
        project=request["project"],
        stack=request["stack"],
        root_directory=request["program_dir"],
        dry_run=False,
        organization="organization",
        callbacks=None,
    )
    configure(settings)
    pulumi.runtime.set_all_config(request["config"], request["secret_keys"])

    main = request["main"]
    sys.argv = [main]

    def program() -> None:
        runpy.run_path(main, run_name="__main__")

    _sync_await(run_in_stack(program))
    errors = [d for d in diagnostics if d["severity"] == "error"]
    if errors:
        raise RuntimeError("; ".join(d["message"] for d in errors))
    return {
        "project": request["project"],
        "stack": request["stack"],
        "config": request["config"],
        "outputs": stack_outputs,
        # Registration order depends on when each input resolved; the URN order does not.
        "resources": sorted(records, key=lambda record: record["urn"]),
        "diagnostics": diagnostics,
    }


def main() -> None:
    request_path, output_path = Path(sys.argv[1]), Path(sys.argv[2])
    request = json.loads(request_path.read_text(encoding="utf-8"))
    program_dir = request["program_dir"]
    gate_root = str(Path(__file__).resolve().parent.parent)
    # The program resolves its imports first from its own directory, as under the CLI.
    sys.path[:] = [program_dir] + [p for p in sys.path if p not in ("", gate_root)] + [gate_root]
    os.chdir(program_dir)

    code = 0
    try:
        result: dict[str, Any] = _run(request)
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, never lost
        code = 2
        result = {
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
        }
    output_path.write_text(json.dumps(result), encoding="utf-8")
    sys.stdout.flush()
    sys.stderr.flush()
    # The gRPC and asyncio machinery of the mock runtime can raise "Invalid file
    # descriptor: -1" while the interpreter tears down. The result is already on disk,
    # so leave without running that teardown at all.
    os._exit(code)


if __name__ == "__main__":
    main()
