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

from gate.engine import quiescence
from gate.engine.wire import RESOURCE_REF_SIG, SIG_KEY
from gate.secrets import marked_values, redact_text


def _downgrade_resource_refs(value: Any) -> Any:
    """Replace resource references by the id (custom) or URN (component), as the engine
    does when it marshals properties for an analyzer (KeepResources: false)."""
    if isinstance(value, list):
        return [_downgrade_resource_refs(v) for v in value]
    if isinstance(value, dict):
        if value.get(SIG_KEY) == RESOURCE_REF_SIG:
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


SDK_OUTPUT_WAIT_VARIABLE = "GATE_SDK_OUTPUT_WAIT"


# Every secret plaintext the program has shown the engine so far: an error it raises is
# redacted with them before it leaves this process.
OBSERVED_SECRETS: set[str] = set()


def _has_resource_refs(value: Any) -> bool:
    if isinstance(value, dict):
        return value.get(SIG_KEY) == RESOURCE_REF_SIG or any(
            _has_resource_refs(v) for v in value.values()
        )
    if isinstance(value, list):
        return any(_has_resource_refs(v) for v in value)
    return False


def _without_resource_refs(request: Any, field: str) -> Any:
    """A copy of `request` whose `field` struct carries ids and URNs instead of resource
    references. The mock monitor deserializes inputs on a worker thread, and a reference
    there is rehydrated into a resource bound to that thread's own event loop, whose
    futures the program's loop then waits on forever. The real engine hands analyzers
    downgraded references too, so nothing a policy sees changes."""
    data = json_format.MessageToDict(getattr(request, field))
    if not _has_resource_refs(data):
        return request
    clone = type(request)()
    clone.CopyFrom(request)
    getattr(clone, field).Clear()
    json_format.ParseDict(_downgrade_resource_refs(data), getattr(clone, field))
    return clone


def _struct_to_dict(struct: Any) -> dict[str, Any]:
    return _sorted_keys(_downgrade_resource_refs(json_format.MessageToDict(struct)))


def _settings(pulumi_mocks: Any, configure: Any, **values: Any) -> None:
    """Configure the runtime the way this SDK version's own `set_mocks` does.

    `MockSettings` takes its fields as keyword arguments, and the fields grew over the
    SDK's history (`monitor_features`, `root_directory`, `callbacks`): pass each one only
    where this version's `set_mocks` or `Settings` knows it, so every SDK from 3.100 on
    is configured as its own test harness would configure it.
    """
    import inspect

    from pulumi.runtime.settings import Settings

    known = inspect.getsource(pulumi_mocks.set_mocks) + inspect.getsource(Settings)
    monitor = values["monitor"]
    if "monitor_features" in known:
        values["monitor_features"] = set(monitor.GetDeploymentInfo(None).supportedFeatures)
    for optional in ("root_directory", "callbacks"):
        if optional not in known:
            values.pop(optional, None)
    configure(pulumi_mocks.MockSettings(**values))


def _mocked_inputs(records: list[dict[str, Any]], invented: dict[str, dict[str, Any]]) -> None:
    """Mark each input that carries a value the engine invented for another resource's
    output, following the input's property dependencies, so a finding caused only by a
    mocked value can be traced to it.

    Only distinctive values count: one shared by several resources (a region, an
    account) says nothing about where an input came from, and of two matches where one
    contains the other (an ARN and the name inside it) the longer one is the source.
    """
    spread: dict[str, set[str]] = {}
    for urn, outputs in invented.items():
        for value in outputs.values():
            if isinstance(value, str):
                spread.setdefault(value, set()).add(urn)
    for record in records:
        marks = []
        for key, urns in record["property_dependencies"].items():
            text = json.dumps(record["inputs"].get(key), sort_keys=True)
            for urn in urns:
                found = {
                    output: value
                    for output, value in invented.get(urn, {}).items()
                    if isinstance(value, str)
                    and len(value) >= 8
                    and len(spread.get(value, ())) == 1
                    and value in text
                }
                for output, value in sorted(found.items()):
                    if not any(value != other and value in other for other in found.values()):
                        marks.append({"input": key, "from": urn, "output": output})
        record["mocked_inputs"] = marks


