"""A small, strict interpreter of the Amazon States Language subset this project uses.

It runs a definition end to end with Task resources resolved to Python callables, so
the reprocess workflow can be tested offline. It covers Task, Map (inline), Choice,
Pass, Fail and Succeed; Parameters, ItemSelector, ResultSelector, InputPath,
ResultPath and OutputPath; the intrinsics and JSONPath forms listed below; Retry with
attempt counting and Catch. Anything else raises `Unsupported`, so a definition that
drifts outside the subset fails loudly instead of being half-interpreted.

Semantics follow the Step Functions documentation where it matters to this workflow:
- a missing path is `States.Runtime`, which `States.ALL` does not catch, nor does it
  catch `States.DataLimitExceeded` (a state's output over 256 KiB);
- a Lambda function error is named by the exception's class and its Cause is the
  JSON Lambda reports (`errorMessage`, `errorType`);
- retry delays are computed, not slept: `IntervalSeconds * BackoffRate ** n`, capped
  by `MaxDelaySeconds`, then drawn uniformly below that with `JitterStrategy: FULL`.

Example:
    >>> run = AslInterpreter(definition, lambdas={arn: handler}).execute({"prefix": "incoming/"})
    >>> run.status, run.output
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
PAYLOAD_LIMIT_BYTES = 256 * 1024
UNCATCHABLE = {"States.Runtime", "States.DataLimitExceeded"}

LambdaHandler = Callable[[Any, Any], Any]
ServiceIntegration = Callable[[dict[str, Any]], Any]


class Unsupported(Exception):  # noqa: N818 - reads as a statement about the definition
    """The definition uses ASL this interpreter does not implement."""


class StatesError(Exception):
    """An ASL error: `name` is what Retry and Catch match on."""

    def __init__(self, name: str, cause: str = "") -> None:
        super().__init__(f"{name}: {cause}")
        self.name = name
        self.cause = cause

    @property
    def output(self) -> dict[str, str]:
        return {"Error": self.name, "Cause": self.cause}


@dataclass(frozen=True)
class RetryRecord:
    state: str
    error: str
    attempt: int
    # The backoff ceiling and the full-jitter delay drawn below it; nothing sleeps.
    max_delay_seconds: float
    delay_seconds: float


@dataclass
class Execution:
    status: str = "RUNNING"
    output: Any = None
    error: str | None = None
    cause: str | None = None
    # Every state entered, in order; states inside a Map are prefixed "Map/".
    path: list[str] = field(default_factory=list)
    retries: list[RetryRecord] = field(default_factory=list)
    max_concurrency: dict[str, int] = field(default_factory=dict)


class LambdaContext:
    """The attributes Powertools reads from a Lambda context."""

    def __init__(self, function_arn: str) -> None:
        self.function_name = function_arn.rsplit(":", 1)[-1]
        self.function_version = "$LATEST"
        self.invoked_function_arn = function_arn
        self.memory_limit_in_mb = 512
        self.aws_request_id = "00000000-0000-0000-0000-000000000000"
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


# --- JSONPath --------------------------------------------------------------------

_MISSING = object()
_SEGMENT = re.compile(
    r"""\.(?P<name>[A-Za-z_][\w-]*)
      | \[(?P<index>\d+)\]
      | \[\?\(@\.(?P<field>[\w-]+)\s*==\s*'(?P<literal>[^']*)'\)\]""",
    re.VERBOSE,
)


def _segments(path: str) -> list[re.Match[str]]:
    root = "$$" if path.startswith("$$") else "$"
    rest, matches, position = path[len(root) :], [], 0
    while position < len(rest):
        match = _SEGMENT.match(rest, position)
        if not match:
            raise Unsupported(f"JSONPath {path!r} at {rest[position:]!r}")
        matches.append(match)
        position = match.end()
    return matches


def read_path(path: str, data: Any, context: Any = None) -> Any:
    """The value at `path` (`$`, `$$`, `.name`, `[n]`, `[?(@.field == 'x')]`).

    A filter makes the path indefinite: the result is a list, possibly empty. A
    definite path that does not exist raises `States.Runtime`.
    """
    if not path.startswith("$"):
        raise Unsupported(f"path {path!r} must start with $")
    values: list[Any] = [context if path.startswith("$$") else data]
    indefinite = False
    for segment in _segments(path):
        found: list[Any] = []
        for value in values:
            if segment["name"] is not None:
                found.append(
                    value.get(segment["name"], _MISSING) if isinstance(value, dict) else _MISSING
                )
            elif segment["index"] is not None:
                index = int(segment["index"])
                found.append(
                    value[index] if isinstance(value, list) and index < len(value) else _MISSING
                )
            else:
                indefinite = True
                if isinstance(value, list):
                    found += [
                        item
                        for item in value
                        if isinstance(item, dict)
                        and item.get(segment["field"]) == segment["literal"]
                    ]
        if indefinite:
            found = [value for value in found if value is not _MISSING]
        elif found == [_MISSING]:
            raise StatesError(
                "States.Runtime", f"the JSONPath {path!r} could not be found in the input"
            )
        values = found
    return values if indefinite else values[0]


