#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-side check of the resources case: sriovctl's JSON against lspci -vvv's
own SR-IOV decode, field by field, against the virtfnN links, and against
the routing-ID arithmetic done here independently.

usage: resources.py ARTIFACTS_DIR
"""

import json
import re
import sys
from pathlib import Path

# PF: the VFs the case enables (the NIC's igb driver allows 7).
PFS = {"0000:00:04.0": 8, "0000:01:00.0": 32, "0000:02:00.0": 7}
problems = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        problems.append(what)


def flag(text, name):
    m = re.search(r"\b%s([+-])" % re.escape(name), text)
    if not m:
        raise ValueError("lspci output has no %s flag" % name)
    return m.group(1) == "+"


def parse_lspci_sriov(text):
    """lspci's decode of the SR-IOV capability (pciutils ls-ecaps.c cap_sriov)."""
    m = re.search(r"Capabilities: \[([0-9a-f]+) v(\d+)\] Single Root I/O "
                  r"Virtualization \(SR-IOV\)\n((?:\t\t.*\n)+)", text)
    if not m:
        raise ValueError("no SR-IOV capability in lspci output")
    block = m.group(3)
    d = {"cap_offset": int(m.group(1), 16), "cap_version": int(m.group(2))}
    line = lambda key: re.search(r"%s:\s*(.*)" % key, block).group(1)
    cap, ctl, sta = line("IOVCap"), line("IOVCtl"), line("IOVSta")
    d["cap_migration"] = flag(cap, "Migration")
    d["cap_imn"] = int(re.search(r"Interrupt Message Number: ([0-9a-f]+)", cap).group(1), 16)
    for name, bit in (("Enable", 0x1), ("Migration", 0x2), ("Interrupt", 0x4),
                      ("MSE", 0x8), ("ARIHierarchy", 0x10)):
        d["ctl_" + name] = flag(ctl, name)
    d["sta_migration"] = flag(sta, "Migration")
    nums = re.search(r"Initial VFs: (\d+), Total VFs: (\d+), Number of VFs: (\d+), "
                     r"Function Dependency Link: ([0-9a-f]+)", block)
    d["initial_vfs"], d["total_vfs"], d["num_vfs"] = map(int, nums.groups()[:3])
    d["function_dependency_link"] = int(nums.group(4), 16)
    m2 = re.search(r"VF offset: (\d+), stride: (\d+), Device ID: ([0-9a-f]+)", block)
    d["vf_offset"], d["vf_stride"] = int(m2.group(1)), int(m2.group(2))
    d["vf_device_id"] = int(m2.group(3), 16)
    m3 = re.search(r"Supported Page Size: ([0-9a-f]+), System Page Size: ([0-9a-f]+)", block)
    d["supported_page_sizes"], d["system_page_size"] = (int(x, 16) for x in m3.groups())
    d["bars"] = {}
    for r in re.finditer(r"Region (\d+): Memory at ([0-9a-f]+) \((\d+)-bit, "
                         r"(non-)?prefetchable\)", block):
        d["bars"][int(r.group(1))] = {
            "base": int(r.group(2), 16),
            "type": "mem64" if r.group(3) == "64" else "mem32",
            "prefetchable": r.group(4) is None}
    m4 = re.search(r"VF Migration: offset: ([0-9a-f]+), BIR: (\d+)", block)
    d["vfm_offset"], d["vfm_bir"] = int(m4.group(1), 16), int(m4.group(2))
    d["driver"] = re.search(r"Kernel driver in use: (\S+)", text).group(1)
    return d


def vf_address(pf, offset, stride, i):
    dom, bus, devfn = pf.split(":")
    dev, fn = devfn.split(".")
    rid = (int(bus, 16) << 8 | int(dev, 16) << 3 | int(fn)) + offset + stride * i
    return "%s:%02x:%02x.%d" % (dom, rid >> 8, (rid >> 3) & 0x1f, rid & 7)


