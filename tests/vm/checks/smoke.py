#!/usr/bin/env python3
"""Host-side check for the smoke case: called as `smoke.py ARTIFACTS_DIR`.

The in-VM case already checks sysfs; this verifies what it saved to $OUT,
and shows how a checker works: read files, print why, exit non-zero.
"""
import re
import sys
from pathlib import Path

# (lspci slot, what it is) - all QEMU NVMe controllers, 1b36:0010.
EXPECTED = [("00:04.0", "PF_ROOT"), ("01:00.0", "PF_ARI"), ("00:07.0", "NON_SRIOV")]


def main(artifacts):
    lspci = (Path(artifacts) / "lspci.txt").read_text()
    nvme = {m.group(1) for m in re.finditer(r"^(\S+) .*\[1b36:0010\]", lspci, re.M)}
    problems = [f"{slot} ({role}) is not a QEMU NVMe controller in lspci.txt"
                for slot, role in EXPECTED if slot not in nvme]
    extra = nvme - {slot for slot, _ in EXPECTED}
    if extra:
        problems.append(f"unexpected NVMe functions (VFs left enabled?): {sorted(extra)}")
    if not re.search(r"^02:00\.0 .*\[8086:10c9\]", lspci, re.M):
        problems.append("02:00.0 (PF_NIC) is not an Intel 82576 [8086:10c9]")
    for p in problems:
        print(f"check-smoke: FAIL: {p}")
    if not problems:
        print(f"check-smoke: ok: {len(nvme)} NVMe controllers at the expected addresses")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
