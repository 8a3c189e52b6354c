"""Which AWS account a resource deploys into, as far as its provider's inputs say.

The policy runtime hands a resource policy the resource's provider (`args.provider`)
with the provider's inputs. Provider inputs that are not strings travel JSON-encoded
(`allowedAccountIds: '["210987654321"]'`), so both forms are read here.

The account is known when the provider pins it: through the role it assumes
(`assumeRoles[0].roleArn`, or the legacy `assumeRole.roleArn`), which is where its
credentials land, or through a single entry in `allowedAccountIds`. Otherwise it is the
account of whatever credentials run the preview, which no analyzer request carries.

Example:
    >>> from pulumi_policy import PolicyProviderResource
    >>> provider = PolicyProviderResource(
    ...     "pulumi:providers:aws",
    ...     {"assumeRoles": '[{"roleArn": "arn:aws:iam::210987654321:role/deploy"}]'},
    ...     "urn:pulumi:prod::app::pulumi:providers:aws::aws",
    ...     "aws",
    ... )
    >>> provider_account(provider)
    '210987654321'
"""

from __future__ import annotations

import json
import re
from typing import Any

from pulumi_policy import PolicyProviderResource

from .props import as_list, dig, is_mapping, is_sequence

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):")


def _decoded(value: Any) -> Any:
    """A provider input as a value: JSON-encoded lists and objects are decoded."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _role_account(role: Any) -> str | None:
    arn = dig(role, "roleArn")
    match = _ROLE_ARN.match(arn) if isinstance(arn, str) else None
    return match.group(1) if match else None


def provider_account(provider: PolicyProviderResource | None) -> str | None:
    """The account the provider deploys into, or None when its inputs do not pin one.

    Reading an input that is unknown during preview raises the runtime's
    `UnknownValueError`, as every other read of props does.
    """
    if provider is None or not provider.resource_type.startswith("pulumi:providers:aws"):
        return None
    props = provider.props
    roles = _decoded(props.get("assumeRoles"))
    role = roles[0] if is_sequence(roles) and roles else _decoded(props.get("assumeRole"))
    account = _role_account(role) if is_mapping(role) else None
    if account:
        return account
    allowed = {str(entry) for entry in as_list(_decoded(props.get("allowedAccountIds")))}
    # Several allowed accounts leave open which one the credentials belong to.
    if len(allowed) == 1 and _ACCOUNT_ID.match(only := allowed.pop()):
        return only
    return None
