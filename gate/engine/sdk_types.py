"""The output shapes of a Pulumi provider SDK, read from the SDK's own Python classes.

Every generated Pulumi provider SDK describes each resource's outputs as properties
decorated with `@pulumi.getter(name="<wire name>")`, typed `pulumi.Output[...]`, and each
nested output type as an `@pulumi.output_type` class built the same way. Each invoke is a
function that calls `pulumi.runtime.invoke('<token>', ..., typ=<Result class>)`. This
module turns those into compact type descriptors, so the mocks can answer every output
and every invoke with a value of the right shape.

It runs inside the program's own interpreter (the engine's child) and at generation time
(`python -m gate.engine.generate`), so it imports only the standard library and `pulumi`.

A type descriptor is one of:
- `"s"`, `"i"`, `"n"`, `"b"`, `"a"`: string, integer, number, boolean, any;
- `["l", T]` a list of T, `["m", T]` a map of string to T;
- `["e", "value"]` a string enum, with its first value;
- `"#<ref>"` a nested output type, described under `types[<ref>]`;
- `"@<token>"` a reference to a resource of that type;
- `"x"`: an asset or archive, which the mocks leave unknown, as a preview does.

Example:
    >>> import pulumi_aws
    >>> schema = describe_package("pulumi_aws", tokens={"aws:sqs/queue:Queue"})
    >>> schema.resources["aws:sqs/queue:Queue"]["arn"]
    's'
"""

from __future__ import annotations

import ast
import enum
import importlib
import importlib.util
import json
import re
import sys
import threading
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

Descriptor = Any  # str | list, see the module docstring
Shape = dict[str, Descriptor]

_PRIMITIVES: dict[Any, str] = {str: "s", int: "i", float: "n", bool: "b"}
_INVOKE = re.compile(r"runtime\.invoke(?:_output)?\(\s*'([^']+)'[^\n]*?typ=(\w+)")
_MAX_NESTING = 12


@dataclass
class PackageSchema:
    """The output shapes of one provider package."""

    package: str
    version: str
    resources: dict[str, Shape] = field(default_factory=dict)
    functions: dict[str, Shape] = field(default_factory=dict)
    types: dict[str, Shape] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "version": self.version,
            "resources": {k: self.resources[k] for k in sorted(self.resources)},
            "functions": {k: self.functions[k] for k in sorted(self.functions)},
            "types": {k: self.types[k] for k in sorted(self.types)},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PackageSchema:
        return cls(
            package=data["package"],
            version=data["version"],
            resources=data.get("resources") or {},
            functions=data.get("functions") or {},
            types=data.get("types") or {},
        )

    def merge(self, other: PackageSchema) -> None:
        self.resources.update(other.resources)
        self.functions.update(other.functions)
        self.types.update(other.types)


def python_package_of(token: str) -> str:
    """`aws:ec2/vpc:Vpc` -> `pulumi_aws`; `aws-apigateway:index:RestAPI` ->
    `pulumi_aws_apigateway`; `pulumi:providers:aws` -> `pulumi_aws`."""
    package = token.split(":")[2] if token.startswith("pulumi:providers:") else token.split(":")[0]
    return "pulumi_" + package.replace("-", "_")


def package_version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return "unknown"


