"""Web-identity (OIDC) role trust pins the token's audience and its subject.

A role that trusts an OIDC provider with `sts:AssumeRoleWithWebIdentity` is open to every
token that provider issues, to anyone, unless conditions narrow it:

- `<provider>:aud` (for Facebook and Amazon: `:app_id`) names the audience, the app or
  client the token was issued for; Cognito identity pools need
  `cognito-identity.amazonaws.com:aud` (the pool id). A wildcard audience bounds nothing.
- `<provider>:sub` names the workload. Providers whose tokens identify an app's users
  (Cognito, Google, Facebook, Amazon) need only the audience.

For GitHub Actions (`token.actions.githubusercontent.com`) the subject must name one
repository and one environment or ref: `repo:<owner>/<name>:environment:<name>` or
`repo:<owner>/<name>:ref:refs/heads/<branch>`. Anyone who can push a branch can run a
workflow on it, so a subject that admits any branch (`ref:refs/heads/*`), any ref, any
environment (`environment:*`), every pull request (`pull_request`) or any repository
(`repo:org/*`, `repo:*`) fails. A wildcard inside an environment name after a literal
start (`environment:prod-*`) is accepted: only repository admins create environments.
For other providers, a subject whose `:`-separated part starts with a wildcard
(`system:serviceaccount:ns:*`) fails.

Wildcards count only under `...Like` operators; under `StringEquals` a `*` is literal.
"""

import re
from collections.abc import Callable

from pulumi_policy import Severity

from ...core import metadata
from ...core.documents import TRUST, Statement, has_wildcard, types_with
from ...core.iam import document_check
from ...core.policy import MANDATORY, Config, resource_policy

GITHUB = "token.actions.githubusercontent.com"
# Providers whose tokens identify an app's users: the audience key is their whole bound.
AUDIENCE_ONLY = {
    "cognito-identity.amazonaws.com": "aud",
    "accounts.google.com": "aud",
    "graph.facebook.com": "app_id",
    "www.amazon.com": "app_id",
}
_REPOSITORY = re.compile(r"^repo:([^/:]+)/([^:]+)(?::(.*))?$")

Admits = Callable[[str, bool], str | None]


def _provider(federated: str) -> str:
    """`token.actions.githubusercontent.com` from the provider's ARN, or the bare name."""
    return federated.split(":oidc-provider/", 1)[1] if ":oidc-provider/" in federated else federated


def _wild(value: str, pattern: bool) -> bool:
    return pattern and has_wildcard(value)


def _audience(value: str, pattern: bool) -> str | None:
    return "admits any audience" if not value or _wild(value, pattern) else None


def _open_part(value: str, pattern: bool) -> bool:
    """Whether a `:`-separated part of the subject starts with a wildcard (or is empty)."""
    return any(not part or _wild(part[0], pattern) for part in value.split(":"))


def _generic_subject(value: str, pattern: bool) -> str | None:
    return "leaves part of the subject open" if _open_part(value, pattern) else None


def _github_subject(value: str, pattern: bool) -> str | None:
    match = _REPOSITORY.match(value)
    if not match:
        return "does not name a repository (repo:<owner>/<name>:...)"
    owner, repository, context = match.groups()
    if _wild(owner, pattern) or _wild(repository, pattern):
        return "admits any repository"
    if context is None:
        return None  # GitHub never issues it: admits nothing
    claim, _, rest = context.partition(":")
    if not claim or _wild(claim[0], pattern):
        return "admits any branch, environment or event"
    if claim == "pull_request":
        return "admits every pull request, whatever its branch"
    if claim == "environment" and (not rest or _wild(rest[0], pattern)):
        return "admits any environment"
    if claim == "ref" and (not rest or _wild(rest, pattern)):
        return "admits any branch or tag it matches"
    if _open_part(context, pattern):
        return "admits any value of a claim"
    return None


def _bound_problem(statement: Statement, key: str, admits: Admits, what: str) -> str | None:
    """Why the condition on `key` does not bound the token, or None when it does."""
    blocks = statement.bounding_values(key)
    for values, pattern in blocks:
        if all(isinstance(value, str) and not admits(value, pattern) for value in values):
            return None
    for values, pattern in blocks:
        for value in values:
            reason = admits(value, pattern) if isinstance(value, str) else "is not a string"
            if reason:
                return f"a {key} condition {value!r} that {reason}"
    if key.lower() in statement.condition_keys():
        return f"a {key} condition that does not bound {what} (negated or ...IfExists)"
    return f"no {key} condition naming {what}"


def _rule(statement: Statement, config: Config) -> str | None:
    if not statement.grants("sts:AssumeRoleWithWebIdentity"):
        return None
    problems: list[str] = []
    federated = statement.principals.get("Federated", ())
    oidc = [name for name in federated if ":saml-provider/" not in name]
    for provider in dict.fromkeys(map(_provider, oidc)):
        audience = f"{provider}:{AUDIENCE_ONLY.get(provider, 'aud')}"
        checks = [(audience, _audience, "the audience")]
        if provider not in AUDIENCE_ONLY:
            github = provider == GITHUB or provider.startswith(GITHUB + "/")
            subject = _github_subject if github else _generic_subject
            checks.append((f"{provider}:sub", subject, "the subject"))
        problems += [
            problem
            for key, admits, what in checks
            if (problem := _bound_problem(statement, key, admits, what))
        ]
    if problems:
        return f"lets web identities assume it with {'; and '.join(problems)}"
    return None


POLICY = resource_policy(
    name="iam-trust-web-identity-conditions",
    description=(
        "Role trust for sts:AssumeRoleWithWebIdentity pins the token's audience and subject "
        "(for GitHub Actions: one repository and one environment or branch)."
    ),
    resource_types=types_with(TRUST),
    check=document_check(
        (TRUST,),
        _rule,
        "add StringEquals conditions on <provider>:aud and <provider>:sub (for GitHub: "
        "'repo:<owner>/<name>:environment:<name>')",
    ),
    category=metadata.IAM,
    severity=Severity.CRITICAL,
    enforcement=MANDATORY,
    remediation=(
        "Add Condition {'StringEquals': {'<provider>:aud': '<audience>', '<provider>:sub': "
        "'<subject>'}}. For GitHub Actions the audience is 'sts.amazonaws.com' and the "
        "subject 'repo:<owner>/<name>:environment:<environment>' (or "
        "':ref:refs/heads/<branch>'); protect that environment or branch. For Cognito "
        "identity pools, pin cognito-identity.amazonaws.com:aud to the pool id."
    ),
    mappings=("checkov:CKV_AWS_358", "checkov:CKV_AWS_393"),
)
