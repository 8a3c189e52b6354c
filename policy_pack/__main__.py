"""The CrossGuard entry point: `pulumi preview --policy-pack policy_pack` runs this file.

It only builds the PolicyPack (which starts the analyzer's gRPC server and blocks); the
policies live in the importable package beside it.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from pulumi_policy import EnforcementLevel, PolicyPack


def _pack_package() -> ModuleType:
    """This directory as a package, whether the CLI runs this file as a script (cwd =
    this directory, so `import policy_pack` would fail) or the package is imported."""
    here = Path(__file__).resolve().parent
    name = here.name
    loaded = sys.modules.get(name)
    if loaded is not None:
        if Path(loaded.__file__ or "").resolve().parent == here:
            return loaded
        # Another package owns the name (a second copy of the pack): the policies use
        # relative imports, so this copy works under a name of its own.
        name = f"_{name}_{abs(hash(here))}"
    spec = importlib.util.spec_from_file_location(
        name, here / "__init__.py", submodule_search_locations=[str(here)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import the policy package from {here}")
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return package


pack = _pack_package()
PolicyPack(
    name=pack.PACK_NAME,
    description=pack.PACK_DESCRIPTION,
    policies=pack.POLICIES,
    enforcement_level=EnforcementLevel.ADVISORY,
    provider="aws",
    tags=["aws", "serverless", "security"],
)
