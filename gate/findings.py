"""The neutral result model: what policies, checkov and the gate itself found, per stack,
and what the offline engine had to assume to run the program.

Every source becomes a `Finding`, so the reports, the baseline and the exit code never
need to know where a finding came from. The gate raises its own findings (source
`gate`, category `coverage`) for what it cannot see offline.

Example:
    >>> finding = Finding(
    ...     source="checkov", rule="CKV_AWS_18", category="logging", severity="medium",
    ...     enforcement="mandatory", resource_type="aws:s3/bucket:Bucket",
    ...     urn="urn:pulumi:dev::app::aws:s3/bucket:Bucket::logs",
    ...     message="access logging is off",
    ... )
    >>> result = GateResult([StackResult("dev", resources=12, findings=[finding])])
    >>> result.passed, result.exit_code
    (False, 1)
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gate.categories import CATEGORIES

# "gate": raised by the gate itself, for what it cannot see offline (category coverage).
Source = Literal["policy", "checkov", "gate"]
Enforcement = Literal["mandatory", "advisory"]

EXIT_PASSED = 0
EXIT_FINDINGS = 1


@dataclass(frozen=True)
class SourceLocation:
    """The file and line of the program statement that created a resource."""

    path: str
    line: int

    @classmethod
    def from_uri(cls, uri: str, line: int) -> SourceLocation:
        """From the SDK's `sourcePosition` (`file:///abs/path`, 1-based line)."""
        return cls(path=uri.removeprefix("file://"), line=line)

    @classmethod
    def of(cls, position: Any) -> SourceLocation | None:
        """From a plan's source position (anything with `uri` and `line`), if any."""
        return cls.from_uri(position.uri, position.line) if position is not None else None

    def relative_to(self, root: Path) -> SourceLocation:
        """The same location with a path relative to `root` where it lies below it."""
        path = Path(self.path)
        try:
            relative = path.resolve().relative_to(root.resolve())
        except ValueError:
            return self
        return SourceLocation(path=relative.as_posix(), line=self.line)


