"""The DataClassification tag uses the organisation's classification scheme."""

from ._allowed_values import allowed_values_policy

POLICY = allowed_values_policy(
    "resource-tag-data-classification-allowed",
    "DataClassification",
    ("public", "internal", "confidential", "restricted"),
)
