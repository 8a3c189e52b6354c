"""The policies, one module per policy, grouped by category.

They live one level down, not beside `__main__.py`: the Pulumi CLI runs the pack with its
directory first on `sys.path`, where a `logging/` package would shadow the standard
library's `logging` (which pulumi itself imports) and break the analyzer at start-up.
"""
