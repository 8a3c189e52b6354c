"""The shape shared by the IAM policies: judge each statement of each document."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pulumi_policy import ResourceValidationArgs

from .documents import Statement, iter_documents
from .metadata import label
from .policy import Config, ResourceCheck

# Returns what is wrong with the statement ("allows the wildcard action 'kms:*'"), or None.
StatementRule = Callable[[Statement, Config], str | None]


def document_check(kinds: tuple[str, ...], rule: StatementRule, fix: str) -> ResourceCheck:
    """A check that applies `rule` to every statement of the resource's documents of
    `kinds`, and names the resource, the document and the statement in each finding."""

    def check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
        for source, document in iter_documents(args.resource_type, args.props, *kinds):
            for statement in document.statements:
                problem = rule(statement, config)
                if problem:
                    yield (
                        f"{label(args.resource_type)} '{args.name}' {problem} "
                        f"({source.path}, {statement.label}); {fix}"
                    )

    return check


def grants_on_any(statement: Statement, action: str, is_broad: Callable[[str], bool]) -> bool:
    """Whether the statement allows `action` on resources `is_broad` calls unbounded."""
    if not statement.grants(action):
        return False
    return bool(statement.not_resources) or any(
        is_broad(resource) for resource in statement.resources
    )