def path_exists(path: str, data: Any) -> bool:
    try:
        read_path(path, data)
    except StatesError:
        return False
    return True


def write_result(result_path: str | None, data: Any, result: Any) -> Any:
    """ResultPath: `$` replaces, None discards the result, `$.a.b` sets a field in a copy."""
    if result_path is None:
        return data
    if result_path == "$":
        return result
    names = [segment["name"] for segment in _segments(result_path)]
    if None in names:
        raise Unsupported(f"ResultPath {result_path!r}: only field names")
    if not isinstance(data, dict):
        raise StatesError("States.Runtime", f"cannot apply ResultPath {result_path!r} to {data!r}")
    updated = json.loads(json.dumps(data))
    target = updated
    for name in names[:-1]:
        target = target.setdefault(name, {})
    target[names[-1]] = result
    return updated


# --- intrinsic functions ------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<call>States\.\w+)\(|(?P<string>'(?:\\.|[^'\\])*')|(?P<number>-?\d+)|(?P<path>\$[^,)\s]*)|(?P<close>\))|(?P<comma>,))"
)


def _array_partition(array: list[Any], size: int) -> list[list[Any]]:
    return [array[start : start + size] for start in range(0, len(array), size)]


def _array_unique(array: list[Any]) -> list[Any]:
    unique: list[Any] = []
    for item in array:
        if item not in unique:
            unique.append(item)
    return unique


def _format(template: str, *args: Any) -> str:
    pieces = template.split("{}")
    if len(pieces) != len(args) + 1:
        raise StatesError(
            "States.IntrinsicFailure", f"States.Format: {template!r} with {len(args)} args"
        )
    rendered = [
        p + (a if isinstance(a, str) else json.dumps(a)) for p, a in zip(pieces, args, strict=False)
    ]
    return "".join(rendered) + pieces[-1]


INTRINSICS: dict[str, Callable[..., Any]] = {
    "States.ArrayLength": len,
    "States.ArrayUnique": _array_unique,
    "States.ArrayPartition": _array_partition,
    "States.ArrayGetItem": lambda array, index: array[index],
    "States.JsonToString": lambda value: json.dumps(value, separators=(",", ":")),
    "States.Format": _format,
}


def evaluate_intrinsic(expression: str, data: Any, context: Any) -> Any:
    tokens = [m for m in _TOKEN.finditer(expression.strip())]
    if "".join(m.group(0) for m in tokens).strip() != expression.strip():
        raise Unsupported(f"intrinsic {expression!r}")
    position = 0

    def parse() -> Any:
        nonlocal position
        token = tokens[position]
        position += 1
        if token["string"] is not None:
            return re.sub(r"\\(.)", r"\1", token["string"][1:-1])
        if token["number"] is not None:
            return int(token["number"])
        if token["path"] is not None:
            return read_path(token["path"], data, context)
        if token["call"] is None:
            raise Unsupported(f"intrinsic {expression!r}")
        name, args = token["call"], []
        while tokens[position]["close"] is None:
            args.append(parse())
            if tokens[position]["comma"] is not None:
                position += 1
        position += 1
        if name not in INTRINSICS:
            raise Unsupported(f"intrinsic function {name}")
        try:
            return INTRINSICS[name](*args)
        except (TypeError, IndexError, ValueError) as error:
            raise StatesError("States.IntrinsicFailure", f"{name}: {error}") from error

    return parse()


def render_template(template: Any, data: Any, context: Any) -> Any:
    """Parameters, ItemSelector and ResultSelector: keys ending in `.$` are evaluated."""
    if isinstance(template, dict):
        rendered = {}
        for key, value in template.items():
            if key.endswith(".$"):
                rendered[key[:-2]] = (
                    evaluate_intrinsic(value, data, context)
                    if value.startswith("States.")
                    else read_path(value, data, context)
                )
            else:
                rendered[key] = render_template(value, data, context)
        return rendered
    if isinstance(template, list):
        return [render_template(item, data, context) for item in template]
    return template


# --- Choice rules -------------------------------------------------------------------


