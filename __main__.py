"""The Pulumi program: typed config, an explicit provider, the platform, its outputs."""

import pulumi
import pulumi_aws as aws

from serverless_platform.config import load_config
from serverless_platform.platform import ServerlessPlatform

config = load_config()
region = aws.config.region or "us-east-1"
# Tags stay explicit `tags=` inputs (policies see them at preview), so no default_tags.
provider = aws.Provider("aws", region=region)
platform = ServerlessPlatform(
    "platform",
    config=config,
    region=region,
    opts=pulumi.ResourceOptions(providers=[provider]),
)
for key, value in platform.outputs.items():
    pulumi.export(key, value)
