"""Agreement of the checkov bridge with checkov on Terraform, per fixture family.

Each family under tests/fixtures/checkov/ holds the same resources as HCL (`main.tf`)
and as a Pulumi program. checkov's verdict on the HCL is the oracle; the bridge is
checkov's `terraform_plan` verdict on the bridged Pulumi plan. A pair is one resource
and one check either side evaluated; it agrees when both say failed or neither does.
tests/gate/test_checkov_differential.py asserts the same thing; this prints the figures
the README reports.

    python benchmarks/bridge_agreement.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gate.checkov.runner import PLAN_FILE, CheckResult, run_checkov  # noqa: E402
from gate.checkov.tfplan import render_tfplan  # noqa: E402
from gate.engine.planner import build_plan  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "checkov"

Outcomes = dict[str, dict[tuple[str, str], str]]


def _outcomes(results: list[CheckResult]) -> Outcomes:
    """family -> (address, check) -> outcome."""
    table: Outcomes = defaultdict(dict)
    for result in results:
        if result.address.startswith("aws."):
            continue  # the plan's provider blocks, which the HCL fixtures do not have
        family = result.file_path.strip("/").split("/", 1)[0]
        table[family][(result.address, result.check_id)] = result.outcome
    return table


def main() -> int:
    families = sorted(p.name for p in FIXTURES.iterdir() if (p / "main.tf").is_file())
    with tempfile.TemporaryDirectory(prefix="gate-agreement-") as scratch:
        plans, hcl = Path(scratch) / "plans", Path(scratch) / "hcl"
        for family in families:
            (plans / family).mkdir(parents=True)
            tfplan = render_tfplan(build_plan(FIXTURES / family / "pulumi", "test"))
            (plans / family / PLAN_FILE).write_text(tfplan.to_json(), encoding="utf-8")
            (hcl / family).mkdir(parents=True)
            shutil.copy(FIXTURES / family / "main.tf", hcl / family / "main.tf")
        oracle = _outcomes(run_checkov(hcl, "terraform"))
        bridged = _outcomes(run_checkov(plans, "terraform_plan"))
    print("| family | resources | resource-check pairs | agree |")
    print("|---|---|---|---|")
    total_pairs = total_agree = 0
    disagreements = []
    for family in families:
        pairs = set(oracle[family]) | set(bridged[family])
        agree = 0
        for pair in sorted(pairs):
            expected = oracle[family].get(pair) == "failed"
            actual = bridged[family].get(pair) == "failed"
            if expected == actual:
                agree += 1
            else:
                disagreements.append((family, *pair))
        resources = len({address for address, _ in pairs})
        print(f"| {family} | {resources} | {len(pairs)} | {agree} |")
        total_pairs += len(pairs)
        total_agree += agree
    print(f"| all {len(families)} families | | {total_pairs} | {total_agree} |")
    for family, address, check in disagreements:
        print(f"disagreement: {family} {address} {check}", file=sys.stderr)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
