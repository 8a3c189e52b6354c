"""The Environment tag names a known environment."""

from ._allowed_values import allowed_values_policy

POLICY = allowed_values_policy(
    "resource-tag-environment-allowed", "Environment", ("dev", "staging", "prod")
)