@dataclass(frozen=True)
class Finding:
    """One rule that one resource (or the whole stack, `urn` of the stack) breaks."""

    source: Source
    rule: str
    category: str
    severity: str
    enforcement: Enforcement
    resource_type: str
    urn: str
    message: str
    suppressed: bool = False
    suppression_reason: str | None = None
    source_location: SourceLocation | None = None
    # Rule metadata for the reports.
    title: str = ""
    description: str = ""
    help: str = ""
    remediation: str = ""
    tags: tuple[str, ...] = ()
    # Set when a baseline report already had this finding: it is reported, not failed.
    baselined: bool = False

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(
                f"finding {self.rule}: category must be one of {', '.join(CATEGORIES)}, "
                f"got {self.category!r}"
            )
        if self.suppressed and not self.suppression_reason:
            raise ValueError(f"finding {self.rule}: a suppressed finding needs its reason")

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies a finding across runs: source, rule and resource."""
        return (self.source, self.rule, self.urn)

    @property
    def blocking(self) -> bool:
        """Whether this finding fails the gate."""
        return self.enforcement == "mandatory" and not self.suppressed and not self.baselined

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, in a stable order."""
        data = dataclasses.asdict(self)
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The inverse of `to_dict`; unknown keys are ignored so old reports still load."""
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        location = values.get("source_location")
        if isinstance(location, dict):
            values["source_location"] = SourceLocation(**location)
        values["tags"] = tuple(values.get("tags") or ())
        return cls(**values)


@dataclass(frozen=True)
class PassedCheck:
    """A rule a resource satisfies; the reports list these as passing test cases."""

    source: Source
    rule: str
    resource_type: str
    urn: str
    title: str = ""


@dataclass(frozen=True)
class Assumption:
    """Something the offline engine made up to run a stack, shown to the reviewer.

    Kinds in use: `environment` (the interpreter the program ran with), `invoke` (an
    invoke the engine answered, and how: supplied, special or derived),
    `stack-reference-output` (a StackReference output nobody supplied) and
    `mocked-inputs` (inputs carrying values the engine invented). The message is shown
    as written, so it must not carry a secret value.
    """

    kind: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready fields, in a stable order."""
        return {"kind": self.kind, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assumption:
        """The inverse of `to_dict`; unknown keys are ignored so newer reports still load."""
        kind, message = data["kind"], data["message"]
        if not isinstance(kind, str) or not isinstance(message, str):
            raise ValueError(f"an assumption has a string kind and message, got {data!r}")
        return cls(kind=kind, message=message)


@dataclass(frozen=True)
class StackResult:
    """Everything the gate found on one stack."""

    stack: str
    resources: int
    findings: list[Finding] = field(default_factory=list)
    passes: list[PassedCheck] = field(default_factory=list)
    # Where findings with no program location (stack policies) are reported.
    stack_file: str | None = None
    # What the offline engine made up to run this stack, in the order it did.
    assumptions: list[Assumption] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """No finding on this stack fails the gate."""
        return not any(f.blocking for f in self.findings)

    def location_of(self, finding: Finding) -> SourceLocation:
        """The finding's program location, else the stack's configuration file."""
        return finding.source_location or SourceLocation(
            self.stack_file or f"Pulumi.{self.stack}.yaml", 1
        )


@dataclass(frozen=True)
class Shard:
    """Which part of a sharded run a result is (`gate check --shard K/N`), and every stack
    of the whole run, so that merging can tell a missing shard from a passing one."""

    index: int
    count: int
    all_stacks: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "count": self.count, "all_stacks": list(self.all_stacks)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Shard:
        return cls(int(data["index"]), int(data["count"]), tuple(data["all_stacks"]))


@dataclass(frozen=True)
class GateResult:
    """The result of one gate run over one or more stacks."""

    stacks: list[StackResult]
    # Set on the report of one shard of a sharded run; merged results have none.
    shard: Shard | None = None

    @property
    def passed(self) -> bool:
        return all(stack.passed for stack in self.stacks)

    @property
    def exit_code(self) -> int:
        """0 when it passed, 1 when a blocking finding remains (2 is raised, not returned)."""
        return EXIT_PASSED if self.passed else EXIT_FINDINGS

    @property
    def findings(self) -> list[Finding]:
        return [f for stack in self.stacks for f in stack.findings]


def default_severity(category: str) -> str:
    """A severity for checks that carry none (checkov only has them with a platform key)."""
    if category in ("encryption", "iam", "exposure"):
        return "high"
    if category in ("logging", "tracing", "resilience"):
        return "medium"
    return "low"


class BaselineError(ValueError):
    """The baseline file is missing or is not a JSON report of this gate."""


def read_baseline(path: Path) -> frozenset[tuple[str, str, str]]:
    """The finding keys (source, rule, URN) of a previous JSON report."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BaselineError(f"baseline {path} does not exist") from exc
    except UnicodeDecodeError as exc:
        raise BaselineError(f"baseline {path} is not UTF-8 text: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(f"baseline {path} is not JSON: {exc}") from exc
    stacks = document.get("stacks") if isinstance(document, dict) else None
    if not isinstance(stacks, list):
        raise BaselineError(
            f'baseline {path}: expected a JSON report with a "stacks" list, '
            f"got {type(document).__name__}"
        )
    keys = set()
    for stack in stacks:
        for finding in stack.get("findings", []) if isinstance(stack, dict) else []:
            try:
                keys.add((str(finding["source"]), str(finding["rule"]), str(finding["urn"])))
            except (KeyError, TypeError) as exc:
                raise BaselineError(
                    f"baseline {path}: stack {stack.get('stack')!r} has a finding without "
                    f"source, rule and urn: {finding!r}"
                ) from exc
    return frozenset(keys)


def apply_baseline(result: GateResult, known: frozenset[tuple[str, str, str]]) -> GateResult:
    """Mark the findings a baseline already had, so that only new ones fail.

    A finding matches on source, rule and URN (see `read_baseline`).
    """
    return GateResult(
        shard=result.shard,
        stacks=[
            dataclasses.replace(
                stack,
                findings=[
                    dataclasses.replace(f, baselined=True) if f.key in known else f
                    for f in stack.findings
                ],
            )
            for stack in result.stacks
        ],
    )


class MergeError(ValueError):
    """Shard reports that do not make up one whole run."""


def merge_results(results: list[GateResult]) -> GateResult:
    """One result from the reports of every shard of a run: the same stacks, findings
    and exit code as a run over all of them. A missing, repeated or foreign shard is an
    error, never a smaller result that passes.

    Example:
        >>> whole = ("a", "b")
        >>> parts = [GateResult([StackResult(n, 1)], Shard(i, 2, whole))
        ...          for i, n in ((1, "a"), (2, "b"))]
        >>> [s.stack for s in merge_results(parts).stacks]
        ['a', 'b']
        >>> merge_results(parts[:1])
        Traceback (most recent call last):
        ...
        gate.findings.MergeError: shard 2 of 2 is missing (stacks: b)
    """
    if not results:
        raise MergeError("no reports to merge")
    shards = [result.shard for result in results]
    if any(shard is None for shard in shards):
        raise MergeError("every report must come from `gate check --shard K/N`")
    first = shards[0]
    assert first is not None
    if any(
        s is not None and (s.count, s.all_stacks) != (first.count, first.all_stacks) for s in shards
    ):
        raise MergeError(
            "the reports come from different runs (their shard counts or stacks differ)"
        )
    indices = [s.index for s in shards if s is not None]
    if len(set(indices)) != len(indices):
        raise MergeError(
            f"shard {sorted(i for i in indices if indices.count(i) > 1)[0]} is given twice"
        )
    stacks = {stack.stack: stack for result in results for stack in result.stacks}
    for index in range(1, first.count + 1):
        if index not in indices:
            expected = shard_of(list(first.all_stacks), index, first.count)
            names = ", ".join(expected) or "none"
            raise MergeError(f"shard {index} of {first.count} is missing (stacks: {names})")
    if set(stacks) != set(first.all_stacks):
        missing = sorted(set(first.all_stacks) - set(stacks))
        raise MergeError(f"the reports do not cover every stack of the run: missing {missing}")
    return GateResult([stacks[name] for name in first.all_stacks])


def shard_of(labels: list[str], index: int, count: int) -> list[str]:
    """The stacks shard `index` of `count` evaluates: every count-th one, in the order the
    whole run would take them, so the shards differ in size by one at most.

    Example:
        >>> shard_of(["a", "b", "c", "d", "e"], 2, 2)
        ['b', 'd']
    """
    return [label for position, label in enumerate(labels) if position % count == index - 1]
