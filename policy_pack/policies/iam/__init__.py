"""Least-privilege IAM, wherever a policy document or a grant appears."""

from . import (
    iam_no_allow_not_action,
    iam_no_escalation_via_kms_key_control,
    iam_no_escalation_via_pass_role,
    iam_no_escalation_via_permission_grants,
    iam_no_escalation_via_policy_versions,
    iam_no_escalation_via_role_trust,
    iam_no_escalation_via_user_credentials,
    iam_no_kms_decrypt_all_keys,
    iam_no_privileged_managed_policies,
    iam_no_wildcard_actions,
    iam_no_wildcard_resources,
    iam_policy_document_valid,
    iam_resource_policy_not_public,
    iam_trust_cross_account_external_id,
    iam_trust_policy_no_wildcard_principal,
    iam_trust_web_identity_conditions,
    lambda_function_unique_role,
    lambda_permission_source_arn,
)

MODULES = (
    iam_policy_document_valid,
    iam_no_wildcard_actions,
    iam_no_wildcard_resources,
    iam_no_allow_not_action,
    iam_no_privileged_managed_policies,
    iam_no_escalation_via_permission_grants,
    iam_no_escalation_via_policy_versions,
    iam_no_escalation_via_role_trust,
    iam_no_escalation_via_user_credentials,
    iam_no_escalation_via_pass_role,
    iam_no_escalation_via_kms_key_control,
    iam_no_kms_decrypt_all_keys,
    iam_trust_policy_no_wildcard_principal,
    iam_trust_cross_account_external_id,
    iam_trust_web_identity_conditions,
    iam_resource_policy_not_public,
    lambda_permission_source_arn,
    lambda_function_unique_role,
)
POLICIES = [module.POLICY for module in MODULES]
