"""The bootstrap stack's config: a pydantic model, as for the platform's stack config and
the functions' environments. Unknown keys are refused, naming the nearest valid one;
every error names the key, what was expected and what was given.

Example:
    >>> BootstrapSettings.parse({"region": "us-east-1", "deployingAccountId": "1"})
    Traceback (most recent call last):
    ...
    settings.BootstrapConfigError: config 'serverless-platform-bootstrap:deployingAccountId': \
expected a 12-digit account id, got '1'
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AliasGenerator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic.alias_generators import to_camel

PROJECT = "serverless-platform-bootstrap"


class BootstrapConfigError(ValueError):
    """A bootstrap config value is missing, malformed or unknown."""

    def __init__(self, key: str, expected: str, given: object) -> None:
        self.key = key
        super().__init__(f"config '{PROJECT}:{key}': expected {expected}, got {given}")


class BootstrapSettings(BaseModel):
    """What `Pulumi.<stack>.yaml` of bootstrap/ may set."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=AliasGenerator(validation_alias=to_camel),
        populate_by_name=True,
        # Rust's regex engine compiles `\w{2,1224}` (Unicode) past its size limit.
        regex_engine="python-re",
    )

    region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")] = Field(
        description="an AWS region"
    )
    deploying_account_id: Annotated[str, StringConstraints(pattern=r"^\d{12}$")] = Field(
        description="a 12-digit account id"
    )
    external_id: Annotated[str, StringConstraints(pattern=r"^[\w+=,.@:/-]{2,1224}$")] = Field(
        description="an external id"
    )
    github_repository: Annotated[str, StringConstraints(pattern=r"^[\w.-]+/[\w.-]+$")] = Field(
        description="'owner/repository'"
    )
    github_environments: list[Annotated[str, StringConstraints(pattern=r"^[\w.-]{1,255}$")]] = (
        Field(
            min_length=1,
            description="a non-empty list of GitHub environment names (no wildcards)",
        )
    )
    platform_hosted_zone_id: (
        Annotated[str, StringConstraints(pattern=r"^Z[A-Z0-9]{1,31}$")] | None
    ) = Field(
        default=None,
        description="a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
    )
    create_oidc_provider: bool = Field(default=False, description="true or false")
    tags: dict[str, str] = Field(
        description=(
            "a map with a 'Project' tag (the deploy role reaches the platform's "
            "generated-id resources through it)"
        )
    )

    @field_validator("tags")
    @classmethod
    def _has_project(cls, tags: dict[str, str]) -> dict[str, str]:
        if not tags.get("Project"):
            raise ValueError("no Project tag")
        return tags

    @classmethod
    def keys(cls) -> list[str]:
        return [to_camel(name) for name in cls.model_fields]

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> BootstrapSettings:
        """Validate the stack's config (keys without the namespace; objects as JSON text)."""
        decoded = {key: _json(value) for key, value in raw.items() if value is not None}
        try:
            return cls.model_validate(decoded)
        except ValidationError as error:
            raise cls._error(error.errors()[0], decoded) from None

    @classmethod
    def _error(cls, problem: Any, given: Mapping[str, Any]) -> BootstrapConfigError:
        key = str(problem["loc"][0])
        if problem["type"] == "extra_forbidden":
            nearest = difflib.get_close_matches(key, cls.keys(), n=1, cutoff=0.6)
            hint = f"did you mean '{nearest[0]}'?" if nearest else f"one of {', '.join(cls.keys())}"
            return BootstrapConfigError(key, f"a key bootstrap has ({hint})", "an unknown key")
        field = next(f for name, f in cls.model_fields.items() if to_camel(name) == key)
        shown = repr(given[key]) if key in given else "nothing (the key is not set)"
        return BootstrapConfigError(key, field.description or "a valid value", shown)


def _json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
