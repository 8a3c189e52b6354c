"""Rules about the pack's own configuration."""

from . import policy_exemptions_valid

MODULES = (policy_exemptions_valid,)
POLICIES = [module.POLICY for module in MODULES]
