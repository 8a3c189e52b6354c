"""Runbooks and their executable tools (`python -m runbooks`).

The tools import the functions' shared code (`lambda_functions/shared`) for object
references, key decoding, result statuses, index names and the incoming prefix, rather
than restating them. This puts that code's folder on the import path, as Lambda's
package root and the tests do.
"""

import sys
from pathlib import Path

_FUNCTIONS_ROOT = Path(__file__).resolve().parent.parent / "lambda_functions"
if str(_FUNCTIONS_ROOT) not in sys.path:
    sys.path.append(str(_FUNCTIONS_ROOT))