def registered_classes(package: str) -> dict[str, tuple[str, str]]:
    """Every resource token of `package` -> (module, class name), from the registration
    table each generated SDK passes to `_utilities.register` in its `__init__.py`."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return {}
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    classes: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "register"):
            continue
        for keyword in node.keywords:
            if not isinstance(keyword.value, ast.Constant):
                continue
            if not isinstance(keyword.value.value, str):
                continue
            entries = json.loads(keyword.value.value)
            for entry in entries:
                if keyword.arg == "resource_modules":
                    for token, class_name in entry.get("classes", {}).items():
                        classes[token] = (entry["fqn"], class_name)
                elif keyword.arg == "resource_packages":
                    classes[entry["token"]] = (entry["fqn"], entry["class"])
    return classes


def function_results(package: str, modules: list[str] | None = None) -> dict[str, tuple[str, str]]:
    """Every invoke token -> (module, result class), read from the SDK's function modules.

    `modules` limits the search to these (already imported) modules; by default every
    `.py` file of the package is read as text, which is what generation does.
    """
    found: dict[str, tuple[str, str]] = {}
    if modules is None:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            return found
        root = Path(next(iter(spec.submodule_search_locations)))
        sources = []
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root.parent).with_suffix("")
            name = ".".join(relative.parts)
            sources.append((name.removesuffix(".__init__"), path))
    else:
        sources = []
        for name in modules:
            file = getattr(sys.modules.get(name), "__file__", None)
            if file:
                sources.append((name, Path(file)))
    for name, path in sources:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        if "runtime.invoke" not in text:
            continue
        for token, result_class in _INVOKE.findall(text):
            found.setdefault(token, (name, result_class))
    return found


class _Describer:
    """Walks SDK classes into descriptors, collecting nested output types."""

    def __init__(self, class_tokens: dict[type, str]) -> None:
        self.class_tokens = class_tokens
        self.types: dict[str, Shape] = {}

    def shape_of(self, cls: type) -> Shape:
        """The wire name and descriptor of every `@pulumi.getter` property of `cls`."""
        shape: Shape = {}
        module_globals = vars(sys.modules[cls.__module__])
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                getter = attribute.fget if isinstance(attribute, property) else None
                wire = getattr(getter, "_pulumi_name", None)
                if getter is None or not isinstance(wire, str):
                    continue
                annotation = getter.__annotations__.get("return", Any)
                shape[wire] = self.describe(annotation, module_globals, 0)
        return shape

    def describe(self, annotation: Any, module_globals: dict[str, Any], depth: int) -> Descriptor:
        if depth > _MAX_NESTING:
            return "a"
        hint = _resolve(annotation, module_globals)
        origin = typing.get_origin(hint)
        arguments = typing.get_args(hint)
        if origin is not None and isinstance(origin, type) and issubclass(origin, pulumi.Output):
            return self.describe(arguments[0] if arguments else Any, module_globals, depth + 1)
        if origin in (typing.Union, types.UnionType):
            chosen = [a for a in arguments if a is not type(None)]
            return self.describe(chosen[0] if chosen else Any, module_globals, depth + 1)
        if origin in (list, tuple, set, frozenset) or _is_abc(origin, "Sequence"):
            item = arguments[0] if arguments else Any
            return ["l", self.describe(item, module_globals, depth + 1)]
        if origin is dict or _is_abc(origin, "Mapping"):
            value = arguments[1] if len(arguments) == 2 else Any
            return ["m", self.describe(value, module_globals, depth + 1)]
        if hint in _PRIMITIVES:
            return _PRIMITIVES[hint]
        if isinstance(hint, type):
            if issubclass(hint, (pulumi.Asset, pulumi.Archive)):
                return "x"
            if issubclass(hint, enum.Enum):
                members = list(hint)
                return ["e", str(members[0].value)] if members else "s"
            if issubclass(hint, pulumi.Resource):
                token = self.class_tokens.get(hint) or token_of_class(hint)
                return f"@{token}" if token else "a"
            if hasattr(hint, "_pulumi_output_type"):
                ref = f"{hint.__module__}.{hint.__qualname__}"
                if ref not in self.types:
                    self.types[ref] = {}  # placeholder: recursive types stop here
                    self.types[ref] = self.shape_of(hint)
                return f"#{ref}"
        return "a"


_CLASS_INDEX: dict[str, dict[tuple[str, str], str]] = {}


def token_of_class(cls: type) -> str | None:
    """The type token a resource class registers under, from its package's table."""
    package = cls.__module__.split(".")[0]
    if package not in _CLASS_INDEX:
        _CLASS_INDEX[package] = {
            (fqn, name): token for token, (fqn, name) in registered_classes(package).items()
        }
    index = _CLASS_INDEX[package]
    module = cls.__module__
    while module:
        token = index.get((module, cls.__name__))
        if token:
            return token
        module = module.rpartition(".")[0]
    return None


def _is_abc(origin: Any, name: str) -> bool:
    import collections.abc

    abc = getattr(collections.abc, name)
    return isinstance(origin, type) and issubclass(origin, abc)


def _resolve(annotation: Any, module_globals: dict[str, Any]) -> Any:
    """Evaluate a string or forward reference in the namespace of the class's module."""
    if isinstance(annotation, typing.ForwardRef):
        annotation = annotation.__forward_arg__
    if isinstance(annotation, str):
        try:
            return eval(annotation, module_globals)  # the SDK's own annotation text
        except Exception:  # noqa: BLE001 - an unresolvable annotation is "any", not a crash
            return Any
    origin = typing.get_origin(annotation)
    if origin is not None:
        arguments = tuple(_resolve(a, module_globals) for a in typing.get_args(annotation))
        if origin in (typing.Union, types.UnionType):
            return typing.Union[arguments]  # noqa: UP007 - built at run time
        try:
            return origin[arguments] if len(arguments) != 1 else origin[arguments[0]]
        except TypeError:
            return annotation
    return annotation


def _import_attribute(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name, None)
    except Exception:  # noqa: BLE001 - a broken SDK module leaves that token undescribed
        return None


