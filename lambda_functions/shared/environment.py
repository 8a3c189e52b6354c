"""Settings read from a function's environment: one pydantic model per function, validated
once at cold start, reporting every problem at once, each naming the variable.

The stack config (`serverless_platform/config.py`) and `bootstrap/` use pydantic the same
way. Unlike their models, an environment holds variables nobody declared (`AWS_REGION`,
`_HANDLER`, ...), so undeclared variables are ignored rather than refused.

Example:
    >>> class Example(EnvironmentSettings):
    ...     table: str = variable("RESULTS_TABLE", "the results table name")
    ...     size: Annotated[int, integer(1)] = variable("MAX_OBJECT_BYTES", "an integer >= 1")
    >>> Example.from_environ({"RESULTS_TABLE": "results", "MAX_OBJECT_BYTES": "10"}).size
    10
    >>> Example.from_environ({"MAX_OBJECT_BYTES": "ten"})
    Traceback (most recent call last):
    ...
    shared.environment.ConfigurationError: invalid environment: RESULTS_TABLE is not set: \
expected the results table name; MAX_OBJECT_BYTES must be an integer >= 1, got 'ten'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

__all__ = [
    "LOG_LEVELS",
    "ConfigurationError",
    "EnvironmentSettings",
    "PowertoolsSettings",
    "Text",
    "choice",
    "integer",
    "matching",
    "variable",
]


# What Powertools' Logger accepts.
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigurationError(ValueError):
    """An environment variable is missing or malformed; the message names each one."""


class _NotSetError(ValueError):
    """The variable is absent or blank."""


def variable(name: str, expected: str, default: Any = ...) -> Any:
    """A field read from the variable `name`; `expected` completes "expected ..." and
    "must be ..." in the error that names it."""
    return Field(default, validation_alias=name, description=expected)


def _text(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _NotSetError()
    return value.strip() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_text)]


def integer(minimum: int, maximum: int | None = None) -> BeforeValidator:
    def check(value: Any) -> int:
        text = _text(value)
        if not re.fullmatch(r"\d+", str(text)):
            raise ValueError()
        number = int(text)
        if number < minimum or (maximum is not None and number > maximum):
            raise ValueError()
        return number

    return BeforeValidator(check)


def matching(pattern: str) -> BeforeValidator:
    def check(value: Any) -> str:
        text = _text(value)
        if not isinstance(text, str) or not re.fullmatch(pattern, text):
            raise ValueError()
        return text

    return BeforeValidator(check)


def choice(choices: tuple[str, ...], default: str) -> BeforeValidator:
    """One of `choices`, in any case; blank means `default`."""

    def check(value: Any) -> str:
        if value is None or not str(value).strip():
            return default
        if str(value).strip().upper() not in choices:
            raise ValueError()
        return str(value).strip().upper()

    return BeforeValidator(check)


class EnvironmentSettings(BaseModel):
    """Base of every function's settings: frozen, read by variable name."""

    model_config = ConfigDict(
        frozen=True, extra="ignore", str_strip_whitespace=True, populate_by_name=True
    )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Self:
        """Read and validate every variable, reporting all problems in one error."""
        # Every declared field is checked even when absent, so a missing variable says so.
        names = [_name_of(field.validation_alias) for field in cls.model_fields.values()]
        given: dict[str, Any] = {name: environ.get(name) for name in names}
        try:
            return cls.model_validate({k: v for k, v in given.items() if v is not None})
        except ValidationError as error:
            problems = [cls._describe(problem) for problem in error.errors()]
            raise ConfigurationError("invalid environment: " + "; ".join(problems)) from None

    @classmethod
    def _describe(cls, problem: Any) -> str:
        name = str(problem["loc"][0])
        expected = next(
            field.description
            for field in cls.model_fields.values()
            if _name_of(field.validation_alias) == name
        )
        cause = problem.get("ctx", {}).get("error")
        if problem["type"] == "missing" or isinstance(cause, _NotSetError):
            return f"{name} is not set: expected {expected}"
        return f"{name} must be {expected}, got {problem['input']!r}"


class PowertoolsSettings(EnvironmentSettings):
    """The variables Powertools reads itself, declared so that a typo fails the cold start
    instead of falling back to defaults in silence."""

    service_name: Text = variable("POWERTOOLS_SERVICE_NAME", "the service name")
    metrics_namespace: Text = variable(
        "POWERTOOLS_METRICS_NAMESPACE", "the CloudWatch metrics namespace"
    )
    log_level: Annotated[str, choice(LOG_LEVELS, "INFO")] = variable(
        "LOG_LEVEL", f"one of {', '.join(LOG_LEVELS)}", "INFO"
    )


def _name_of(alias: Any) -> str:
    return alias if isinstance(alias, str) else str(alias)
