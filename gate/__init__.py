"""The offline compliance gate: plan a Pulumi Python program without the Pulumi CLI or
cloud credentials, then evaluate CrossGuard policy packs and checkov on the plan."""