def _run(request: dict[str, Any]) -> dict[str, Any]:
    import pulumi
    from pulumi.runtime import mocks as pulumi_mocks
    from pulumi.runtime.settings import configure
    from pulumi.runtime.stack import run_in_stack
    from pulumi.runtime.sync_await import _sync_await

    from gate.engine.mocks import (
        INVOKE_WIRE_ARGUMENTS,
        PLACEHOLDER_ACCOUNT,
        RecordingMocks,
        Target,
    )

    records: list[dict[str, Any]] = []
    stack_outputs: dict[str, Any] = {}
    diagnostics: list[dict[str, str]] = []
    invented: dict[str, dict[str, Any]] = {}
    requested_references: set[tuple[str, str]] = set()

    mocks = RecordingMocks(
        Target(region=request["region"], account=PLACEHOLDER_ACCOUNT),
        supplied=request.get("supplied") or {},
        secret_values=frozenset(request["config"][key] for key in request["secret_keys"]),
    )

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
            remote = bool(getattr(req, "remote", False))
            key = (req.type, req.name)
            if remote:
                urn = self.make_urn(req.parent, req.type, req.name)
                mocks.reference_makers[key] = self._reference_maker(urn)
            try:
                response = super().RegisterResource(_without_resource_refs(req, "object"))
            finally:
                mocks.reference_makers.pop(key, None)
            if req.type == "pulumi:pulumi:Stack":
                return response
            inputs = _struct_to_dict(req.object)
            OBSERVED_SECRETS.update(marked_values(inputs))
            if req.type.startswith("pulumi:providers:"):
                mocks.remember_provider(response.urn, inputs)
            state = _struct_to_dict(response.object) if response.object else {}
            invented[response.urn] = {
                key: value for key, value in state.items() if inputs.get(key) != value
            }
            position = None
            if req.HasField("sourcePosition") and req.sourcePosition.uri:
                position = {"uri": req.sourcePosition.uri, "line": req.sourcePosition.line}
            records.append(
                {
                    "urn": response.urn,
                    "type": req.type,
                    "name": req.name,
                    "custom": bool(req.custom),
                    "remote": remote,
                    "id": response.id or None,
                    "arn": state.get("arn") if isinstance(state.get("arn"), str) else None,
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

        def Invoke(self, req: Any) -> Any:  # noqa: N802 - gRPC method name
            INVOKE_WIRE_ARGUMENTS.value = json_format.MessageToDict(req.args)
            try:
                return super().Invoke(_without_resource_refs(req, "args"))
            finally:
                INVOKE_WIRE_ARGUMENTS.value = None

        def _reference_maker(self, component_urn: str) -> Any:
            """Stand-ins for the resources a remote component returns: registered with
            the monitor (so the SDK can rehydrate a reference to them), never planned."""
            component_type = component_urn.split("::")[2]

            def make(token: str, name: str, target: Any) -> dict[str, Any]:
                urn = "urn:pulumi:" + "::".join(
                    [request["stack"], request["project"], f"{component_type}${token}", name]
                )
                resource_id, state = mocks.resource_state(token, name, {}, target)
                self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(
                    urn, resource_id, state
                )
                return {
                    SIG_KEY: RESOURCE_REF_SIG,
                    "urn": urn,
                    "id": resource_id,
                    "packageVersion": "",
                }

            return make

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

    _record_stack_reference_requests(pulumi, requested_references)
    skipped_applies: list[dict[str, str]] = []
    _guard_applies(pulumi, skipped_applies)
    monitor = RecordingMonitor(mocks)
    _settings(
        pulumi_mocks,
        configure,
        monitor=monitor,
        engine=RecordingEngine(logging.getLogger("gate.program")),
        project=request["project"],
        stack=request["stack"],
        root_directory=request["program_dir"],
        # As under `pulumi preview`: the program sees a dry run.
        dry_run=True,
        organization="organization",
        callbacks=None,
    )
    pulumi.runtime.set_all_config(request["config"], request["secret_keys"])

    main = request["main"]
    sys.argv = [main]

    def program() -> None:
        runpy.run_path(main, run_name="__main__")

    # The SDK's wait for outstanding outputs is quadratic in their number; the same wait
    # in linear time, where the SDK's loop is a known one (gate.engine.quiescence).
    # GATE_SDK_OUTPUT_WAIT=sdk keeps the SDK's own loop, to compare the two.
    if os.environ.get(SDK_OUTPUT_WAIT_VARIABLE) != "sdk":
        quiescence.install()
    _sync_await(run_in_stack(program))
    errors = [d for d in diagnostics if d["severity"] == "error"]
    if errors:
        raise RuntimeError("; ".join(d["message"] for d in errors))
    _mocked_inputs(records, invented)
    supplied_references = (request.get("supplied") or {}).get("stackReferences") or {}
    warnings = [
        {
            "kind": "stack-reference-output",
            "message": (
                f"StackReference {stack!r} output {output!r} was not supplied (gate.yaml "
                "stackReferences), so the program saw it absent"
            ),
        }
        for stack, output in sorted(requested_references)
        if output not in (supplied_references.get(stack) or {})
    ] + sorted(skipped_applies, key=lambda w: w["message"])
    return {
        "project": request["project"],
        "stack": request["stack"],
        "config": request["config"],
        "outputs": stack_outputs,
        # Registration order depends on when each input resolved; the URN order does not.
        "resources": sorted(records, key=lambda record: record["urn"]),
        "diagnostics": diagnostics,
        "invokes": sorted(mocks.invokes, key=lambda i: (i["token"], json.dumps(i["args"]))),
        "warnings": warnings,
        "caller_accounts": sorted(mocks.caller_accounts),
    }


def _resource_dependencies(output: Any) -> set[Any]:
    """The resources an Output depends on, once resolved (both SDK layouts: a single
    `_data` future from 3.2xx, a `_resources` future before)."""
    for attribute in ("_data", "_resources"):
        future = getattr(output, attribute, None)
        if future is not None and hasattr(future, "done") and future.done():
            if future.cancelled() or future.exception() is not None:
                return set()
            result = future.result()
            return set(getattr(result, "resources", result) or ())
    return set()


def _guard_applies(pulumi: Any, skipped: list[dict[str, str]]) -> None:
    """Under `pulumi preview` the outputs of a resource being created are unknown, and
    an `apply` on them never runs. Here every output has an invented value, so such a
    callback does run, and may raise on a value no preview would have given it (a token
    it decodes, a name it parses). A callback that raises on a value that depends on a
    resource is therefore treated as a preview treats it: its result is unknown, and the
    plan carries a warning naming it. One that raises on config or invoke values alone
    is the program's own error, and fails the run."""
    from pulumi.runtime.rpc import UNKNOWN

    original = pulumi.Output.apply

    def apply(self: Any, func: Any, *args: Any, **kwargs: Any) -> Any:
        def guarded(value: Any) -> Any:
            try:
                return func(value)
            except Exception as exc:
                if not _resource_dependencies(self):
                    raise
                code = getattr(func, "__code__", None)
                where = f"{code.co_filename}:{code.co_firstlineno}" if code else repr(func)
                skipped.append(
                    {
                        "kind": "apply-unknown",
                        "message": (
                            f"the apply callback at {where} raised {type(exc).__name__}: "
                            f"{exc} on values the engine invented for resource outputs; "
                            "under `pulumi preview` those are unknown and the callback "
                            "does not run, so its result is unknown here too, and "
                            "anything it would have created is not in the plan"
                        ),
                    }
                )
                return UNKNOWN

        return original(self, guarded, *args, **kwargs)

    pulumi.Output.apply = apply


def _record_stack_reference_requests(pulumi: Any, requested: set[tuple[str, str]]) -> None:
    """Note which StackReference outputs the program reads, so a missing one is named."""
    reference = pulumi.StackReference
    for method in ("get_output", "require_output", "get_output_details"):
        original = getattr(reference, method, None)
        if original is None:
            continue

        def wrapper(self: Any, name: Any, *args: Any, __original: Any = original) -> Any:
            pulumi.Output.all(self.name, pulumi.Output.from_input(name)).apply(
                lambda pair: requested.add((str(pair[0]), str(pair[1])))
            )
            return __original(self, name, *args)

        setattr(reference, method, wrapper)


def sdk_modules() -> list[str]:
    """The Pulumi SDK modules this process has imported: the SDK and its providers, never
    a program's own modules (importing those may run its code)."""
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if (name == "pulumi" or name.startswith(("pulumi.", "pulumi_")))
        # Provider SDKs register every service module lazily; only those that ran count.
        and type(module).__name__ != "_LazyModule"
    )


def _program_traceback(error: BaseException, program_dir: str) -> str:
    """The traceback trimmed to the program's own frames (not the SDK's, not the
    gate's, not a virtualenv inside the program folder), then the error."""
    root = Path(program_dir).resolve()
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve().is_relative_to(root)
        and "site-packages" not in Path(frame.filename).parts
    ]
    lines = ["Traceback (the program's frames):\n", *traceback.format_list(frames)]
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines)


def main() -> None:
    request_path, output_path = Path(sys.argv[1]), Path(sys.argv[2])
    request = json.loads(request_path.read_text(encoding="utf-8"))
    program_dir = request["program_dir"]
    gate_root = str(Path(__file__).resolve().parents[2])
    # The program resolves its imports first from its own directory, as under the CLI.
    sys.path[:] = [program_dir] + [p for p in sys.path if p not in ("", gate_root)] + [gate_root]
    os.chdir(program_dir)

    code = 0
    try:
        result: dict[str, Any] = _run(request)
        # What the warm engine may import once for the next plans (gate.engine.zygote).
        result["sdk_modules"] = sdk_modules()
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, never lost
        code = 2
        secrets = frozenset(OBSERVED_SECRETS) | frozenset(
            request["config"][key] for key in request["secret_keys"]
        )
        result = {
            "error": redact_text(f"{type(exc).__name__}: {exc}", secrets),
            "traceback": redact_text(traceback.format_exc(), secrets),
            "program_traceback": redact_text(_program_traceback(exc, program_dir), secrets),
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
