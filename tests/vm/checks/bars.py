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

PFS = ["0000:00:04.0", "0000:01:00.0"]
PF_ROOT = PFS[0]
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

    pf_bars = json.loads((art / ("bars-%s.json" % PF_ROOT)).read_text())
    lines = (art / ("resource-%s.txt" % PF_ROOT)).read_text().splitlines()
    ap_start, ap_end, _ = (int(x, 16) for x in lines[7].split())
    vf_size = bar_size(pf_bars["vf_probed"], 0)
    for i in range(3):
        vf = json.loads((art / ("bars-vf%d.json" % i)).read_text())
        check(vf["probed"] == pf_bars["vf_probed"],
              "VF %d probed BARs equal the PF's VF BAR layout" % i)
        res = {r["index"]: r for r in vf["resources"]}
        check(res[0]["size"] == vf_size, "VF %d BAR0 size %#x" % (i, res[0]["size"]))
        check(res[0]["start"] == ap_start + i * vf_size and
              res[0]["start"] + res[0]["size"] - 1 <= ap_end,
              "VF %d BAR0 at %#x is slice %d of the aperture %#x-%#x"
              % (i, res[0]["start"], i, ap_start, ap_end))
        lspci = (art / ("lspci-vf%d.txt" % i)).read_text()
        count = int(re.search(r"MSI-X: Enable[+-] Count=(\d+)", lspci).group(1))
        table = re.search(r"Vector table: BAR=(\d) offset=([0-9a-f]+)", lspci)
        pba = re.search(r"PBA: BAR=(\d) offset=([0-9a-f]+)", lspci)
        for name, m, length in (("table", table, 16 * count),
                                ("PBA", pba, 8 * ((count + 63) // 64))):
            bir, off = int(m.group(1)), int(m.group(2), 16)
            size = bar_size(vf["probed"], bir)
            check(off + length <= size, "VF %d MSI-X %s %#x+%#x fits BAR%d (%#x)"
                  % (i, name, off, length, bir, size))
    print("check-bars: %d problem(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
