"""What the outside world can reach: buckets, APIs and functions."""

from . import (
    apigateway_default_endpoint_disabled,
    apigateway_method_authorization,
    apigateway_request_validation,
    apigateway_usage_plan_limits,
    lambda_permission_not_public,
    s3_bucket_owner_enforced,
    s3_bucket_public_access_block,
)

MODULES = (
    s3_bucket_public_access_block,
    s3_bucket_owner_enforced,
    apigateway_method_authorization,
    apigateway_usage_plan_limits,
    apigateway_default_endpoint_disabled,
    apigateway_request_validation,
    lambda_permission_not_public,
)
POLICIES = [module.POLICY for module in MODULES]
