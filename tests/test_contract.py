"""The names the infrastructure declares to AWS are the ones the functions and the
runbook tools use (`lambda_functions/shared/names.py` states them once for the code)."""

from shared import names

from serverless_platform.data.storage import INCOMING_PREFIX
from serverless_platform.data.table import STATUS_INDEX


def test_the_incoming_prefix_and_the_status_index_are_the_functions_own():
    assert INCOMING_PREFIX == names.INCOMING_PREFIX
    assert STATUS_INDEX == names.STATUS_INDEX


def test_the_runbook_tools_use_the_functions_names():
    from shared import events

    from runbooks import reprocess, results, s3_events

    assert reprocess.INCOMING_PREFIX is names.INCOMING_PREFIX
    assert results.STATUS_INDEX is names.STATUS_INDEX
    assert s3_events.ObjectRef is events.ObjectRef


def test_every_gradually_deployed_function_has_a_smoke_test_for_its_hook():
    """The infrastructure names a hook's smoke test by the function's slug (SMOKE_TEST)."""
    from deployment_hook.smoke import SMOKE_TESTS

    from serverless_platform.operations.alarm_catalog import ROLLBACK_ALARMS

    assert set(SMOKE_TESTS) == set(ROLLBACK_ALARMS)
