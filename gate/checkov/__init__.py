"""Stage 3, checkov: render the plan as Terraform plan JSON, run checkov offline on it,
and map its results back to Pulumi resources."""
