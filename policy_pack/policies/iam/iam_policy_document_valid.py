"""Every policy document parses, so the other IAM policies can read it."""

from collections.abc import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ...core import metadata
from ...core.documents import DOCUMENT_TYPES, DocumentError, document_sources, parse_document
from ...core.policy import MANDATORY, Config, resource_policy

CURRENT_VERSION = "2012-10-17"


def _check(args: ResourceValidationArgs, config: Config) -> Iterator[str]:
    what = f"{metadata.label(args.resource_type)} '{args.name}'"
    for source in document_sources(args.resource_type, args.props):
        try:
            document = parse_document(source.raw)
        except DocumentError as error:
            yield f"{what}: its {source.path} document {error}; fix the document"
            continue
        if document.version != CURRENT_VERSION:
            yield (
                f"{what}: its {source.path} document has Version {document.version!r}; "
                f"set Version '{CURRENT_VERSION}' (policy variables need it)"
            )


POLICY = resource_policy(
    name="iam-policy-document-valid",
    description="Policy documents are well-formed JSON with Version 2012-10-17.",
    resource_types=DOCUMENT_TYPES,
    check=_check,
    category=metadata.IAM,
    severity=Severity.HIGH,
    enforcement=MANDATORY,
    remediation=(
        "Build documents as data and serialise them (pulumi.Output.json_dumps), with "
        "Version '2012-10-17' and Effect/Action/Resource in every statement."
    ),
)
