"""The finding categories: the one definition, shared by the pack's metadata and the gate.

It imports nothing, so the gate can load this file on its own (by path) without loading
the pack, and the pack stays self-contained when it is published.
"""

ENCRYPTION = "encryption"
IAM = "iam"
TRACING = "tracing"
TAGGING = "tagging"
LOGGING = "logging"
RESILIENCE = "resilience"
EXPOSURE = "exposure"
# What the gate could not see offline (an unexpanded remote component, a value nobody
# supplied). Raised by the gate, never by a policy.
COVERAGE = "coverage"
OTHER = "other"

POLICY_CATEGORIES = (ENCRYPTION, IAM, TRACING, TAGGING, LOGGING, RESILIENCE, EXPOSURE, OTHER)
CATEGORIES = (*POLICY_CATEGORIES[:-1], COVERAGE, OTHER)
