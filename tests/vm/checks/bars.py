#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-side check of the bars case: sriovctl's probed BAR values against what
the hardware answered to setpci's all-ones probes, VF BAR resources against
the PF's VF BAR aperture, and the VF's MSI-X table and PBA against its BAR.

usage: bars.py ARTIFACTS_DIR
"""

import json
import re
import sys
from pathlib import Path

PFS = ["0000:00:04.0", "0000:01:00.0", "0000:02:00.0"]
# The PFs whose VFs the case looked at: the NVMe PF on the root bus (MSI-X
# in BAR 0) and the igb NIC (BARs 0 and 3, MSI-X in BAR 3).
VF_PFS = {"0000:00:04.0": 0, "0000:02:00.0": 3}
problems = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        problems.append(what)


def hw(path):
    return [int(x, 16) for x in path.read_text().split()]


def bar_size(probed, i):
    """The size a probed BAR value encodes (64-bit BARs use two registers)."""
    lo = probed[i]
    if lo & 1:
        return (~(lo & ~3) + 1) & 0xffffffff
    mask = lo & ~0xf
    if (lo & 0x6) == 0x4:
        mask |= probed[i + 1] << 32
        return (~mask + 1) & 0xffffffffffffffff
    return (~mask + 1) & 0xffffffff


def check_vfs(art, pf, msix_bar):
    """Each VF's BARs: the PF's VF BAR layout, slices of its apertures, and
    the MSI-X table and PBA inside the BAR lspci names."""
    pf_bars = json.loads((art / ("bars-%s.json" % pf)).read_text())
    lines = (art / ("resource-%s.txt" % pf)).read_text().splitlines()
    for i in range(3):
        vf = json.loads((art / ("bars-%s-vf%d.json" % (pf, i))).read_text())
        check(vf["probed"] == pf_bars["vf_probed"],
              "%s VF %d probed BARs equal the PF's VF BAR layout" % (pf, i))
        res = {r["index"]: r for r in vf["resources"]}
        for bar, r in sorted(res.items()):
            ap_start, ap_end, _ = (int(x, 16) for x in lines[7 + bar].split())
            size = bar_size(pf_bars["vf_probed"], bar)
            check(r["size"] == size, "%s VF %d BAR%d size %#x"
                  % (pf, i, bar, r["size"]))
            check(r["start"] == ap_start + i * size and
                  r["start"] + r["size"] - 1 <= ap_end,
                  "%s VF %d BAR%d at %#x is slice %d of the aperture %#x-%#x"
                  % (pf, i, bar, r["start"], i, ap_start, ap_end))
        lspci = (art / ("lspci-%s-vf%d.txt" % (pf, i))).read_text()
        count = int(re.search(r"MSI-X: Enable[+-] Count=(\d+)", lspci).group(1))
        table = re.search(r"Vector table: BAR=(\d) offset=([0-9a-f]+)", lspci)
        pba = re.search(r"PBA: BAR=(\d) offset=([0-9a-f]+)", lspci)
        check(int(table.group(1)) == msix_bar,
              "%s VF %d MSI-X table in BAR%d" % (pf, i, msix_bar))
        for name, m, length in (("table", table, 16 * count),
                                ("PBA", pba, 8 * ((count + 63) // 64))):
            bir, off = int(m.group(1)), int(m.group(2), 16)
            size = bar_size(vf["probed"], bir)
            check(off + length <= size, "%s VF %d MSI-X %s %#x+%#x fits BAR%d (%#x)"
                  % (pf, i, name, off, length, bir, size))


def fmt(v):
    return " ".join("%08x" % x for x in v)


def main(art):
    art = Path(art)
    for pf in PFS:
        js = json.loads((art / ("bars-%s.json" % pf)).read_text())
        hw_vf = hw(art / ("hw-vf-bars-%s.txt" % pf))
        hw_pf = hw(art / ("hw-pf-bars-%s.txt" % pf))
        check(js["vf_probed"] == hw_vf, "%s VF BARs: sriovctl %s, hardware %s"
              % (pf, fmt(js["vf_probed"]), fmt(hw_vf)))
        check(js["probed"] == hw_pf, "%s PF BARs: sriovctl %s, hardware %s"
              % (pf, fmt(js["probed"]), fmt(hw_pf)))
        check(any(js["vf_probed"]) and any(js["probed"]), pf + " has BARs at all")

    for pf, msix_bar in VF_PFS.items():
        check_vfs(art, pf, msix_bar)
    print("check-bars: %d problem(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