def describe_package(
    package: str,
    tokens: set[str] | None = None,
    function_tokens: set[str] | None = None,
    loaded_modules_only: bool = False,
) -> PackageSchema:
    """Describe the resources (`tokens`, default all) and invokes (`function_tokens`,
    default all) of an installed provider package."""
    importlib.import_module(package)
    registry = registered_classes(package)
    schema = PackageSchema(package=package, version=package_version(package))
    wanted = set(registry) if tokens is None else tokens & set(registry)
    class_tokens: dict[type, str] = {}
    for token in wanted:
        cls = _import_attribute(*registry[token])
        if isinstance(cls, type):
            class_tokens[cls] = token
    describer = _Describer(class_tokens)
    for cls, token in sorted(class_tokens.items(), key=lambda item: item[1]):
        schema.resources[token] = describer.shape_of(cls)

    if function_tokens is None or function_tokens:
        modules = None
        if loaded_modules_only:
            modules = [name for name in sys.modules if name.split(".")[0] == package]
        results = function_results(package, modules)
        wanted_functions = set(results) if function_tokens is None else function_tokens
        for token in sorted(wanted_functions & set(results)):
            result_class = _import_attribute(*results[token])
            if isinstance(result_class, type):
                schema.functions[token] = describer.shape_of(result_class)
    schema.types = describer.types
    return schema


GENERATED_DIR = Path(__file__).resolve().parent / "generated"


class SchemaIndex:
    """Output shapes by token, for the packages the program has installed.

    A package whose installed version is the one a generated table was made from
    (`gate/engine/generated/<package>.json`) is answered from that table; any other
    version, and any package without a table, is described live from the installed SDK,
    one token at a time. Either way the shapes are those of the SDK the program runs.
    """

    def __init__(self, generated_dir: Path = GENERATED_DIR) -> None:
        self.generated_dir = generated_dir
        # Registrations and invokes are answered on several threads at once; loading a
        # table or describing an SDK (which imports its modules) happens on one at a time.
        self._lock = threading.RLock()
        self._packages: dict[str, PackageSchema] = {}
        # Every package's nested types in one map, rebuilt only when a package changes
        # (read once per resource, so it must not be merged on every read).
        self._merged_types: dict[str, Shape] | None = None
        self._live: dict[str, bool] = {}
        self._registries: dict[str, dict[str, tuple[str, str]]] = {}

    def _package(self, package: str) -> PackageSchema:
        if package in self._packages:
            return self._packages[package]
        version = package_version(package)
        table = self.generated_dir / f"{package}.json"
        schema = PackageSchema(package=package, version=version)
        live = True
        if table.is_file():
            stored = PackageSchema.from_dict(json.loads(table.read_text(encoding="utf-8")))
            if stored.version == version:
                schema, live = stored, False
        self._packages[package] = schema
        self._live[package] = live
        self._merged_types = None
        return schema

    def source_of(self, token: str) -> str:
        """`table` or `sdk`: where the shapes of `token`'s package come from."""
        package = python_package_of(token)
        with self._lock:
            self._package(package)
            return "sdk" if self._live.get(package, True) else "table"

    def resource(self, token: str) -> Shape | None:
        package = python_package_of(token)
        with self._lock:
            schema = self._package(package)
            if token not in schema.resources and self._live[package]:
                self._describe_live(package, tokens={token}, function_tokens=set())
            return schema.resources.get(token)

    def function(self, token: str) -> Shape | None:
        package = python_package_of(token)
        with self._lock:
            schema = self._package(package)
            if token not in schema.functions and self._live[package]:
                self._describe_live(package, tokens=set(), function_tokens={token})
            return schema.functions.get(token)

    @property
    def types(self) -> dict[str, Shape]:
        with self._lock:
            if self._merged_types is None:
                merged: dict[str, Shape] = {}
                for schema in self._packages.values():
                    merged.update(schema.types)
                self._merged_types = merged
            return self._merged_types

    def _describe_live(self, package: str, tokens: set[str], function_tokens: set[str]) -> None:
        if importlib.util.find_spec(package) is None:
            return
        try:
            described = describe_package(
                package, tokens=tokens, function_tokens=function_tokens, loaded_modules_only=True
            )
        except Exception:  # noqa: BLE001 - an SDK we cannot read leaves the shape unknown
            return
        if tokens and not described.resources:
            described.resources.update(_describe_unregistered(package, tokens, described))
        self._packages[package].merge(described)
        self._merged_types = None


def _describe_unregistered(
    package: str, tokens: set[str], schema: PackageSchema
) -> dict[str, Shape]:
    """Components some SDKs leave out of their registration table: found among the
    package's loaded modules by class name and module (`awsx:lb:ApplicationLoadBalancer`
    -> `pulumi_awsx.lb.ApplicationLoadBalancer`)."""
    found: dict[str, Shape] = {}
    describer = _Describer({})
    for token in tokens:
        parts = token.split(":")
        if len(parts) != 3:
            continue
        module_hint, class_name = parts[1].split("/")[0], parts[2]
        for name, module in list(sys.modules.items()):
            if name.split(".")[0] != package or module is None:
                continue
            if module_hint not in ("index", *name.split(".")[1:]):
                continue
            cls = getattr(module, class_name, None)
            if isinstance(cls, type) and issubclass(cls, pulumi.Resource):
                found[token] = describer.shape_of(cls)
                break
    schema.types.update(describer.types)
    return found
