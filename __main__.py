"""The Pulumi program: typed config, explicit providers, the platform, its outputs."""

import pulumi

from serverless_platform.config import load_config
from serverless_platform.regions.deployment import PlatformDeployment
from serverless_platform.regions.providers import build_provider

config = load_config()
regions = [config.target.region, *config.replica_regions]
# One explicit provider per region; stack files disable the default provider.
providers = {region: build_provider(f"aws-{region}", config.target, region) for region in regions}
deployment = PlatformDeployment("platform", config=config, providers=providers)

for key, value in deployment.primary.outputs.items():
    pulumi.export(key, value)
pulumi.export(
    "replica_regions", {replica.region: replica.outputs for replica in deployment.replicas}
)
