"""Names the functions, the runbook tools and the infrastructure agree on.

`serverless_platform` declares the same names to AWS (`data/storage.py`,
`data/table.py`); `tests/test_contract.py` keeps them equal.
"""

# Uploads land under this prefix; the bucket notifies only for it, and the workflow may
# only list and read under it.
INCOMING_PREFIX = "incoming/"
# The results table's index of items by status, newest `updated_at` first.
STATUS_INDEX = "status-index"
