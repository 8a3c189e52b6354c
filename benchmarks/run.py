"""`make bench`: every benchmark, one after the other, with the machine they ran on."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _cpu_model() -> str:
    """The CPU's marketing name (Linux), which `platform.processor()` often leaves empty."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown cpu"


def main() -> int:
    cpu = _cpu_model()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {cpu}")
    print(f"python: {platform.python_version()}, {platform.platform()}")
    for script in ("processor_bench.py", "gate_bench.py", "bridge_agreement.py"):
        print(f"\n== {script}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / script)], check=False)
        if result.returncode != 0:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
