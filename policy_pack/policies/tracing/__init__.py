"""Distributed tracing with X-Ray across functions, APIs and workflows."""

from . import (
    apigateway_stage_xray_enabled,
    lambda_function_tracing_active,
    sfn_state_machine_tracing_enabled,
)

MODULES = (
    lambda_function_tracing_active,
    apigateway_stage_xray_enabled,
    sfn_state_machine_tracing_enabled,
)
POLICIES = [module.POLICY for module in MODULES]
