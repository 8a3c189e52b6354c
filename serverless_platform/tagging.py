"""Required tags, passed explicitly as `tags=` so policies see them at preview time.

Provider `default_tags` would only be merged in by the provider after the policies
ran, so the tag policies could never see them; every taggable resource therefore
gets its tags here.
"""

from __future__ import annotations

from collections.abc import Mapping


def tags_for(base: Mapping[str, str], component: str, **extra: str) -> dict[str, str]:
    """The stack's required tags plus the component that owns the resource."""
    return {**base, "Component": component, **extra}