def compare_sriov(pf, js, lp):
    s = js["sriov"]
    for key in ("cap_offset", "cap_version", "initial_vfs", "total_vfs", "num_vfs",
                "function_dependency_link", "vf_offset", "vf_stride",
                "vf_device_id", "supported_page_sizes", "system_page_size"):
        check(s[key] == lp[key], "%s %s: sriovctl %s, lspci %s" % (pf, key, s[key], lp[key]))
    check(bool(s["capabilities"] & 1) == lp["cap_migration"], pf + " IOVCap Migration")
    check(s["capabilities"] >> 21 == lp["cap_imn"], pf + " IOVCap Interrupt Message Number")
    for name, bit in (("Enable", 0x1), ("Migration", 0x2), ("Interrupt", 0x4),
                      ("MSE", 0x8), ("ARIHierarchy", 0x10)):
        check(bool(s["control"] & bit) == lp["ctl_" + name],
              "%s IOVCtl %s: %s" % (pf, name, lp["ctl_" + name]))
    check(bool(s["status"] & 1) == lp["sta_migration"], pf + " IOVSta Migration")
    check((s["vf_migration_state"] & ~7) == lp["vfm_offset"] and
          (s["vf_migration_state"] & 7) == lp["vfm_bir"], pf + " VF Migration offset/BIR")
    bars = {b["index"]: b for b in s["vf_bars"]}
    check(set(bars) == set(lp["bars"]), "%s VF BARs %s vs lspci %s" %
          (pf, sorted(bars), sorted(lp["bars"])))
    for i, lb in lp["bars"].items():
        b = bars.get(i, {})
        check(b.get("base") == lb["base"] and b.get("type") == lb["type"] and
              b.get("prefetchable") == lb["prefetchable"],
              "%s VF BAR %d: %s vs lspci %s" % (pf, i, b, lb))
    check(js["driver"] == lp["driver"], "%s driver %s" % (pf, js["driver"]))


def compare_vfs(art, pf, js, lp, ids):
    links = dict(line.split() for line in (art / ("virtfn-%s.txt" % pf)).read_text().splitlines())
    vfs = js["vfs"]
    check(len(vfs) == PFS[pf] == len(links), "%s has %d VFs" % (pf, len(vfs)))
    for vf in vfs:
        i = vf["index"]
        want = links.get("virtfn%d" % i)
        check(vf["address"] == want, "%s VF %d: %s, virtfn%d -> %s" % (pf, i, vf["address"], i, want))
        computed = vf_address(pf, lp["vf_offset"], lp["vf_stride"], i)
        check(vf["address"] == computed, "%s VF %d: offset/stride give %s" % (pf, i, computed))
        check((vf["vendor_id"], vf["device_id"]) == ids.get(vf["address"][5:]),
              "%s VF %d IDs %04x:%04x match lspci -n" % (pf, i, vf["vendor_id"], vf["device_id"]))
        check(vf["driver"] is None, "%s VF %d unbound" % (pf, i))
        check(isinstance(vf["iommu_group"], int), "%s VF %d in IOMMU group %s" % (pf, i, vf["iommu_group"]))


def main(art):
    art = Path(art)
    ids = {}
    for line in (art / "lspci-n.txt").read_text().splitlines():
        m = re.match(r"(\S+) [0-9a-f]+: ([0-9a-f]{4}):([0-9a-f]{4})", line)
        if m:
            ids[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
    listed = {p["address"]: p for p in json.loads((art / "list.json").read_text())}
    for pf in PFS:
        js = json.loads((art / ("show-%s.json" % pf)).read_text())
        lp = parse_lspci_sriov((art / ("lspci-%s.txt" % pf)).read_text())
        compare_sriov(pf, js, lp)
        compare_vfs(art, pf, js, lp, ids)
        check((js["vendor_id"], js["device_id"]) == ids[pf[5:]], pf + " PF IDs")
        # list's total is sriov_totalvfs, the driver's limit (igb: 7 of 8).
        check(listed[pf]["num_vfs"] == PFS[pf] and
              listed[pf]["total_vfs"] == js["sriov"]["driver_total_vfs"] and
              js["sriov"]["driver_total_vfs"] <= lp["total_vfs"],
              pf + " in list")
    check(json.loads((art / "config-read.json").read_text())["bytes"] == [255] * 4,
          "config-read of VF 0 gives ff ff ff ff")
    print("check-resources: %d problem(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
