"""The Pulumi SDK's wire signatures: how special values travel inside property maps
(see pulumi/sdk `properties.go`). One definition, used by the engine's child side, the
plan, the checkov bridge and secret redaction. Standard library only.
"""

# A map holding this key is a special value; the key's value says which kind.
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
