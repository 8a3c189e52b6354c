"""Stage 2, CrossGuard: load policy packs and evaluate them on a plan as the Pulumi
policy runtime would."""