def _compare(rule: Mapping[str, Any], data: Any) -> bool:
    if "And" in rule:
        return all(_compare(inner, data) for inner in rule["And"])  # short-circuits
    if "Or" in rule:
        return any(_compare(inner, data) for inner in rule["Or"])
    if "Not" in rule:
        return not _compare(rule["Not"], data)
    variable = rule["Variable"]
    if "IsPresent" in rule:
        return path_exists(variable, data) == rule["IsPresent"]
    value = read_path(variable, data)
    if "IsString" in rule:
        return isinstance(value, str) == rule["IsString"]
    if "StringEquals" in rule:
        return isinstance(value, str) and value == rule["StringEquals"]
    if "StringMatches" in rule:
        return (
            isinstance(value, str) and _wildcard(rule["StringMatches"]).fullmatch(value) is not None
        )
    if "NumericGreaterThan" in rule:
        return _is_number(value) and value > rule["NumericGreaterThan"]
    if "BooleanEquals" in rule:
        return isinstance(value, bool) and value == rule["BooleanEquals"]
    raise Unsupported(f"Choice rule {rule!r}")


def _wildcard(pattern: str) -> re.Pattern[str]:
    """StringMatches: `*` matches any characters (slashes too); `\\*` is a literal star."""
    parts = re.split(r"(?<!\\)\*", pattern)
    return re.compile(".*".join(re.escape(part.replace("\\*", "*")) for part in parts), re.DOTALL)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --- the interpreter -----------------------------------------------------------------


