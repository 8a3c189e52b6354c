"""Lambda deployment packages: one function's package plus the shared one.

The function's folder goes in as a package of its name (`api/app.py`, `api/uploads.py`,
...) and its handler is `<function>.app.handler`, so its modules import each other
(`from api import runtime`) the same way in Lambda as in the tests.

The archive lists files explicitly (sorted, no `__pycache__`), so the package and its
hash change only when the code does.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

FUNCTIONS_ROOT = Path(__file__).resolve().parent.parent / "lambda_functions"
SHARED_PACKAGE = "shared"


# Code and the data files it reads at run time (the API's JSON schemas).
PACKAGED_SUFFIXES = (".py", ".json")


def _packaged_files(directory: Path) -> list[Path]:
    return sorted(
        path
        for path in directory.rglob("*")
        if path.suffix in PACKAGED_SUFFIXES and "__pycache__" not in path.parts and path.is_file()
    )


def handler_of(function: str) -> str:
    """The Lambda handler of the function packaged by `function_archive`."""
    return f"{function}.app.handler"


def function_archive(function: str, root: Path = FUNCTIONS_ROOT) -> pulumi.AssetArchive:
    """`<function>/` (its `app.py` and sibling modules) and `shared/` at the zip root."""
    function_dir = root / function
    if not (function_dir / "app.py").is_file():
        raise FileNotFoundError(f"function '{function}' has no {function_dir / 'app.py'}")
    assets: dict[str, pulumi.Asset | pulumi.Archive] = {}
    for path in _packaged_files(function_dir):
        assets[f"{function}/{path.relative_to(function_dir).as_posix()}"] = pulumi.FileAsset(
            str(path)
        )
    shared_dir = root / SHARED_PACKAGE
    for path in _packaged_files(shared_dir):
        assets[f"{SHARED_PACKAGE}/{path.relative_to(shared_dir).as_posix()}"] = pulumi.FileAsset(
            str(path)
        )
    return pulumi.AssetArchive(assets)
