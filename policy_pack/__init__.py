"""The serverless-platform CrossGuard policy pack, importable as a package.

`POLICIES` is the full list, in the order the pack runs them. Import it from the project
root (`import policy_pack`); the CLI runs `__main__.py` from inside this directory, which
imports this package by path.

Example:
    >>> import policy_pack
    >>> len(policy_pack.POLICIES) >= 45
    True
"""

from pulumi_policy import Policy

from .policies import encryption, exposure, governance, iam, logging, resilience, tagging, tracing

PACK_NAME = "serverless-platform-policies"
PACK_DESCRIPTION = (
    "Encryption, least-privilege IAM, tracing, tagging, logging, resilience and exposure "
    "policies for the serverless data platform (S3, SQS, Lambda, DynamoDB, API Gateway, "
    "Step Functions, SNS, KMS, CloudWatch, CodeDeploy) and the families a fork adds (EC2, "
    "EBS, EFS, RDS, Redshift, ElastiCache, OpenSearch, ECR, ECS, EKS, ELB, CloudFront, "
    "Secrets Manager)."
)

# Categories in report order; governance last, because `policy-exemptions-valid` reads
# what the other policies recorded while they ran.
CATEGORY_PACKAGES = (encryption, iam, tracing, tagging, logging, resilience, exposure, governance)
POLICIES: list[Policy] = [policy for package in CATEGORY_PACKAGES for policy in package.POLICIES]
MODULES = [module for package in CATEGORY_PACKAGES for module in package.MODULES]

__all__ = ["MODULES", "PACK_DESCRIPTION", "PACK_NAME", "POLICIES"]