class AslInterpreter:
    """Runs an ASL definition with Tasks resolved to Python callables.

    `lambdas` maps a function ARN (the lambda:invoke FunctionName) to a handler taking
    `(event, context)`; `services` maps any other Task Resource to a callable taking
    the rendered Parameters. A callable raises `StatesError` to simulate an
    integration error such as `Lambda.TooManyRequestsException`.
    """

    def __init__(
        self,
        definition: Mapping[str, Any],
        *,
        lambdas: Mapping[str, LambdaHandler],
        services: Mapping[str, ServiceIntegration] | None = None,
        seed: int = 0,
    ) -> None:
        self.definition = definition
        self.lambdas = lambdas
        self.services = services or {}
        self._random = random.Random(seed)

    def execute(self, execution_input: Any, name: str = "test-execution") -> Execution:
        execution = Execution()
        context = {
            "Execution": {
                "Id": f"arn:aws:states:eu-west-1:111111111111:execution:reprocess:{name}",
                "Name": name,
                "Input": execution_input,
            }
        }
        try:
            execution.output = self._run(self.definition, execution_input, context, execution, "")
            execution.status = "SUCCEEDED"
        except StatesError as error:
            execution.status, execution.error, execution.cause = "FAILED", error.name, error.cause
        return execution

    def _run(
        self,
        machine: Mapping[str, Any],
        data: Any,
        context: dict[str, Any],
        run: Execution,
        where: str,
    ) -> Any:
        name: str | None = machine["StartAt"]
        while name is not None:
            state = machine["States"][name]
            run.path.append(where + name)
            context = {**context, "State": {"Name": name}}
            try:
                data, name = self._state(name, state, data, context, run, where)
            except StatesError as error:
                handler = self._catcher(state, error)
                if handler is None:
                    raise
                data = write_result(handler.get("ResultPath", "$"), data, error.output)
                name = handler["Next"]
            self._check_size(data)
        return data

    def _state(
        self,
        name: str,
        state: Mapping[str, Any],
        data: Any,
        context: dict[str, Any],
        run: Execution,
        where: str,
    ) -> tuple[Any, str | None]:
        kind = state["Type"]
        if kind == "Fail":
            return self._fail(state, data)
        if kind == "Choice":
            effective = self._input(state, data)
            for rule in state["Choices"]:
                if _compare(rule, effective):
                    return data, rule["Next"]
            if "Default" not in state:
                raise StatesError("States.NoChoiceMatched", f"no rule of {name} matched")
            return data, state["Default"]
        if kind == "Succeed":
            return self._output(state, self._input(state, data)), None
        effective = self._input(state, data)
        if "Parameters" in state:
            effective = render_template(state["Parameters"], effective, context)
        if kind == "Pass":
            result = state.get("Result", effective)
        elif kind == "Task":
            result = self._with_retry(name, state, lambda: self._task(state, effective), run)
        elif kind == "Map":
            result = self._map(name, state, effective, context, run, where)
        else:
            raise Unsupported(f"state type {kind}")
        if "ResultSelector" in state:
            result = render_template(state["ResultSelector"], result, context)
        data = write_result(state.get("ResultPath", "$"), data, result)
        return self._output(state, data), None if state.get("End") else state["Next"]

    def _fail(self, state: Mapping[str, Any], data: Any) -> tuple[Any, str | None]:
        error = (
            read_path(state["ErrorPath"], data) if "ErrorPath" in state else state.get("Error", "")
        )
        cause = (
            read_path(state["CausePath"], data) if "CausePath" in state else state.get("Cause", "")
        )
        raise StatesError(error, cause)

    @staticmethod
    def _input(state: Mapping[str, Any], data: Any) -> Any:
        return read_path(state["InputPath"], data) if state.get("InputPath") else data

    @staticmethod
    def _output(state: Mapping[str, Any], data: Any) -> Any:
        return read_path(state["OutputPath"], data) if state.get("OutputPath") else data

    @staticmethod
    def _check_size(data: Any) -> None:
        size = len(json.dumps(data).encode())
        if size > PAYLOAD_LIMIT_BYTES:
            raise StatesError("States.DataLimitExceeded", f"state output is {size} bytes")

    def _task(self, state: Mapping[str, Any], parameters: Any) -> Any:
        resource = state["Resource"]
        if resource == LAMBDA_INVOKE:
            function = parameters["FunctionName"]
            handler = self.lambdas.get(function)
            if handler is None:
                raise Unsupported(f"no Python handler for Lambda function {function}")
            payload = json.loads(json.dumps(parameters.get("Payload")))  # Lambda sees JSON
            try:
                response = handler(payload, LambdaContext(function))
            except StatesError:
                raise
            except Exception as error:  # a function error, as Lambda reports it
                kind = type(error).__name__
                cause = json.dumps({"errorMessage": str(error), "errorType": kind})
                raise StatesError(kind, cause) from error
            return {"StatusCode": 200, "Payload": json.loads(json.dumps(response))}
        service = self.services.get(resource)
        if service is None:
            raise Unsupported(f"no Python integration for Task resource {resource}")
        return service(dict(parameters))

    def _with_retry(
        self, name: str, state: Mapping[str, Any], call: Callable[[], Any], run: Execution
    ) -> Any:
        attempts: dict[int, int] = {}
        while True:
            try:
                return call()
            except StatesError as error:
                for position, retrier in enumerate(state.get("Retry", [])):
                    if _matches(retrier["ErrorEquals"], error.name):
                        attempts[position] = attempts.get(position, 0) + 1
                        if attempts[position] > retrier.get("MaxAttempts", 3):
                            raise
                        run.retries.append(
                            self._delay(name, error.name, attempts[position], retrier)
                        )
                        break
                else:
                    raise

    def _delay(
        self, name: str, error: str, attempt: int, retrier: Mapping[str, Any]
    ) -> RetryRecord:
        ceiling = retrier.get("IntervalSeconds", 1) * retrier.get("BackoffRate", 2.0) ** (
            attempt - 1
        )
        if "MaxDelaySeconds" in retrier:
            ceiling = min(ceiling, retrier["MaxDelaySeconds"])
        jittered = (
            self._random.uniform(0, ceiling) if retrier.get("JitterStrategy") == "FULL" else ceiling
        )
        return RetryRecord(name, error, attempt, ceiling, jittered)

    def _map(
        self,
        name: str,
        state: Mapping[str, Any],
        data: Any,
        context: dict[str, Any],
        run: Execution,
        where: str,
    ) -> list[Any]:
        processor = state.get("ItemProcessor")
        if not processor or processor.get("ProcessorConfig", {}).get("Mode", "INLINE") != "INLINE":
            raise Unsupported(f"{name}: only an inline ItemProcessor")
        items = read_path(state.get("ItemsPath", "$"), data)
        if not isinstance(items, list):
            raise StatesError("States.Runtime", f"{name}: ItemsPath is not an array: {items!r}")
        run.max_concurrency[name] = state.get("MaxConcurrency", 0)
        results = []
        # Iterations run one after another: concurrency changes timing, not outcomes.
        for index, item in enumerate(items):
            item_context = {**context, "Map": {"Item": {"Index": index, "Value": item}}}
            item_input = (
                render_template(state["ItemSelector"], data, item_context)
                if "ItemSelector" in state
                else item
            )
            results.append(self._run(processor, item_input, item_context, run, f"{where}{name}/"))
        return results

    @staticmethod
    def _catcher(state: Mapping[str, Any], error: StatesError) -> Mapping[str, Any] | None:
        # A Fail state has no Catch, so it ends its machine; inside a Map, the Map fails.
        for handler in state.get("Catch", []):
            if _matches(handler["ErrorEquals"], error.name):
                return handler
        return None


def _matches(error_equals: list[str], name: str) -> bool:
    if name in error_equals:
        return True
    if "States.ALL" in error_equals:
        return name not in UNCATCHABLE
    return "States.TaskFailed" in error_equals and not name.startswith("States.")
