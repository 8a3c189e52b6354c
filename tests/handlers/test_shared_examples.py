"""The runnable `Example` sections of the shared modules stay true."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "shared.config",
        "shared.errors",
        "shared.events",
        "shared.formats",
        "shared.item_limits",
        "shared.parsing",
        "shared.processing",
        "shared.results",
        "shared.sequencer",
    ],
)
def test_docstring_examples_run(module):
    # GIVEN a shared module whose docstrings carry runnable examples
    # WHEN they are run
    outcome = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)

    # THEN there are some, and all pass
    assert outcome.attempted > 0
    assert outcome.failed == 0
